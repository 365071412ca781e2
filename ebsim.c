/* ebsim.c - command-line entry: run | check. Thin driver over the library. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases/case.h"
#include "geometry/grid.h"
#include "output/output.h"
#include "solver/limits.h"
#include "solver/runtime.h"
#include "solver/thermal.h"

#ifndef EBSIM_VERSION
#define EBSIM_VERSION "dev"
#endif

static const char *usage_main =
    "ebsim " EBSIM_VERSION " - thermal model of a wafer-scale engine block\n"
    "\n"
    "usage: ebsim COMMAND CASE [options]\n"
    "\n"
    "commands:\n"
    "  run CASE     solve the steady case; write result.h5, result.xdmf, summary.json\n"
    "               and PNG figures; print a report\n"
    "  check CASE   validate the case (and --set overrides) without solving\n"
    "\n"
    "options:\n"
    "  --help, -h   this text (or `ebsim COMMAND --help`)\n"
    "  --version    program version\n"
    "\n"
    "exit codes: 0 every limit holds, 3 a limit is broken, 2 bad input,\n"
    "            1 solver or internal failure (never a silent unconverged answer)\n"
    "\n"
    "example:\n"
    "  ebsim run cases/cs3.yaml --set coolant.flow_lpm=37.5 --out out/low-flow\n"
    "\n"
    "The case-file reference is docs/case-reference.md.\n";

static const char *usage_run =
    "usage: ebsim run CASE [--set KEY=VALUE]... [--out DIR] [--quiet] [--no-figures]\n"
    "\n"
    "Solve the steady thermal problem of CASE (YAML) and write into DIR\n"
    "(default out/<case name>):\n"
    "  result.h5             grid, 3D temperature (C), wafer maps, per-die table,\n"
    "                        summary, the resolved case; every dataset has `units`\n"
    "  result.xdmf           open in ParaView (coordinates in metres)\n"
    "  summary.json          the numbers of the report, limits with ok flags\n"
    "  wafer_temperature.png, heat_flux.png, coolant_temperature.png\n"
    "\n"
    "options:\n"
    "  --set KEY=VALUE  override one case value by its dotted path, e.g.\n"
    "                   --set coolant.inlet_c=30 --set stack.contact.conductance_w_m2k=2e4\n"
    "                   (repeatable; validated like the file)\n"
    "  --out DIR        output directory (created if missing)\n"
    "  --quiet          no progress lines (they are off anyway when stderr is not a terminal)\n"
    "  --no-figures     skip the PNG figures\n"
    "\n"
    "exit codes: 0 limits hold, 3 a limit is broken, 2 bad input, 1 solver failure\n";

static const char *usage_check =
    "usage: ebsim check CASE [--set KEY=VALUE]... [--dump]\n"
    "\n"
    "Validate CASE and the overrides; print the grid size. Nothing is solved or written.\n"
    "  --dump   print the resolved case (every value, defaults included) as YAML\n"
    "\n"
    "exit codes: 0 valid, 2 bad input\n";

typedef struct {
  const char *case_path;
  const char *out_dir;
  const char **sets;
  int n_sets;
  int quiet, no_figures, dump, help;
} Args;

/* Parse the options after the command. Returns EB_OK or EB_EINPUT. */
static int parse_args(int argc, char **argv, int allow_run_opts, Args *a) {
  a->sets = calloc((size_t)argc, sizeof *a->sets);
  if (!a->sets) return EB_EFAIL;
  for (int i = 0; i < argc; i++) {
    const char *s = argv[i];
    if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
      a->help = 1;
    } else if (!strcmp(s, "--set") || !strncmp(s, "--set=", 6)) {
      const char *v = s[5] == '=' ? s + 6 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v) {
        fprintf(stderr, "ebsim: --set needs KEY=VALUE, e.g. --set coolant.inlet_c=30\n");
        return EB_EINPUT;
      }
      a->sets[a->n_sets++] = v;
    } else if (allow_run_opts && (!strcmp(s, "--out") || !strncmp(s, "--out=", 6))) {
      const char *v = s[5] == '=' ? s + 6 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v || !*v) {
        fprintf(stderr, "ebsim: --out needs a directory\n");
        return EB_EINPUT;
      }
      a->out_dir = v;
    } else if (allow_run_opts && !strcmp(s, "--quiet")) {
      a->quiet = 1;
    } else if (allow_run_opts && !strcmp(s, "--no-figures")) {
      a->no_figures = 1;
    } else if (!allow_run_opts && !strcmp(s, "--dump")) {
      a->dump = 1;
    } else if (s[0] == '-' && s[1]) {
      fprintf(stderr, "ebsim: unknown option '%s' (see --help)\n", s);
      return EB_EINPUT;
    } else if (!a->case_path) {
      a->case_path = s;
    } else {
      fprintf(stderr, "ebsim: unexpected argument '%s': one case file per run\n", s);
      return EB_EINPUT;
    }
  }
  if (!a->help && !a->case_path) {
    fprintf(stderr, "ebsim: missing CASE (a YAML case file, e.g. cases/cs3.yaml)\n");
    return EB_EINPUT;
  }
  return EB_OK;
}

/* The resolved case as YAML text (malloc'ed), or NULL. */
static char *case_text(const Case *c) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f) return NULL;
  Case_dump(c, f);
  fclose(f);
  return buf;
}

static int cmd_check(const Args *a) {
  static Case c;
  char err[EB_ERRLEN];
  int rc = Case_read(a->case_path, a->n_sets, a->sets, &c, err, sizeof err);
  if (rc != EB_OK) {
    fprintf(stderr, "ebsim: %s\n", err);
    return rc;
  }
  Grid *g = NULL;
  rc = Grid_create(&c, &g, err, sizeof err);
  if (rc != EB_OK) {
    fprintf(stderr, "ebsim: %s\n", err);
    return rc;
  }
  if (a->dump) {
    Case_dump(&c, stdout);
  } else {
    printf("%s: case '%s' is valid: %d layers, grid %d x %d x %d = %zu cells\n", a->case_path,
           c.name, c.n_layers, g->nx, g->ny, g->nz, Grid_cells(g));
  }
  Grid_destroy(g);
  return EB_OK;
}

static int cmd_run(const Args *a) {
  static Case c;
  char err[EB_ERRLEN];
  int rc = Case_read(a->case_path, a->n_sets, a->sets, &c, err, sizeof err);
  if (rc != EB_OK) {
    fprintf(stderr, "ebsim: %s\n", err);
    return rc;
  }
  Grid *g = NULL;
  rc = Grid_create(&c, &g, err, sizeof err);
  if (rc != EB_OK) {
    fprintf(stderr, "ebsim: %s\n", err);
    return rc;
  }
  char dir_buf[600];
  const char *dir = a->out_dir;
  if (!dir) {
    snprintf(dir_buf, sizeof dir_buf, "out/%s", c.name);
    dir = dir_buf;
  }
  int progress = !a->quiet && isatty(fileno(stderr));
  if (progress)
    fprintf(stderr, "ebsim: solving %s: %d x %d x %d = %zu cells\n", c.name, g->nx, g->ny, g->nz,
            Grid_cells(g));
  ThermalOptions opt = {.verbose = progress, .progress_stream = stderr};
  ThermalResult r;
  rc = Thermal_solve(&c, g, &opt, &r, err, sizeof err);
  if (rc != EB_OK) {
    fprintf(stderr, "ebsim: %s\n", err);
    Grid_destroy(g);
    return rc;
  }
  LimitCheck limits[LIMITS_MAX];
  int n_limits = Limits_evaluate(&c, &r, limits);
  char *text = case_text(&c);
  OutputOptions oo = {.dir = dir, .case_text = text ? text : "", .version = EBSIM_VERSION,
                      .figures = !a->no_figures};
  if (progress) fprintf(stderr, "ebsim: writing %s/\n", dir);
  rc = Output_write_all(&c, g, &r, limits, n_limits, &oo, err, sizeof err);
  free(text);
  if (rc != EB_OK) {
    fprintf(stderr, "ebsim: %s\n", err);
  } else {
    Output_report(stdout, &c, &r, limits, n_limits);
    printf("  Output             %s/ (result.h5, result.xdmf, summary.json%s)\n", dir,
           a->no_figures ? "" : ", PNG figures");
    rc = Limits_all_ok(limits, n_limits) ? EB_OK : EB_ELIMIT;
  }
  ThermalResult_free(&r);
  Grid_destroy(g);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
    fputs(usage_main, argc < 2 ? stderr : stdout);
    return argc < 2 ? EB_EINPUT : EB_OK;
  }
  if (!strcmp(argv[1], "--version")) {
    printf("ebsim %s\n", EBSIM_VERSION);
    return EB_OK;
  }
  const char *cmd = argv[1];
  int is_run = !strcmp(cmd, "run"), is_check = !strcmp(cmd, "check");
  if (!is_run && !is_check) {
    fprintf(stderr, "ebsim: unknown command '%s'; commands are: run, check (see ebsim --help)\n",
            cmd);
    return EB_EINPUT;
  }
  Args a = {0};
  int rc = parse_args(argc - 2, argv + 2, is_run, &a);
  if (rc == EB_OK && a.help) {
    fputs(is_run ? usage_run : usage_check, stdout);
  } else if (rc == EB_OK && is_check) {
    rc = cmd_check(&a);
  } else if (rc == EB_OK) {
    if (Runtime_init(&argc, &argv) != EB_OK) {
      fprintf(stderr, "ebsim: could not initialise MPI/hypre\n");
      rc = EB_EFAIL;
    } else if (Runtime_size() != 1) {
      fprintf(stderr, "ebsim: this version runs on one MPI rank; run without mpirun -n\n");
      rc = EB_EFAIL;
    } else {
      rc = cmd_run(&a);
    }
    Runtime_finalize();
  }
  free(a.sets);
  return rc;
}

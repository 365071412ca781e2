/* ebsim.c - command-line entry: run | check. Thin driver over the library. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#include "cases/case.h"
#include "geometry/grid.h"
#include "output/output.h"
#include "solver/core/limits.h"
#include "output/out_envelope.h"
#include "output/out_sweep.h"
#include "solver/studies/limit_search.h"
#include "solver/core/runtime.h"
#include "solver/studies/sweep.h"
#include "solver/thermal/thermal.h"

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
    "               and figures (PNG, PDF or SVG); print a report\n"
    "  check CASE   validate the case (and --set overrides) without solving\n"
    "  sweep CASE   run the case over values of one or more keys (--param)\n"
    "  limits CASE  largest or smallest value of one key that keeps every limit (--find)\n"
    "  envelope CASE  warmest allowed inlet against flow, per power (--power-kw)\n"
    "  plot DIR     draw a finished run's figures again from DIR/result.h5\n"
    "               (e.g. as PDF or SVG: --figures pdf), without solving\n"
    "\n"
    "options:\n"
    "  --help, -h   this text (or `ebsim COMMAND --help`)\n"
    "  --version    program version\n"
    "\n"
    "exit codes: 0 every limit holds, 3 a limit is broken, 2 bad input,\n"
    "            1 solver or internal failure (never a silent unconverged answer)\n"
    "\n"
    "parallel: `mpirun -n N ebsim run|limits|envelope ...` splits each linear solve\n"
    "over N ranks (same answer); sweeps use worker processes instead (--jobs).\n"
    "\n"
    "example:\n"
    "  ebsim run cases/cs3.yaml --set coolant.flow_lpm=37.5 --out out/low-flow\n"
    "\n"
    "The case-file reference is docs/case-reference.md.\n";

static const char *usage_run =
    "usage: ebsim run CASE [--set KEY=VALUE]... [--out DIR] [--quiet]\n"
    "                 [--figures png|pdf|svg|none] [--no-figures]\n"
    "\n"
    "Solve the steady thermal problem of CASE (YAML) and write into DIR\n"
    "(default out/<case name>):\n"
    "  result.h5             grid, 3D temperature (C), wafer maps, per-die table,\n"
    "                        summary, the resolved case; every dataset has `units`\n"
    "  result.xdmf           open in ParaView (coordinates in metres)\n"
    "  summary.json          the numbers of the report, limits with ok flags\n"
    "  wafer_temperature.png, heat_flux.png, coolant_temperature.png,\n"
    "  coolant_path.png, pump_curve.png   (.pdf or .svg with --figures)\n"
    "\n"
    "options:\n"
    "  --set KEY=VALUE  override one case value by its dotted path, e.g.\n"
    "                   --set coolant.inlet_c=30 --set stack.contact.conductance_w_m2k=2e4\n"
    "                   (repeatable; validated like the file)\n"
    "  --out DIR        output directory (created if missing)\n"
    "  --quiet          no progress lines (they are off anyway when stderr is not a terminal)\n"
    "  --figures FMT    png (default), pdf or svg (vector, for reports), or none\n"
    "  --no-figures     the same as --figures none\n"
    "\n"
    "exit codes: 0 limits hold, 3 a limit is broken, 2 bad input, 1 solver failure\n";

static const char *usage_sweep =
    "usage: ebsim sweep CASE --param KEY=LIST|START:STOP:STEP [--param ...] [--set KEY=VALUE]...\n"
    "                   [--jobs N] [--out DIR] [--quiet] [--figures FMT] [--no-figures]\n"
    "\n"
    "Solve CASE at every combination of the --param values (cartesian product, the first\n"
    "--param varies slowest). LIST is comma-separated (25,30,35 or pg25,water); a range\n"
    "includes STOP (25:40:5 is 25, 30, 35, 40). --set fixes the base case as in `run`.\n"
    "Points on the same grid reuse the solver and start from the previous answer.\n"
    "The points are shared among N worker processes (--jobs, default one per core;\n"
    "each worker warm-starts along its own points) and merged in point order.\n"
    "\n"
    "Writes into DIR (default out/<case name>-sweep):\n"
    "  sweep.csv   one row per point: the swept values, status, every summary scalar\n"
    "              (units in the header); a failed point keeps its row with the reason\n"
    "  sweep.h5    the same table (/table) and each point's wafer map (/points)\n"
    "  sweep.png   hottest junction, outlet, pressure drop, pump power against the\n"
    "              first parameter, one line per value of the second\n"
    "and prints a table as the points finish (a progress bar on a terminal).\n"
    "\n"
    "example:\n"
    "  ebsim sweep cases/cs3.yaml --param power.total_kw=25:40:5 --param coolant.flow_lpm=60,100\n"
    "\n"
    "exit codes: 0 every point solved, 1 a point failed (see its row), 2 bad input\n";

static const char *usage_limits =
    "usage: ebsim limits CASE --find KEY (--max|--min) [--tol VALUE] [--set KEY=VALUE]...\n"
    "                    [--out DIR] [--quiet] [--figures FMT] [--no-figures]\n"
    "\n"
    "Find the largest (--max) or smallest (--min) value of the numeric case key KEY for\n"
    "which every limit of the case holds (section `limits`): steps from the case's own\n"
    "value, doubling, until a limit changes state, then Brent's method on the smallest\n"
    "relative limit margin, to within --tol (in KEY's unit; default 1e-3 of the start\n"
    "value). Prints the value, the limit that binds and the margin of the others, and\n"
    "writes the usual run output at that value into DIR (default out/<case>-limits),\n"
    "with summary.json also holding find, value, binding_limit and margins.\n"
    "\n"
    "examples:\n"
    "  ebsim limits cases/cs3.yaml --find coolant.inlet_c --max\n"
    "  ebsim limits cases/cs3.yaml --find coolant.flow_lpm --min\n"
    "  ebsim limits cases/cs3.yaml --find power.total_kw --max --tol 0.1\n"
    "\n"
    "exit codes: 0 found (or no limit binds in the key's range, said so), 3 no value\n"
    "keeps every limit, 1 solver failure, 2 bad input\n";

static const char *usage_envelope =
    "usage: ebsim envelope CASE --power-kw LIST [--flow-per-kw LIST] [--set KEY=VALUE]...\n"
    "                      [--out DIR] [--quiet] [--figures FMT] [--no-figures]\n"
    "\n"
    "For each power (kW) and each flow per power (L/min/kW; default 0.5,0.75,1,1.5,2,3,4), the\n"
    "warmest coolant inlet for which every limit of the case holds (a limit search on\n"
    "coolant.inlet_c). Read along a power's line the other way, the same curve gives the\n"
    "least flow for a given inlet temperature. Prints the table and writes envelope.csv\n"
    "and envelope.png (the case's operating point and the 1.5 L/min/kW, 45 C facility\n"
    "reference marked) into DIR (default out/<case>-envelope).\n"
    "\n"
    "example:\n"
    "  ebsim envelope cases/cs4.yaml --power-kw 25,30,35,40 --set grid.dx_mm=1\n"
    "\n"
    "exit codes: 0 done (unreachable points are said in their rows), 2 bad input\n";

static const char *usage_plot =
    "usage: ebsim plot DIR|RESULT.h5 [--figures png|pdf|svg] [--out DIR2]\n"
    "\n"
    "Draw the figures of a finished run again from its result.h5 (the resolved case,\n"
    "wafer maps and hydraulics stored there), without solving: wafer_temperature,\n"
    "heat_flux, coolant_temperature, coolant_path and pump_curve in the format of\n"
    "--figures (default png), into DIR (or DIR2).\n"
    "\n"
    "example:\n"
    "  ebsim run cases/cs3.yaml --out out/base && ebsim plot out/base --figures svg\n"
    "\n"
    "exit codes: 0 drawn, 2 no readable result.h5, 1 a figure failed\n";

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
  const char **params;
  int n_params;
  const char *power_kw, *flow_per_kw;
  int jobs;                 /* sweep: worker processes (0: one per core) */
  int worker_k, worker_n;   /* sweep worker: share k of n (n = 0: not a worker) */
  const char *find;
  int find_max, find_min;
  double tol;
  int quiet, dump, help;
  FigureFormat figures;     /* --figures / --no-figures (default PNG) */
} Args;

/* Parse the options after the command. Returns EB_OK or EB_EINPUT. */
static int parse_args(int argc, char **argv, int allow_run_opts, Args *a) {
  a->sets = calloc((size_t)argc + 1, sizeof *a->sets);
  a->params = calloc((size_t)argc + 1, sizeof *a->params);
  if (!a->sets || !a->params) return EB_EFAIL;
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
    } else if (allow_run_opts == 2 && !strcmp(s, "--jobs")) {
      char *end = NULL;
      long j = i + 1 < argc ? strtol(argv[++i], &end, 10) : 0;
      if (!end || *end || j < 1 || j > 64) {
        fprintf(stderr, "ebsim: --jobs needs a number of processes, 1 to 64\n");
        return EB_EINPUT;
      }
      a->jobs = (int)j;
    } else if (allow_run_opts == 2 && !strcmp(s, "--worker")) {
      /* internal: a share of a parallel sweep, "k/n" */
      if (i + 1 >= argc || sscanf(argv[++i], "%d/%d", &a->worker_k, &a->worker_n) != 2 ||
          a->worker_n < 1 || a->worker_k < 0 || a->worker_k >= a->worker_n) {
        fprintf(stderr, "ebsim: --worker needs k/n\n");
        return EB_EINPUT;
      }
    } else if (allow_run_opts == 2 && (!strcmp(s, "--param") || !strncmp(s, "--param=", 8))) {
      const char *v = s[7] == '=' ? s + 8 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v) {
        fprintf(stderr, "ebsim: --param needs KEY=LIST or KEY=START:STOP:STEP\n");
        return EB_EINPUT;
      }
      a->params[a->n_params++] = v;
    } else if (allow_run_opts == 4 && (!strcmp(s, "--power-kw") || !strcmp(s, "--flow-per-kw"))) {
      if (i + 1 >= argc) {
        fprintf(stderr, "ebsim: %s needs a list like 25,30,35\n", s);
        return EB_EINPUT;
      }
      if (!strcmp(s, "--power-kw"))
        a->power_kw = argv[++i];
      else
        a->flow_per_kw = argv[++i];
    } else if (allow_run_opts == 3 && !strcmp(s, "--find")) {
      if (i + 1 >= argc) {
        fprintf(stderr, "ebsim: --find needs a case key, e.g. coolant.inlet_c\n");
        return EB_EINPUT;
      }
      a->find = argv[++i];
    } else if (allow_run_opts == 3 && !strcmp(s, "--max")) {
      a->find_max = 1;
    } else if (allow_run_opts == 3 && !strcmp(s, "--min")) {
      a->find_min = 1;
    } else if (allow_run_opts == 3 && !strcmp(s, "--tol")) {
      char *end = NULL;
      a->tol = i + 1 < argc ? strtod(argv[++i], &end) : NAN;
      if (!end || *end || !(a->tol > 0)) {
        fprintf(stderr, "ebsim: --tol needs a positive number in the key's unit\n");
        return EB_EINPUT;
      }
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
      a->figures = FIGURES_NONE;
    } else if (allow_run_opts && (!strcmp(s, "--figures") || !strncmp(s, "--figures=", 10))) {
      const char *v = s[9] == '=' ? s + 10 : (i + 1 < argc ? argv[++i] : NULL);
      if (Output_figure_format(v, &a->figures) != EB_OK) {
        fprintf(stderr, "ebsim: --figures needs png, pdf, svg or none, got '%s'\n",
                v ? v : "");
        return EB_EINPUT;
      }
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
    if (allow_run_opts == 5)
      fprintf(stderr, "ebsim: missing DIR (the output directory of a run, with result.h5)\n");
    else
      fprintf(stderr, "ebsim: missing CASE (a YAML case file, e.g. cases/cs3.yaml)\n");
    return EB_EINPUT;
  }
  return EB_OK;
}

/* --out DIR, or out/<case name><suffix>. */
static const char *out_dir(const Args *a, const Case *c, const char *suffix, char *buf,
                           size_t size) {
  if (a->out_dir) return a->out_dir;
  snprintf(buf, size, "out/%s%s", c->name, suffix);
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

/* Solve, write the output, print the report to `report` (NULL: none).
 * Under `mpirun -n N` every rank runs the same steps on the same data (the
 * linear solves are split, their answers gathered); rank 0 alone prints and
 * writes, and its exit code is everyone's. */
static int cmd_run(const Args *a, FILE *report) {
  static Case c;
  char err[EB_ERRLEN];
  const int rank0 = Runtime_rank() == 0;
  if (!rank0) report = NULL;
  int rc = Case_read(a->case_path, a->n_sets, a->sets, &c, err, sizeof err);
  if (rc != EB_OK) {
    if (rank0) fprintf(stderr, "ebsim: %s\n", err);
    return rc;
  }
  Grid *g = NULL;
  rc = Grid_create(&c, &g, err, sizeof err);
  if (rc != EB_OK) {
    if (rank0) fprintf(stderr, "ebsim: %s\n", err);
    return rc;
  }
  char dir_buf[600];
  const char *dir = out_dir(a, &c, "", dir_buf, sizeof dir_buf);
  int progress = rank0 && !a->quiet && isatty(fileno(stderr));
  if (progress)
    fprintf(stderr, "ebsim: solving %s: %d x %d x %d = %zu cells\n", c.name, g->nx, g->ny, g->nz,
            Grid_cells(g));
  ThermalOptions opt = {.verbose = progress, .progress_stream = stderr};
  ThermalResult r;
  rc = Thermal_solve(&c, g, &opt, &r, err, sizeof err);
  if (rc != EB_OK) {
    if (rank0) fprintf(stderr, "ebsim: %s\n", err);
    Grid_destroy(g);
    return rc;
  }
  LimitCheck limits[LIMITS_MAX];
  int n_limits = Limits_evaluate(&c, &r, limits);
  char *text = Case_dump_string(&c);
  OutputOptions oo = {.dir = dir, .case_text = text ? text : "", .version = EBSIM_VERSION,
                      .figures = a->figures};
  if (progress) fprintf(stderr, "ebsim: writing %s/\n", dir);
  if (rank0) rc = Output_write_all(&c, g, &r, limits, n_limits, &oo, err, sizeof err);
  Runtime_bcast_int(&rc);
  free(text);
  if (rc != EB_OK) {
    if (rank0) fprintf(stderr, "ebsim: %s\n", err);
  } else {
    if (report) {
      Output_report(report, &c, &r, limits, n_limits);
      fprintf(report, "  Output             %s/ (result.h5, result.xdmf, summary.json%s%s%s)\n",
              dir, a->figures ? ", " : "", a->figures ? Output_figure_ext(a->figures) : "",
              a->figures ? " figures" : "");
    }
    rc = Limits_all_ok(limits, n_limits) ? EB_OK : EB_ELIMIT;
  }
  ThermalResult_free(&r);
  Grid_destroy(g);
  return rc;
}

/* Progress and table while a sweep runs. */
typedef struct {
  SweepWriter *w;
  FILE *table; /* console rows, NULL in a worker */
  int progress;
  int failed;
  char err[EB_ERRLEN];
  int write_failed;
} SweepUser;

static int sweep_point(size_t index, size_t total, const int *idx, SweepPoint *pt, const Grid *g,
                       void *user) {
  SweepUser *u = user;
  if (u->progress) fprintf(stderr, "\r\033[K");
  if (SweepWriter_add(u->w, index, idx, pt, g, u->table, u->err, sizeof u->err) != EB_OK) {
    u->write_failed = 1;
    return 1;
  }
  if (pt->status != EB_OK) u->failed++;
  if (u->progress) {
    int width = 30, done = (int)((index + 1) * width / total);
    fprintf(stderr, "[%.*s%*s] %zu/%zu", done, "==============================", width - done, "",
            index + 1, total);
    fflush(stderr);
  }
  return 0;
}

/* Worker processes for a sweep: --jobs, else one per core, never more than
 * points; a worker itself runs alone. */
static int sweep_jobs(const Args *a, size_t total) {
  if (a->worker_n) return 1;
  long n = a->jobs ? a->jobs : sysconf(_SC_NPROCESSORS_ONLN);
  if (n < 1) n = 1;
  if (n > 64) n = 64;
  if ((size_t)n > total) n = (long)total;
  return (int)n;
}

/* Run the sweep as `jobs` ebsim processes (each its own MPI singleton and
 * solver, warm-starting along its share of the points), then merge their
 * files in point order. Processes rather than threads: hypre and MPI state
 * are per process. */
static int sweep_parallel(const Args *a, int jobs, const char *dir, SweepWriter *w, int progress,
                          char *err, size_t err_size) {
  char exe[4096];
  ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (len <= 0) {
    snprintf(err, err_size, "sweep: cannot find the ebsim executable for the workers");
    return EB_EFAIL;
  }
  exe[len] = '\0';
  char parts[64][700], share[64][32];
  const char *part_ptr[64];
  pid_t pid[64];
  int rc = EB_OK, started = 0;
  for (int k = 0; k < jobs && rc == EB_OK; k++) {
    snprintf(parts[k], sizeof parts[k], "%.600s/.worker-%d", dir, k + 1);
    part_ptr[k] = parts[k];
    snprintf(share[k], sizeof share[k], "%d/%d", k, jobs);
    const char **argv = calloc((size_t)(2 * a->n_sets + 2 * a->n_params + 12), sizeof *argv);
    if (!argv) return EB_EFAIL;
    int n = 0;
    argv[n++] = exe;
    argv[n++] = "sweep";
    argv[n++] = a->case_path;
    for (int i = 0; i < a->n_sets; i++) {
      argv[n++] = "--set";
      argv[n++] = a->sets[i];
    }
    for (int i = 0; i < a->n_params; i++) {
      argv[n++] = "--param";
      argv[n++] = a->params[i];
    }
    argv[n++] = "--worker";
    argv[n++] = share[k];
    argv[n++] = "--out";
    argv[n++] = parts[k];
    argv[n++] = "--quiet";
    argv[n++] = "--no-figures";
    argv[n] = NULL;
    if (posix_spawn(&pid[k], exe, NULL, NULL, (char *const *)argv, environ) != 0) {
      snprintf(err, err_size, "sweep: cannot start worker %d", k + 1);
      rc = EB_EFAIL;
    } else {
      started++;
    }
    free(argv);
  }
  /* progress on a terminal: the rows the workers have written so far */
  int running = started;
  int done_flag[64] = {0};
  int status[64] = {0};
  while (running > 0) {
    for (int k = 0; k < started; k++)
      if (!done_flag[k] && waitpid(pid[k], &status[k], WNOHANG) == pid[k]) {
        done_flag[k] = 1;
        running--;
      }
    if (progress && running > 0) {
      size_t rows = 0, total = w ? SweepWriter_points(w) : 0;
      for (int k = 0; k < started; k++) {
        char p[760], line[256];
        snprintf(p, sizeof p, "%.699s/sweep.csv.tmp", parts[k]);
        FILE *f = fopen(p, "r");
        while (f && fgets(line, sizeof line, f))
          if (strchr(line, '\n') && line[0] >= '1' && line[0] <= '9') rows++;
        if (f) fclose(f);
      }
      int width = 30, bar = total ? (int)(rows * width / total) : 0;
      fprintf(stderr, "\r\033[K[%.*s%*s] %zu/%zu on %d workers", bar,
              "==============================", width - bar, "", rows, total, started);
      fflush(stderr);
    }
    if (running > 0) nanosleep(&(struct timespec){.tv_sec = 0, .tv_nsec = 200000000}, NULL);
  }
  if (progress) fprintf(stderr, "\r\033[K");
  for (int k = 0; k < started; k++) {
    int st = status[k];
    /* exit 1: some of its points failed, they are in its rows */
    if (rc == EB_OK && (!WIFEXITED(st) || (WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != 1))) {
      snprintf(err, err_size, "sweep: worker %d stopped (status %d)", k + 1,
               WIFEXITED(st) ? WEXITSTATUS(st) : -1);
      rc = EB_EFAIL;
    }
  }
  if (rc == EB_OK) rc = SweepWriter_merge(w, part_ptr, started, stdout, err, err_size);
  for (int k = 0; k < started; k++) { /* the workers' files are merged: remove them */
    const char *files[] = {"sweep.csv", "sweep.h5"};
    for (int f = 0; f < 2; f++) {
      char p[760];
      snprintf(p, sizeof p, "%.699s/%s", parts[k], files[f]);
      unlink(p);
    }
    rmdir(parts[k]);
  }
  return rc;
}

static int cmd_sweep(const Args *a) {
  static SweepParam params[SWEEP_MAX_PARAMS];
  char err[EB_ERRLEN];
  static Case base;
  Args from_case;
  if (a->n_params == 0) {
    /* no --param: the case's own `sweep` list */
    int rc0 = Case_read(a->case_path, a->n_sets, a->sets, &base, err, sizeof err);
    if (rc0 != EB_OK) {
      fprintf(stderr, "ebsim: %s\n", err);
      return rc0;
    }
    if (base.n_sweep == 0) {
      fprintf(stderr, "ebsim: sweep needs --param KEY=LIST|START:STOP:STEP or a `sweep:` list "
                      "in the case\n");
      return EB_EINPUT;
    }
    static const char *case_params[CASE_MAX_SWEEP];
    for (int i = 0; i < base.n_sweep; i++) case_params[i] = base.sweep[i];
    from_case = *a;
    from_case.params = case_params;
    from_case.n_params = base.n_sweep;
    a = &from_case;
  }
  if (a->n_params > SWEEP_MAX_PARAMS) {
    fprintf(stderr, "ebsim: at most %d --param\n", SWEEP_MAX_PARAMS);
    return EB_EINPUT;
  }
  for (int i = 0; i < a->n_params; i++)
    if (Sweep_parse_param(a->params[i], &params[i], err, sizeof err) != EB_OK) {
      fprintf(stderr, "ebsim: %s\n", err);
      return EB_EINPUT;
    }
  /* validate the base case and every parameter value before writing anything */
  static Case c;
  int rc = Case_read(a->case_path, a->n_sets, a->sets, &c, err, sizeof err);
  const char **sets = calloc((size_t)a->n_sets + 1, sizeof *sets);
  if (!sets) return EB_EFAIL;
  for (int k = 0; k < a->n_sets; k++) sets[k] = a->sets[k];
  for (int i = 0; i < a->n_params && rc == EB_OK; i++)
    for (int v = 0; v < params[i].n && rc == EB_OK; v++) {
      char one[sizeof params[0].key + SWEEP_VALUE_LEN + 2];
      snprintf(one, sizeof one, "%.127s=%.63s", params[i].key, params[i].values[v]);
      sets[a->n_sets] = one;
      static Case probe;
      rc = Case_read(a->case_path, a->n_sets + 1, sets, &probe, err, sizeof err);
    }
  free(sets);
  if (rc != EB_OK) {
    fprintf(stderr, "ebsim: %s\n", err);
    return rc;
  }
  char dir_buf[600];
  const char *dir = out_dir(a, &c, "-sweep", dir_buf, sizeof dir_buf);
  size_t total = Sweep_points(params, a->n_params);
  int jobs = sweep_jobs(a, total);
  SweepUser u = {.progress = !a->quiet && isatty(fileno(stderr)) && jobs == 1};
  rc = SweepWriter_create(dir, params, a->n_params, total, &u.w, err, sizeof err);
  if (rc != EB_OK) {
    fprintf(stderr, "ebsim: %s\n", err);
    return rc;
  }
  if (!a->worker_n)
    printf("ebsim %s  sweep of %s: %zu points%s\n", EBSIM_VERSION, c.name, total,
           jobs > 1 ? " on parallel workers" : "");
  ThermalOptions opt = {.verbose = 0};
  if (jobs > 1) {
    rc = sweep_parallel(a, jobs, dir, u.w, !a->quiet && isatty(fileno(stderr)), err, sizeof err);
  } else if (Runtime_init(NULL, NULL) != EB_OK) { /* the parallel path skipped it */
    snprintf(err, sizeof err, "could not initialise MPI/hypre");
    rc = EB_EFAIL;
  } else {
    u.table = a->worker_n ? NULL : stdout;
    rc = Sweep_run_share(a->case_path, a->n_sets, a->sets, params, a->n_params, &opt,
                         a->worker_n ? a->worker_k : 0, a->worker_n ? a->worker_n : 1,
                         sweep_point, &u, err, sizeof err);
  }
  if (u.progress) fprintf(stderr, "\r\033[K");
  if (rc == EB_OK && u.write_failed) {
    snprintf(err, sizeof err, "%s", u.err);
    rc = EB_EFAIL;
  }
  if (rc == EB_OK) rc = SweepWriter_finish(u.w, a->figures, err, sizeof err);
  if (jobs > 1) u.failed = SweepWriter_failed(u.w);
  SweepWriter_destroy(u.w);
  if (rc != EB_OK) {
    fprintf(stderr, "ebsim: %s\n", err);
    return rc;
  }
  if (!a->worker_n)
    printf("  Output  %s/ (sweep.csv, sweep.h5%s%s)\n", dir, a->figures ? ", sweep." : "",
           a->figures ? Output_figure_ext(a->figures) : "");
  if (u.failed) {
    printf("  %d of %zu points failed: see their rows\n", u.failed, total);
    return EB_EFAIL;
  }
  return EB_OK;
}

static void limits_progress(int eval, double value, double margin, void *user) {
  const char *key = user;
  fprintf(stderr, "\r\033[K  solve %2d: %s = %.6g, smallest limit margin %+.4f", eval, key, value,
          margin);
  fflush(stderr);
}

static int cmd_limits(const Args *a) {
  char err[EB_ERRLEN];
  if (!a->find || a->find_max == a->find_min) {
    fprintf(stderr, "ebsim: limits needs --find KEY and one of --max or --min (see ebsim limits "
                    "--help)\n");
    return EB_EINPUT;
  }
  int progress = !a->quiet && isatty(fileno(stderr));
  LimitSearchOptions o = {.key = a->find, .maximize = a->find_max, .tol = a->tol, .max_evals = 60};
  ThermalOptions topt = {0};
  static LimitSearchResult res;
  int rc = Limit_search(a->case_path, a->n_sets, a->sets, &o, &topt,
                        progress ? limits_progress : NULL, (void *)a->find, &res, err, sizeof err);
  if (progress) fprintf(stderr, "\r\033[K");
  if (rc != EB_OK) {
    fprintf(stderr, "ebsim: %s\n", err);
    return rc; /* EB_ELIMIT (3) when no value keeps the limits */
  }
  if (isnan(res.value)) {
    fprintf(stderr, "ebsim: no value of %s near the case's keeps every limit\n", a->find);
    return EB_EFAIL;
  }
  printf("ebsim %s  limits of %s: %s %s = %.6g", EBSIM_VERSION, res.c.name,
         a->find_max ? "largest" : "smallest", a->find, res.value);
  if (res.found)
    printf(" (a limit breaks at %.6g; %d solves)\n", res.infeasible, res.evals);
  else
    printf(" (no limit binds up to the end of the key's valid range; %d solves)\n", res.evals);
  if (res.found) printf("  Binding limit      %s\n", res.binding);
  printf("  Margins at %.6g\n", res.value);
  for (int i = 0; i < res.n_limits; i++)
    printf("    %-24s %8.2f vs %8.2f %-3s margin %+.2f %s\n", res.limits[i].name,
           res.limits[i].value, res.limits[i].limit, res.limits[i].unit,
           res.limits[i].limit - res.limits[i].value, res.limits[i].unit);

  /* the usual run output at the value, plus the search in summary.json */
  char dir_buf[600], set_buf[300];
  const char *dir = out_dir(a, &res.c, "-limits", dir_buf, sizeof dir_buf);
  Args run = *a;
  const char **sets = calloc((size_t)a->n_sets + 1, sizeof *sets);
  if (!sets) return EB_EFAIL;
  for (int i = 0; i < a->n_sets; i++) sets[i] = a->sets[i];
  snprintf(set_buf, sizeof set_buf, "%s=%.12g", a->find, res.value);
  sets[a->n_sets] = set_buf;
  run.sets = sets;
  run.n_sets = a->n_sets + 1;
  run.out_dir = dir;
  run.quiet = 1;
  rc = cmd_run(&run, NULL); /* its report would repeat the above */
  free(sets);
  if (rc != EB_OK && rc != EB_ELIMIT) return rc;
  char path[700];
  snprintf(path, sizeof path, "%s/summary.json", dir);
  json_error_t je;
  json_t *j = Runtime_rank() == 0 ? json_load_file(path, JSON_PRESERVE_ORDER, &je) : NULL;
  if (j) {
    json_object_set_new(j, "find", json_pack("{s:s, s:s}", "key", a->find, "direction",
                                             a->find_max ? "max" : "min"));
    json_object_set_new(j, "value", json_real(res.value));
    json_object_set_new(j, "binding_limit", res.found ? json_string(res.binding) : json_null());
    json_t *m = json_object();
    for (int i = 0; i < res.n_limits; i++)
      json_object_set_new(m, res.limits[i].name,
                          json_real(res.limits[i].limit - res.limits[i].value));
    json_object_set_new(j, "margins", m);
    json_object_set_new(j, "solves", json_integer(res.evals));
    json_dump_file(j, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(j);
  }
  printf("  Output             %s/ (run at %s = %.6g; summary.json has the search)\n", dir,
         a->find, res.value);
  return EB_OK;
}

/* A comma-separated list of positive numbers into v (at most cap). */
static int number_list(const char *text, const char *what, double *v, int cap, int *n) {
  *n = 0;
  for (const char *s = text; *s;) {
    char *end;
    double x = strtod(s, &end);
    if (end == s || !(x > 0) || !isfinite(x) || (*end && *end != ',') || *n == cap) {
      fprintf(stderr, "ebsim: %s: expected up to %d positive numbers like 25,30,35, got '%s'\n",
              what, cap, text);
      return EB_EINPUT;
    }
    v[(*n)++] = x;
    s = *end ? end + 1 : end;
  }
  return *n ? EB_OK : EB_EINPUT;
}

static int cmd_envelope(const Args *a) {
  enum { MAXP = 16, MAXF = 16 };
  double powers[MAXP], per_kw[MAXF] = {0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0};
  int np = 0, nf = 7;
  if (!a->power_kw) {
    fprintf(stderr, "ebsim: envelope needs --power-kw LIST (e.g. 25,30,35,40)\n");
    return EB_EINPUT;
  }
  if (number_list(a->power_kw, "--power-kw", powers, MAXP, &np) != EB_OK) return EB_EINPUT;
  if (a->flow_per_kw && number_list(a->flow_per_kw, "--flow-per-kw", per_kw, MAXF, &nf) != EB_OK)
    return EB_EINPUT;
  char err[EB_ERRLEN];
  static Case c;
  int rc = Case_read(a->case_path, a->n_sets, a->sets, &c, err, sizeof err);
  if (rc != EB_OK) {
    fprintf(stderr, "ebsim: %s\n", err);
    return rc;
  }
  static EnvelopePoint pts[MAXP * MAXF];
  EnvelopeTable t = {.n = np * nf, .pts = pts, .ref_lpm_per_kw = 1.5, .ref_inlet_c = 45.0};
  t.case_lpm_per_kw = c.flow_m3_s * 60000.0 / (c.power_w * 1e-3);
  t.case_inlet_c = c.inlet_t_k - 273.15;
  snprintf(t.case_label, sizeof t.case_label, "%s: %.0f kW, %.0f L/min, %.0f C", c.name,
           c.power_w * 1e-3, c.flow_m3_s * 60000.0, t.case_inlet_c);
  printf("ebsim %s  envelope of %s: warmest inlet for every limit\n", EBSIM_VERSION, c.name);
  printf("  %8s %10s %10s %12s  %s\n", "power_kw", "flow_lpm", "lpm_per_kw", "inlet_max_c",
         "binding limit");
  const char **sets = calloc((size_t)a->n_sets + 2, sizeof *sets);
  if (!sets) return EB_EFAIL;
  for (int i = 0; i < a->n_sets; i++) sets[i] = a->sets[i];
  char sp[64], sf[64];
  int progress = !a->quiet && isatty(fileno(stderr));
  for (int i = 0; i < np; i++)
    for (int j = 0; j < nf; j++) {
      EnvelopePoint *p = &pts[i * nf + j];
      p->power_kw = powers[i];
      p->flow_lpm = powers[i] * per_kw[j];
      snprintf(sp, sizeof sp, "power.total_kw=%.12g", p->power_kw);
      snprintf(sf, sizeof sf, "coolant.flow_lpm=%.12g", p->flow_lpm);
      sets[a->n_sets] = sp;
      sets[a->n_sets + 1] = sf;
      LimitSearchOptions o = {.key = "coolant.inlet_c", .maximize = 1, .tol = 0.01,
                              .max_evals = 40};
      ThermalOptions topt = {0};
      static LimitSearchResult res;
      if (progress)
        fprintf(stderr, "\r\033[K  %d/%d: %.6g kW, %.6g L/min", i * nf + j + 1, np * nf,
                p->power_kw, p->flow_lpm);
      int r2 = Limit_search(a->case_path, a->n_sets + 2, sets, &o, &topt, NULL, NULL, &res, err,
                            sizeof err);
      if (progress) fprintf(stderr, "\r\033[K");
      p->inlet_max_c = r2 == EB_OK ? res.value : NAN;
      p->found = r2 == EB_OK && res.found;
      snprintf(p->binding, sizeof p->binding, "%s", p->found ? res.binding : "-");
      if (r2 != EB_OK) snprintf(p->note, sizeof p->note, "%.250s", err);
      if (isfinite(p->inlet_max_c))
        printf("  %8.6g %10.6g %10.3g %12.2f  %s\n", p->power_kw, p->flow_lpm, per_kw[j],
               p->inlet_max_c, p->found ? p->binding : "none up to the fluid's range end");
      else
        printf("  %8.6g %10.6g %10.3g %12s  %s\n", p->power_kw, p->flow_lpm, per_kw[j], "-",
               p->note);
      fflush(stdout);
    }
  free(sets);
  /* the least flow per inlet temperature: the same curves read the other way
   * (max inlet rises with flow), interpolated between searched points */
  static const double inlets[] = {21.0, 25.0, 30.0, 35.0, 40.0, 45.0};
  const int ni = (int)(sizeof inlets / sizeof inlets[0]);
  static EnvelopeMinFlow mins[MAXP * 6];
  t.min_flow = mins;
  t.n_min = np * ni;
  printf("  least flow per inlet temperature (interpolated along each power's curve)\n");
  printf("  %8s %9s %10s %10s\n", "power_kw", "inlet_c", "flow_lpm", "lpm_per_kw");
  for (int i = 0; i < np; i++)
    for (int k = 0; k < ni; k++) {
      EnvelopeMinFlow *m = &mins[i * ni + k];
      m->power_kw = powers[i];
      m->inlet_c = inlets[k];
      m->flow_lpm = NAN;
      for (int j = 0; j + 1 < nf; j++) {
        const EnvelopePoint *p0 = &pts[i * nf + j], *p1 = &pts[i * nf + j + 1];
        double t0 = p0->inlet_max_c, t1 = p1->inlet_max_c;
        if (!isfinite(t0) || !isfinite(t1) || t1 == t0) continue;
        if ((inlets[k] - t0) * (inlets[k] - t1) <= 0.0) {
          /* the coolant rise goes as 1/flow: interpolate in 1/flow */
          double w01 = (inlets[k] - t0) / (t1 - t0);
          m->flow_lpm = 1.0 / (1.0 / p0->flow_lpm + w01 * (1.0 / p1->flow_lpm - 1.0 / p0->flow_lpm));
          break;
        }
      }
      if (isfinite(m->flow_lpm))
        printf("  %8.6g %9.1f %10.1f %10.2f\n", m->power_kw, m->inlet_c, m->flow_lpm,
               m->flow_lpm / m->power_kw);
      else
        printf("  %8.6g %9.1f %10s %10s  (outside the flows searched)\n", m->power_kw,
               m->inlet_c, "-", "-");
    }
  char dir_buf[600];
  const char *dir = out_dir(a, &c, "-envelope", dir_buf, sizeof dir_buf);
  if (Runtime_rank() == 0) rc = Output_write_envelope(&t, dir, a->figures, err, sizeof err);
  Runtime_bcast_int(&rc);
  if (rc != EB_OK) {
    fprintf(stderr, "ebsim: %s\n", err);
    return rc;
  }
  printf("  Output  %s/ (envelope.csv, envelope_min_flow.csv%s%s)\n", dir,
         a->figures ? ", envelope." : "", a->figures ? Output_figure_ext(a->figures) : "");
  return EB_OK;
}

/* ebsim plot: the run figures again, from result.h5, in any format. */
static int cmd_plot(const Args *a) {
  char h5[1100], dir[1100], err[EB_ERRLEN];
  struct stat sb;
  if (a->figures == FIGURES_NONE) {
    fprintf(stderr, "ebsim: plot needs a figure format: --figures png, pdf or svg\n");
    return EB_EINPUT;
  }
  if (a->n_sets > 0) {
    fprintf(stderr, "ebsim: plot draws what a run computed; --set needs a new `ebsim run`\n");
    return EB_EINPUT;
  }
  if (stat(a->case_path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
    snprintf(dir, sizeof dir, "%s", a->case_path);
    snprintf(h5, sizeof h5, "%s/result.h5", a->case_path);
  } else {
    snprintf(h5, sizeof h5, "%s", a->case_path);
    snprintf(dir, sizeof dir, "%s", a->case_path);
    char *slash = strrchr(dir, '/');
    if (slash)
      *slash = '\0';
    else
      snprintf(dir, sizeof dir, ".");
  }
  if (stat(h5, &sb) != 0) {
    fprintf(stderr, "ebsim: %s: no such file; give a run's output directory (with result.h5)\n",
            h5);
    return EB_EINPUT;
  }
  static Case c;
  Grid *g = NULL;
  ThermalResult r;
  int rc = Output_read_result(h5, &c, &g, &r, err, sizeof err);
  if (rc != EB_OK) {
    fprintf(stderr, "ebsim: %s\n", err);
    return rc;
  }
  const char *out = a->out_dir ? a->out_dir : dir;
  rc = Output_mkdir_p(out, err, sizeof err);
  if (rc == EB_OK) rc = Output_write_figures(&c, g, &r, out, a->figures, err, sizeof err);
  if (rc == EB_OK) rc = Output_write_loop_figures(&c, &r, out, a->figures, err, sizeof err);
  ThermalResult_free(&r);
  Grid_destroy(g);
  if (rc != EB_OK) {
    fprintf(stderr, "ebsim: %s\n", err);
    return rc;
  }
  const char *ext = Output_figure_ext(a->figures);
  printf("  Output  %s/ (wafer_temperature.%s, heat_flux.%s, coolant_temperature.%s, "
         "coolant_path.%s, pump_curve.%s)\n",
         out, ext, ext, ext, ext, ext);
  return EB_OK;
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
  int is_sweep = !strcmp(cmd, "sweep"), is_limits = !strcmp(cmd, "limits");
  int is_envelope = !strcmp(cmd, "envelope"), is_plot = !strcmp(cmd, "plot");
  if (!is_run && !is_check && !is_sweep && !is_limits && !is_envelope && !is_plot) {
    fprintf(stderr,
            "ebsim: unknown command '%s'; commands are: run, check, sweep, limits, envelope, "
            "plot (see ebsim --help)\n",
            cmd);
    return EB_EINPUT;
  }
  Args a = {.figures = FIGURES_PNG};
  int rc = parse_args(argc - 2, argv + 2,
                      is_sweep      ? 2
                      : is_limits   ? 3
                      : is_envelope ? 4
                      : is_plot     ? 5
                                    : is_run,
                      &a);
  if (rc == EB_OK && a.help) {
    fputs(is_run        ? usage_run
          : is_sweep    ? usage_sweep
          : is_limits   ? usage_limits
          : is_envelope ? usage_envelope
          : is_plot     ? usage_plot
                        : usage_check,
          stdout);
  } else if (rc == EB_OK && (is_check || is_plot) && getenv("OMPI_COMM_WORLD_RANK") &&
             atoi(getenv("OMPI_COMM_WORLD_RANK")) > 0) {
    rc = EB_OK; /* under mpirun: these do not split; rank 0 alone does the work */
  } else if (rc == EB_OK && is_check) {
    rc = cmd_check(&a);
  } else if (rc == EB_OK && is_plot) {
    rc = cmd_plot(&a); /* reads and draws; no solver, no MPI */
  } else if (rc == EB_OK && is_sweep && getenv("OMPI_COMM_WORLD_SIZE") &&
             atoi(getenv("OMPI_COMM_WORLD_SIZE")) > 1) {
    /* started by mpirun -n N (Open MPI's environment): the ranks would all
     * run the same sweep into the same files */
    const char *rank = getenv("OMPI_COMM_WORLD_RANK");
    if (!rank || atoi(rank) == 0)
      fprintf(stderr, "ebsim: sweep runs its points on worker processes (--jobs N); run it "
                      "without mpirun (mpirun -n N is for run, limits and envelope)\n");
    rc = EB_EINPUT;
  } else if (rc == EB_OK && is_sweep && !a.worker_n && a.jobs != 1 &&
             sysconf(_SC_NPROCESSORS_ONLN) > 1) {
    rc = cmd_sweep(&a); /* parallel: the workers start MPI, this process only if it runs alone */
    Runtime_finalize();
  } else if (rc == EB_OK) {
    if (Runtime_init(&argc, &argv) != EB_OK) {
      fprintf(stderr, "ebsim: could not initialise MPI/hypre\n");
      rc = EB_EFAIL;
    } else if (Runtime_size() != 1 && is_sweep) {
      if (Runtime_rank() == 0)
        fprintf(stderr, "ebsim: sweep runs its points on worker processes (--jobs N); run it "
                        "without mpirun (mpirun -n N is for run, limits and envelope)\n");
      rc = EB_EINPUT;
    } else {
      /* Under mpirun every rank computes the same answer; rank 0 speaks
       * (if /dev/null cannot be opened the others merely repeat it). */
      if (Runtime_rank() != 0) {
        FILE *quiet_out = freopen("/dev/null", "w", stdout);
        FILE *quiet_err = freopen("/dev/null", "w", stderr);
        (void)quiet_out;
        (void)quiet_err;
      }
      rc = is_sweep      ? cmd_sweep(&a)
           : is_limits   ? cmd_limits(&a)
           : is_envelope ? cmd_envelope(&a)
                         : cmd_run(&a, stdout);
    }
    Runtime_finalize();
  }
  free(a.sets);
  free(a.params);
  return rc;
}

/* test_cli.c - the ebsim binary end to end: exit codes, messages, files.
 * The binary is $EBSIM_BIN (set by `make test`), else ./ebsim. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *bin(void) {
  const char *b = getenv("EBSIM_BIN");
  return b && *b ? b : "./ebsim";
}

/* Run "LAUNCHER ebsim ARGS", capture stdout+stderr into out; return the
 * exit code (-1 if it did not exit). */
static int run_with(const char *launcher, const char *args, char *out, size_t out_size) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "%s%s %s 2>&1", launcher, bin(), args);
  FILE *p = popen(cmd, "r");
  cr_assert(p, "cannot run %s", cmd);
  size_t n = fread(out, 1, out_size - 1, p);
  out[n] = '\0';
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int run(const char *args, char *out, size_t out_size) {
  return run_with("", args, out, out_size);
}

/* The same under mpirun -n N (root allowed, more ranks than cores allowed).
 * Ranks that disagree can wait on each other for ever: after 300 s the run
 * is killed and the test fails (exit 124) instead of hanging the suite. */
static const char *mpi_launcher(int n, char *buf, size_t size) {
  snprintf(buf, size,
           "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 timeout -k 10 300 mpirun "
           "--oversubscribe -n %d ",
           n);
  return buf;
}

static int run_mpi(int n, const char *args, char *out, size_t out_size) {
  char launcher[200];
  return run_with(mpi_launcher(n, launcher, sizeof launcher), args, out, out_size);
}

static int exists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0;
}

static char tmp_root[256];
static void mk_tmp(void) {
  snprintf(tmp_root, sizeof tmp_root, "/tmp/ebsim-cli-XXXXXX");
  cr_assert(mkdtemp(tmp_root));
}
static void rm_tmp(void) {
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
  cr_assert_eq(system(cmd), 0);
}
TestSuite(cli, .init = mk_tmp, .fini = rm_tmp, .timeout = 120);

static char out[1 << 16];

/* One command twice, "LAUNCH_A ebsim WHAT --out TMP/DIR_A" and likewise B
 * (a launcher is "" or ends in a space); both must exit 0. sum_a and sum_b
 * (600 bytes each) get the two summary.json paths. */
static void run_pair(const char *what, const char *launch_a, const char *dir_a,
                     const char *launch_b, const char *dir_b, char *sum_a, char *sum_b) {
  const char *launch[2] = {launch_a, launch_b}, *dir[2] = {dir_a, dir_b};
  char *sum[2] = {sum_a, sum_b};
  for (int r = 0; r < 2; r++) {
    char args[1024];
    snprintf(args, sizeof args, "%s --out %s/%s", what, tmp_root, dir[r]);
    const int rc = run_with(launch[r], args, out, sizeof out);
    cr_assert_eq(rc, 0, "%sebsim %s: exit %d: %s", launch[r], args, rc, out);
    snprintf(sum[r], 600, "%s/%s/summary.json", tmp_root, dir[r]);
  }
}

Test(cli, version_and_help) {
  cr_assert_eq(run("--version", out, sizeof out), 0);
  cr_assert(strstr(out, "ebsim "), "%s", out);
  cr_assert_eq(run("--help", out, sizeof out), 0);
  cr_assert(strstr(out, "usage:") && strstr(out, "run CASE"), "%s", out);
  /* every command in the list, with what a user sets in the environment */
  const char *cmds[] = {"run CASE", "check CASE", "sweep CASE", "map CASE", "limits CASE",
                        "envelope CASE", "transient CASE", "diff A B", "plot DIR", "report DIR",
                        "outputs", "EBSIM_HUGE_PAGES=0", "EBSIM_PREFAULT=0"};
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
    cr_expect(strstr(out, cmds[i]), "--help does not name %s", cmds[i]);
  cr_assert_eq(run("run --help", out, sizeof out), 0);
  cr_assert(strstr(out, "--set KEY=VALUE") && strstr(out, "--out DIR"), "%s", out);
  cr_assert_eq(run("check --help", out, sizeof out), 0);
}

Test(cli, usage_errors_exit_2) {
  cr_assert_eq(run("", out, sizeof out), 2);
  cr_assert_eq(run("frobnicate cases/cs3.yaml", out, sizeof out), 2);
  cr_assert(strstr(out, "unknown command"), "%s", out);
  cr_assert_eq(run("run", out, sizeof out), 2);
  cr_assert(strstr(out, "missing CASE"), "%s", out);
  cr_assert_eq(run("run cases/cs3.yaml --bogus", out, sizeof out), 2);
  cr_assert_eq(run("run cases/does-not-exist.yaml", out, sizeof out), 2);
  cr_assert(strstr(out, "does-not-exist.yaml"), "%s", out);
}

/* Every fixture tests/cases/bad_*.yaml names the line its error must point
 * at ("# expect: line N"); the run must exit 2 with "file:N:" in the
 * message and must not create the output directory. */
Test(cli, bad_case_files_exit_2_with_line_and_no_output) {
  DIR *d = opendir("tests/cases");
  cr_assert(d, "run the tests from the repository root");
  struct dirent *e;
  int n = 0;
  while ((e = readdir(d))) {
    if (strncmp(e->d_name, "bad_", 4) || !strstr(e->d_name, ".yaml")) continue;
    char path[512], args[2048], want[1024], line[256];
    snprintf(path, sizeof path, "tests/cases/%s", e->d_name);
    FILE *f = fopen(path, "r");
    cr_assert(f);
    int expect_line = -1;
    while (fgets(line, sizeof line, f))
      if (sscanf(line, "# expect: line %d", &expect_line) == 1) break;
    fclose(f);
    cr_assert(expect_line > 0, "%s has no '# expect: line N' comment", path);
    snprintf(args, sizeof args, "run %s --out %s/%s --no-figures", path, tmp_root, e->d_name);
    int rc = run(args, out, sizeof out);
    cr_expect_eq(rc, 2, "%s: exit %d, output: %s", path, rc, out);
    snprintf(want, sizeof want, "%s:%d:", path, expect_line);
    cr_expect(strstr(out, want), "%s: message lacks '%s': %s", path, want, out);
    snprintf(want, sizeof want, "%s/%s", tmp_root, e->d_name);
    cr_expect(!exists(want), "%s: output directory was created", path);
    n++;
  }
  closedir(d);
  cr_assert(n >= 3, "only %d bad-case fixtures found", n);
}

Test(cli, bad_set_exits_2_and_names_the_override) {
  char args[1024], dir[400];
  snprintf(dir, sizeof dir, "%s/o", tmp_root);
  snprintf(args, sizeof args, "run cases/cs3.yaml --set coolant.flow_lmp=37.5 --out %s", dir);
  cr_assert_eq(run(args, out, sizeof out), 2, "%s", out);
  cr_assert(strstr(out, "flow_lpm"), "no did-you-mean: %s", out);
  cr_assert(!exists(dir));
  snprintf(args, sizeof args, "check cases/cs3.yaml --set coolant.inlet_c=hot");
  cr_assert_eq(run(args, out, sizeof out), 2, "%s", out);
  cr_assert(strstr(out, "inlet_c"), "%s", out);
}

Test(cli, check_shipped_case) {
  cr_assert_eq(run("check cases/cs3.yaml", out, sizeof out), 0, "%s", out);
  cr_assert(strstr(out, "valid"), "%s", out);
  cr_assert_eq(run("check cases/cs3.yaml --dump", out, sizeof out), 0, "%s", out);
  cr_assert(strstr(out, "flow_lpm"), "%s", out);
}

/* A coarse CS-3 run: exit 0, every file written, no temporary left; then
 * a junction limit below the answer: exit 3 and the report says BROKEN. */
Test(cli, run_writes_outputs_and_limit_exit_codes) {
  char args[1024], dir[400], path[600];
  snprintf(dir, sizeof dir, "%s/cs3", tmp_root);
  snprintf(args, sizeof args, "run cases/cs3.yaml --set grid.dx_mm=4 --out %s", dir);
  int rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  const char *files[] = {"result.h5",         "result.xdmf",     "summary.json",
                         "wafer_temperature.png", "heat_flux.png", "coolant_temperature.png",
                         "coolant_path.png",  "pump_curve.png", "dies.csv",
                         "die_voltage.png",   "bricks.png",      "power_flow.png"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    cr_expect(exists(path), "missing %s", path);
    snprintf(path, sizeof path, "%s/%s.tmp", dir, files[i]);
    cr_expect(!exists(path), "left behind %s", path);
  }
  snprintf(args, sizeof args,
           "run cases/cs3.yaml --set grid.dx_mm=4 --set limits.junction_max_c=40 --out %s "
           "--no-figures",
           dir);
  rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 3, "exit %d: %s", rc, out);
  cr_assert(strstr(out, "BROKEN"), "%s", out);
}

/* The question: with one PSU out, does the block still run, how hot
 * are the bricks, the lowest die voltage, where does every watt go. The
 * report answers each (the numbers themselves are pinned in
 * test_thermal.c); dies.csv has a header and the 84 dies. */
Test(cli, one_psu_out_is_answered) {
  char args[1024], dir[400], path[600];
  snprintf(dir, sizeof dir, "%s/n1", tmp_root);
  snprintf(args, sizeof args,
           "run cases/cs3.yaml --set grid.dx_mm=4 --set power_delivery.psu.failed=1 --out %s "
           "--no-figures",
           dir);
  int rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  const char *want[] = {"11 of 12 PSUs working", "Power path         wall ",
                        "PSUs (AC -> 50 V)",      "bricks (12 -> 0.85 V)",
                        "Bricks             hottest", "Die voltage        min 0.81",
                        "psu_load_max_kw",        "Verdict            every limit holds",
                        /* the uniform case's lowest voltage is a tie, said as one */
                        "in 14 dies within 0.01 mV: (1,1)-(1,7), (12,1)-(12,7)"};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
    cr_expect(strstr(out, want[i]), "no '%s' in:\n%s", want[i], out);
  snprintf(path, sizeof path, "%s/dies.csv", dir);
  FILE *f = fopen(path, "r");
  cr_assert(f, "missing %s", path);
  char line[4096];
  int lines = 0;
  cr_assert(fgets(line, sizeof line, f));
  cr_expect(strstr(line, "die_column,die_row") && strstr(line, "die_voltage_v (V)"), "%s", line);
  while (fgets(line, sizeof line, f)) lines++;
  fclose(f);
  cr_expect_eq(lines, 84);
}

/* cs4's own sweep (power 25-40 kW on the CS-3 power path) says which limit
 * binds first: the bricks' current, between 30 and 32.5 kW (84 x 450 A x
 * 0.81 V = 30.6 kW of dies); the clock search with the electrical die
 * model stops at the same limit. */
Test(cli, cs4_says_what_binds_first, .timeout = 120) {
  char args[1024], dir[400];
  snprintf(dir, sizeof dir, "%s/cs4", tmp_root);
  snprintf(args, sizeof args, "sweep cases/cs4.yaml --set grid.dx_mm=8 --jobs 1 --out %s "
           "--no-figures", dir);
  int rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  cr_expect(strstr(out, "First to break     brick_load_max, along power.total_kw between 30 "
                        "and 32.5 kW"), "%s", out);
  snprintf(args, sizeof args,
           "limits cases/cs4.yaml --set grid.dx_mm=8 --set power.die_model=electrical --set "
           "power.total_kw=25 --find power.clock --max --out %s/clock --no-figures", dir);
  rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  cr_expect(strstr(out, "largest power.clock = 1.2") && strstr(out, "Binding limit      brick_load_max"),
            "%s", out);
  /* with a fixed die power the clock cannot move: said, not searched */
  snprintf(args, sizeof args,
           "limits cases/cs4.yaml --set grid.dx_mm=8 --find power.clock --max --out %s/fixed "
           "--no-figures", dir);
  rc = run(args, out, sizeof out);
  cr_expect_eq(rc, 2, "exit %d: %s", rc, out);
  cr_expect(strstr(out, "cannot move") && strstr(out, "die_model: electrical"), "%s", out);
}

/* sweep: a row per point in sweep.csv, bad --param is bad input (nothing
 * written); limits: the search lands in summary.json. */
Test(cli, sweep_and_limits_commands) {
  char args[1024], dir[400], path[600];
  snprintf(dir, sizeof dir, "%s/sweep", tmp_root);
  snprintf(args, sizeof args,
           "sweep cases/cs3.yaml --set grid.dx_mm=4 --param power.total_kw=25,35 --out %s "
           "--no-figures",
           dir);
  int rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  snprintf(path, sizeof path, "%s/sweep.csv", dir);
  FILE *f = fopen(path, "r");
  cr_assert(f, "no %s", path);
  int lines = 0;
  char line[8192];
  while (fgets(line, sizeof line, f)) lines++;
  fclose(f);
  cr_assert_eq(lines, 3, "header + 2 points, got %d lines", lines);
  snprintf(path, sizeof path, "%s/sweep.h5", dir);
  cr_assert(exists(path));

  snprintf(dir, sizeof dir, "%s/badsweep", tmp_root);
  snprintf(args, sizeof args, "sweep cases/cs3.yaml --param power.total_kw=1:2:-1 --out %s", dir);
  cr_assert_eq(run(args, out, sizeof out), 2, "%s", out);
  cr_assert(!exists(dir));
  snprintf(args, sizeof args, "sweep cases/cs3.yaml --param coolant.inlet_c=20,500 --out %s", dir);
  cr_assert_eq(run(args, out, sizeof out), 2, "%s", out);
  cr_assert(strstr(out, "inlet_c"), "%s", out);
  cr_assert(!exists(dir));
  /* a key swept twice: its two values would clash in one point (was an
   * HDF5 error from the workers) */
  snprintf(args, sizeof args,
           "sweep cases/cs3.yaml --param power.total_kw=20,30 --param power.total_kw=25 --out %s",
           dir);
  cr_assert_eq(run(args, out, sizeof out), 2, "%s", out);
  cr_assert(strstr(out, "power.total_kw is swept twice"), "%s", out);
  cr_assert(!exists(dir));

  snprintf(dir, sizeof dir, "%s/limits", tmp_root);
  snprintf(args, sizeof args,
           "limits cases/cs3.yaml --set grid.dx_mm=4 --find coolant.inlet_c --max --out %s "
           "--no-figures",
           dir);
  rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  cr_assert(strstr(out, "Binding limit"), "%s", out);
  snprintf(path, sizeof path, "%s/summary.json", dir);
  f = fopen(path, "r");
  cr_assert(f);
  size_t n = fread(line, 1, sizeof line - 1, f);
  line[n] = '\0';
  fclose(f);
  cr_assert(strstr(line, "\"binding_limit\"") && strstr(line, "\"search_value\"") &&
                strstr(line, "\"margin\""),
            "%s", line);
  cr_assert_eq(run("limits cases/cs3.yaml --find coolant.inlet_c", out, sizeof out), 2, "%s", out);
}

/* Index of the header cell "name (unit)" of a CSV header line, -1. */
static int csv_column(const char *header, const char *cell) {
  int col = 0;
  size_t n = strlen(cell);
  for (const char *p = header; *p; col++) {
    if (!strncmp(p, cell, n) && (p[n] == ',' || p[n] == '\n' || !p[n])) return col;
    p = strchr(p, ',');
    if (!p) break;
    p++;
  }
  return -1;
}

/* Cell `col` of a CSV line (no quoted commas before it in these tests). */
static double csv_number(const char *line, int col) {
  const char *p = line;
  for (int c = 0; c < col && p; c++) p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
  return p ? strtod(p, NULL) : NAN;
}

/* t_max_c of every row of a sweep.csv, found by its header. */
static int read_tmax(const char *path, double *t, int cap) {
  FILE *f = fopen(path, "r");
  cr_assert(f, "no %s", path);
  char line[8192];
  int n = 0, col = -1;
  for (int first = 1; fgets(line, sizeof line, f); first = 0) {
    if (first) {
      col = csv_column(line, "t_max_c (C)");
      cr_assert(col > 0, "no t_max_c column: %s", line);
      continue;
    }
    if (n < cap) t[n++] = csv_number(line, col);
  }
  fclose(f);
  return n;
}

/* Parallel workers and a single process give the same table, in order. */
Test(cli, parallel_sweep_matches_serial) {
  char args[1024], d1[400], d2[400], p1[500], p2[500];
  snprintf(d1, sizeof d1, "%s/serial", tmp_root);
  snprintf(d2, sizeof d2, "%s/parallel", tmp_root);
  snprintf(args, sizeof args,
           "sweep cases/cs3.yaml --set grid.dx_mm=4 --param coolant.flow_lpm=60,80,100 --jobs 1 "
           "--out %s --no-figures",
           d1);
  cr_assert_eq(run(args, out, sizeof out), 0, "%s", out);
  snprintf(args, sizeof args,
           "sweep cases/cs3.yaml --set grid.dx_mm=4 --param coolant.flow_lpm=60,80,100 --jobs 2 "
           "--out %s --no-figures",
           d2);
  cr_assert_eq(run(args, out, sizeof out), 0, "%s", out);
  cr_assert(strstr(out, "parallel"), "%s", out);
  double a[8], b[8];
  snprintf(p1, sizeof p1, "%s/sweep.csv", d1);
  snprintf(p2, sizeof p2, "%s/sweep.csv", d2);
  int na = read_tmax(p1, a, 8), nb = read_tmax(p2, b, 8);
  cr_assert_eq(na, 3);
  cr_assert_eq(nb, 3);
  for (int i = 0; i < 3; i++)
    cr_assert_float_eq(a[i], b[i], 1e-3, "row %d: %.6f vs %.6f", i + 1, a[i], b[i]);
  cr_assert(a[0] > a[1] && a[1] > a[2], "less flow, hotter");
  snprintf(p2, sizeof p2, "%s/.worker-1", d2);
  cr_assert(!exists(p2), "worker files left behind");
}

/* One point on a multi-core machine runs in this process: MPI must start. */
Test(cli, single_point_sweep) {
  char args[1024], dir[400];
  snprintf(dir, sizeof dir, "%s/one", tmp_root);
  snprintf(args, sizeof args,
           "sweep cases/cs3.yaml --set grid.dx_mm=4 --param power.total_kw=30 --out %s "
           "--no-figures",
           dir);
  int rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  cr_assert(strstr(out, " 1                30 ") && strstr(out, "  ok"), "%s", out);
}

/* --figures pdf / svg: the same five figures as vector files (PDF and SVG
 * signatures at the start of each file), no PNG; a bad format is bad input. */
static void expect_signature(const char *path, const char *sig) {
  char head[64] = "";
  FILE *f = fopen(path, "rb");
  cr_assert(f, "missing %s", path);
  size_t n = fread(head, 1, sizeof head - 1, f);
  head[n] = '\0';
  fclose(f);
  cr_expect(strstr(head, sig), "%s does not start like a %s file: %.20s", path, sig, head);
}

Test(cli, vector_figure_formats) {
  const char *names[] = {"wafer_temperature", "heat_flux", "coolant_temperature", "coolant_path",
                         "pump_curve"};
  const char *fmts[][2] = {{"pdf", "%PDF"}, {"svg", "<svg"}};
  char args[1024], dir[400], path[600];
  for (int f = 0; f < 2; f++) {
    snprintf(dir, sizeof dir, "%s/%s", tmp_root, fmts[f][0]);
    snprintf(args, sizeof args, "run cases/cs3.yaml --set grid.dx_mm=8 --out %s --figures %s", dir,
             fmts[f][0]);
    int rc = run(args, out, sizeof out);
    cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
    cr_expect(strstr(out, fmts[f][0]), "the report names the format: %s", out);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
      snprintf(path, sizeof path, "%s/%s.%s", dir, names[i], fmts[f][0]);
      expect_signature(path, fmts[f][1]);
      snprintf(path, sizeof path, "%s/%s.png", dir, names[i]);
      cr_expect(!exists(path), "%s written with --figures %s", path, fmts[f][0]);
    }
  }
  int rc = run("run cases/cs3.yaml --figures jpg", out, sizeof out);
  cr_expect_eq(rc, 2, "exit %d: %s", rc, out);
  cr_expect(strstr(out, "png, pdf, svg or none"), "%s", out);
}

/* Byte-compare two files. */
static int same_file(const char *a, const char *b) {
  FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
  int same = fa && fb;
  while (same) {
    int ca = fgetc(fa), cb = fgetc(fb);
    same = ca == cb;
    if (ca == EOF || cb == EOF) break;
  }
  if (fa) fclose(fa);
  if (fb) fclose(fb);
  return same;
}

/* plot: the figures drawn again from result.h5 are the run's own, byte for
 * byte (the reader restores every value the figures use; the pump-driven
 * case exercises the operating points); SVG on request; bad inputs exit 2. */
Test(cli, plot_redraws_a_run_from_its_result) {
  const char *names[] = {"wafer_temperature", "heat_flux", "coolant_temperature", "coolant_path",
                         "pump_curve"};
  char args[1024], dir[400], again[400], a[600], b[600];
  snprintf(dir, sizeof dir, "%s/run", tmp_root);
  snprintf(again, sizeof again, "%s/again", tmp_root);
  snprintf(args, sizeof args,
           "run cases/cs3-hotspots.yaml --set grid.dx_mm=8 --set coolant.flow_source=pumps "
           "--set limits.velocity_max_m_s=5 --out %s",
           dir);
  int rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  snprintf(args, sizeof args, "plot %s --out %s", dir, again);
  rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(a, sizeof a, "%s/%s.png", dir, names[i]);
    snprintf(b, sizeof b, "%s/%s.png", again, names[i]);
    cr_expect(same_file(a, b), "%s differs from the run's", b);
  }
  snprintf(args, sizeof args, "plot %s/result.h5 --figures svg", dir);
  rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  snprintf(a, sizeof a, "%s/pump_curve.svg", dir);
  expect_signature(a, "<svg");

  snprintf(args, sizeof args, "plot %s/nothing-here", tmp_root);
  cr_expect_eq(run(args, out, sizeof out), 2, "%s", out);
  cr_expect(strstr(out, "result.h5"), "%s", out);
  cr_expect_eq(run("plot cases/cs3.yaml", out, sizeof out), 2, "%s", out);
  cr_expect(strstr(out, "cannot read cases/cs3.yaml"), "%s", out);
  snprintf(args, sizeof args, "plot %s --set power.total_kw=30", dir);
  cr_expect_eq(run(args, out, sizeof out), 2, "%s", out);
}

/* mpirun -n 4 (59 rows split unevenly: 14, 15, 15, 15): the same answer as
 * one rank. The operator and the iteration are identical; only the order of
 * the global sums in PCG (and of KINSOL's, whose vectors the ranks share)
 * differs, so 1e-9 relative on temperatures. Rank 0 alone prints: one
 * report. On 4 ranks result.h5's fields and maps are written by the ranks
 * together, each its own rows (parallel HDF5), so the h5diff below checks
 * that writer against the one-process file (a rank writing zeros fails it). */
static double json_number(const char *path, const char *key) {
  char text[1 << 15];
  FILE *f = fopen(path, "r");
  cr_assert(f, "missing %s", path);
  size_t n = fread(text, 1, sizeof text - 1, f);
  text[n] = '\0';
  fclose(f);
  char pat[96];
  snprintf(pat, sizeof pat, "\"%s\":", key);
  const char *p = strstr(text, pat);
  cr_assert(p, "%s has no %s", path, key);
  return strtod(p + strlen(pat), NULL);
}

/* Huge pages (resources.h): started without glibc's tunable, a solving
 * command starts itself again with it, and its memory is on 2 MiB pages;
 * EBSIM_HUGE_PAGES=0 keeps 4 KiB pages. The answer is the same to the
 * bit: only where memory lies changes. Runs where the kernel gives huge
 * pages on request, and not in the sanitizer build (its own allocator). */
Test(cli, solves_on_huge_pages) {
#if defined(__SANITIZE_ADDRESS__)
  cr_skip_test("AddressSanitizer's allocator does not take glibc's tunables");
#else
  FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
  char mode[128] = "";
  if (f) {
    if (!fgets(mode, sizeof mode, f)) mode[0] = '\0';
    fclose(f);
  }
  if (!strstr(mode, "[madvise]")) cr_skip_test("the kernel's huge pages are not 'madvise': %s", mode);
  char a[600], b[600];
  run_pair("run cases/cs3.yaml --set grid.dx_mm=4 --no-figures --quiet", "env -u GLIBC_TUNABLES ",
           "huge", "env -u GLIBC_TUNABLES EBSIM_HUGE_PAGES=0 ", "small", a, b);
  /* 19 MB of the 4 mm run's (measured) */
  cr_expect_gt(json_number(a, "huge_pages_mb"), 2.0);
  cr_expect_eq(json_number(b, "huge_pages_mb"), 0.0);
  const char *keys[] = {"t_max_c", "coolant_outlet_c", "heat_to_coolant_w", "brick_temp_max_c",
                        "wafer_stress_max_mpa"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    cr_expect_eq(json_number(a, keys[i]), json_number(b, keys[i]), "%s differs", keys[i]);
#endif
}

/* The prefault (resources.h) faults the heap in from a second thread while
 * the solver fills it: at 1 mm cells (0.77 M, 177 MB prefaulted) the
 * answers are bit-identical with it and without (EBSIM_PREFAULT=0). The
 * thread never writes into the heap; a thread that did would show here. */
Test(cli, prefault_changes_no_answer, .timeout = 120) {
  char a[600], b[600];
  run_pair("run cases/cs3.yaml --set grid.dx_mm=1 --no-figures --quiet", "", "prefault",
           "env EBSIM_PREFAULT=0 ", "no-prefault", a, b);
  const char *keys[] = {"t_max_c", "t_mean_wafer_c", "coolant_outlet_c", "heat_to_coolant_w",
                        "brick_temp_max_c", "die_voltage_min_v", "wafer_stress_max_mpa",
                        "linear_iterations", "mechanics_linear_iterations"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    cr_expect_eq(json_number(a, keys[i]), json_number(b, keys[i]), "%s differs", keys[i]);
}

/* The nested start under MPI (model.c): the coarse grid split by rows as
 * the fine one, its planes gathered one at a time. CS-3 at 1 mm cells
 * (0.77 M, started from 2 mm) on three ranks and on one: the same coarse
 * grids and the same answer to 1e-9. */
Test(cli, mpi_ranks_start_nested_alike, .timeout = 300) {
  char launcher[200], a[600], b[600];
  run_pair("run cases/cs3.yaml --set grid.dx_mm=1 --no-figures --quiet", "", "nested-one",
           mpi_launcher(3, launcher, sizeof launcher), "nested-three", a, b);
  cr_assert_eq(json_number(a, "nested_start_grids"), 1.0);
  cr_assert_eq(json_number(b, "nested_start_grids"), 1.0);
  const char *keys[] = {"t_max_c", "t_mean_wafer_c", "coolant_outlet_c", "heat_to_coolant_w",
                        "brick_temp_max_c", "nonlinear_iterations"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    double va = json_number(a, keys[i]), vb = json_number(b, keys[i]);
    cr_expect(fabs(va - vb) <= 1e-9 * fabs(va), "%s: one rank %.12g, three ranks %.12g", keys[i],
              va, vb);
  }
}

Test(cli, mpi_ranks_give_the_same_answer) {
  char args[1024], one[400], four[400], path[600];
  snprintf(one, sizeof one, "%s/one", tmp_root);
  snprintf(four, sizeof four, "%s/four", tmp_root);
  snprintf(args, sizeof args, "run cases/cs3-hotspots.yaml --set grid.dx_mm=4 --no-figures --out %s",
           one);
  int rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  snprintf(args, sizeof args, "run cases/cs3-hotspots.yaml --set grid.dx_mm=4 --no-figures --out %s",
           four);
  rc = run_mpi(4, args, out, sizeof out);
  cr_assert_eq(rc, 0, "mpirun: %s", out);
  const char *first = strstr(out, "Hottest junction");
  cr_expect(first && !strstr(first + 1, "Hottest junction"), "one report, from rank 0: %s", out);
  const char *keys[] = {"t_max_c", "t_mean_wafer_c", "coolant_outlet_c", "heat_to_coolant_w",
                        "heat_to_brick_plate_w", "pressure_drop_kpa"};
  char a[600], b[600];
  snprintf(a, sizeof a, "%s/summary.json", one);
  snprintf(b, sizeof b, "%s/summary.json", four);
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    double va = json_number(a, keys[i]), vb = json_number(b, keys[i]);
    cr_expect(fabs(va - vb) <= 1e-9 * fabs(va), "%s: one rank %.12g, four ranks %.12g", keys[i],
              va, vb);
  }
  snprintf(path, sizeof path, "%s/result.h5", four);
  cr_expect(exists(path));
  /* result.h5 itself: every dataset and attribute within 1e-9 relative
   * (h5diff, hdf5-tools), but the run's time and three solver figures whose
   * last digits follow the order of PCG's global sums (the energy balance's
   * 7e-8, the last update's 9e-5 K and the error estimated from it differ
   * in their 8th digit), and the memory on huge pages (each rank's own) */
  if (system("command -v h5diff >/dev/null 2>&1") == 0) {
    char cmd[1600];
    snprintf(cmd, sizeof cmd,
             "h5diff -r -p 1e-9 --exclude-path /summary/solve_seconds --exclude-path "
             "/summary/huge_pages_mb --exclude-path "
             "/summary/energy_balance_rel_error --exclude-path /summary/nonlinear_update_k "
             "--exclude-path /summary/nonlinear_error_k "
             "%s/result.h5 %s/result.h5 > %s/h5diff.log 2>&1",
             one, four, tmp_root);
    cr_expect_eq(system(cmd), 0, "result.h5 differs between one rank and four: see %s/h5diff.log",
                 tmp_root);
  }
  /* a limit search on 2 ranks: the same value, one report */
  snprintf(args, sizeof args,
           "limits cases/cs3.yaml --set grid.dx_mm=8 --find coolant.inlet_c --max --out %s/l1",
           tmp_root);
  rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  snprintf(args, sizeof args,
           "limits cases/cs3.yaml --set grid.dx_mm=8 --find coolant.inlet_c --max --out %s/l2",
           tmp_root);
  rc = run_mpi(2, args, out, sizeof out);
  cr_assert_eq(rc, 0, "mpirun limits: %s", out);
  first = strstr(out, "limits of");
  cr_expect(first && !strstr(first + 1, "limits of"), "one report, from rank 0: %s", out);
  snprintf(a, sizeof a, "%s/l1/summary.json", tmp_root);
  snprintf(b, sizeof b, "%s/l2/summary.json", tmp_root);
  double v1 = json_number(a, "search_value"), v2 = json_number(b, "search_value");
  cr_expect(fabs(v1 - v2) <= 1e-6 * fabs(v1), "largest inlet %.9g on one rank, %.9g on two", v1,
            v2);
}

/* Under MPI each rank holds its own rows of the 3D temperature field and
 * no rank the whole of it, so what reads the field reduces over the ranks:
 * the heat source's die temperatures, the bricks' hottest cells, the
 * mechanics' layer means (and a reference run's, read row by row), the
 * material bounds, a face coolant marched along y across the ranks' rows.
 * Each is checked against one rank to 1e-9 relative (the order of PCG's
 * global sums; near-zero mechanics maps aside, as in the h5diff above) on
 * 3 ranks (cs3 at 4 mm: 56 rows of 72 columns, split 18/19/19). */
static void same_on_three(const char *args_fmt, const char *tag, const char *const *keys,
                          int n_keys) {
  char args[1024], a[600], b[600];
  snprintf(args, sizeof args, args_fmt, tmp_root, tag, "1");
  int rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  snprintf(args, sizeof args, args_fmt, tmp_root, tag, "3");
  rc = run_mpi(3, args, out, sizeof out);
  cr_assert_eq(rc, 0, "mpirun: exit %d: %s", rc, out);
  snprintf(a, sizeof a, "%s/%s1/summary.json", tmp_root, tag);
  snprintf(b, sizeof b, "%s/%s3/summary.json", tmp_root, tag);
  for (int i = 0; i < n_keys; i++) {
    double va = json_number(a, keys[i]), vb = json_number(b, keys[i]);
    cr_expect(fabs(va - vb) <= 1e-9 * fabs(va), "%s %s: one rank %.12g, three ranks %.12g", tag,
              keys[i], va, vb);
  }
}

Test(cli, mpi_ranks_hold_their_own_rows) {
  char args[1024], path[600];
  /* the power path and the mechanics against an idle run's field */
  snprintf(args, sizeof args,
           "run cases/cs3.yaml --set grid.dx_mm=4 --set power.total_kw=2 --no-figures --out %s/idle",
           tmp_root);
  int rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  char fmt[800];
  snprintf(fmt, sizeof fmt, "run cases/cs3.yaml --set grid.dx_mm=4 --no-figures "
                            "--mechanics-reference %s/idle --out %%s/%%s%%s",
           tmp_root);
  /* CS-3's edge dies tie but for round-off: the hottest's place is the
   * first within 1e-6 K, the same on 1 and 3 ranks */
  const char *pd[] = {"t_max_c", "die_voltage_min_v", "brick_temp_max_c",
                      "connector_shear_strain_max", "warpage_um", "heat_to_brick_plate_w",
                      "t_max_x_mm", "t_max_y_mm"};
  same_on_three(fmt, "pd", pd, 8);
  /* a marched face coolant along y: the march crosses the ranks' rows */
  snprintf(path, sizeof path, "%s/face.yaml", tmp_root);
  FILE *f = fopen(path, "w");
  cr_assert(f);
  FILE *src = fopen("cases/cs3-hotspots.yaml", "r");
  cr_assert(src);
  char line[512];
  int skip = 0;
  while (fgets(line, sizeof line, src)) {
    /* the brick layer becomes a convective face with its own coolant */
    if (strstr(line, "- name: bricks")) {
      fputs("  - {name: sink, kind: convective, h_w_m2k: 2000, ambient_c: 20, coolant: marched,\n"
            "     flow_lpm: 0.5, flow_direction: y}\n",
            f);
      skip = 1;
      continue;
    }
    if (skip && line[0] != ' ') skip = 0;
    if (!skip) fputs(line, f);
  }
  fclose(src);
  fclose(f);
  snprintf(fmt, sizeof fmt, "run %s --set grid.dx_mm=4 --no-figures --out %%s/%%s%%s", path);
  const char *face[] = {"t_max_c", "face_coolant_outlet_c", "t_mean_wafer_c"};
  same_on_three(fmt, "face", face, 3);
  snprintf(path, sizeof path, "%s/face1/summary.json", tmp_root);
  cr_expect(json_number(path, "face_coolant_rise_k") > 1.0, "the face coolant must take heat");
  /* a material beyond its bound: the same cell named on 1 and 3 ranks (an
   * FR-4 connector passes 130 C at y = 111 mm, in the middle rank's rows) */
  snprintf(args, sizeof args,
           "run cases/cs3-hotspots.yaml --set grid.dx_mm=4 --set stack.connector.material=fr4 "
           "--set power.total_kw=150 --set coolant.flow_lpm=200 --no-figures --out %s/hot1",
           tmp_root);
  rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 1, "exit %d: %s", rc, out);
  char one[1024];
  const char *m = strstr(out, "reaches");
  cr_assert(m, "%s", out);
  snprintf(one, sizeof one, "%.*s", (int)strcspn(m, ":"), m);
  args[strlen(args) - 1] = '3';
  rc = run_mpi(3, args, out, sizeof out);
  cr_assert_eq(rc, 1, "mpirun: exit %d: %s", rc, out);
  cr_expect(strstr(out, one), "one rank: %s; three: %s", one, out);
}

/* A transient on 3 ranks: each holds its rows of the state (CVODE's
 * parallel vector), the coolant marched across the ranks' rows, the
 * energy states on rank 0; the field written by the ranks together, in
 * result.h5 and in every snapshot. Against one rank: CVODE takes the same
 * steps, but its norms are reduced in another order and the steady start
 * agrees to 1e-9, so the answers agree to the integration's round-off, not
 * to the bit: measured at most 1.0e-6 K in any cell of any snapshot (at the
 * power step, t = 1 s), 2e-7 K on the summary. The tolerance, 1e-5 K, is
 * 100x below the 1e-3 K CVODE is asked to hold; a rank writing another's
 * rows, or a march that read only its own, is off by kelvins. */
Test(cli, mpi_transient_splits_its_state) {
  char args[1024], a[600], b[600], cmd[1600];
  for (int n = 1; n <= 3; n += 2) {
    snprintf(args, sizeof args,
             "transient cases/cs3.yaml --scenario power-step --set grid.dx_mm=4 --no-figures "
             "--out %s/tr%d",
             tmp_root, n);
    const int rc = n == 1 ? run(args, out, sizeof out) : run_mpi(n, args, out, sizeof out);
    cr_assert_eq(rc, 0, "%d rank(s): exit %d: %s", n, rc, out);
  }
  const char *first = strstr(out, "Energy");
  cr_expect(first && !strstr(first + 1, "Energy"), "one report, from rank 0: %s", out);
  snprintf(a, sizeof a, "%s/tr1/summary.json", tmp_root);
  snprintf(b, sizeof b, "%s/tr3/summary.json", tmp_root);
  const char *keys[] = {"junction_peak_c", "junction_final_c", "outlet_peak_c", "brick_peak_c",
                        "t_mean_wafer_c", "cvode_steps"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    const double va = json_number(a, keys[i]), vb = json_number(b, keys[i]);
    cr_expect(fabs(va - vb) <= 1e-5, "%s: one rank %.9g, three ranks %.9g", keys[i], va, vb);
  }
  const double ea = json_number(a, "energy_made_mj"), eb = json_number(b, "energy_made_mj");
  cr_expect(fabs(ea - eb) <= 1e-8 * ea, "energy made: one rank %.12g MJ, three %.12g", ea, eb);
  if (system("command -v h5diff >/dev/null 2>&1") != 0) return;
  int files = 0;
  for (int i = -1; i < 10; i++) {
    char name[64];
    if (i < 0)
      snprintf(name, sizeof name, "result.h5");
    else
      snprintf(name, sizeof name, "snapshots/snapshot_%03d.h5", i);
    snprintf(a, sizeof a, "%s/tr1/%s", tmp_root, name);
    snprintf(b, sizeof b, "%s/tr3/%s", tmp_root, name);
    if (!exists(a)) continue;
    files++;
    snprintf(cmd, sizeof cmd, "h5diff -d 1e-5 %s %s /fields/temperature_c > %s/h5diff-tr.log 2>&1",
             a, b, tmp_root);
    cr_expect_eq(system(cmd), 0, "%s: the field differs between one rank and three (%s/h5diff-tr.log)",
                 name, tmp_root);
  }
  cr_expect_eq(files, 8, "result.h5 and the scenario's 7 snapshots");
}

/* Before any solve: a grid that cannot fit in memory is refused fast (exit
 * 2) naming the smallest grid.dx_mm that fits, and nothing is written; the
 * same under a memory limit (ulimit -v) that makes the default grid too big. */
Test(cli, grid_too_large_is_refused_before_solving) {
  char args[1024], dir[400];
  snprintf(dir, sizeof dir, "%s/huge", tmp_root);
  snprintf(args, sizeof args, "run cases/cs3.yaml --set grid.dx_mm=0.05 --out %s", dir);
  time_t t0 = time(NULL);
  int rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 2, "exit %d: %s", rc, out);
  cr_expect(time(NULL) - t0 < 20, "refusal took %ld s", (long)(time(NULL) - t0));
  cr_expect(strstr(out, "smallest grid.dx_mm that fits is about"), "%s", out);
  cr_expect(!exists(dir), "output written for a refused grid");
  cr_assert_eq(run("check cases/cs3.yaml --set grid.dx_mm=0.05", out, sizeof out), 2, "%s", out);
  cr_expect(strstr(out, "estimated run: peak memory") && strstr(out, "smallest grid.dx_mm"), "%s",
            out);
  /* 1.5 GB of address space: a 0.2 mm grid (18 M cells, about 4 GB) must be refused by the
   * ulimit bound. AddressSanitizer reserves terabytes of address space, so no ulimit -v can
   * apply to the sanitizer build: there this part is skipped. */
  if (getenv("ASAN_OPTIONS")) {
    cr_log_info("ulimit -v part skipped under AddressSanitizer");
    return;
  }
  snprintf(args, sizeof args,
           "bash -c 'ulimit -v 1500000; %s run cases/cs3.yaml --set grid.dx_mm=0.2 --out %s' 2>&1",
           bin(), dir);
  FILE *p = popen(args, "r");
  size_t n = fread(out, 1, sizeof out - 1, p);
  out[n] = '\0';
  int st = pclose(p);
  cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 2, "under ulimit -v: %s", out);
  cr_expect(strstr(out, "ulimit -v") && strstr(out, "grid.dx_mm"), "%s", out);
}

/* An output directory that cannot take files is found before the solve:
 * exit 2, fast, saying which directory and why. (The tests run as root,
 * who may write anywhere a plain directory exists: /proc/1 is a directory
 * no one can create files in.) */
Test(cli, unwritable_output_is_refused_before_solving) {
  time_t t0 = time(NULL);
  int rc = run("run cases/cs3.yaml --out /proc/1", out, sizeof out);
  cr_assert_eq(rc, 2, "exit %d: %s", rc, out);
  cr_expect(strstr(out, "cannot write into the output directory /proc/1"), "%s", out);
  cr_expect(time(NULL) - t0 < 10, "preflight took %ld s", (long)(time(NULL) - t0));
  rc = run("limits cases/cs3.yaml --find coolant.inlet_c --max --out /proc/1", out, sizeof out);
  cr_expect_eq(rc, 2, "limits: exit %d: %s", rc, out);
  rc = run("sweep cases/cs3.yaml --param power.total_kw=20,30 --out /proc/1", out, sizeof out);
  cr_expect_eq(rc, 2, "sweep: exit %d: %s", rc, out);
}

/* Too little flow: the coolant would boil. The failure names boiling and
 * the least flow that carries the heat (25 kW into water from 21 C to
 * 99.97 C: 25e3 / (998 * 4181 * 79) m^3/s = 4.5 L/min), and does not send
 * the user to the iteration cap. */
Test(cli, flow_too_low_names_boiling) {
  int rc = run("run cases/cs3.yaml --set coolant.flow_lpm=2 --set grid.dx_mm=8 --no-figures "
               "--out /tmp/ebsim-boil-never-written",
               out, sizeof out);
  cr_assert_eq(rc, 1, "exit %d: %s", rc, out);
  cr_expect(strstr(out, "boil"), "%s", out);
  cr_expect(!strstr(out, "raise solver.max_nonlinear_iters"), "%s", out);
  const char *p = strstr(out, "At least ");
  cr_assert(p, "%s", out);
  double q = strtod(p + 9, NULL);
  cr_expect(q > 4.3 && q < 4.8, "least flow %.3g L/min", q);
}

/* Two searches (or sweeps) of different keys do not overwrite each other:
 * the default directory names what was searched or swept. */
Test(cli, default_output_directories_name_the_study) {
  cr_assert_eq(run("limits --help", out, sizeof out), 0);
  cr_expect(strstr(out, "out/<case>-limits-<KEY>-<max|min>"), "%s", out);
  char cwd[512], args[1024];
  cr_assert(getcwd(cwd, sizeof cwd));
  cr_assert_eq(chdir(tmp_root), 0);
  char case_path[700];
  snprintf(case_path, sizeof case_path, "%s/cases/cs3.yaml", cwd);
  snprintf(args, sizeof args,
           "limits %s --set grid.dx_mm=8 --find coolant.inlet_c --max --no-figures --quiet",
           case_path);
  int rc = run(args, out, sizeof out);
  cr_expect_eq(rc, 0, "%s", out);
  cr_expect(exists("out/cs3-baseline-limits-coolant.inlet_c-max/summary.json"), "%s", out);
  snprintf(args, sizeof args,
           "sweep %s --set grid.dx_mm=8 --param power.total_kw=20 --no-figures --quiet",
           case_path);
  rc = run(args, out, sizeof out);
  cr_expect_eq(rc, 0, "%s", out);
  cr_expect(exists("out/cs3-baseline-sweep-power.total_kw/sweep.csv"), "%s", out);
  cr_assert_eq(chdir(cwd), 0);
}

/* ebsim outputs lists the registry; --markdown is the reference page. */
Test(cli, outputs_command) {
  cr_assert_eq(run("outputs", out, sizeof out), 0, "%s", out);
  cr_expect(strstr(out, "t_max_c") && strstr(out, "pipe_velocity_m_s"), "%s", out);
  cr_assert_eq(run("outputs --markdown", out, sizeof out), 0, "%s", out);
  cr_expect(strstr(out, "# ebsim output reference"), "%.200s", out);
}

/* ebsim transient: a scenario is required and named (the case's list, did
 * you mean), a bad --until is refused; a run writes its files as one set,
 * says when each limit is reached and exits 3 when one is; the same run on
 * two MPI ranks gives the same times. */
Test(cli, transient_command) {
  char args[1024], dir[400], path[600];
  int rc = run("transient cases/cs3.yaml", out, sizeof out);
  cr_assert_eq(rc, 2, "exit %d: %s", rc, out);
  cr_expect(strstr(out, "--scenario") && strstr(out, "pump-trip"), "%s", out);
  rc = run("transient cases/cs3.yaml --scenario pump-trp", out, sizeof out);
  cr_assert_eq(rc, 2, "exit %d: %s", rc, out);
  cr_expect(strstr(out, "did you mean 'pump-trip'"), "%s", out);
  rc = run("transient cases/cs3.yaml --scenario pump-trip --until -3", out, sizeof out);
  cr_assert_eq(rc, 2, "exit %d: %s", rc, out);
  cr_expect(strstr(out, "--until"), "%s", out);
  /* both pumps lost at 40 s: the junction limit goes first at about 46 s,
   * then the coolant boils and the run stops there */
  snprintf(dir, sizeof dir, "%s/trip", tmp_root);
  snprintf(args, sizeof args,
           "transient cases/cs3.yaml --scenario pump-trip --set grid.dx_mm=8 --out %s", dir);
  rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 3, "exit %d: %s", rc, out);
  cr_expect(strstr(out, "Junction     reached at 4"), "%s", out);
  cr_expect(strstr(out, "stopped at") && strstr(out, "boils"), "%s", out);
  const char *files[] = {"result.h5", "result.xdmf", "summary.json", "series.csv",
                         "die_series.csv", "snapshots.xdmf", "transient.png",
                         "wafer_temperature.png", "snapshots/snapshot_000.h5"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    cr_expect(exists(path), "missing %s", path);
  }
  snprintf(path, sizeof path, "%s/summary.json", dir);
  const double t1 = json_number(path, "time_to_junction_limit_s");
  cr_expect(t1 > 40.0 && t1 < 50.0, "junction limit at %g s", t1);
  /* two ranks: the same integration on each, the solves split */
  snprintf(args, sizeof args,
           "transient cases/cs3.yaml --scenario pump-trip --set grid.dx_mm=8 --no-figures "
           "--out %s/trip2",
           tmp_root);
  rc = run_mpi(2, args, out, sizeof out);
  cr_assert_eq(rc, 3, "mpirun: exit %d: %s", rc, out);
  const char *first = strstr(out, "transient: cs3");
  cr_expect(first && !strstr(first + 1, "transient: cs3"), "one report, from rank 0: %s", out);
  snprintf(path, sizeof path, "%s/trip2/summary.json", tmp_root);
  const double t2 = json_number(path, "time_to_junction_limit_s");
  cr_expect(fabs(t1 - t2) < 1e-3, "junction limit at %.6f s on one rank, %.6f s on two", t1, t2);
}

/* ebsim diff: two runs compared (exit 0, diff.csv and the map), the power's
 * change printed with its unit; one run alone, or runs on other grids
 * without --resample, exit 2 saying why. */
Test(cli, diff_command) {
  char args[1024], path[600];
  snprintf(args, sizeof args, "run cases/cs3.yaml --set grid.dx_mm=8 --no-figures --out %s/a",
           tmp_root);
  cr_assert_eq(run(args, out, sizeof out), 0, "%s", out);
  snprintf(args, sizeof args,
           "run cases/cs3.yaml --set grid.dx_mm=8 --set power.total_kw=20 --no-figures --out %s/b",
           tmp_root);
  cr_assert_eq(run(args, out, sizeof out), 0, "%s", out);
  snprintf(args, sizeof args, "diff %s/a %s/b --out %s/d", tmp_root, tmp_root, tmp_root);
  int rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  cr_expect(strstr(out, "power_w") && strstr(out, "-5000"), "%s", out);
  snprintf(path, sizeof path, "%s/d/diff.csv", tmp_root);
  cr_expect(exists(path));
  snprintf(path, sizeof path, "%s/d/junction_difference.png", tmp_root);
  cr_expect(exists(path));
  snprintf(args, sizeof args, "diff %s/a", tmp_root);
  rc = run(args, out, sizeof out);
  cr_expect(rc == 2 && strstr(out, "two runs"), "exit %d: %s", rc, out);
  snprintf(args, sizeof args, "run cases/cs3.yaml --set grid.dx_mm=6 --no-figures --out %s/c",
           tmp_root);
  cr_assert_eq(run(args, out, sizeof out), 0, "%s", out);
  snprintf(args, sizeof args, "diff %s/a %s/c --out %s/d2", tmp_root, tmp_root, tmp_root);
  rc = run(args, out, sizeof out);
  cr_expect(rc == 2 && strstr(out, "--resample"), "exit %d: %s", rc, out);
}

/* One run writes into a directory at a time: while another process holds
 * DIR's lock (here this test), a run exits 2 naming that process and
 * writes nothing; once the holder is gone, the same run proceeds. */
Test(cli, second_writer_is_refused) {
  char dir[400], lock[600], args[1024];
  snprintf(dir, sizeof dir, "%s/locked", tmp_root);
  cr_assert_eq(mkdir(dir, 0755), 0);
  snprintf(lock, sizeof lock, "%s/.ebsim.lock", dir);
  int fd = open(lock, O_RDWR | O_CREAT, 0644);
  cr_assert(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0);
  char pid[32];
  const int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
  cr_assert_eq(write(fd, pid, (size_t)n), n);
  snprintf(args, sizeof args, "run cases/cs3.yaml --set grid.dx_mm=8 --no-figures --out %s", dir);
  int rc = run(args, out, sizeof out);
  char want[64];
  snprintf(want, sizeof want, "being written by process %ld", (long)getpid());
  cr_expect(rc == 2 && strstr(out, want), "exit %d: %s", rc, out);
  char path[700];
  snprintf(path, sizeof path, "%s/result.h5", dir);
  cr_expect(!exists(path), "a refused run wrote into the directory");
  close(fd); /* the holder is gone */
  rc = run(args, out, sizeof out);
  cr_expect_eq(rc, 0, "exit %d: %s", rc, out);
  cr_expect(exists(path));
}

/* kill -9 of a sweep takes its workers with it (they die with their
 * parent), and an immediate rerun into the same directory works: no worker
 * holds the parent's sweep.h5 or the directory's lock. */
Test(cli, killed_sweep_leaves_no_workers) {
  char dir[400], cmd[1400], pidfile[500], probe[600];
  snprintf(dir, sizeof dir, "%s/killed", tmp_root);
  snprintf(pidfile, sizeof pidfile, "%s.pid", dir);
  snprintf(cmd, sizeof cmd,
           "%s sweep cases/cs3.yaml --set grid.dx_mm=2 --param power.total_kw=10:50:0.5 --jobs 2 "
           "--out %s --quiet --no-figures >/dev/null 2>&1 & echo $! > %s",
           bin(), dir, pidfile);
  cr_assert_eq(system(cmd), 0);
  /* "[0-9]": the pattern matches the workers' command lines, not the
   * shell that runs pgrep (whose line holds "[0-9]") */
  snprintf(probe, sizeof probe, "pgrep -f 'out %s --quiet --worker [0-9]' >/dev/null", dir);
  int seen = 0;
  for (int i = 0; i < 300 && !seen; i++) { /* up to 60 s for the workers to start */
    seen = system(probe) == 0;
    if (!seen) nanosleep(&(struct timespec){.tv_nsec = 200000000}, NULL);
  }
  cr_assert(seen, "the sweep's workers never started");
  FILE *f = fopen(pidfile, "r");
  long pid = 0;
  cr_assert(f && fscanf(f, "%ld", &pid) == 1);
  fclose(f);
  cr_assert_eq(kill((pid_t)pid, SIGKILL), 0);
  int gone = 0;
  /* the kernel signals them at once; unfixed, each would run on for its
   * 40 points (tens of seconds) */
  for (int i = 0; i < 20 && !gone; i++) {
    gone = system(probe) != 0;
    if (!gone) nanosleep(&(struct timespec){.tv_nsec = 100000000}, NULL);
  }
  cr_expect(gone, "workers outlived their killed parent");
  if (!gone) { /* leave none behind */
    snprintf(probe, sizeof probe, "pkill -9 -f 'out %s --quiet --worker [0-9]'", dir);
    cr_assert_eq(system(probe) >= 0, 1);
  }
  char args[1024];
  snprintf(args, sizeof args,
           "sweep cases/cs3.yaml --set grid.dx_mm=8 --param power.total_kw=20,21 --jobs 2 "
           "--out %s --quiet --no-figures",
           dir);
  int rc = run(args, out, sizeof out);
  cr_expect_eq(rc, 0, "rerun: exit %d: %s", rc, out);
}

/* A sweep killed part-way keeps the points it finished; the same command
 * with --resume solves only the rest and gives the uninterrupted sweep's
 * table (to the solver's tolerance: the resumed points start cold). A
 * different sweep refuses to resume them; a plain rerun discards them. */
Test(cli, killed_sweep_resumes) {
  char dir[400], ref[400], cmd[1600], pidfile[500], point[600];
  snprintf(dir, sizeof dir, "%s/resume", tmp_root);
  snprintf(ref, sizeof ref, "%s/resume-ref", tmp_root);
  snprintf(pidfile, sizeof pidfile, "%s.pid", dir);
  snprintf(point, sizeof point, "%s/.sweep-points/point_000003.h5", dir);
  const char *sweep = "sweep cases/cs3.yaml --set grid.dx_mm=4 --param power.total_kw=10:40:1 "
                      "--jobs 1 --quiet --no-figures";
  snprintf(cmd, sizeof cmd, "%s %s --out %s >/dev/null 2>&1 & echo $! > %s", bin(), sweep, dir,
           pidfile);
  cr_assert_eq(system(cmd), 0);
  for (int i = 0; i < 6000 && !exists(point); i++) /* up to 60 s */
    nanosleep(&(struct timespec){.tv_nsec = 10000000}, NULL);
  FILE *f = fopen(pidfile, "r");
  long pid = 0;
  cr_assert(f && fscanf(f, "%ld", &pid) == 1);
  fclose(f);
  cr_assert_eq(kill((pid_t)pid, SIGKILL), 0);
  waitpid((pid_t)pid, NULL, 0); /* not our child: merely gives the kernel a moment */
  nanosleep(&(struct timespec){.tv_nsec = 200000000}, NULL);
  char csv[500];
  snprintf(csv, sizeof csv, "%s/sweep.csv", dir);
  cr_assert(exists(point) && !exists(csv), "the sweep finished before it could be killed");
  /* other values: refused, and the message says what differs */
  char args[1200];
  snprintf(args, sizeof args,
           "sweep cases/cs3.yaml --set grid.dx_mm=4 --param power.total_kw=10:40:2 --jobs 1 "
           "--quiet --no-figures --out %s --resume",
           dir);
  int rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 2, "exit %d: %s", rc, out);
  cr_assert(strstr(out, "is not this one") && strstr(out, "power.total_kw=10,11,12"), "%s", out);
  snprintf(args, sizeof args, "%s --out %s --resume", sweep, dir);
  rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  unsigned kept = 0;
  const char *said = strstr(out, "31 points, ");
  cr_assert(said && sscanf(said, "31 points, %u of them saved", &kept) == 1 && kept >= 3 &&
                kept < 31,
            "%s", out);
  snprintf(point, sizeof point, "%s/.sweep-points", dir);
  cr_assert(!exists(point), "the saved points were left behind");
  snprintf(args, sizeof args, "%s --out %s", sweep, ref);
  cr_assert_eq(run(args, out, sizeof out), 0, "%s", out);
  /* the hottest junction of every point, resumed against uninterrupted */
  char refcsv[500];
  snprintf(refcsv, sizeof refcsv, "%s/sweep.csv", ref);
  FILE *fa = fopen(csv, "r"), *fb = fopen(refcsv, "r");
  cr_assert(fa && fb);
  static char la[1 << 14], lb[1 << 14];
  int col = -1, rows = 0;
  cr_assert(fgets(la, sizeof la, fa) && fgets(lb, sizeof lb, fb));
  cr_assert_str_eq(la, lb);
  int k = 0;
  for (char *t = strtok(la, ","); t; t = strtok(NULL, ","), k++)
    if (!strcmp(t, "t_max_c (C)")) col = k;
  cr_assert(col > 0);
  while (fgets(la, sizeof la, fa) && fgets(lb, sizeof lb, fb)) {
    double va = NAN, vb = NAN;
    k = 0;
    for (char *t = strtok(la, ","); t; t = strtok(NULL, ","), k++)
      if (k == col) va = atof(t);
    k = 0;
    for (char *t = strtok(lb, ","); t; t = strtok(NULL, ","), k++)
      if (k == col) vb = atof(t);
    cr_expect(fabs(va - vb) < 0.01, "row %d: %.6f resumed against %.6f", rows + 1, va, vb);
    rows++;
  }
  cr_assert_eq(rows, 31);
  fclose(fa);
  fclose(fb);
}

/* A run's files are one set: manifest.json, written last, names each file
 * with its size. A rerun replaces the whole set (figures the new run does
 * not draw go); plot and diff refuse a directory whose run did not finish
 * (no manifest) or whose files come from two runs (a size that differs). */
Test(cli, output_is_one_set) {
  char dir[400], args[1200], path[600];
  snprintf(dir, sizeof dir, "%s/set", tmp_root);
  snprintf(args, sizeof args, "run cases/cs3.yaml --set grid.dx_mm=8 --out %s", dir);
  cr_assert_eq(run(args, out, sizeof out), 0, "%s", out);
  snprintf(path, sizeof path, "%s/manifest.json", dir);
  FILE *f = fopen(path, "r");
  cr_assert(f, "no manifest");
  size_t n = fread(out, 1, sizeof out - 1, f);
  out[n] = '\0';
  fclose(f);
  cr_assert(strstr(out, "\"result.h5\"") && strstr(out, "\"wafer_temperature.png\"") &&
                strstr(out, "\"bytes\""),
            "%s", out);
  /* the loop's, power path's and mechanics' figures are in the set too, and
   * stay through a rerun with figures into the same directory (the old set's
   * files that the rerun writes again are not taken away) */
  const char *figures[] = {"pump_curve.png", "die_voltage.png", "bricks.png",
                               "connector_strain.png", "edge_slip.png"};
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1) {
      cr_assert_eq(run(args, out, sizeof out), 0, "%s", out);
      f = fopen(path, "r");
      cr_assert(f, "no manifest after the rerun");
      n = fread(out, 1, sizeof out - 1, f);
      out[n] = '\0';
      fclose(f);
    }
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
      char name[80], fig[600];
      snprintf(name, sizeof name, "\"%s\"", figures[i]);
      snprintf(fig, sizeof fig, "%s/%s", dir, figures[i]);
      cr_expect(strstr(out, name) && exists(fig), "pass %d: %s missing from the set", pass,
                figures[i]);
    }
  }
  /* the same directory, no figures: the old figures leave with the old set */
  snprintf(args, sizeof args, "run cases/cs3.yaml --set grid.dx_mm=8 --set power.total_kw=20 "
           "--out %s --no-figures", dir);
  cr_assert_eq(run(args, out, sizeof out), 0, "%s", out);
  snprintf(path, sizeof path, "%s/wafer_temperature.png", dir);
  cr_assert(!exists(path), "a figure of the previous run was left beside the new result");
  snprintf(args, sizeof args, "plot %s --out %s/again", dir, dir);
  cr_assert_eq(run(args, out, sizeof out), 0, "%s", out);
  snprintf(args, sizeof args, "diff %s %s --out %s/d --no-figures", dir, dir, tmp_root);
  cr_assert_eq(run(args, out, sizeof out), 0, "%s", out);
  /* figures, a report or a diff written into another run's directory would
   * replace that run's set: refused, the run left whole */
  char other[500];
  snprintf(other, sizeof other, "%s/set-other", tmp_root);
  snprintf(args, sizeof args, "run cases/cs3.yaml --set grid.dx_mm=8 --no-figures --out %s", other);
  cr_assert_eq(run(args, out, sizeof out), 0, "%s", out);
  const char *into[] = {"plot %s --out %s", "report %s --out %s", "diff %s %s"};
  for (int k = 0; k < 3; k++) {
    char fmt[64];
    snprintf(fmt, sizeof fmt, "%s%s", into[k], k == 2 ? " --out %s" : "");
    if (k == 2)
      snprintf(args, sizeof args, fmt, dir, dir, other);
    else
      snprintf(args, sizeof args, fmt, dir, other);
    cr_expect_eq(run(args, out, sizeof out), 2, "%s: %s", args, out);
    cr_expect(strstr(out, "holds another output"), "%s", out);
  }
  snprintf(path, sizeof path, "%s/result.h5", other);
  cr_assert(exists(path), "the other run lost its result");
  /* a file of another run under the set's name */
  snprintf(path, sizeof path, "%s/result.h5", dir);
  f = fopen(path, "ab");
  cr_assert(f && fputs("x", f) >= 0);
  fclose(f);
  snprintf(args, sizeof args, "plot %s --out %s/again", dir, dir);
  cr_assert_eq(run(args, out, sizeof out), 2, "%s", out);
  cr_assert(strstr(out, "mixes two runs"), "%s", out);
  /* a run that did not finish */
  snprintf(path, sizeof path, "%s/manifest.json", dir);
  cr_assert_eq(unlink(path), 0);
  cr_assert_eq(run(args, out, sizeof out), 2, "%s", out);
  cr_assert(strstr(out, "holds no complete run") && strstr(out, "rerun"), "%s", out);
  snprintf(args, sizeof args, "diff %s %s --out %s/d --no-figures", dir, dir, tmp_root);
  cr_assert_eq(run(args, out, sizeof out), 2, "%s", out);
  cr_assert(strstr(out, "holds no complete run"), "%s", out);
}

/* The start of field k of a CSV line (RFC 4180 quotes), NULL past the end. */
static const char *csv_field(const char *line, int k) {
  const char *s = line;
  for (int i = 0; i < k; i++) {
    int quoted = 0;
    while (*s && (quoted || *s != ',')) quoted ^= *s++ == '"';
    if (!*s) return NULL;
    s++;
  }
  return s;
}

/* Column `name` of a CSV row, by the header. */
static double csv_value(const char *header, const char *row, const char *name) {
  for (int k = 0;; k++) {
    const char *h = csv_field(header, k);
    if (!h) return NAN;
    if (!strncmp(h, name, strlen(name)) && (h[strlen(name)] == ',' || !h[strlen(name)])) {
      const char *v = csv_field(row, k);
      if (!v || !*v || *v == ',') return NAN;
      if (!strncmp(v, "true", 4)) return 1.0;
      if (!strncmp(v, "false", 5)) return 0.0;
      return atof(v);
    }
  }
}

/* map.csv in DIR against the sweep.csv of the same points in REF: every
 * rebuilt temperature within --max-error, every other quantity rebuilt
 * within MAP_REL_TOL (2 %) or left empty (brick_blank: the busiest brick's
 * load, whose checks miss by 14 % here, empty, and the limits not all
 * known to hold there), places never rebuilt, every solved row within the
 * solver's tolerance, each row saying which it is. Returns the rows
 * solved. */
static int map_against_sweep(const char *dir, const char *ref, double stated, double max_error,
                             int brick_blank) {
  char pa[500], pb[500];
  snprintf(pa, sizeof pa, "%s/map.csv", dir);
  snprintf(pb, sizeof pb, "%s/sweep.csv", ref);
  FILE *fa = fopen(pa, "r"), *fb = fopen(pb, "r");
  cr_assert(fa && fb);
  static char ha[1 << 14], hb[1 << 14], ra[1 << 14], rb[1 << 14];
  cr_assert(fgets(ha, sizeof ha, fa) && fgets(hb, sizeof hb, fb));
  ha[strcspn(ha, "\n")] = hb[strcspn(hb, "\n")] = '\0';
  const char *temps[] = {"t_max_c (C)", "coolant_outlet_c (C)", "t_mean_wafer_c (C)",
                         "brick_temp_max_c (C)", "pcb_t_mean_c (C)"};
  int rows = 0, solved = 0;
  double worst = 0.0;
  while (fgets(ra, sizeof ra, fa) && fgets(rb, sizeof rb, fb)) {
    ra[strcspn(ra, "\n")] = rb[strcspn(rb, "\n")] = '\0';
    rows++;
    const int was_solved = csv_value(ha, ra, "map_point_solved (1)") == 1.0;
    const double est = csv_value(ha, ra, "map_error_estimate_k (K)");
    cr_expect(isfinite(est) && est >= 0.0 && est <= max_error, "row %d: estimate %g", rows, est);
    cr_expect(was_solved ? est == 0.0 : fabs(est - stated) <= 1e-4, "row %d: estimate %g, stated %g",
              rows, est, stated);
    for (size_t t = 0; t < sizeof temps / sizeof temps[0]; t++) {
      double a = csv_value(ha, ra, temps[t]), b = csv_value(hb, rb, temps[t]);
      cr_assert(isfinite(a) && isfinite(b), "row %d: %s missing", rows, temps[t]);
      /* a rebuilt row within --max-error, the map's contract (its
       * estimate is twice the checks' largest miss, a sample: here the
       * worst of level 1 is 0.031 K against an estimate of 0.018 K from 5
       * checks) */
      worst = fmax(worst, fabs(a - b));
      cr_expect(fabs(a - b) <= max_error, "row %d: %s map %.4f, sweep %.4f, estimate %.4f", rows,
                temps[t], a, b, stated);
      /* a solved row (level 1's reused at level 2 too) is a full solve:
       * the sweep's within the solver's tolerance */
      cr_expect(!was_solved || fabs(a - b) <= 0.01, "solved row %d: %s map %.4f, sweep %.4f",
                rows, temps[t], a, b);
    }
    const char *others[] = {"pressure_drop_kpa (kPa)", "pump_power_w (W)",
                            "delivery_efficiency (1)", "wall_power_w (W)",
                            "die_voltage_min_v (V)", "wafer_stress_max_mpa (MPa)",
                            "brick_load_max (1)", "psu_loss_w (W)"};
    for (size_t t = 0; !was_solved && t < sizeof others / sizeof others[0]; t++) {
      double a = csv_value(ha, ra, others[t]), b = csv_value(hb, rb, others[t]);
      cr_assert(isfinite(b), "row %d: %s missing in the sweep", rows, others[t]);
      cr_expect(!isfinite(a) || fabs(a - b) <= 0.02 * fabs(b), "row %d: %s map %.6g, sweep %.6g",
                rows, others[t], a, b);
    }
    if (!was_solved) {
      cr_expect(isnan(csv_value(ha, ra, "t_max_x_mm (mm)")), "row %d: a place rebuilt", rows);
      cr_expect(isnan(csv_value(ha, ra, "energy_balance_rel_error (1)")), "row %d", rows);
      cr_expect(isfinite(csv_value(ha, ra, "pressure_drop_kpa (kPa)")), "row %d", rows);
    }
    if (!was_solved && brick_blank) {
      cr_expect(isnan(csv_value(ha, ra, "brick_load_max (1)")), "row %d: brick load rebuilt", rows);
      cr_expect_eq(csv_value(ha, ra, "all_limits_ok (1)"), 0.0, "row %d: every limit known to hold",
                   rows);
    }
    solved += was_solved;
  }
  cr_assert_eq(rows, 36);
  fclose(fa);
  fclose(fb);
  cr_log_info("map %s: worst rebuilt temperature %.4f K off, estimate %.4f K", dir, worst, stated);
  return solved;
}

/* The estimate the map states: twice the largest miss at its checks. Both
 * are printed to 1e-4 K, so twice the rounded miss and the rounded estimate
 * differ by up to 1.5e-4 K (a miss of 0.00705 K prints as 0.0071, its
 * estimate 0.0141: seen in CI once the points' claims fell that way). */
static double map_stated(const char *out) {
  double miss = NAN, stated = NAN;
  const char *at = strstr(out, "largest miss at the checks ");
  cr_assert(at && sscanf(at, "largest miss at the checks %lf K, every rebuilt point within an "
                             "estimated %lf K", &miss, &stated) == 2, "%s", out);
  cr_assert(fabs(stated - 2.0 * miss) <= 1.5e-4 + 1e-9, "estimate %g K for a miss of %g K", stated,
            miss);
  return stated;
}

/* A design map against the sweep of the same 36 points (4 inlets x 9
 * powers): every rebuilt temperature within the estimate the map states (a
 * property of the map, not only of its check points), fewer points solved
 * than the map has, and each row saying which it is. Level 1 (4 powers x 3
 * inlets) misses by 0.009 K at its checks here and is accepted; with
 * --max-error 0.015 K it is not, and level 2 (7 powers x 4 inlets) keeps
 * level 1's 12 solves and solves its other 16. */
Test(cli, map_matches_the_full_sweep) {
  char dir[400], dir2[400], ref[400], args[1200];
  snprintf(dir, sizeof dir, "%s/map", tmp_root);
  snprintf(dir2, sizeof dir2, "%s/map-2", tmp_root);
  snprintf(ref, sizeof ref, "%s/map-ref", tmp_root);
  const char *what = "cases/cs4.yaml --set grid.dx_mm=8 --param coolant.inlet_c=15:45:10 "
                     "--param power.total_kw=20:40:2.5 --quiet --no-figures";
  snprintf(args, sizeof args, "sweep %s --out %s", what, ref);
  cr_assert_eq(run(args, out, sizeof out), 0, "%s", out);
  snprintf(args, sizeof args, "map %s --checks 5 --out %s", what, dir);
  int rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  cr_assert(strstr(out, "Solved   17 points for 36 (level 1)"), "%s", out);
  cr_assert(strstr(out, "not rebuilt between the solved points") && strstr(out, "brick_load_max ("),
            "%s", out);
  int solved = map_against_sweep(dir, ref, map_stated(out), 0.1, 1);
  cr_assert_eq(solved, 12 + 5);
  snprintf(args, sizeof args, "map %s --checks 5 --max-error 0.015 --out %s", what, dir2);
  rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  cr_assert(strstr(out, "level 2: 28 points, 12 of them level 1's: solving 16"), "%s", out);
  cr_assert(strstr(out, "(level 2)"), "%s", out);
  solved = map_against_sweep(dir2, ref, map_stated(out), 0.015, 0);
  cr_assert(solved >= 28 && solved < 36, "%d rows solved", solved);
  /* the solves are sweep directories of their own */
  char pa[500];
  snprintf(pa, sizeof pa, "%s/anchors/sweep.csv", dir2);
  cr_assert(exists(pa));
  snprintf(pa, sizeof pa, "%s/anchors-2/sweep.csv", dir2);
  cr_assert(exists(pa));
  snprintf(args, sizeof args, "map %s --out %s --with coolant.flow_lpm=1,2", what, dir);
  cr_assert_eq(run(args, out, sizeof out), 2, "%s", out);
}

/* t_max_c of every row of DIR/FILE, a sweep.csv or map.csv (n rows at most). */
static int tmax_column(const char *dir, const char *file, double *v, int n) {
  char path[600];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  FILE *f = fopen(path, "r");
  cr_assert(f, "no %s", path);
  static char header[1 << 14], row[1 << 14];
  cr_assert(fgets(header, sizeof header, f));
  header[strcspn(header, "\n")] = '\0';
  int k = 0;
  while (k < n && fgets(row, sizeof row, f)) {
    row[strcspn(row, "\n")] = '\0';
    v[k++] = csv_value(header, row, "t_max_c (C)");
  }
  fclose(f);
  return k;
}

/* A sweep on MPI rank groups (issue 16): three groups of one rank, then one
 * group of three, against the local sweep: the same 12 rows, each within
 * the fixed point's tolerance (the points start from different neighbours:
 * 5e-4 K nonlinear tolerance, so 2e-3 K). A group size the job cannot hold
 * is refused. */
Test(cli, sweep_on_mpi_rank_groups) {
  char d1[400], d3[400], dg[400], args[1200], path[500];
  snprintf(d1, sizeof d1, "%s/mpi-serial", tmp_root);
  snprintf(d3, sizeof d3, "%s/mpi-3", tmp_root);
  snprintf(dg, sizeof dg, "%s/mpi-group", tmp_root);
  const char *what = "sweep cases/cs3.yaml --set grid.dx_mm=8 --param power.total_kw=20:30:2 "
                     "--param coolant.flow_lpm=80,100 --quiet --no-figures";
  snprintf(args, sizeof args, "%s --out %s", what, d1);
  cr_assert_eq(run(args, out, sizeof out), 0, "%s", out);
  snprintf(args, sizeof args, "%s --out %s", what, d3);
  int rc = run_mpi(3, args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  cr_assert(strstr(out, "on 3 MPI ranks in groups of 1"), "%s", out);
  snprintf(args, sizeof args, "%s --out %s --ranks-per-point 3", what, dg);
  rc = run_mpi(3, args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  double a[16], b[16], c[16];
  cr_assert_eq(tmax_column(d1, "sweep.csv", a, 16), 12);
  cr_assert_eq(tmax_column(d3, "sweep.csv", b, 16), 12);
  cr_assert_eq(tmax_column(dg, "sweep.csv", c, 16), 12);
  for (int i = 0; i < 12; i++) {
    cr_expect(fabs(a[i] - b[i]) < 2e-3, "row %d: %.6f serial, %.6f on 3 groups", i + 1, a[i], b[i]);
    cr_expect(fabs(a[i] - c[i]) < 2e-3, "row %d: %.6f serial, %.6f on a group of 3", i + 1, a[i],
              c[i]);
  }
  snprintf(path, sizeof path, "%s/.sweep-points", d3);
  cr_assert(!exists(path), "the saved points were left behind");
  snprintf(args, sizeof args, "%s --out %s --ranks-per-point 4", what, dg);
  cr_assert_eq(run_mpi(3, args, out, sizeof out), 2, "%s", out);
  cr_assert(strstr(out, "--ranks-per-point 4: give 1 to the job's 3 ranks"), "%s", out);
  snprintf(args, sizeof args, "%s --out %s --ranks-per-point 2", what, dg);
  cr_assert_eq(run(args, out, sizeof out), 2, "%s", out);
}

/* A design map on three rank groups that needs level 2: the same rows as
 * one process (the points warm-start from different neighbours: 2e-3 K,
 * as the sweep above), level 1's solves kept on every rank (the ranks
 * other than 0 hold no tables, and used to solve level 2 whole while rank
 * 0 solved the rest: a hang). */
Test(cli, map_on_mpi_rank_groups, .timeout = 300) {
  char d1[400], d3[400], args[1400];
  snprintf(d1, sizeof d1, "%s/map-serial", tmp_root);
  snprintf(d3, sizeof d3, "%s/map-groups", tmp_root);
  const char *what = "map cases/cs4.yaml --set grid.dx_mm=8 --param coolant.inlet_c=15:45:10 "
                     "--param power.total_kw=20:40:2.5 --checks 5 --max-error 0.015 --quiet "
                     "--no-figures";
  snprintf(args, sizeof args, "%s --out %s", what, d1);
  cr_assert_eq(run(args, out, sizeof out), 0, "%s", out);
  snprintf(args, sizeof args, "%s --out %s", what, d3);
  int rc = run_mpi(3, args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  cr_assert(strstr(out, "level 2: 28 points, 12 of them level 1's: solving 16"), "%s", out);
  double a[40], b[40];
  cr_assert_eq(tmax_column(d1, "map.csv", a, 40), 36);
  cr_assert_eq(tmax_column(d3, "map.csv", b, 40), 36);
  for (int i = 0; i < 36; i++)
    cr_expect(fabs(a[i] - b[i]) < 2e-3, "row %d: %.6f serial, %.6f on 3 groups", i + 1, a[i], b[i]);
}

/* The envelope's searches on three rank groups: every point searched once,
 * by one group, gathered to rank 0: the same table as one process (each
 * search converges to 0.01 K, so the same digits). */
Test(cli, envelope_on_mpi_rank_groups) {
  char d1[400], d3[400], args[1400], a[500], b[500];
  snprintf(d1, sizeof d1, "%s/env-serial", tmp_root);
  snprintf(d3, sizeof d3, "%s/env-groups", tmp_root);
  const char *what = "envelope cases/cs4.yaml --set grid.dx_mm=8 --set limits.psu_load_max_kw= "
                     "--set limits.brick_load_max= --set limits.die_voltage_min_v= "
                     "--power-kw 25,35 --flow-per-kw 1,2,4 --no-figures --quiet";
  snprintf(args, sizeof args, "%s --out %s", what, d1);
  cr_assert_eq(run(args, out, sizeof out), 0, "%s", out);
  snprintf(args, sizeof args, "%s --out %s --ranks-per-point 1", what, d3);
  int rc = run_mpi(3, args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  snprintf(a, sizeof a, "%s/envelope.csv", d1);
  snprintf(b, sizeof b, "%s/envelope.csv", d3);
  FILE *fa = fopen(a, "r"), *fb = fopen(b, "r");
  cr_assert(fa && fb);
  static char ta[1 << 14], tb[1 << 14];
  size_t na = fread(ta, 1, sizeof ta - 1, fa), nb = fread(tb, 1, sizeof tb - 1, fb);
  ta[na] = tb[nb] = '\0';
  fclose(fa);
  fclose(fb);
  cr_assert_str_eq(ta, tb);
  snprintf(a, sizeof a, "%s/.envelope-claims", d3);
  cr_assert(!exists(a), "the claims were left behind");
}

/* An envelope point no inlet can serve says why in its row and CSV: the
 * loop's velocity is the flow's (160 L/min), not the inlet's; and with the
 * case's limits overridden the figure does not read CS-3 against them. */
Test(cli, envelope_failures_name_their_cause) {
  char dir[400], args[1400], path[500];
  snprintf(dir, sizeof dir, "%s/env-fail", tmp_root);
  snprintf(args, sizeof args,
           "envelope cases/cs4.yaml --set grid.dx_mm=8 --set limits.psu_load_max_kw= "
           "--set limits.brick_load_max= --set limits.die_voltage_min_v= --power-kw 25,40 "
           "--flow-per-kw 4 --figures pdf --quiet --out %s",
           dir);
  int rc = run(args, out, sizeof out);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  cr_assert(strstr(out, "no inlet: velocity_max_m_s broken by the 160 L/min flow itself, at any "
                        "inlet"),
            "%s", out);
  cr_assert(!strstr(out, "still break at coolant.inlet_c"), "%s", out);
  snprintf(path, sizeof path, "%s/envelope.csv", dir);
  FILE *f = fopen(path, "r");
  cr_assert(f);
  size_t n = fread(out, 1, sizeof out - 1, f);
  out[n] = '\0';
  fclose(f);
  cr_assert(strstr(out, "\"no inlet: velocity_max_m_s broken by the 160 L/min flow itself"), "%s",
            out);
  if (system("command -v pdftotext >/dev/null 2>&1") != 0) return; /* poppler-utils: make deps */
  snprintf(args, sizeof args, "pdftotext -raw %s/envelope.pdf - 2>/dev/null | tr '\\n' ' '", dir);
  FILE *p = popen(args, "r");
  cr_assert(p);
  n = fread(out, 1, sizeof out - 1, p);
  out[n] = '\0';
  pclose(p);
  cr_assert(strstr(out, "CS-3's point not drawn") && strstr(out, "limits.brick_load_max"), "%s",
            out);
  cr_assert(!strstr(out, "CS-3 as run"), "%s", out);
}

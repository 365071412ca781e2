/* ebsim.c - the command table: parse the command line, dispatch to the
 * library (case reader, model, studies, output), map results to exit codes.
 * Exit codes are the library's status codes: 0 every limit holds, 3 a
 * limit is broken, 2 bad input (nothing written), 1 solver or internal
 * failure. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases/case.h"
#include "output/out_console.h"
#include "output/out_envelope.h"
#include "output/out_html.h"
#include "output/out_sweep.h"
#include "output/output.h"
#include "solver/core/resources.h"
#include "solver/core/runtime.h"
#include "solver/model.h"
#include "solver/scenario.h"
#include "solver/studies/envelope.h"
#include "solver/studies/limit_search.h"
#include "solver/studies/pool.h"
#include "solver/studies/sweep.h"

#ifndef EBSIM_VERSION
#define EBSIM_VERSION "dev"
#endif

/* ---- usage ------------------------------------------------------------------------------ */

static const char *usage_main =
    "ebsim " EBSIM_VERSION " - thermal model of a wafer-scale engine block\n"
    "\n"
    "usage: ebsim COMMAND CASE [options]\n"
    "\n"
    "commands:\n"
    "  run CASE     solve the steady case; write result.h5, result.xdmf, summary.json\n"
    "               and figures (PNG, PDF or SVG); print a report\n"
    "  check CASE   validate the case (and --set overrides) without solving; print the\n"
    "               grid, its estimated memory and run time\n"
    "  sweep CASE   run the case over values of one or more keys (--param)\n"
    "  map CASE     the sweep's table over power, inlet and flow (--param) from a few\n"
    "               solves, each rebuilt point with its estimated error\n"
    "  limits CASE  largest or smallest value of one key that keeps every limit (--find)\n"
    "  envelope CASE  warmest allowed inlet against flow, per power (--power-kw)\n"
    "  transient CASE --scenario NAME\n"
    "               run one of the case's scenarios in time (power steps, pump trips,\n"
    "               inlet excursions, PSU drop-out): when each limit is first reached\n"
    "  diff A B     compare two finished runs: every value with its change and unit,\n"
    "               the dies, and a map of the junction temperature difference\n"
    "  plot DIR     draw a finished run's figures again from DIR/result.h5\n"
    "               (e.g. as PDF or SVG: --figures pdf), without solving\n"
    "  report DIR   DIR/report.html: a finished run, limits search, transient, sweep or\n"
    "               envelope as one self-contained page to forward or print (also\n"
    "               --report on those commands)\n"
    "  outputs      every output ebsim writes: name, unit, meaning (--markdown: the\n"
    "               docs/output-reference.md page)\n"
    "\n"
    "options:\n"
    "  --help, -h   this text (or `ebsim COMMAND --help`)\n"
    "  --version    program version\n"
    "\n"
    "exit codes: 0 every limit holds, 3 a limit is broken, 2 bad input,\n"
    "            1 solver or internal failure (never a silent unconverged answer)\n"
    "\n"
    "parallel: `mpirun -n N ebsim run|limits|envelope|transient ...` splits each linear solve\n"
    "over N ranks (same answer); sweeps use worker processes instead (--jobs).\n"
    "\n"
    "environment: the solving commands start themselves once more with glibc's\n"
    "  GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (2 MiB pages: large runs about twice as\n"
    "  fast); EBSIM_HUGE_PAGES=0 keeps 4 KiB pages. A run with a core to spare faults\n"
    "  its memory in from a second thread while it solves; EBSIM_PREFAULT=0 turns that\n"
    "  off. OMP_NUM_THREADS: threads for a transient's vector operations (default: the\n"
    "  cores, on one rank).\n"
    "\n"
    "example:\n"
    "  ebsim run cases/cs3.yaml --set coolant.flow_lpm=37.5 --out out/low-flow\n"
    "\n"
    "The case-file reference is docs/case-reference.md, the output reference\n"
    "docs/output-reference.md.\n";

static const char *usage_run =
    "usage: ebsim run CASE [--set KEY=VALUE]... [--out DIR] [--quiet]\n"
    "                 [--figures png|pdf|svg|none] [--no-figures]\n"
    "                 [--mechanics-reference RUN_DIR] [--report [--top N]]\n"
    "\n"
    "Solve the steady thermal problem of CASE (YAML), with its power path when it has\n"
    "one (power_delivery: PSUs, boards, bricks, PCB, connector, die voltages), and\n"
    "write into DIR (default out/<case name>):\n"
    "  result.h5             grid, 3D temperature (C), wafer maps, per-die table, the\n"
    "                        power path's tables, summary, limits, the resolved case;\n"
    "                        every dataset has `units`\n"
    "  result.xdmf           open in ParaView (coordinates in metres)\n"
    "  summary.json          every reported value with its unit, limits with margins\n"
    "  dies.csv              the per-die table\n"
    "  wafer_temperature.png, heat_flux.png, coolant_temperature.png,\n"
    "  coolant_path.png, pump_curve.png, and with a power path die_voltage.png,\n"
    "  bricks.png, power_flow.png, and with mechanics connector_strain.png,\n"
    "  edge_slip.png   (.pdf or .svg with --figures)\n"
    "Before solving, the grid is checked against the memory available and DIR\n"
    "is created and proven writable.\n"
    "\n"
    "options:\n"
    "  --set KEY=VALUE  override one case value by its dotted path, e.g.\n"
    "                   --set coolant.inlet_c=30 --set stack.contact.conductance_w_m2k=2e4\n"
    "                   (repeatable; validated like the file)\n"
    "  --out DIR        output directory (created if missing)\n"
    "  --quiet          no progress lines (they are off anyway when stderr is not a terminal)\n"
    "  --figures FMT    png (default), pdf or svg (vector, for reports), or none\n"
    "  --no-figures     the same as --figures none\n"
    "  --report         also write report.html, the run as one page (ebsim report --help)\n"
    "  --top N          the report's table of the hottest dies: N of them (default 10)\n"
    "  --mechanics-reference RUN_DIR\n"
    "                   strains, stresses and slip against another run's temperatures\n"
    "                   (e.g. idle, from `ebsim run ... --set power.total_kw=2`) instead of\n"
    "                   the stress-free mechanics.reference_c: the range a power cycle\n"
    "                   puts on the connector, what fatigue depends on. Same grid needed.\n"
    "\n"
    "exit codes: 0 limits hold, 3 a limit is broken, 2 bad input (or a grid too large for\n"
    "            this machine, or an unwritable DIR), 1 no steady state (thermal runaway,\n"
    "            a collapsing supply, boiling coolant) or a solver failure\n";

static const char *usage_transient =
    "usage: ebsim transient CASE --scenario NAME [--until S] [--set KEY=VALUE]...\n"
    "                       [--out DIR] [--quiet] [--figures png|pdf|svg|none] [--no-figures]\n"
    "                       [--report [--top N]]\n"
    "\n"
    "Run scenario NAME of CASE in time: the case's `scenarios:` section declares each as a\n"
    "time table of events (steps or ramps of power, per-die power, flow, pumps running,\n"
    "inlet temperature, PSUs failed), its start (the steady state at t = 0, or uniform),\n"
    "its end and the times of field snapshots (docs/case-reference.md). The block's heat\n"
    "capacity, the coolant's transit through the plate and the power path are modelled;\n"
    "SUNDIALS CVODE (BDF) integrates with a multigrid-preconditioned Krylov solver, and\n"
    "root finding gives the first time each limit is reached: the hottest junction, the\n"
    "coolant outlet, coolant boiling and the bricks. It works at any flow, none included.\n"
    "Writes into DIR (default out/<case name>-<scenario>):\n"
    "  result.h5        the series (group series, die_series), the scenario's summary\n"
    "                   (group transient) and the final state like a steady run\n"
    "  series.csv, die_series.csv   the time series (hottest junction, outlet, flow,\n"
    "                   pressure drop, power, heat to the coolant, stored, energies)\n"
    "  snapshots.xdmf   the snapshot fields (snapshots/*.h5) as a ParaView animation\n"
    "  summary.json     time to each limit, peaks, the energy check, solver statistics\n"
    "  transient.png    the series with the limits and the times they are reached;\n"
    "                   and the final state's wafer maps\n"
    "\n"
    "options:\n"
    "  --scenario NAME  the scenario to run (the case's list is printed when missing)\n"
    "  --until S        end time in seconds (default: the scenario's until_s)\n"
    "  --set KEY=VALUE  override one case value, e.g. --set scenarios.pump-trip.until_s=90\n"
    "  --out DIR        output directory (created if missing)\n"
    "  --quiet          no progress bar\n"
    "  --figures FMT    png (default), pdf, svg or none; --no-figures the same as none\n"
    "  --report         also write report.html (ebsim report --help); --top N dies in it\n"
    "\n"
    "exit codes: 0 no limit reached, 3 a limit reached within the run, 2 bad input,\n"
    "            1 a solver failure or no solution (thermal runaway)\n"
    "example:\n"
    "  ebsim transient cases/cs3.yaml --scenario pump-trip\n";

static const char *usage_diff =
    "usage: ebsim diff RUN_A RUN_B [--resample] [--out DIR] [--figures png|pdf|svg]\n"
    "                                 [--no-figures]\n"
    "\n"
    "Compare two finished runs from their result.h5 files (give the runs' output\n"
    "directories or the files), without solving. Prints every single value of the\n"
    "output reference that both hold with A, B, B - A and its unit (a change of a\n"
    "C value is in K; text: same or CHANGED), in the output reference's order; the\n"
    "per-die table (each column's largest and mean change, then die by die); and\n"
    "the junction temperature difference. Writes into DIR (default\n"
    "out/diff-<A>-<B>):\n"
    "  diff.csv                     name, unit, a, b, change of every single value\n"
    "  junction_difference.png      wafer map of B - A of the junction temperature\n"
    "                               (K; blue: B cooler, red: B hotter)\n"
    "The maps are compared cell by cell, so the runs' grids must match; if they\n"
    "differ (another grid.dx_mm, wafer or die layout) diff refuses, naming both\n"
    "grids, unless --resample: B's map is then interpolated onto A's cell centres\n"
    "(bilinear; single values and dies need no resampling).\n"
    "\n"
    "example:\n"
    "  ebsim run cases/cs3.yaml --out out/base\n"
    "  ebsim run cases/cs3.yaml --set power.total_kw=30 --out out/30kw\n"
    "  ebsim diff out/base out/30kw\n"
    "\n"
    "exit codes: 0 compared, 2 a run unreadable or the grids differ (without\n"
    "            --resample), 1 a file could not be written\n";

static const char *usage_sweep =
    "usage: ebsim sweep CASE --param KEY=LIST|START:STOP:STEP [--param ...] [--with KEY=LIST]...\n"
    "                   [--set KEY=VALUE]... [--jobs N] [--resume] [--out DIR] [--quiet]\n"
    "                   [--figures FMT] [--no-figures] [--report]\n"
    "\n"
    "Solve CASE at every combination of the --param values (cartesian product, the first\n"
    "--param varies slowest). LIST is comma-separated (25,30,35 or pg25,water); a range\n"
    "includes STOP (25:40:5 is 25, 30, 35, 40). --set fixes the base case as in `run`.\n"
    "--with KEY=LIST lists values beside the --param before it instead of multiplying:\n"
    "--param power.total_kw=25,30 --with coolant.inlet_c=20,30 is two points, (25, 20) and\n"
    "(30, 30).\n"
    "Every value is checked like --set before anything runs. Each point is the base case\n"
    "with its values set in memory; points on the same grid reuse the solver and start\n"
    "from the previous answer. The points are shared among N worker processes (--jobs,\n"
    "default one per core; each takes the next point not yet taken and warm-starts along\n"
    "its own) and collected in point order.\n"
    "\n"
    "Each finished point is saved at once in DIR/.sweep-points/. A sweep that is killed\n"
    "or fails loses only the points being solved: the same command with --resume solves\n"
    "only the rest (a sweep of other values, case or --set refuses to resume them and\n"
    "says what differs; a rerun without --resume discards them). The folder is removed\n"
    "when the sweep's files are in place.\n"
    "\n"
    "Writes into DIR (default out/<case name>-sweep-<keys>):\n"
    "  sweep.csv   one row per point: the swept values, status, every reported single\n"
    "              value (units in the header); a failed point keeps its row with the reason\n"
    "  sweep.h5    the same table as typed columns (/table), the swept values as numeric\n"
    "              columns (/table/swept), each point's wafer map (/points)\n"
    "  sweep.png   hottest junction, outlet, pressure drop, pump power against the\n"
    "              first parameter, one line per value of the second\n"
    "and prints a table as the points finish (a progress bar on a terminal); with --report\n"
    "also report.html (the points, the figure, every value of every point: ebsim report).\n"
    "\n"
    "example:\n"
    "  ebsim sweep cases/cs3.yaml --param power.total_kw=25:40:5 --param coolant.flow_lpm=60,100\n"
    "\n"
    "exit codes: 0 every point solved, 1 a point failed (see its row), 2 bad input\n";

static const char *usage_map =
    "usage: ebsim map CASE --param KEY=LIST|START:STOP:STEP [--param ...] [--set KEY=VALUE]...\n"
    "                 [--checks N] [--max-error K] [--jobs N] [--resume] [--out DIR] [--quiet]\n"
    "                 [--figures FMT] [--no-figures]\n"
    "\n"
    "A design map: the table `sweep` would give over every combination of the --param\n"
    "values, from a few full solves. Temperatures rise almost linearly with the power,\n"
    "shift with the inlet and follow the flow smoothly, so a temperature is rebuilt as the\n"
    "inlet plus its rise, through solved values: along power.total_kw the rise over the\n"
    "power is a cubic through four solved powers, along coolant.inlet_c the rise is a\n"
    "quadratic through three solved inlets, along coolant.flow_lpm the rise times the flow\n"
    "is a quadratic through three solved flows; every other key is solved at each of its\n"
    "values. Other quantities are the same polynomials of their values, left empty between\n"
    "the solved points where the checks miss them by more than 1 % (and places always). N\n"
    "random points that were not solved (--checks, default 10) are then solved in full and\n"
    "compared: if the rebuilt temperatures' estimated error (below) is above --max-error\n"
    "(default 0.1 K), level 2 solves twice as many values per axis (two polynomials each,\n"
    "sharing the middle; level 1's solves kept, the others added) and checks again (at the\n"
    "same points unless one of them is now solved); if that misses too, every point is\n"
    "solved. Each row says whether it was solved and its estimated error: twice the largest\n"
    "miss measured at the checks (0 where solved; the worst point of a full sweep missed by\n"
    "up to 1.8x the checks', more with few checks), and a level is accepted when that\n"
    "estimate is within --max-error. The case's limits are judged on the rebuilt values; a\n"
    "row whose limited quantities are not all rebuilt is not known to keep every limit\n"
    "(all_limits_ok false).\n"
    "\n"
    "Writes into DIR (default out/<case name>-map-<keys>):\n"
    "  map.csv, map.h5  one row per point, as sweep.csv and sweep.h5, with\n"
    "                   map_point_solved and map_error_estimate_k (no wafer maps)\n"
    "  map.png          the sweep figure over the map\n"
    "  anchors/, checks/  the full solves, each a sweep directory (anchors-2/: the ones\n"
    "                   level 2 added)\n"
    "\n"
    "example:\n"
    "  ebsim map cases/cs4.yaml --param coolant.flow_lpm=60,80,100,120 \\\n"
    "      --param coolant.inlet_c=15:45:5 --param power.total_kw=20:40:2\n"
    "\n"
    "exit codes: 0 every point solved or rebuilt, 1 a point failed (see its row), 2 bad input\n";

static const char *usage_limits =
    "usage: ebsim limits CASE --find KEY (--max|--min) [--tol VALUE] [--set KEY=VALUE]...\n"
    "                    [--out DIR] [--quiet] [--figures FMT] [--no-figures] [--report [--top N]]\n"
    "\n"
    "Find the largest (--max) or smallest (--min) value of the numeric case key KEY for\n"
    "which every limit of the case holds (section `limits`): steps from the case's own\n"
    "value, doubling, until a limit changes state, then Brent's method on the smallest\n"
    "relative limit margin, to within --tol (in KEY's unit; default 1e-3 of the start\n"
    "value). Prints the value, the limit that binds and the margin of the others, and\n"
    "writes the run at that value (solved once, during the search) into DIR (default\n"
    "out/<case>-limits-<KEY>-<max|min>), with summary.json also holding search_key,\n"
    "search_value, binding_limit and the margins (and with --report, report.html: the\n"
    "answer, the limits worst first, the run's figures and values: ebsim report).\n"
    "\n"
    "examples:\n"
    "  ebsim limits cases/cs3.yaml --find coolant.inlet_c --max\n"
    "  ebsim limits cases/cs3.yaml --find coolant.flow_lpm --min\n"
    "  ebsim limits cases/cs3.yaml --find power.total_kw --max --tol 0.1\n"
    "  ebsim limits cases/cs4.yaml --set power.die_model=electrical --find power.clock --max\n"
    "\n"
    "A value where no steady state exists (a thermal runaway, a collapsing supply) counts\n"
    "as beyond every limit.\n"
    "\n"
    "exit codes: 0 found (or no limit binds in the key's range, said so), 3 no value\n"
    "keeps every limit, 1 solver failure, 2 bad input\n";

static const char *usage_envelope =
    "usage: ebsim envelope CASE --power-kw LIST [--flow-per-kw LIST] [--set KEY=VALUE]...\n"
    "                      [--out DIR] [--quiet] [--figures FMT] [--no-figures] [--report]\n"
    "\n"
    "For each power (kW) and each flow per power (L/min/kW; default 0.5,0.75,1,1.5,2,3,4), the\n"
    "warmest coolant inlet for which every limit of the case holds (a limit search on\n"
    "coolant.inlet_c). Read along a power's line the other way, the same curve gives the\n"
    "least flow for a given inlet temperature. Prints the table and writes envelope.csv,\n"
    "envelope_min_flow.csv and envelope.png (the case's operating point and the\n"
    "1.5 L/min/kW, 45 C facility reference marked) into DIR (default out/<case>-envelope);\n"
    "with --report also report.html (the tables and the figure on one page).\n"
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
    "heat_flux, coolant_temperature, coolant_path and pump_curve (and with a power\n"
    "path die_voltage, bricks and power_flow) in the format of --figures (default\n"
    "png), into DIR (or DIR2).\n"
    "\n"
    "example:\n"
    "  ebsim run cases/cs3.yaml --out out/base && ebsim plot out/base --figures svg\n"
    "\n"
    "exit codes: 0 drawn, 2 no readable result.h5, 1 a figure failed\n";

static const char *usage_check =
    "usage: ebsim check CASE [--set KEY=VALUE]... [--dump]\n"
    "\n"
    "Validate CASE and the overrides; print the grid size, the estimated peak memory and\n"
    "run time of a run, and the memory available. Nothing is solved or written.\n"
    "  --dump   print the resolved case (every value, defaults included) as YAML\n"
    "\n"
    "exit codes: 0 valid (and the grid fits), 2 bad input or a grid too large\n";

static const char *usage_report =
    "usage: ebsim report DIR [--top N] [--out DIR2]\n"
    "\n"
    "Write DIR/report.html (or DIR2/report.html): the finished output in DIR as one\n"
    "self-contained HTML page, figures embedded, nothing fetched: it opens offline,\n"
    "forwards as one file and prints to PDF from the browser. Nothing is solved. DIR is\n"
    "the output directory of\n"
    "  run, limits   the headline (hottest junction, the verdict, coolant, power, energy\n"
    "                balance), the operating point, every limit with its margin (worst\n"
    "                first), the figures, the N hottest dies, every single value with\n"
    "                its unit and meaning, the case file's [E] assumptions (key, value,\n"
    "                the value this run used, the file's note) and the resolved case;\n"
    "                a limits search adds its answer and binding limit\n"
    "  transient     the same for the final state, with when each limit was reached\n"
    "  sweep         the points (swept values, verdict, the limited quantities), the\n"
    "                first limit to break, sweep.png, every value of every point\n"
    "  envelope      envelope.csv, envelope_min_flow.csv and envelope.png\n"
    "`run`, `limits`, `transient`, `sweep` and `envelope` write the same page with --report.\n"
    "DIR must hold a complete output set (its manifest.json); the report joins it.\n"
    "\n"
    "options:\n"
    "  --top N      the hottest dies listed (default 10)\n"
    "  --out DIR2   write the report there instead (created if missing)\n"
    "\n"
    "example:\n"
    "  ebsim run cases/cs3.yaml --out out/base && ebsim report out/base\n"
    "\n"
    "exit codes: 0 written, 2 DIR is not a complete ebsim output (the message says what\n"
    "            it expected), 1 the page could not be written\n";

static const char *usage_outputs =
    "usage: ebsim outputs [--markdown]\n"
    "\n"
    "List every quantity ebsim reports (summary.json, result.h5, sweep tables): name,\n"
    "unit, kind and meaning. --markdown prints docs/output-reference.md.\n";

/* ---- arguments ---------------------------------------------------------------------------- */

typedef enum {
  CMD_RUN, CMD_CHECK, CMD_SWEEP, CMD_MAP, CMD_LIMITS, CMD_ENVELOPE, CMD_PLOT, CMD_OUTPUTS, CMD_TRANSIENT,
  CMD_DIFF, CMD_REPORT
} Command;

/* The command table, in Command order. */
static const struct {
  const char *name;
  Command cmd;
  int mpi; /* solves under MPI (rank 0 speaks); the others run on rank 0 alone */
} commands[] = {
    {"run", CMD_RUN, 1},           {"check", CMD_CHECK, 0}, {"sweep", CMD_SWEEP, 1},
    {"map", CMD_MAP, 1},
    {"limits", CMD_LIMITS, 1},     {"envelope", CMD_ENVELOPE, 1}, {"plot", CMD_PLOT, 0},
    {"outputs", CMD_OUTPUTS, 0},   {"transient", CMD_TRANSIENT, 1}, {"diff", CMD_DIFF, 0},
    {"report", CMD_REPORT, 0},
};

static const char *usage_of(Command c) {
  switch (c) {
  case CMD_RUN: return usage_run;
  case CMD_CHECK: return usage_check;
  case CMD_SWEEP: return usage_sweep;
  case CMD_MAP: return usage_map;
  case CMD_LIMITS: return usage_limits;
  case CMD_ENVELOPE: return usage_envelope;
  case CMD_PLOT: return usage_plot;
  case CMD_OUTPUTS: return usage_outputs;
  case CMD_TRANSIENT: return usage_transient;
  case CMD_DIFF: return usage_diff;
  case CMD_REPORT: return usage_report;
  }
  return usage_main;
}

typedef struct {
  Command cmd;
  const char *case_path;
  const char *out_dir;
  const char **sets;
  int n_sets;
  const char **params;
  int n_params;
  const char *power_kw, *flow_per_kw;
  int jobs;               /* sweep: worker processes (0: one per core) */
  int worker_k, worker_n; /* sweep worker: k of n workers (n = 0: not a worker) */
  int resume;             /* sweep, map: --resume */
  int *param_with;        /* sweep: the --param at i is a --with (listed beside the one before) */
  int checks;             /* map: --checks N (-1: the default) */
  int ranks_per_point;    /* sweep, map under mpirun: --ranks-per-point K (0: 1) */
  double max_error;       /* map: --max-error K (NaN: the default) */
  const char *find;
  int find_max, find_min;
  double tol;
  int quiet, dump, help, markdown;
  FigureFormat figures; /* --figures / --no-figures (default PNG) */
  const char *mech_ref;  /* run: --mechanics-reference RUN_DIR */
  const char *scenario;  /* transient: --scenario NAME */
  double until;          /* transient: --until S (NaN: the scenario's) */
  const char *run_b;     /* diff: the second run (case_path is the first) */
  int resample;          /* diff: --resample */
  int report;            /* run, limits, transient, sweep, envelope: --report */
  int top;               /* report: --top N (0: the default) */
} Args;

/* An option's value: "--opt=v" or the next argument. */
static const char *value_of(int argc, char **argv, int *i, const char *opt) {
  const char *s = argv[*i];
  size_t n = strlen(opt);
  if (s[n] == '=') return s + n + 1;
  return *i + 1 < argc ? argv[++*i] : NULL;
}

static int is_opt(const char *s, const char *opt) {
  size_t n = strlen(opt);
  return !strncmp(s, opt, n) && (s[n] == '\0' || s[n] == '=');
}

/* Parse the options after the command. EB_OK or EB_EINPUT (said on stderr). */
static int parse_args(int argc, char **argv, Args *a) {
  const Command c = a->cmd;
  const int runs = c == CMD_RUN || c == CMD_SWEEP || c == CMD_MAP || c == CMD_LIMITS || c == CMD_ENVELOPE ||
                   c == CMD_TRANSIENT;
  a->sets = calloc((size_t)argc + 1, sizeof *a->sets);
  a->params = calloc((size_t)argc + 1, sizeof *a->params);
  a->param_with = calloc((size_t)argc + 1, sizeof *a->param_with);
  if (!a->sets || !a->params || !a->param_with) return EB_EFAIL;
  for (int i = 0; i < argc; i++) {
    const char *s = argv[i], *v = NULL;
    if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
      a->help = 1;
    } else if (c != CMD_PLOT && c != CMD_OUTPUTS && c != CMD_DIFF && is_opt(s, "--set")) {
      if (!(v = value_of(argc, argv, &i, "--set"))) {
        fprintf(stderr, "ebsim: --set needs KEY=VALUE, e.g. --set coolant.inlet_c=30\n");
        return EB_EINPUT;
      }
      a->sets[a->n_sets++] = v;
    } else if ((c == CMD_SWEEP || c == CMD_MAP) && is_opt(s, "--jobs")) {
      char *end = NULL;
      v = value_of(argc, argv, &i, "--jobs");
      long j = v ? strtol(v, &end, 10) : 0;
      if (!end || *end || j < 1 || j > POOL_MAX_JOBS) {
        fprintf(stderr, "ebsim: --jobs needs a number of processes, 1 to %d\n", POOL_MAX_JOBS);
        return EB_EINPUT;
      }
      a->jobs = (int)j;
    } else if ((c == CMD_SWEEP || c == CMD_MAP) && !strcmp(s, "--resume")) {
      a->resume = 1;
    } else if (c == CMD_SWEEP && !strcmp(s, "--worker")) {
      /* internal: a share of a parallel sweep, "k/n" (solver/studies/pool.h) */
      if (i + 1 >= argc || sscanf(argv[++i], "%d/%d", &a->worker_k, &a->worker_n) != 2 ||
          a->worker_n < 1 || a->worker_k < 0 || a->worker_k >= a->worker_n) {
        fprintf(stderr, "ebsim: --worker needs k/n\n");
        return EB_EINPUT;
      }
    } else if ((c == CMD_SWEEP || c == CMD_MAP) && is_opt(s, "--param")) {
      if (!(v = value_of(argc, argv, &i, "--param"))) {
        fprintf(stderr, "ebsim: --param needs KEY=LIST or KEY=START:STOP:STEP\n");
        return EB_EINPUT;
      }
      a->params[a->n_params++] = v;
    } else if (c == CMD_SWEEP && is_opt(s, "--with")) {
      if (!(v = value_of(argc, argv, &i, "--with"))) {
        fprintf(stderr, "ebsim: --with needs KEY=LIST (one value per value of the --param "
                        "before it)\n");
        return EB_EINPUT;
      }
      a->param_with[a->n_params] = 1;
      a->params[a->n_params++] = v;
    } else if ((c == CMD_SWEEP || c == CMD_MAP || c == CMD_ENVELOPE) &&
               is_opt(s, "--ranks-per-point")) {
      char *end = NULL;
      v = value_of(argc, argv, &i, "--ranks-per-point");
      long k = v ? strtol(v, &end, 10) : 0;
      if (!end || *end || k < 1 || k > 4096) {
        fprintf(stderr, "ebsim: --ranks-per-point needs a number of MPI ranks per point, 1 or "
                        "more (under mpirun)\n");
        return EB_EINPUT;
      }
      a->ranks_per_point = (int)k;
    } else if (c == CMD_MAP && is_opt(s, "--checks")) {
      char *end = NULL;
      v = value_of(argc, argv, &i, "--checks");
      long k = v ? strtol(v, &end, 10) : -1;
      if (!end || *end || k < 0 || k > SWEEP_MAX_VALUES) {
        fprintf(stderr, "ebsim: --checks needs a number of check points, 0 to %d\n",
                SWEEP_MAX_VALUES);
        return EB_EINPUT;
      }
      a->checks = (int)k;
    } else if (c == CMD_MAP && is_opt(s, "--max-error")) {
      char *end = NULL;
      v = value_of(argc, argv, &i, "--max-error");
      a->max_error = v ? strtod(v, &end) : NAN;
      if (!end || *end || !(a->max_error > 0) || !isfinite(a->max_error)) {
        fprintf(stderr, "ebsim: --max-error needs a positive number of kelvin\n");
        return EB_EINPUT;
      }
    } else if (c == CMD_ENVELOPE && (is_opt(s, "--power-kw") || is_opt(s, "--flow-per-kw"))) {
      int power = is_opt(s, "--power-kw");
      if (!(v = value_of(argc, argv, &i, power ? "--power-kw" : "--flow-per-kw"))) {
        fprintf(stderr, "ebsim: %s needs a list like 25,30,35\n", power ? "--power-kw" : "--flow-per-kw");
        return EB_EINPUT;
      }
      *(power ? &a->power_kw : &a->flow_per_kw) = v;
    } else if (c == CMD_LIMITS && is_opt(s, "--find")) {
      if (!(a->find = value_of(argc, argv, &i, "--find"))) {
        fprintf(stderr, "ebsim: --find needs a case key, e.g. coolant.inlet_c\n");
        return EB_EINPUT;
      }
    } else if (c == CMD_LIMITS && !strcmp(s, "--max")) {
      a->find_max = 1;
    } else if (c == CMD_LIMITS && !strcmp(s, "--min")) {
      a->find_min = 1;
    } else if (c == CMD_LIMITS && is_opt(s, "--tol")) {
      char *end = NULL;
      v = value_of(argc, argv, &i, "--tol");
      a->tol = v ? strtod(v, &end) : NAN;
      if (!end || *end || !(a->tol > 0)) {
        fprintf(stderr, "ebsim: --tol needs a positive number in the key's unit\n");
        return EB_EINPUT;
      }
    } else if (c == CMD_RUN && is_opt(s, "--mechanics-reference")) {
      if (!(a->mech_ref = value_of(argc, argv, &i, "--mechanics-reference")) || !*a->mech_ref) {
        fprintf(stderr, "ebsim: --mechanics-reference needs a run's output directory\n");
        return EB_EINPUT;
      }
    } else if (c == CMD_TRANSIENT && is_opt(s, "--scenario")) {
      if (!(a->scenario = value_of(argc, argv, &i, "--scenario")) || !*a->scenario) {
        fprintf(stderr, "ebsim: --scenario needs the name of one of the case's scenarios\n");
        return EB_EINPUT;
      }
    } else if (c == CMD_TRANSIENT && is_opt(s, "--until")) {
      char *end = NULL;
      v = value_of(argc, argv, &i, "--until");
      a->until = v ? strtod(v, &end) : NAN;
      if (!end || *end || !(a->until > 0) || !isfinite(a->until)) {
        fprintf(stderr, "ebsim: --until needs an end time in seconds, > 0 (e.g. --until 120)\n");
        return EB_EINPUT;
      }
    } else if ((runs || c == CMD_PLOT || c == CMD_DIFF || c == CMD_REPORT) && is_opt(s, "--out")) {
      if (!(v = value_of(argc, argv, &i, "--out")) || !*v) {
        fprintf(stderr, "ebsim: --out needs a directory\n");
        return EB_EINPUT;
      }
      a->out_dir = v;
    } else if (runs && !strcmp(s, "--quiet")) {
      a->quiet = 1;
    } else if ((runs || c == CMD_PLOT || c == CMD_DIFF) && !strcmp(s, "--no-figures")) {
      a->figures = FIGURES_NONE;
    } else if ((runs || c == CMD_PLOT || c == CMD_DIFF) && is_opt(s, "--figures")) {
      v = value_of(argc, argv, &i, "--figures");
      if (Output_figure_format(v, &a->figures) != EB_OK) {
        fprintf(stderr, "ebsim: --figures needs png, pdf, svg or none, got '%s'\n", v ? v : "");
        return EB_EINPUT;
      }
    } else if (c == CMD_CHECK && !strcmp(s, "--dump")) {
      a->dump = 1;
    } else if (c == CMD_OUTPUTS && !strcmp(s, "--markdown")) {
      a->markdown = 1;
    } else if (c == CMD_DIFF && !strcmp(s, "--resample")) {
      a->resample = 1;
    } else if ((c == CMD_RUN || c == CMD_SWEEP || c == CMD_LIMITS || c == CMD_ENVELOPE ||
                c == CMD_TRANSIENT) && !strcmp(s, "--report")) {
      a->report = 1;
    } else if ((c == CMD_REPORT || c == CMD_RUN || c == CMD_LIMITS || c == CMD_TRANSIENT) &&
               is_opt(s, "--top")) {
      char *end = NULL;
      v = value_of(argc, argv, &i, "--top");
      long n = v ? strtol(v, &end, 10) : 0;
      if (!end || *end || n < 1 || n > 100000) {
        fprintf(stderr, "ebsim: --top needs a number of dies, at least 1 (e.g. --top 20)\n");
        return EB_EINPUT;
      }
      a->top = (int)n;
    } else if (s[0] == '-' && s[1]) {
      fprintf(stderr, "ebsim: unknown option '%s' (see ebsim %s --help)\n", s,
              commands[c].name);
      return EB_EINPUT;
    } else if (c == CMD_DIFF && a->case_path && !a->run_b) {
      a->run_b = s;
    } else if (!a->case_path && c != CMD_OUTPUTS) {
      a->case_path = s;
    } else {
      fprintf(stderr, "ebsim: unexpected argument '%s'%s\n", s,
              c == CMD_OUTPUTS ? "" : ": one case file per run");
      return EB_EINPUT;
    }
  }
  if (!a->help && !a->case_path && c != CMD_OUTPUTS) {
    if (c == CMD_DIFF)
      fprintf(stderr, "ebsim: missing RUN_A RUN_B (two runs' output directories)\n");
    else if (c == CMD_PLOT)
      fprintf(stderr, "ebsim: missing DIR (the output directory of a run, with result.h5)\n");
    else if (c == CMD_REPORT)
      fprintf(stderr, "ebsim: missing DIR (the output directory of a run, limits search, "
                      "transient, sweep or envelope)\n");
    else
      fprintf(stderr, "ebsim: missing CASE (a YAML case file, e.g. cases/cs3.yaml)\n");
    return EB_EINPUT;
  }
  return EB_OK;
}

/* ---- shared steps ------------------------------------------------------------------------- */

static int say(int rc, const char *err) {
  if (rc != EB_OK && Runtime_rank() == 0) fprintf(stderr, "ebsim: %s\n", err);
  return rc;
}

/* The case file's own text, comments and [E] marks kept (read with the
 * case; stored in result.h5 for the report's assumptions), or NULL. */
static char *case_source;

static void keep_case_source(const char *path) {
  free(case_source);
  case_source = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return;
  char *text = NULL;
  size_t n = 0, cap = 0;
  int bad = 0;
  for (;;) {
    if (n + 4096 + 1 > cap) {
      char *p = realloc(text, cap = 2 * cap + 8192);
      if (!p) {
        bad = 1;
        break;
      }
      text = p;
    }
    const size_t got = fread(text + n, 1, 4096, f);
    n += got;
    if (got < 4096) break;
  }
  bad |= ferror(f);
  fclose(f);
  if (bad) {
    free(text);
    return;
  }
  text[n] = '\0';
  case_source = text;
}

static int read_case(const Args *a, Case *c) {
  char err[EB_ERRLEN];
  int rc = say(Case_read(a->case_path, a->n_sets, a->sets, c, err, sizeof err), err);
  if (rc == EB_OK) keep_case_source(a->case_path);
  return rc;
}

/* --out DIR, or out/<case name><suffix>. */
static const char *out_dir(const Args *a, const Case *c, const char *suffix, char *buf,
                           size_t size) {
  if (a->out_dir) return a->out_dir;
  snprintf(buf, size, "out/%s%s", c->name, suffix);
  return buf;
}

/* Before any solve: the grid fits and the output directory takes files. */
static int preflight(const Case *c, const char *dir) {
  char err[EB_ERRLEN];
  int rc = Model_check_fits(c, err, sizeof err);
  if (rc == EB_OK && Runtime_rank() == 0) rc = Output_prepare_dir(dir, err, sizeof err);
  Runtime_bcast_int(&rc);
  return say(rc, err);
}

/* A run's files, written by rank 0 (the others wait for its status); on
 * more than one rank the fields and maps of result.h5 by every rank, each
 * its own rows (parallel HDF5), between rank 0's start of the file and its
 * other files. */
static int write_run(const Args *a, const Case *c, const Grid *g, const Result *view,
                     const char *dir) {
  char err[EB_ERRLEN] = "";
  int rc = EB_OK;
  char *text = Runtime_rank() == 0 ? Case_dump_string(c) : NULL;
  OutputOptions oo = {.dir = dir, .case_text = text ? text : "", .version = EBSIM_VERSION,
                      .figures = a->figures, .case_source = case_source,
                      .case_path = a->case_path};
  if (Runtime_size() > 1) {
    if (Runtime_rank() == 0)
      rc = Output_write_h5_start(c, g, Model_registry(), view, &oo, "result.h5", err, sizeof err);
    Runtime_bcast_int(&rc);
    if (rc == EB_OK)
      rc = Output_write_h5_rows(g, Model_registry(), view, dir, "result.h5", Runtime_comm(), err,
                                sizeof err);
    oo.h5_rows = OUTPUT_H5_ROWS_DONE;
  }
  if (Runtime_rank() == 0 && rc == EB_OK)
    rc = Output_write_all(c, g, Model_registry(), view, &oo, err, sizeof err);
  free(text);
  Runtime_bcast_int(&rc);
  return say(rc, err);
}

/* --report: DIR/report.html from the files just written there, joined to
 * their set (this process holds DIR's lock). Rank 0 only. */
static int write_report(const Args *a, const char *dir) {
  char err[EB_ERRLEN];
  ReportOptions o = {.top = a->top};
  int rc = Output_write_report(Model_registry(), dir, dir, &o, err, sizeof err);
  if (rc == EB_OK) rc = Output_set_finish(dir, OUTPUT_SET_ADD, err, sizeof err);
  if (rc == EB_OK) printf("  Report             %s/%s\n", dir, REPORT_FILE);
  return say(rc, err);
}

/* The same where every rank runs the command. */
static int write_report_ranks(const Args *a, const char *dir) {
  int rc = Runtime_rank() == 0 ? write_report(a, dir) : EB_OK;
  Runtime_bcast_int(&rc);
  return rc;
}

/* ---- commands ----------------------------------------------------------------------------- */

static int cmd_check(const Args *a) {
  static Case c;
  int rc = read_case(a, &c);
  if (rc != EB_OK) return rc;
  char err[EB_ERRLEN], need[32], have[32];
  ModelEstimate e;
  rc = say(Model_estimate(&c, &e, err, sizeof err), err);
  if (rc != EB_OK) return rc;
  if (a->dump) {
    Case_dump(&c, stdout);
  } else {
    Resources_format_bytes(e.bytes, need, sizeof need);
    Resources_format_bytes(e.available, have, sizeof have);
    printf("%s: case '%s' is valid: %d layers, grid %d x %d x %d = %.0f cells\n", a->case_path,
           c.name, c.n_layers, e.nx, e.ny, e.nz, e.cells);
    printf("  estimated run: peak memory %s (%s available, %s), wall time about %.0f s on 2 "
           "cores\n",
           need, have, e.available_from, fmax(e.seconds, 1.0));
  }
  return say(Model_check_fits(&c, err, sizeof err), err);
}

/* Solve, write the output, print the report. Under `mpirun -n N` every rank
 * runs the same steps on the same data (the linear solves are split, their
 * answers gathered); rank 0 alone prints and writes. */
/* The 3D temperatures (K) of another run, for the mechanics' strain range:
 * its grid must be the one case c makes. */
static int read_reference(const char *dir, const Case *c, double **t_k, size_t *cells, char *err,
                          size_t es) {
  char h5[1100];
  snprintf(h5, sizeof h5, "%s/result.h5", dir);
  struct stat sb;
  if (stat(h5, &sb) != 0) {
    snprintf(err, es, "--mechanics-reference: %.900s: no such file; give a run's output directory",
             h5);
    return EB_EINPUT;
  }
  if (!c->mech.enabled) {
    snprintf(err, es, "--mechanics-reference needs a case with a mechanics section");
    return EB_EINPUT;
  }
  static Case rc_case;
  Grid *g = NULL;
  Result r;
  const Registry *reg = Model_registry();
  int rc = Output_read_result(h5, &rc_case, &g, reg, &r, err, es);
  if (rc != EB_OK) return rc;
  int nx, ny, nz;
  Grid_dims(c, &nx, &ny, &nz);
  if (g->nx != nx || g->ny != ny || g->nz != nz) {
    snprintf(err, es,
             "--mechanics-reference: the run in %.600s has a %d x %d x %d grid, this case %d x %d "
             "x %d: use the same grid.dx_mm, grid.dz_mm and stack",
             dir, g->nx, g->ny, g->nz, nx, ny, nz);
    rc = EB_EINPUT;
  } else {
    /* this rank's rows, as the run's solve holds its own field */
    *cells = Grid_cells(g);
    rc = Output_read_field(h5, reg, "temperature_c", g, Rows_own(g, Runtime_field_comm()), t_k,
                           err, es);
  }
  Output_result_free(reg, &r);
  Grid_destroy(g);
  return rc;
}

static int cmd_run(const Args *a) {
  static Case c;
  int rc = read_case(a, &c);
  char dir_buf[600], err[EB_ERRLEN];
  const char *dir = rc == EB_OK ? out_dir(a, &c, "", dir_buf, sizeof dir_buf) : NULL;
  if (rc == EB_OK) rc = preflight(&c, dir);
  if (rc != EB_OK) return rc;
  const int progress = Runtime_rank() == 0 && !a->quiet && isatty(fileno(stderr));
  ModelOptions mo = {.verbose = progress, .progress_stream = stderr, .last_solve = 1};
  double *ref = NULL;
  char ref_label[160];
  if (a->mech_ref) {
    rc = say(read_reference(a->mech_ref, &c, &ref, &mo.mech_ref_cells, err, sizeof err), err);
    if (rc != EB_OK) return rc;
    snprintf(ref_label, sizeof ref_label, "range against run %.140s", a->mech_ref);
    mo.mech_ref_t_k = ref;
    mo.mech_ref_label = ref_label;
  }
  Model *m = NULL;
  static ModelResult r;
  rc = Model_create(&m, err, sizeof err);
  if (rc == EB_OK) {
    if (progress) {
      ModelEstimate e;
      if (Model_estimate(&c, &e, err, sizeof err) == EB_OK)
        fprintf(stderr, "ebsim: solving %s: %d x %d x %d = %.0f cells\n", c.name, e.nx, e.ny, e.nz,
                e.cells);
    }
    rc = Model_solve(m, &c, &mo, &r, err, sizeof err);
  }
  if (say(rc, err) == EB_OK) {
    Result view;
    ModelResult_view(&r, &view);
    if (progress) fprintf(stderr, "ebsim: writing %s/\n", dir);
    rc = write_run(a, &c, Model_grid(m), &view, dir);
    if (rc == EB_OK && Runtime_rank() == 0) {
      Output_report(stdout, &c, Model_registry(), &view);
      printf("  Output             %s/ (result.h5, result.xdmf, summary.json, dies.csv%s%s%s)\n", dir,
             a->figures ? ", " : "", a->figures ? Output_figure_ext(a->figures) : "",
             a->figures ? " figures" : "");
    }
    if (rc == EB_OK && a->report) rc = write_report_ranks(a, dir);
    if (rc == EB_OK) rc = r.limits.all_ok ? EB_OK : EB_ELIMIT;
    ModelResult_free(&r);
  }
  Model_destroy(m);
  free(ref);
  return rc;
}

/* ---- sweep ---- */

typedef struct {
  SweepWriter *w;
  FILE *table;     /* console rows, NULL in a worker */
  int worker;      /* a worker saves its points; the sweep's process also reads them */
  int progress;    /* a progress bar on stderr */
  size_t done;     /* points done (resumed ones included) */
  size_t kept;     /* points a resumed sweep found saved */
  int write_failed;
  int group_member;  /* a rank of an MPI group that is not its leader: solves, saves nothing */
  int mpi;           /* an MPI study: the group's leader claims and says so to its group */
  char err[EB_ERRLEN];
} SweepUser;

/* Every point is saved whole before it counts: a killed sweep keeps it. */
static int sweep_point(size_t index, size_t total, const int *idx, SweepPoint *pt, const Grid *g,
                       void *user) {
  SweepUser *u = user;
  (void)idx;
  if (u->group_member) return 0; /* the group's leader saves the point */
  if (u->progress) Output_progress_clear(stderr);
  Result view;
  ModelResult_view(&pt->r, &view);
  int rc = SweepWriter_save(u->w, index, pt->status, pt->err, pt->status == EB_OK ? &view : NULL,
                            pt->status == EB_OK ? g : NULL, u->err, sizeof u->err);
  if (rc == EB_OK && !u->worker) rc = SweepWriter_load(u->w, index, u->table, u->err, sizeof u->err);
  if (rc != EB_OK) {
    u->write_failed = 1;
    /* in a rank group the leader stops at its next claim, with its group */
    return u->mpi ? 0 : 1;
  }
  if (u->progress) Output_progress_bar(stderr, ++u->done, total, 1);
  return 0;
}

static int sweep_claim(size_t index, void *user) {
  SweepUser *u = user;
  if (!u->mpi) return u->worker ? SweepWriter_claim(u->w, index) : !SweepWriter_is_saved(u->w, index);
  /* an MPI group: its leader claims (the claim files are shared by every
   * group, as a pool's workers share them) and tells its ranks: 1 solve,
   * 0 skip, -1 stop (the leader could not save its last point) */
  int mine = 0;
  if (!u->group_member) mine = u->write_failed ? -1 : SweepWriter_claim(u->w, index);
  Runtime_bcast_int(&mine);
  return mine;
}

/* While the workers run: the points saved so far. */
static void sweep_poll(int running, void *user) {
  SweepUser *u = user;
  Output_progress_bar(stderr, SweepWriter_saved_count(u->w), SweepWriter_points(u->w), running);
}

/* --param text of p ("KEY=v1,v2,..."), for a worker's command line. */
static void param_text(const SweepParam *p, char *buf, size_t size) {
  int len = snprintf(buf, size, "%s=", p->key);
  for (int k = 0; k < p->n && len > 0 && (size_t)len < size; k++)
    len += snprintf(buf + len, size - (size_t)len, "%s%s", k ? "," : "", p->values[k]);
}

/* The sweep on `jobs` worker processes; each saves its points. */
static int sweep_parallel(const Args *a, const SweepParam *params, int n_params, int jobs,
                          const char *dir, SweepUser *u, char *err, size_t err_size) {
  const char **argv = calloc((size_t)(2 * a->n_sets + 2 * n_params + 8), sizeof *argv);
  static char texts[SWEEP_MAX_PARAMS][SWEEP_MAX_VALUES * (SWEEP_VALUE_LEN + 1) + 160];
  if (!argv) return EB_EFAIL;
  int n = 0;
  argv[n++] = "ebsim";
  argv[n++] = "sweep";
  argv[n++] = a->case_path;
  for (int i = 0; i < a->n_sets; i++) {
    argv[n++] = "--set";
    argv[n++] = a->sets[i];
  }
  for (int i = 0; i < n_params; i++) {
    param_text(&params[i], texts[i], sizeof texts[i]);
    argv[n++] = params[i].zip ? "--with" : "--param";
    argv[n++] = texts[i];
  }
  argv[n++] = "--out";
  argv[n++] = dir;
  argv[n++] = "--quiet";
  argv[n] = NULL;
  int rc = Pool_run(argv, jobs, u->progress ? sweep_poll : NULL, u, err, err_size);
  free(argv);
  if (u->progress) Output_progress_clear(stderr);
  return rc;
}

/* What makes two sweeps the same, for --resume: the program, the case
 * after --set (its fingerprint covers every value) and the swept values. */
static void sweep_identity(const Case *base, const SweepParam *params, int n_params, char *buf,
                           size_t size) {
  int len = snprintf(buf, size, "ebsim %s\ncase %s, fingerprint %016llx\n", EBSIM_VERSION,
                     base->name, (unsigned long long)Case_fingerprint(base));
  for (int i = 0; i < n_params && len > 0 && (size_t)len < size; i++) {
    len += snprintf(buf + len, size - (size_t)len, "%s %s=", params[i].zip ? "--with" : "--param",
                    params[i].key);
    for (int k = 0; k < params[i].n && (size_t)len < size; k++)
      len += snprintf(buf + len, size - (size_t)len, "%s%s", k ? "," : "", params[i].values[k]);
    if ((size_t)len < size) len += snprintf(buf + len, size - (size_t)len, "\n");
  }
}

/* The --param (and --with) texts of a into params: parsed, zips checked,
 * every value checked on the base case; units of each key. */
static int sweep_params(const Args *a, const Case *base, SweepParam *params, int *n_params,
                        const char **units) {
  char err[EB_ERRLEN];
  Args from_case = *a;
  if (a->n_params == 0) { /* the case's own `sweep` list */
    static const char *case_params[CASE_MAX_SWEEP];
    if (base->n_sweep == 0)
      return say(EB_EINPUT, "sweep needs --param KEY=LIST|START:STOP:STEP or a `sweep:` list "
                            "in the case");
    for (int i = 0; i < base->n_sweep; i++) case_params[i] = base->sweep[i];
    from_case.params = case_params;
    from_case.param_with = NULL;
    from_case.n_params = base->n_sweep;
    a = &from_case;
  }
  if (a->n_params > SWEEP_MAX_PARAMS) {
    snprintf(err, sizeof err, "at most %d --param and --with", SWEEP_MAX_PARAMS);
    return say(EB_EINPUT, err);
  }
  for (int i = 0; i < a->n_params; i++) {
    const int zip = a->param_with && a->param_with[i];
    if (Sweep_parse_param(a->params[i], &params[i], err, sizeof err) != EB_OK)
      return say(EB_EINPUT, err);
    params[i].zip = zip;
    if (zip && i == 0)
      return say(EB_EINPUT, "--with lists its values beside the --param before it: give a "
                            "--param first");
    if (zip && params[i].n != params[i - 1].n) {
      snprintf(err, sizeof err, "--with %s has %d values, the parameter before it (%s) %d: "
               "listed points need one value each", params[i].key, params[i].n,
               params[i - 1].key, params[i - 1].n);
      return say(EB_EINPUT, err);
    }
    for (int j = 0; j < i; j++)
      if (!strcmp(params[j].key, params[i].key)) {
        /* one point can hold one value of a key: its columns would clash */
        snprintf(err, sizeof err, "%s is swept twice (sweep parameters %d and %d): give it once, "
                 "with all its values in one list", params[i].key, j + 1, i + 1);
        return say(EB_EINPUT, err);
      }
  }
  *n_params = a->n_params;
  /* every value checked before anything is written */
  return say(Sweep_validate(base, params, *n_params, units, err, sizeof err), err);
}

/* The sweep under mpirun: the job's ranks in groups (--ranks-per-point),
 * each group solving the points its leader claims, on the group's
 * communicator; each point saved by its leader as a pool's worker saves
 * it. World rank 0 holds the lock, starts the folder (--resume included),
 * and when every group is done collects the points and writes the files,
 * which are then the local run's. */
static int run_sweep_mpi(const Args *a, const Case *base, SweepParam *params, int n_params,
                         const char **units, const char *dir, FigureFormat figures, FILE *rows,
                         SweepWriter **out, int *failed) {
  static char identity[SWEEP_ID_MAX];
  char err[EB_ERRLEN] = "";
  const int root = Runtime_world_rank() == 0;
  const size_t total = Sweep_points(params, n_params);
  SweepUser u = {.mpi = 1, .worker = 1, .group_member = Runtime_rank() != 0};
  int rc = EB_OK;
  if (root) {
    rc = Model_check_fits(base, err, sizeof err);
    if (rc == EB_OK) rc = Output_prepare_dir(dir, err, sizeof err);
  }
  if (rc == EB_OK)
    rc = SweepWriter_create(dir, Model_registry(), params, units, n_params, total, &u.w, err,
                            sizeof err);
  if (root && rc == EB_OK) {
    size_t discarded = 0;
    sweep_identity(base, params, n_params, identity, sizeof identity);
    rc = SweepWriter_begin(u.w, identity, a->resume, &u.kept, &discarded, err, sizeof err);
    if (rc == EB_OK && rows) {
      printf("ebsim %s  sweep of %s: %zu points on %d MPI ranks in groups of %d", EBSIM_VERSION,
             base->name, total, Runtime_world_size(), Runtime_size());
      if (u.kept) printf(", %zu of them saved by the unfinished run (--resume)", u.kept);
      printf("\n");
    }
    if (rc == EB_OK && discarded)
      printf("  note: discarded %zu points saved by an unfinished sweep in %s\n", discarded, dir);
  }
  /* the folder is ready, or nobody starts */
  MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (rc != EB_OK) {
    SweepWriter_destroy(u.w);
    return root ? say(rc, err) : rc;
  }
  ModelOptions mo = {0};
  /* each group walks its own run of points (Sweep_run_claimed) */
  const int per = Runtime_size(), n_groups = (Runtime_world_size() + per - 1) / per;
  const size_t first = (size_t)(Runtime_world_rank() / per) * total / (size_t)n_groups;
  rc = Sweep_run_claimed(base, params, n_params, &mo, first, sweep_claim, &u, sweep_point, &u,
                         err, sizeof err);
  if (rc == EB_OK && u.write_failed) {
    snprintf(err, sizeof err, "%s", u.err);
    rc = EB_EFAIL;
  }
  if (rc != EB_OK) fprintf(stderr, "ebsim: rank %d: %s\n", Runtime_world_rank(), err);
  /* every group done; the worst outcome of any rank is the job's */
  int worst = rc;
  MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (!root) {
    SweepWriter_destroy(u.w);
    return worst;
  }
  rc = worst;
  if (rc != EB_OK)
    snprintf(err, sizeof err, "a rank group failed (its message above); the points finished "
             "so far are saved: rerun with --resume");
  for (size_t q = 0; q < total && rc == EB_OK; q++) {
    if (SweepWriter_is_saved(u.w, q))
      rc = SweepWriter_load(u.w, q, rows, err, sizeof err);
    else
      rc = SweepWriter_add(u.w, q, NULL, EB_EFAIL, "no rank group saved this point", NULL, NULL,
                           NULL, err, sizeof err);
  }
  if (rc == EB_OK) rc = SweepWriter_finish(u.w, figures, err, sizeof err);
  if (say(rc, err) != EB_OK) {
    SweepWriter_destroy(u.w);
    return rc;
  }
  *failed = SweepWriter_failed(u.w);
  *out = u.w;
  return EB_OK;
}

/* A sweep of params over base into dir: each point solved once (on worker
 * processes, saved as it finishes, --resume continuing from those saved),
 * the files written, the table kept in *out for the caller (destroy it).
 * rows: the console table's stream (NULL: none). *failed: points failed. */
static int run_sweep(const Args *a, const Case *base, SweepParam *params, int n_params,
                     const char **units, const char *dir, FigureFormat figures, FILE *rows,
                     SweepWriter **out, int *failed) {
  static char identity[SWEEP_ID_MAX];
  char err[EB_ERRLEN];
  int rc = EB_OK;
  *out = NULL;
  *failed = 0;
  const size_t total = Sweep_points(params, n_params);
  if (Runtime_world_size() > 1)
    return run_sweep_mpi(a, base, params, n_params, units, dir, figures, rows, out, failed);
  /* a worker writes only its saved points; the sweep's process holds the lock */
  if (!a->worker_n && (rc = preflight(base, dir)) != EB_OK) return rc;
  SweepUser u = {.progress = !a->quiet && isatty(fileno(stderr)), .worker = a->worker_n > 0};
  rc = say(SweepWriter_create(dir, Model_registry(), params, units, n_params, total, &u.w, err,
                              sizeof err),
           err);
  if (rc != EB_OK) return rc;
  if (!a->worker_n) {
    size_t discarded = 0;
    sweep_identity(base, params, n_params, identity, sizeof identity);
    rc = say(SweepWriter_begin(u.w, identity, a->resume, &u.kept, &discarded, err, sizeof err),
             err);
    if (rc != EB_OK) {
      SweepWriter_destroy(u.w);
      return rc;
    }
    SweepWriter_limit_lines(u.w, base);
    if (rows) {
      printf("ebsim %s  sweep of %s: %zu points", EBSIM_VERSION, base->name, total);
      if (u.kept) printf(", %zu of them saved by the unfinished run (--resume)", u.kept);
      printf("\n");
    }
    if (discarded)
      printf("  note: discarded %zu points saved by an unfinished sweep in %s (--resume would "
             "have kept them)\n",
             discarded, dir);
    if (a->resume && !u.kept && rows)
      printf("  note: --resume: no unfinished sweep in %s; running every point\n", dir);
    for (size_t q = 0; q < total && rc == EB_OK; q++)
      if (SweepWriter_is_saved(u.w, q)) rc = SweepWriter_load(u.w, q, rows, err, sizeof err);
    if (say(rc, err) != EB_OK) {
      SweepWriter_destroy(u.w);
      return rc;
    }
    u.done = u.kept;
  }
  const int jobs = a->worker_n ? 1 : Pool_jobs(a->jobs, total - u.kept);
  /* MPI starts before any file is open: its start-up may fork a helper that
   * would inherit open files and outlive this process */
  if (jobs == 1 && Runtime_init(NULL, NULL) != EB_OK) {
    SweepWriter_destroy(u.w);
    return say(EB_EFAIL, "could not initialise MPI/hypre");
  }
  if (u.kept == total) {
    /* nothing left to solve */
  } else if (jobs > 1) {
    /* this process never starts MPI: its workers do */
    rc = sweep_parallel(a, params, n_params, jobs, dir, &u, err, sizeof err);
    for (size_t q = 0; q < total && rc == EB_OK; q++) {
      if (SweepWriter_is_saved(u.w, q))
        rc = SweepWriter_load(u.w, q, rows, err, sizeof err);
      else
        rc = SweepWriter_add(u.w, q, NULL, EB_EFAIL, "no worker saved this point", NULL, NULL,
                             NULL, err, sizeof err);
    }
  } else {
    ModelOptions mo = {0};
    u.table = a->worker_n ? NULL : rows;
    const size_t first = a->worker_n ? (size_t)a->worker_k * total / (size_t)a->worker_n : 0;
    rc = Sweep_run_claimed(base, params, n_params, &mo, first, sweep_claim, &u, sweep_point, &u,
                           err, sizeof err);
    if (u.progress) Output_progress_clear(stderr);
  }
  if (rc == EB_OK && u.write_failed) {
    snprintf(err, sizeof err, "%s", u.err);
    rc = EB_EFAIL;
  }
  if (a->worker_n) { /* its points are saved; the sweep's process writes the files */
    SweepWriter_destroy(u.w);
    return say(rc, err);
  }
  if (rc == EB_OK) rc = SweepWriter_finish(u.w, figures, err, sizeof err);
  if (say(rc, err) != EB_OK) {
    if (rc == EB_EFAIL && !access(dir, F_OK))
      fprintf(stderr, "  the points finished so far are saved in %s/%s: rerun the same command "
                      "with --resume to continue from them\n",
              dir, SWEEP_POINTS_DIR);
    SweepWriter_destroy(u.w);
    return rc;
  }
  *failed = SweepWriter_failed(u.w);
  *out = u.w;
  return EB_OK;
}

static int cmd_sweep(const Args *a) {
  static SweepParam params[SWEEP_MAX_PARAMS];
  static Case base;
  int rc = read_case(a, &base);
  if (rc != EB_OK) return rc;
  int n_params = 0;
  const char *units[SWEEP_MAX_PARAMS];
  if ((rc = sweep_params(a, &base, params, &n_params, units)) != EB_OK) return rc;
  char suffix[300] = "-sweep", dir_buf[900];
  for (int i = 0; i < n_params; i++) {
    size_t len = strlen(suffix);
    snprintf(suffix + len, sizeof suffix - len, "-%.60s", params[i].key);
  }
  const char *dir = out_dir(a, &base, suffix, dir_buf, sizeof dir_buf);
  SweepWriter *w = NULL;
  int failed = 0;
  rc = run_sweep(a, &base, params, n_params, units, dir, a->figures, a->worker_n ? NULL : stdout,
                 &w, &failed);
  if (rc != EB_OK || !w) return rc;
  SweepWriter_first_break(w, stdout);
  const size_t total = SweepWriter_points(w);
  SweepWriter_destroy(w);
  printf("  Output  %s/ (sweep.csv, sweep.h5%s%s)\n", dir, a->figures ? ", sweep." : "",
         a->figures ? Output_figure_ext(a->figures) : "");
  if (a->report && (rc = write_report(a, dir)) != EB_OK) return rc;
  if (failed) {
    printf("  %d of %zu points failed: see their rows\n", failed, total);
    return EB_EFAIL;
  }
  return EB_OK;
}

/* ---- map ---- */

/* Points `at` (count of them) of the product sweep params as a sweep of
 * listed points: every parameter zipped to the first. */
static void map_listed(const SweepParam *params, int n, const size_t *at, size_t count,
                       SweepParam *out) {
  for (int i = 0; i < n; i++) {
    out[i] = params[i];
    out[i].zip = i > 0;
    out[i].n = (int)count;
    for (size_t k = 0; k < count; k++) {
      int idx[SWEEP_MAX_PARAMS];
      Sweep_point_indices(params, n, at[k], idx);
      snprintf(out[i].values[k], SWEEP_VALUE_LEN, "%s", params[i].values[idx[i]]);
    }
  }
}

/* Level 2's anchor point q as a level-1 anchor point (its index in level
 * 1's anchor sweep), or -1 when level 1 did not solve it. */
static long map_level1_anchor(const MapPlan *p1, const MapPlan *p2, const SweepParam *a2, int n,
                              size_t q) {
  int idx2[SWEEP_MAX_PARAMS], idx1[SWEEP_MAX_PARAMS];
  Sweep_point_indices(a2, n, q, idx2);
  size_t index = 0;
  for (int i = 0; i < n; i++) {
    const int v = p2->axes[i].anchor[idx2[i]];
    idx1[i] = -1;
    for (int k = 0; k < p1->axes[i].n_anchor; k++)
      if (p1->axes[i].anchor[k] == v) idx1[i] = k;
    if (idx1[i] < 0) return -1;
    index = index * (size_t)p1->axes[i].n_anchor + (size_t)idx1[i];
  }
  return (long)index;
}

/* Row `from` of src into row `to` of dst (the same registry columns). */
static int map_copy_row(const SweepWriter *src, size_t from, SweepWriter *dst, size_t to) {
  const int nc = SweepWriter_n_columns(src);
  double *num = malloc((size_t)(nc + 1) * sizeof *num);
  const char **txt = malloc((size_t)(nc + 1) * sizeof *txt);
  if (!num || !txt) {
    free(num);
    free(txt);
    return EB_EFAIL;
  }
  for (int k = 0; k < nc; k++) {
    num[k] = SweepWriter_number(src, from, k);
    txt[k] = SweepWriter_text(src, from, k);
  }
  SweepWriter_set_row(dst, to, SweepWriter_status(src, from), SweepWriter_why(src, from), num, txt,
                      NULL);
  free(num);
  free(txt);
  return EB_OK;
}


/* A design map: the sweep's table from a few full solves (solver/studies/
 * map.h). The solved points run as a sweep into DIR/anchors, random check
 * points as a sweep of listed points into DIR/checks; if the checks miss
 * by more than --max-error, level 2 (more solved points) and new checks;
 * if that still misses, every point is solved (DIR/solved). */
static int cmd_map(const Args *a) {
  static SweepParam params[SWEEP_MAX_PARAMS], anchors[SWEEP_MAX_PARAMS], checks[SWEEP_MAX_PARAMS];
  static Case base;
  char err[EB_ERRLEN];
  int rc = read_case(a, &base);
  if (rc != EB_OK) return rc;
  int n = 0;
  const char *units[SWEEP_MAX_PARAMS];
  if (a->n_params == 0)
    return say(EB_EINPUT, "map needs --param KEY=LIST|START:STOP:STEP, e.g. --param "
                          "power.total_kw=20:40:2 --param coolant.inlet_c=15:45:5");
  if ((rc = sweep_params(a, &base, params, &n, units)) != EB_OK) return rc;
  for (int i = 0; i < n; i++)
    if (params[i].zip) return say(EB_EINPUT, "map takes --param only (a map is a product)");
  char suffix[300] = "-map", dir_buf[900], sub[1100];
  for (int i = 0; i < n; i++) {
    size_t len = strlen(suffix);
    snprintf(suffix + len, sizeof suffix - len, "-%.60s", params[i].key);
  }
  const char *dir = out_dir(a, &base, suffix, dir_buf, sizeof dir_buf);
  /* under mpirun the job's rank 0 writes the map; the rank groups solve */
  const int mpi = Runtime_world_size() > 1, root = Runtime_world_rank() == 0;
  if (!mpi) {
    if ((rc = preflight(&base, dir)) != EB_OK) return rc;
  } else {
    if (root) rc = Model_check_fits(&base, err, sizeof err);
    if (root && rc == EB_OK) rc = Output_prepare_dir(dir, err, sizeof err);
    if (root && rc != EB_OK) say(rc, err);
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (rc != EB_OK) return rc;
  }
  const size_t total = Sweep_points(params, n);
  const double tol = isfinite(a->max_error) ? a->max_error : 0.1;
  const int n_checks_wanted = a->checks >= 0 ? a->checks : 10;
  printf("ebsim %s  design map of %s: %zu points\n", EBSIM_VERSION, base.name, total);
  MapPlan plan;
  SweepWriter *an = NULL, *ck = NULL;
  size_t check_at[SWEEP_MAX_VALUES];
  int n_checks = 0, failed = 0, level = 1;
  double error = NAN;
  char worst[200] = "";
  static SweepParam fresh[SWEEP_MAX_PARAMS];
  MapPlan plan1;
  size_t solved = 0;
  /* on every rank (under mpirun only the job's rank 0 keeps the tables) */
  int have_anchors = 0, have_checks = 0;
  for (level = 1; level <= 2; level++) {
    if ((rc = say(Map_plan(params, n, level, &plan, err, sizeof err), err)) != EB_OK) break;
    Map_anchor_params(&plan, params, anchors);
    const size_t n_anchors = Sweep_points(anchors, n);
    snprintf(sub, sizeof sub, "%s/anchors", dir);
    if (level == 1 || !have_anchors) {
      printf("  level %d: solving %zu points (%s)\n", level, n_anchors, sub);
      SweepWriter_destroy(an);
      an = NULL;
      if ((rc = run_sweep(a, &base, anchors, n, units, sub, FIGURES_NONE, NULL, &an, &failed)) !=
          EB_OK)
        break;
      have_anchors = 1;
      solved += n_anchors;
    } else {
      /* level 2's anchors hold level 1's (the ends and middles): solve
       * only the others, as listed points into anchors-2/, and take the
       * rest from level 1 */
      size_t n_new = 0, q_new[SWEEP_MAX_VALUES];
      for (size_t q = 0; q < n_anchors && n_new < SWEEP_MAX_VALUES; q++)
        if (map_level1_anchor(&plan1, &plan, anchors, n, q) < 0) q_new[n_new++] = q;
      map_listed(anchors, n, q_new, n_new, fresh);
      snprintf(sub, sizeof sub, "%s/anchors-2", dir);
      printf("  level 2: %zu points, %zu of them level 1's: solving %zu (%s)\n", n_anchors,
             n_anchors - n_new, n_new, sub);
      SweepWriter *an_new = NULL, *an2 = NULL;
      rc = run_sweep(a, &base, fresh, n, units, sub, FIGURES_NONE, NULL, &an_new, &failed);
      solved += n_new;
      if (rc == EB_OK && (!mpi || root)) {
        snprintf(sub, sizeof sub, "%s/anchors", dir);
        rc = say(SweepWriter_create(sub, Model_registry(), anchors, units, n, n_anchors, &an2, err,
                                    sizeof err),
                 err);
        for (size_t q = 0, k = 0; q < n_anchors && rc == EB_OK; q++) {
          const long l1 = map_level1_anchor(&plan1, &plan, anchors, n, q);
          rc = l1 >= 0 ? map_copy_row(an, (size_t)l1, an2, q) : map_copy_row(an_new, k++, an2, q);
          if (rc != EB_OK) say(rc, "map: out of memory");
        }
      }
      SweepWriter_destroy(an_new);
      SweepWriter_destroy(an);
      an = an2;
      if (rc != EB_OK) break;
    }
    plan1 = plan;
    /* level 1's checks serve level 2 too unless one became an anchor:
     * random points either way, and not chosen by this plan */
    int reuse = level == 2 && have_checks && n_checks > 0;
    for (int k = 0; reuse && k < n_checks; k++)
      if (Map_is_anchor(&plan, params, check_at[k])) reuse = 0;
    if (!reuse) {
      SweepWriter_destroy(ck);
      ck = NULL;
      n_checks = Map_checks(&plan, params, n_checks_wanted, 20261130u + (unsigned)level, check_at);
      if (n_checks == 0) { /* every point was solved */
        error = 0.0;
        break;
      }
      map_listed(params, n, check_at, (size_t)n_checks, checks);
      snprintf(sub, sizeof sub, "%s/checks", dir);
      printf("  level %d: %d random check points (%s)\n", level, n_checks, sub);
      if ((rc = run_sweep(a, &base, checks, n, units, sub, FIGURES_NONE, NULL, &ck, &failed)) !=
          EB_OK)
        break;
      have_checks = 1;
      solved += (size_t)n_checks;
    } else {
      printf("  level 2: level 1's %d check points\n", n_checks);
    }
    if (root)
      error = Output_map_check_error(&plan, params, an, ck, check_at, n_checks, worst,
                                     sizeof worst);
    if (mpi) MPI_Bcast(&error, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    printf("  level %d: largest error of the rebuilt points at the checks %.4f K%s%s\n", level,
           error, worst[0] ? ": " : "", worst);
    printf("  level %d: estimated error of every rebuilt point %.4f K (%g x the checks')%s\n",
           level, MAP_ERROR_SAFETY * error, MAP_ERROR_SAFETY,
           MAP_ERROR_SAFETY * error <= tol ? "" : ": above --max-error");
    if (MAP_ERROR_SAFETY * error <= tol) break;
  }
  if (rc == EB_OK && !(MAP_ERROR_SAFETY * error <= tol)) {
    /* the structure does not hold to --max-error here: solve every point */
    printf("  the shortcut misses by more than %.3g K: solving all %zu points\n", tol, total);
    SweepWriter_destroy(an);
    SweepWriter_destroy(ck);
    an = ck = NULL;
    plan.level = 0;
    for (int i = 0; i < n; i++) {
      plan.axes[i].kind = MAP_SOLVED;
      plan.axes[i].n_anchor = plan.axes[i].n;
      for (int v = 0; v < plan.axes[i].n; v++) plan.axes[i].anchor[v] = v;
    }
    snprintf(sub, sizeof sub, "%s/solved", dir);
    rc = run_sweep(a, &base, params, n, units, sub, FIGURES_NONE, NULL, &an, &failed);
    solved += total;
    n_checks = 0;
    error = 0.0;
  }
  if (mpi && !root) { /* its groups' points are saved; rank 0 writes the map */
    SweepWriter_destroy(an);
    SweepWriter_destroy(ck);
    return rc;
  }
  SweepWriter *m = NULL;
  if (rc == EB_OK)
    rc = say(SweepWriter_create_map(dir, Model_registry(), params, units, n, total, &m, err,
                                    sizeof err),
             err);
  double *col_error = NULL;
  if (rc == EB_OK && n_checks > 0) {
    /* the other quantities: rebuilt where the checks show them smooth */
    const int nc = SweepWriter_n_columns(an);
    if (!(col_error = malloc((size_t)nc * sizeof *col_error))) rc = say(EB_EFAIL, "map: out of memory");
    if (col_error) {
      Output_map_column_errors(&plan, params, an, ck, check_at, n_checks, col_error);
      char list[1200] = "";
      size_t len = 0;
      int n_off = 0;
      for (int k = 0; k < nc; k++)
        if (MAP_ERROR_SAFETY * col_error[k] > MAP_REL_TOL) { /* NaN: not applicable */
          n_off++;
          char miss[48];
          if (isfinite(col_error[k]))
            snprintf(miss, sizeof miss, "%.3g %%", 100.0 * col_error[k]);
          else
            snprintf(miss, sizeof miss, "not at every solved point");
          if (len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s (%s)", len ? ", " : "",
                                    SweepWriter_column(an, k)->name, miss);
        }
      if (n_off)
        printf("  not rebuilt between the solved points, %d quantit%s whose checks missed by more "
               "than %.3g %% of %s largest value: %s; the limits on them are judged at the solved "
               "points only\n",
               n_off, n_off == 1 ? "y" : "ies", 100.0 * MAP_REL_TOL / MAP_ERROR_SAFETY,
               n_off == 1 ? "its" : "their", list);
    }
  }
  if (rc == EB_OK) {
    SweepWriter_limit_lines(m, &base);
    Output_map_fill(m, &plan, params, an, ck, check_at, n_checks, MAP_ERROR_SAFETY * error,
                    col_error, &base, a->quiet ? NULL : stdout);
    rc = say(SweepWriter_finish(m, a->figures, err, sizeof err), err);
  }
  int map_failed = m ? SweepWriter_failed(m) : 0;
  if (rc == EB_OK) {
    SweepWriter_first_break(m, stdout);
    printf("  Solved   %zu points for %zu (level %d); largest miss at the checks %.4f K, every "
           "rebuilt point within an estimated %.4f K (--max-error %.3g K)\n",
           solved, total, plan.level, error, MAP_ERROR_SAFETY * error, tol);
    printf("  Output   %s/ (map.csv, map.h5%s%s; the solves in anchors/%s and checks/)\n", dir,
           a->figures ? ", map." : "", a->figures ? Output_figure_ext(a->figures) : "",
           plan.level == 2 ? ", anchors-2/" : "");
  }
  free(col_error);
  SweepWriter_destroy(m);
  SweepWriter_destroy(an);
  SweepWriter_destroy(ck);
  if (rc == EB_OK && map_failed) {
    printf("  %d of %zu points failed: see their rows\n", map_failed, total);
    return EB_EFAIL;
  }
  return rc;
}

/* ---- limits ---- */

static void limits_progress(int eval, double value, double margin, void *user) {
  fprintf(stderr, "\r\033[K  solve %2d: %s = %.6g, smallest limit margin %+.4f", eval,
          (const char *)user, value, margin);
  fflush(stderr);
}

static int cmd_limits(const Args *a) {
  if (!a->find || a->find_max == a->find_min)
    return say(EB_EINPUT, "limits needs --find KEY and one of --max or --min (see ebsim limits "
                          "--help)");
  static Case base;
  int rc = read_case(a, &base);
  if (rc != EB_OK) return rc;
  char suffix[200], dir_buf[900], err[EB_ERRLEN];
  snprintf(suffix, sizeof suffix, "-limits-%s-%s", a->find, a->find_max ? "max" : "min");
  const char *dir = out_dir(a, &base, suffix, dir_buf, sizeof dir_buf);
  if ((rc = preflight(&base, dir)) != EB_OK) return rc;
  const int progress = Runtime_rank() == 0 && !a->quiet && isatty(fileno(stderr));
  LimitSearchOptions o = {.key = a->find, .maximize = a->find_max, .tol = a->tol,
                          .max_evals = 60};
  static LimitSearchResult res;
  rc = Limit_search(&base, &o, NULL, progress ? limits_progress : NULL, (void *)a->find, &res,
                    err, sizeof err);
  if (progress) Output_progress_clear(stderr);
  if (say(rc, err) != EB_OK) return rc;
  if (Runtime_rank() == 0) Output_limits_report(stdout, EBSIM_VERSION, base.name, &o, &res);
  /* the run at the answer, solved during the search, written once */
  Limit_search_annotate(&res, &o, &res.r.run);
  Result view;
  ModelResult_view(&res.r, &view);
  /* the grid of the answer: rebuilt from its case (the search's model is gone) */
  Grid *g = NULL;
  rc = say(Grid_create(&res.c, &g, err, sizeof err), err);
  if (rc == EB_OK) rc = write_run(a, &res.c, g, &view, dir);
  Grid_destroy(g);
  LimitSearchResult_free(&res);
  if (rc == EB_OK && Runtime_rank() == 0)
    printf("  Output             %s/ (the run at %s = %.6g; summary.json has the search)\n", dir,
           a->find, res.value);
  if (rc == EB_OK && a->report) rc = write_report_ranks(a, dir);
  return rc;
}

/* ---- envelope ---- */

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
  if (*n == 0)
    fprintf(stderr, "ebsim: %s: expected up to %d positive numbers like 25,30,35, got an empty "
            "list\n", what, cap);
  return *n ? EB_OK : EB_EINPUT;
}

/* Every power and flow the envelope sets, tried with Case_set on a copy
 * of the case before any search: a value the case cannot take (a power
 * beyond power.total_kw's range, below its hotspots' power, a flow beyond
 * coolant.flow_lpm's) would make every row it touches an input error. */
static int envelope_inputs_fit(const Case *c, const double *powers, int np, const double *per_kw,
                               int nf) {
  static Case t;
  char v[64], err[EB_ERRLEN], msg[EB_ERRLEN + 160];
  for (int i = 0; i < np; i++)
    for (int j = 0; j < nf; j++) {
      t = *c;
      snprintf(v, sizeof v, "%.12g", powers[i]);
      if (Case_set(&t, "power.total_kw", v, err, sizeof err) != EB_OK) {
        snprintf(msg, sizeof msg, "--power-kw %g: %s", powers[i], err);
        return say(EB_EINPUT, msg);
      }
      snprintf(v, sizeof v, "%.12g", powers[i] * per_kw[j]);
      if (Case_set(&t, "coolant.flow_lpm", v, err, sizeof err) != EB_OK) {
        snprintf(msg, sizeof msg, "--power-kw %g at --flow-per-kw %g (%s L/min): %s", powers[i],
                 per_kw[j], v, err);
        return say(EB_EINPUT, msg);
      }
    }
  return EB_OK;
}

static void envelope_row(int done, int total, const EnvelopePoint *p, void *user) {
  const int *progress = user;
  if (*progress) Output_progress_clear(stderr);
  Output_envelope_row(stdout, p);
  if (*progress && done < total) Output_progress_bar(stderr, (size_t)done, (size_t)total, 1);
}

/* The claims folder emptied and removed (its files are flat). */
static void remove_claims(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *de;
  while (d && (de = readdir(d))) {
    char path[1400];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) unlink(path);
  }
  if (d) closedir(d);
  rmdir(dir);
}

/* An envelope power's row of searches claimed by this rank group's leader
 * (a file in the claims folder: the groups share it), said to the group. */
typedef struct {
  char dir[1000];
} EnvelopeClaims;

static int envelope_claim(int index, void *user) {
  const EnvelopeClaims *ec = user;
  int mine = 0;
  if (Runtime_rank() == 0) {
    char path[1100];
    snprintf(path, sizeof path, "%s/row_%04d", ec->dir, index + 1);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    mine = fd >= 0 || errno != EEXIST; /* any other failure: search it anyway */
    if (fd >= 0) close(fd);
  }
  Runtime_bcast_int(&mine);
  return mine;
}

/* The groups' points to the job's rank 0: each point from the leader that
 * searched it. */
static void envelope_gather(EnvelopeTable *t) {
  const int me = Runtime_world_rank(), leader = Runtime_rank() == 0;
  int *owner = malloc((size_t)t->n * sizeof *owner), *all = malloc((size_t)t->n * sizeof *all);
  for (int q = 0; owner && q < t->n; q++) owner[q] = leader && t->pts[q].computed ? me : -1;
  if (owner && all) MPI_Allreduce(owner, all, t->n, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  for (int q = 0; owner && all && q < t->n; q++) {
    if (all[q] < 0 || all[q] == 0) continue; /* nobody, or rank 0 itself */
    if (me == all[q])
      MPI_Send(&t->pts[q], (int)sizeof t->pts[q], MPI_BYTE, 0, q, MPI_COMM_WORLD);
    else if (me == 0)
      MPI_Recv(&t->pts[q], (int)sizeof t->pts[q], MPI_BYTE, all[q], q, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
  }
  free(owner);
  free(all);
}

static int cmd_envelope(const Args *a) {
  enum { MAXP = 16, MAXF = 16 };
  double powers[MAXP], per_kw[MAXF] = {0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0};
  static const double inlets[] = {21.0, 25.0, 30.0, 35.0, 40.0, 45.0};
  int np = 0, nf = 7;
  if (!a->power_kw) return say(EB_EINPUT, "envelope needs --power-kw LIST (e.g. 25,30,35,40)");
  if (number_list(a->power_kw, "--power-kw", powers, MAXP, &np) != EB_OK) return EB_EINPUT;
  if (a->flow_per_kw && number_list(a->flow_per_kw, "--flow-per-kw", per_kw, MAXF, &nf) != EB_OK)
    return EB_EINPUT;
  static Case c;
  int rc = read_case(a, &c);
  if (rc != EB_OK) return rc;
  if ((rc = envelope_inputs_fit(&c, powers, np, per_kw, nf)) != EB_OK) return rc;
  char dir_buf[600], err[EB_ERRLEN];
  const char *dir = out_dir(a, &c, "-envelope", dir_buf, sizeof dir_buf);
  /* rank groups (mpirun with --ranks-per-point): each group searches the
   * points its leader claims; the job's rank 0 gathers and writes */
  const int groups = Runtime_size() < Runtime_world_size(), root = Runtime_world_rank() == 0;
  static EnvelopeClaims ec;
  if (!groups) {
    if ((rc = preflight(&c, dir)) != EB_OK) return rc;
  } else {
    if (root) rc = Model_check_fits(&c, err, sizeof err);
    if (root && rc == EB_OK) rc = Output_prepare_dir(dir, err, sizeof err);
    snprintf(ec.dir, sizeof ec.dir, "%.900s/.envelope-claims", dir);
    if (root && rc == EB_OK) {
      remove_claims(ec.dir); /* a killed run's */
      rc = Output_mkdir_p(ec.dir, err, sizeof err);
    }
    if (root && rc != EB_OK) say(rc, err);
    MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (rc != EB_OK) return rc;
  }
  int progress = !a->quiet && isatty(fileno(stderr)) && root && !groups;
  Output_envelope_header(stdout, EBSIM_VERSION, c.name);
  EnvelopeTable t;
  char overridden[160] = "";
  for (int i = 0; i < a->n_sets; i++) /* which limits this envelope is not the case's for */
    if (!strncmp(a->sets[i], "limits.", 7)) {
      size_t len = strlen(overridden);
      snprintf(overridden + len, sizeof overridden - len, "%s%.*s", len ? ", " : "",
               (int)strcspn(a->sets[i], "="), a->sets[i]);
    }
  const int ni = (int)(sizeof inlets / sizeof inlets[0]);
  rc = Envelope_run(&c, powers, np, per_kw, nf, inlets, ni, groups ? envelope_claim : NULL, &ec,
                    groups ? NULL : envelope_row, &progress, &t, err, sizeof err);
  if (rc == EB_OK) snprintf(t.limits_overridden, sizeof t.limits_overridden, "%s", overridden);
  if (groups) {
    int worst = rc;
    MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (rc != EB_OK) fprintf(stderr, "ebsim: rank %d: %s\n", Runtime_world_rank(), err);
    if (worst == EB_OK) envelope_gather(&t);
    if (!root) {
      if (rc == EB_OK) EnvelopeTable_free(&t);
      return worst;
    }
    if ((rc = worst) == EB_OK) {
      Envelope_least_flows(&t, nf, inlets, ni);
      for (int q = 0; q < t.n; q++) Output_envelope_row(stdout, &t.pts[q]);
      remove_claims(ec.dir);
    } else {
      snprintf(err, sizeof err, "a rank group failed (its message above)");
    }
  }
  if (say(rc, err) != EB_OK) return rc;
  Output_envelope_min_flow(stdout, &t);
  if (root) rc = Output_write_envelope(&t, dir, a->figures, err, sizeof err);
  if (!groups) Runtime_bcast_int(&rc);
  EnvelopeTable_free(&t);
  if (say(rc, err) != EB_OK) return rc;
  printf("  Output  %s/ (envelope.csv, envelope_min_flow.csv%s%s)\n", dir,
         a->figures ? ", envelope." : "", a->figures ? Output_figure_ext(a->figures) : "");
  if (a->report) return groups ? write_report(a, dir) : write_report_ranks(a, dir);
  return EB_OK;
}

/* ---- plot, outputs ---- */

/* plot, report and diff write figures or pages, not a run: into another
 * run's directory they would replace that run's set (its result.h5 among
 * the files a new set removes). Refused, unless it is the source's own. */
static int refuse_foreign_run(const char *out, const char *own) {
  struct stat so, sd;
  if (own && !stat(out, &so) && !stat(own, &sd) && so.st_dev == sd.st_dev && so.st_ino == sd.st_ino)
    return EB_OK;
  static const char *const data[] = {"result.h5", "sweep.h5", "map.h5", "envelope.csv"};
  char path[1200];
  snprintf(path, sizeof path, "%s/" OUTPUT_MANIFEST, out);
  if (stat(path, &so) != 0) return EB_OK;
  for (size_t i = 0; i < sizeof data / sizeof data[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", out, data[i]);
    if (stat(path, &so) == 0) {
      char err[EB_ERRLEN];
      snprintf(err, sizeof err,
               "%.900s holds another output (its %s and manifest.json): writing there would "
               "replace it; choose another --out",
               out, data[i]);
      return say(EB_EINPUT, err);
    }
  }
  return EB_OK;
}

static int cmd_plot(const Args *a) {
  char h5[1100], dir[1100], err[EB_ERRLEN];
  struct stat sb;
  if (a->figures == FIGURES_NONE)
    return say(EB_EINPUT, "plot needs a figure format: --figures png, pdf or svg");
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
    snprintf(err, sizeof err, "%.900s: no such file; give a run's output directory (with result.h5)",
             h5);
    return say(EB_EINPUT, err);
  }
  static Case c;
  Grid *g = NULL;
  Result r;
  const Registry *reg = Model_registry();
  int rc = say(Output_read_result(h5, &c, &g, reg, &r, err, sizeof err), err);
  if (rc != EB_OK) return rc;
  /* a result.h5 is read whole or not at all; whether it belongs with the
   * rest of its directory is the manifest's to say */
  if ((rc = say(Output_set_check_path(h5, err, sizeof err), err)) != EB_OK) {
    Output_result_free(reg, &r);
    Grid_destroy(g);
    return rc;
  }
  const char *out = a->out_dir ? a->out_dir : dir;
  if ((rc = refuse_foreign_run(out, dir)) != EB_OK) {
    Output_result_free(reg, &r);
    Grid_destroy(g);
    return rc;
  }
  rc = Output_prepare_dir(out, err, sizeof err);
  if (rc == EB_OK) rc = Output_write_figures(&c, g, reg, &r, out, a->figures, err, sizeof err);
  if (rc == EB_OK) rc = Output_write_loop_figures(&c, reg, &r, out, a->figures, err, sizeof err);
  if (rc == EB_OK)
    rc = Output_write_power_figures(&c, g, reg, &r, out, a->figures, err, sizeof err);
  if (rc == EB_OK)
    rc = Output_write_mechanics_figures(&c, g, reg, &r, out, a->figures, err, sizeof err);
  if (rc == EB_OK)
    rc = Output_write_transient_figures(&c, reg, &r, out, a->figures, err, sizeof err);
  /* redrawn into its own run: the figures join that set */
  struct stat so, sd;
  const int same = !stat(out, &so) && !stat(dir, &sd) && so.st_dev == sd.st_dev &&
                   so.st_ino == sd.st_ino;
  if (rc == EB_OK)
    rc = Output_set_finish(out, same ? OUTPUT_SET_ADD : OUTPUT_SET_NEW, err, sizeof err);
  const int power = isfinite(Result_get(reg, &r, "wall_power_w"));
  const int loop = r.part[RESULT_COOLANT] != NULL, transient = r.part[RESULT_TRANSIENT] != NULL;
  Output_result_free(reg, &r);
  Grid_destroy(g);
  if (say(rc, err) != EB_OK) return rc;
  const char *ext = Output_figure_ext(a->figures);
  printf("  Output  %s/ (wafer_temperature.%s, heat_flux.%s, coolant_temperature.%s", out, ext,
         ext, ext);
  if (loop) printf(", coolant_path.%s, pump_curve.%s", ext, ext);
  if (transient) printf(", transient.%s", ext);
  if (power) printf(", die_voltage.%s, bricks.%s, power_flow.%s", ext, ext, ext);
  printf(")\n");
  return EB_OK;
}

static int cmd_outputs(const Args *a) {
  const Registry *reg = Model_registry();
  if (a->markdown) return Output_reference_markdown(reg, stdout);
  for (int i = 0; i < Registry_size(reg); i++) {
    const ResultEntry *e = Registry_at(reg, i);
    printf("%-36s %-10s %-12s %s\n", e->name, e->unit, Registry_kind_name(e->kind), e->desc);
  }
  return EB_OK;
}

/* ---- main ---------------------------------------------------------------------------------- */

/* ---- transient ---- */

typedef struct {
  const Case *c;
  const Grid *g;
  const OutputOptions *oo;
} SnapUser;

/* A snapshot: the state's thermal result written by rank 0; on more than
 * one rank its field by every rank, each its own rows, as result.h5. */
static int transient_snapshot(int index, double t_s, const ThermalResult *state, void *user,
                              char *err, size_t es) {
  (void)t_s;
  SnapUser *u = user;
  Result view = {0};
  view.part[RESULT_THERMAL] = state;
  OutputOptions oo = *u->oo;
  int rc = EB_OK;
  if (Runtime_size() > 1) {
    char name[64];
    Output_snapshot_file(index, name, sizeof name);
    oo.h5_rows = OUTPUT_H5_ROWS_LATER;
    if (Runtime_rank() == 0) rc = Output_write_snapshot(u->c, u->g, Model_registry(), &view, &oo,
                                                        index, err, es);
    Runtime_bcast_int(&rc);
    if (rc == EB_OK)
      rc = Output_write_h5_rows(u->g, Model_registry(), &view, oo.dir, name, Runtime_comm(), err,
                                es);
    oo.h5_rows = OUTPUT_H5_ROWS_DONE;
  }
  if (Runtime_rank() == 0 && rc == EB_OK)
    rc = Output_write_snapshot(u->c, u->g, Model_registry(), &view, &oo, index, err, es);
  Runtime_bcast_int(&rc);
  return rc;
}

static int cmd_transient(const Args *a) {
  static Case c;
  int rc = read_case(a, &c);
  if (rc != EB_OK) return rc;
  char err[EB_ERRLEN], dir_buf[600], suffix[CASE_NAME_LEN + 2];
  if (!a->scenario) {
    if (c.n_scenarios == 0) {
      Case_scenario(&c, "", err, sizeof err); /* how to declare one */
      fprintf(stderr, "ebsim: transient needs --scenario NAME: %s\n", err);
    } else {
      fprintf(stderr, "ebsim: transient needs --scenario NAME; %s has:", c.name);
      for (int i = 0; i < c.n_scenarios; i++)
        fprintf(stderr, "%s %s%s%s%s", i ? "," : "", c.scenarios[i].name,
                c.scenarios[i].description[0] ? " (" : "", c.scenarios[i].description,
                c.scenarios[i].description[0] ? ")" : "");
      fprintf(stderr, "\n");
    }
    return EB_EINPUT;
  }
  const CaseScenario *s = Case_scenario(&c, a->scenario, err, sizeof err);
  if (!s) return say(EB_EINPUT, err);
  snprintf(suffix, sizeof suffix, "-%s", s->name);
  const char *dir = out_dir(a, &c, suffix, dir_buf, sizeof dir_buf);
  rc = preflight(&c, dir);
  if (rc == EB_OK) rc = say(Scenario_check_fits(&c, err, sizeof err), err);
  if (rc != EB_OK) return rc;
  const int progress = Runtime_rank() == 0 && !a->quiet && isatty(fileno(stderr));
  /* the grid is built inside the run; the snapshots need it, so the
   * writer's grid is made here from the same case (the same cells) */
  Grid *g = NULL;
  rc = say(Grid_create(&c, &g, err, sizeof err), err);
  if (rc != EB_OK) return rc;
  char *text = Case_dump_string(&c);
  OutputOptions oo = {.dir = dir, .case_text = text ? text : "", .version = EBSIM_VERSION,
                      .figures = a->figures, .case_source = case_source,
                      .case_path = a->case_path};
  SnapUser su = {.c = &c, .g = g, .oo = &oo};
  ScenarioOptions so = {.until_s = a->until, .progress = progress, .snapshot = transient_snapshot,
                        .user = &su};
  static ScenarioResult sr;
  static ThermalResult final;
  if (progress) fprintf(stderr, "ebsim: %s, scenario %s\n", c.name, s->name);
  rc = Scenario_run(&c, s, &so, &sr, &final, err, sizeof err);
  const int failed = rc;
  if (rc != EB_OK) say(rc, err);
  /* a failed run still writes the series up to the failure: it is the
   * answer; on more than one rank result.h5's field and maps by every
   * rank, each its own rows, as a steady run's */
  RunInfo run = {0};
  snprintf(run.case_name, sizeof run.case_name, "%s", c.name);
  Result view = {0};
  view.part[RESULT_RUN] = &run;
  view.part[RESULT_THERMAL] = final.t_k ? &final : NULL;
  view.part[RESULT_TRANSIENT] = &sr;
  if (sr.n_rows > 0 && final.t_k && Runtime_size() > 1) {
    int hrc = Runtime_rank() == 0 ? Output_write_h5_start(&c, g, Model_registry(), &view, &oo,
                                                          "result.h5", err, sizeof err)
                                  : EB_OK;
    Runtime_bcast_int(&hrc);
    if (hrc == EB_OK)
      hrc = Output_write_h5_rows(g, Model_registry(), &view, dir, "result.h5", Runtime_comm(), err,
                                 sizeof err);
    oo.h5_rows = OUTPUT_H5_ROWS_DONE;
    if (hrc != EB_OK) {
      say(hrc, err);
      rc = hrc;
    }
  }
  if (sr.n_rows > 0 && Runtime_rank() == 0 && !(rc != EB_OK && oo.h5_rows)) {
    int wrc = final.t_k ? Output_write_transient(&c, g, Model_registry(), &view, &oo,
                                                 sr.n_snapshots, sr.snapshot_t_s, err, sizeof err)
                        : EB_OK;
    if (wrc != EB_OK) {
      say(wrc, err);
      rc = wrc;
    } else {
      Output_transient_report(stdout, EBSIM_VERSION, c.name, &sr, final.t_k ? dir : NULL,
                              a->figures != FIGURES_NONE);
      const int rrc = final.t_k && a->report ? write_report(a, dir) : EB_OK;
      if (rrc != EB_OK && rc == EB_OK) rc = rrc;
    }
  }
  Runtime_bcast_int(&rc);
  if (rc == EB_OK) {
    int reached = 0;
    for (int e = 0; e < TT_EVENTS; e++) reached |= sr.ev[e].reached;
    rc = reached ? EB_ELIMIT : EB_OK;
  } else if (failed == EB_ENOSTATE) {
    rc = EB_EFAIL;
  }
  ScenarioResult_free(&sr);
  ThermalResult_free(&final);
  free(text);
  Grid_destroy(g);
  return rc;
}

/* ---- diff ---- */

/* The last path component of a run, for the default output name. */
static const char *run_base(const char *p, char *buf, size_t size) {
  snprintf(buf, size, "%s", p);
  size_t n = strlen(buf);
  while (n > 1 && buf[n - 1] == '/') buf[--n] = '\0';
  if (n > 10 && !strcmp(buf + n - 10, "/result.h5")) buf[n -= 10] = '\0';
  const char *slash = strrchr(buf, '/');
  return slash ? slash + 1 : buf;
}

static int cmd_diff(const Args *a) {
  char err[EB_ERRLEN], dir[1100], ba[512], bb[512];
  if (!a->run_b)
    return say(EB_EINPUT, "diff needs two runs: ebsim diff RUN_A RUN_B (their output directories)");
  const char *out = a->out_dir;
  if (!out) {
    snprintf(dir, sizeof dir, "out/diff-%s-%s", run_base(a->case_path, ba, sizeof ba),
             run_base(a->run_b, bb, sizeof bb));
    out = dir;
  }
  if (refuse_foreign_run(out, NULL) != EB_OK) return EB_EINPUT;
  DiffOptions o = {.resample = a->resample, .figures = a->figures};
  return say(Output_diff(Model_registry(), a->case_path, a->run_b, out, &o, stdout, err,
                         sizeof err),
             err);
}

/* ---- report ---- */

static int cmd_report(const Args *a) {
  char err[EB_ERRLEN];
  ReportKind kind;
  /* what DIR holds, before anything is created or locked */
  int rc = say(Output_report_check(a->case_path, &kind, err, sizeof err), err);
  if (rc != EB_OK) return rc;
  const char *out = a->out_dir ? a->out_dir : a->case_path;
  if ((rc = refuse_foreign_run(out, a->case_path)) != EB_OK) return rc;
  if ((rc = say(Output_prepare_dir(out, err, sizeof err), err)) != EB_OK) return rc;
  ReportOptions o = {.top = a->top};
  rc = Output_write_report(Model_registry(), a->case_path, out, &o, err, sizeof err);
  /* written into its own output: the report joins that set */
  struct stat so, sd;
  const int same = !stat(out, &so) && !stat(a->case_path, &sd) && so.st_dev == sd.st_dev &&
                   so.st_ino == sd.st_ino;
  if (rc == EB_OK)
    rc = Output_set_finish(out, same ? OUTPUT_SET_ADD : OUTPUT_SET_NEW, err, sizeof err);
  if (say(rc, err) != EB_OK) return rc;
  printf("  Report  %s/%s (the %s in %s)\n", out, REPORT_FILE, Output_report_kind_name(kind),
         a->case_path);
  return EB_OK;
}

static int dispatch(const Args *a) {
  switch (a->cmd) {
  case CMD_RUN: return cmd_run(a);
  case CMD_CHECK: return cmd_check(a);
  case CMD_SWEEP: return cmd_sweep(a);
  case CMD_MAP: return cmd_map(a);
  case CMD_LIMITS: return cmd_limits(a);
  case CMD_ENVELOPE: return cmd_envelope(a);
  case CMD_PLOT: return cmd_plot(a);
  case CMD_OUTPUTS: return cmd_outputs(a);
  case CMD_TRANSIENT: return cmd_transient(a);
  case CMD_DIFF: return cmd_diff(a);
  case CMD_REPORT: return cmd_report(a);
  }
  return EB_EFAIL;
}

/* Open MPI's environment: this process is rank N of a job of M. */
static int env_int(const char *name, int dflt) {
  const char *v = getenv(name);
  return v && *v ? atoi(v) : dflt;
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
  Args a = {.figures = FIGURES_PNG, .until = NAN, .checks = -1, .max_error = NAN};
  int found = 0;
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (!strcmp(argv[1], commands[i].name)) {
      a.cmd = commands[i].cmd;
      found = 1;
    }
  if (!found) {
    fprintf(stderr,
            "ebsim: unknown command '%s'; commands are: run, check, sweep, map, limits, envelope, "
            "transient, diff, plot, report, outputs (see ebsim --help)\n",
            argv[1]);
    return EB_EINPUT;
  }
  /* the solving commands on huge pages (resources.h): the program starts
   * again here, once, with glibc's tunable set */
  if (a.cmd == CMD_RUN || a.cmd == CMD_SWEEP || a.cmd == CMD_MAP || a.cmd == CMD_LIMITS ||
      a.cmd == CMD_ENVELOPE || a.cmd == CMD_TRANSIENT)
    Resources_use_huge_pages(argv);
  int rc = parse_args(argc - 2, argv + 2, &a);
  /* a reader that stops early (ebsim ... | head) must not kill a run
   * between its files: writes to the closed pipe fail instead. A sweep's
   * worker (which inherits the ignored signal) keeps the default, so that
   * it does not outlive its parent's output. */
  signal(SIGPIPE, a.worker_n ? SIG_DFL : SIG_IGN);
  if (rc == EB_OK && a.worker_n) {
    /* a sweep's worker dies with its parent (kill -9 included) and holds
     * none of the parent's files (posix_spawn passes every descriptor not
     * marked close-on-exec: the parent's sweep.h5 and its HDF5 lock) */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1) return EB_EFAIL; /* the parent is gone already */
    long max_fd = sysconf(_SC_OPEN_MAX);
    for (long fd = 3; fd < (max_fd > 0 && max_fd < 65536 ? max_fd : 65536); fd++) close((int)fd);
  }
  /* the launcher's rank and size before MPI starts: mpirun's, or srun's
   * (PMI-2, or a Slurm job step) */
  const int mpi_rank = env_int("OMPI_COMM_WORLD_RANK",
                               env_int("PMI_RANK", env_int("PMIX_RANK", env_int("SLURM_PROCID", 0))));
  const int mpi_size =
      env_int("OMPI_COMM_WORLD_SIZE",
              env_int("PMI_SIZE", getenv("SLURM_STEP_ID") ? env_int("SLURM_STEP_NUM_TASKS", 1) : 1));
  /* the processes that solve at once here: a study's workers, or mpirun's
   * ranks on this node */
  Resources_set_processes(a.worker_n ? a.worker_n
                                     : env_int("OMPI_COMM_WORLD_LOCAL_SIZE",
                                               env_int("MPI_LOCALNRANKS", mpi_size)));
  if (rc == EB_OK && a.help) {
    fputs(usage_of(a.cmd), stdout);
  } else if (rc == EB_OK && !commands[a.cmd].mpi) {
    /* under mpirun these do not split: rank 0 alone does the work */
    if (mpi_rank == 0) rc = dispatch(&a);
  } else if (rc == EB_OK && mpi_size > 1 &&
             (a.cmd == CMD_SWEEP || a.cmd == CMD_MAP ||
              (a.cmd == CMD_ENVELOPE && a.ranks_per_point > 0))) {
    /* a study on rank groups: each group solves the points it claims */
    char err[EB_ERRLEN];
    int group = 0, n_groups = 1;
    if (Runtime_init(&argc, &argv) != EB_OK) {
      fprintf(stderr, "ebsim: could not initialise MPI/hypre\n");
      rc = EB_EFAIL;
    } else if ((rc = Runtime_split(a.ranks_per_point ? a.ranks_per_point : 1, &group, &n_groups,
                                   err, sizeof err)) != EB_OK) {
      if (mpi_rank == 0) fprintf(stderr, "ebsim: %s\n", err);
    } else {
      if (mpi_rank != 0) { /* rank 0 speaks; the others' errors still reach stderr */
        FILE *quiet_out = freopen("/dev/null", "w", stdout);
        (void)quiet_out;
      }
      rc = dispatch(&a);
    }
    Runtime_finalize();
  } else if (rc == EB_OK && a.ranks_per_point > 1) {
    fprintf(stderr, "ebsim: --ranks-per-point is for a study under mpirun (mpirun -n N ebsim "
                    "%s ...)\n",
            a.cmd == CMD_MAP ? "map" : a.cmd == CMD_ENVELOPE ? "envelope" : "sweep");
    rc = EB_EINPUT;
  } else if (rc == EB_OK && (a.cmd == CMD_SWEEP || a.cmd == CMD_MAP)) {
    rc = dispatch(&a); /* a single process starts MPI itself; workers are processes */
    Runtime_finalize();
  } else if (rc == EB_OK) {
    if (Runtime_init(&argc, &argv) != EB_OK) {
      fprintf(stderr, "ebsim: could not initialise MPI/hypre\n");
      rc = EB_EFAIL;
    } else {
      /* under mpirun every rank computes the same answer; rank 0 speaks (if
       * /dev/null cannot be opened the others merely repeat it) */
      if (Runtime_rank() != 0) {
        FILE *quiet_out = freopen("/dev/null", "w", stdout);
        FILE *quiet_err = freopen("/dev/null", "w", stderr);
        (void)quiet_out;
        (void)quiet_err;
      }
      rc = dispatch(&a);
    }
    Runtime_finalize();
  }
  free(a.sets);
  free(a.params);
  free(case_source);
  free(a.param_with);
  return rc == EB_ENOSTATE ? EB_EFAIL : rc; /* no steady state: exit code 1, said in the message */
}

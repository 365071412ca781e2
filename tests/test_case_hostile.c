/* test_case_hostile.c - inputs whose meaning must not depend on order or
 * aliasing, and hostile inputs (issue 14, items 5 and 6): overlapping
 * hotspots, --set through a YAML alias, case names that are not a single
 * path component, nesting / size / node bounds, non-regular files, empty
 * --set values, physically meaningless values, and the envelope's powers
 * checked before any search (through the binary, $EBSIM_BIN or ./ebsim). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cases/case.h"

static Case the_case;
static char err[EB_ERRLEN];

/* A small valid case; {HOT} and {COOL} are filled in by make(). */
static const char *const BASE =
    "name: hostile\n"                                                         /* 1 */
    "wafer: {size_mm: 100}\n"                                                 /* 2 */
    "power:\n"                                                                /* 3 */
    "  total_kw: 5\n"                                                         /* 4 */
    "  hotspots:\n"                                                           /* 5 */
    "    - {x_mm: 20, y_mm: 20, width_mm: 10, height_mm: 10, flux_w_cm2: 50}\n" /* 6 */
    "    - %s\n"                                                              /* 7 */
    "stack:\n"
    "  - {name: cp, kind: microchannel, base_thickness_mm: 2, channel_width_mm: 0.3,\n"
    "     channel_height_mm: 1.5, fin_thickness_mm: 0.2}\n"
    "  - {name: contact, kind: interface, conductance_w_m2k: %s}\n"
    "  - {name: die, material: silicon, thickness_mm: 0.7, heat_source: true}\n"
    "coolant: {inlet_c: 25, flow_lpm: 10}\n";

static const char *make(const char *hotspot, const char *conductance) {
  static char text[4096];
  snprintf(text, sizeof text, BASE, hotspot, conductance);
  return text;
}

static int read_text(const char *text, int n, const char *const *sets) {
  return Case_read_string(text, "t.yaml", n, sets, &the_case, err, sizeof err);
}

/* ---- item 5: order and aliases ------------------------------------------ */

Test(case_hostile, overlapping_hotspots_are_refused_naming_both) {
  const char *second = "{x_mm: 27, y_mm: 22, width_mm: 6, height_mm: 6, flux_w_cm2: 80}";
  cr_assert_eq(read_text(make(second, "1e4"), 0, NULL), EB_EINPUT);
  cr_assert_str_eq(err, "t.yaml:7:7: power.hotspots.1: hotspots 0 and 1 overlap over x 24 to 25 "
                        "mm, y 19 to 25 mm; hotspots may touch but not overlap (a cell takes one "
                        "flux): move or resize one, or split them into rectangles that do not "
                        "overlap");
  /* touching edges are no overlap */
  const char *touching = "{x_mm: 28, y_mm: 20, width_mm: 6, height_mm: 6, flux_w_cm2: 80}";
  cr_assert_eq(read_text(make(touching, "1e4"), 0, NULL), EB_OK, "%s", err);
  cr_assert_eq(the_case.n_hotspots, 2);
  /* an override that makes them overlap is named */
  const char *sets[] = {"power.hotspots.1.x_mm=27"};
  cr_assert_eq(read_text(make(touching, "1e4"), 1, sets), EB_EINPUT);
  cr_assert(!strncmp(err, "--set power.hotspots.1.x_mm=27: power.hotspots.1: hotspots 0 and 1 "
                          "overlap over x 24 to 25 mm",
                     60),
            "%s", err);
}

static const char *const ALIASED =
    "name: alias\n"
    "wafer: {size_mm: &s 100}\n"
    "power: {total_kw: 5}\n"
    "materials:\n"
    "  silicon: &m {k_w_mk: 150}\n"
    "  copper: *m\n"
    "stack:\n"
    "  - {name: cp, kind: microchannel, base_thickness_mm: 2, channel_width_mm: 0.3,\n"
    "     channel_height_mm: 1.5, fin_thickness_mm: 0.2}\n"
    "  - {name: die, material: silicon, thickness_mm: 0.7, heat_source: true}\n"
    "coolant: {inlet_c: 25, flow_lpm: *s}\n";

Test(case_hostile, set_through_an_alias_changes_one_key) {
  cr_assert_eq(read_text(ALIASED, 0, NULL), EB_OK, "%s", err);
  cr_assert_float_eq(the_case.wafer_size_m, 0.1, 1e-15);
  cr_assert_float_eq(the_case.flow_m3_s * 60000.0, 100.0, 1e-9);
  const char *flow[] = {"coolant.flow_lpm=150"};
  cr_assert_eq(read_text(ALIASED, 1, flow), EB_OK, "%s", err);
  cr_assert_float_eq(the_case.wafer_size_m, 0.1, 1e-15, "the wafer followed the alias");
  cr_assert_float_eq(the_case.flow_m3_s * 60000.0, 150.0, 1e-9);
  const char *size[] = {"wafer.size_mm=150"};
  cr_assert_eq(read_text(ALIASED, 1, size), EB_OK, "%s", err);
  cr_assert_float_eq(the_case.wafer_size_m, 0.15, 1e-15);
  cr_assert_float_eq(the_case.flow_m3_s * 60000.0, 100.0, 1e-9, "the flow followed the anchor");
  /* a shared mapping: copper's k changes, silicon's stays */
  const char *k[] = {"materials.copper.k_w_mk=400"};
  cr_assert_eq(read_text(ALIASED, 1, k), EB_OK, "%s", err);
  cr_assert_float_eq(Case_solid(&the_case, "copper")->kx_w_mk, 400.0, 1e-12);
  cr_assert_float_eq(Case_solid(&the_case, "silicon")->kx_w_mk, 150.0, 1e-12);
}

Test(case_hostile, case_name_is_one_safe_path_component) {
  static const char *const bad[] = {"..", ".", ".hidden", "-rf", "", "a/b", "\"a\\tb\""};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char set[64];
    snprintf(set, sizeof set, "name=%s", bad[i]);
    const char *sets[] = {set};
    cr_expect_eq(read_text(make("{x_mm: 80, y_mm: 80, width_mm: 2, height_mm: 2, flux_w_cm2: 9}",
                                "1e4"),
                           1, sets),
                 EB_EINPUT, "name %s accepted", bad[i]);
    cr_expect(strstr(err, "name: expected a name of 1 to 63 characters from [A-Za-z0-9_.-] that "
                          "does not start with '.' or '-' (it names the output directory "
                          "out/<name>)"),
              "%s", err);
  }
  const char *ok[] = {"name=cs3_v1.2-b"};
  cr_assert_eq(read_text(make("{x_mm: 80, y_mm: 80, width_mm: 2, height_mm: 2, flux_w_cm2: 9}",
                              "1e4"),
                         1, ok),
               EB_OK, "%s", err);
  cr_assert_str_eq(the_case.name, "cs3_v1.2-b");
}

/* ---- item 6: hostile inputs -------------------------------------------- */

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

Test(case_hostile, deep_nesting_is_refused_quickly) {
  enum { DEPTH = 100000 };
  char *text = malloc(2 * DEPTH + 16);
  cr_assert(text);
  size_t n = (size_t)sprintf(text, "name: ");
  for (int i = 0; i < DEPTH; i++) text[n++] = '[';
  for (int i = 0; i < DEPTH; i++) text[n++] = ']';
  text[n] = '\0';
  double t0 = seconds();
  cr_assert_eq(read_text(text, 0, NULL), EB_EINPUT);
  double dt = seconds() - t0;
  free(text);
  cr_assert_str_eq(err, "t.yaml:1:70: lists and mappings nest more than 64 deep here (a case "
                        "nests 8 at most); is this the right file?");
  cr_assert(dt < 1.0, "took %.2f s", dt);
}

Test(case_hostile, node_and_anchor_counts_are_bounded) {
  enum { N = 210000 };
  char *text = malloc(3 * N + 64);
  cr_assert(text);
  size_t n = (size_t)sprintf(text, "name: x\nsweep: [");
  for (int i = 0; i < N; i++) n += (size_t)sprintf(text + n, "1,");
  sprintf(text + n, "1]\n");
  cr_assert_eq(read_text(text, 0, NULL), EB_EINPUT);
  cr_assert(strstr(err, "t.yaml:2:") && strstr(err, "more than 200000 values, keys and lists"),
            "%s", err);
  n = (size_t)sprintf(text, "name: x\nsweep: [");
  for (int i = 0; i < 1001; i++) n += (size_t)sprintf(text + n, "&a%d 1,", i);
  sprintf(text + n, "1]\n");
  cr_assert_eq(read_text(text, 0, NULL), EB_EINPUT);
  cr_assert(strstr(err, "more than 1000 YAML anchors (&name)"), "%s", err);
  free(text);
}

Test(case_hostile, size_is_bounded) {
  size_t len = ((size_t)16 << 20) + 2;
  char *text = malloc(len + 1);
  cr_assert(text);
  memset(text, '#', len);
  text[len] = '\0';
  cr_assert_eq(read_text(text, 0, NULL), EB_EINPUT);
  cr_assert(strstr(err, "more than the 16 MiB a case may be"), "%s", err);
  char path[] = "/tmp/ebsim-big-XXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  cr_assert_eq(write(fd, text, len), (ssize_t)len);
  close(fd);
  free(text);
  cr_assert_eq(Case_read(path, 0, NULL, &the_case, err, sizeof err), EB_EINPUT);
  unlink(path);
  cr_assert(strstr(err, "cannot read: the file is 16777218 bytes, more than the 16 MiB a case "
                        "may be"),
            "%s", err);
}

Test(case_hostile, non_regular_files_are_refused, .timeout = 10) {
  char fifo[] = "/tmp/ebsim-fifo-XXXXXX";
  cr_assert(mkdtemp(fifo));
  char path[64];
  snprintf(path, sizeof path, "%s/f", fifo);
  cr_assert_eq(mkfifo(path, 0600), 0);
  static const char *const files[] = {"/dev/zero", "/tmp", NULL};
  static const char *const kinds[] = {"a device", "a directory", "a pipe"};
  for (int i = 0; i < 3; i++) {
    const char *f = files[i] ? files[i] : path;
    cr_expect_eq(Case_read(f, 0, NULL, &the_case, err, sizeof err), EB_EINPUT, "%s", f);
    char want[160];
    snprintf(want, sizeof want, "%s: cannot read: not a regular file (%s); a case is a YAML file",
             f, kinds[i]);
    cr_expect_str_eq(err, want);
  }
  unlink(path);
  rmdir(fifo);
}

Test(case_hostile, empty_set_value_is_blamed_on_the_set) {
  const char *text = make("{x_mm: 80, y_mm: 80, width_mm: 2, height_mm: 2, flux_w_cm2: 9}", "1e4");
  const char *sets[] = {"coolant.flow_lpm="};
  cr_assert_eq(read_text(text, 1, sets), EB_EINPUT);
  cr_assert_str_eq(err, "--set coolant.flow_lpm=: coolant.flow_lpm: an empty value means \"use "
                        "the default\", and flow_lpm has none: give a flow in L/min (> 0), or "
                        "set coolant.flow_source: pumps");
  /* the same key left out of the file is the file's */
  char *no_flow = strdup(text);
  char *p = strstr(no_flow, ", flow_lpm: 10");
  memmove(p, p + strlen(", flow_lpm: 10"), strlen(p + strlen(", flow_lpm: 10")) + 1);
  cr_assert_eq(read_text(no_flow, 0, NULL), EB_EINPUT);
  free(no_flow);
  cr_assert(!strncmp(err, "t.yaml:13:", 10), "%s", err);
}

Test(case_hostile, meaningless_positive_values_get_a_range) {
  const char *hs = "{x_mm: 80, y_mm: 80, width_mm: 2, height_mm: 2, flux_w_cm2: 9}";
  cr_assert_eq(read_text(make(hs, "4.9e-324"), 0, NULL), EB_EINPUT);
  cr_assert_str_eq(err, "t.yaml:11:57: stack.contact.conductance_w_m2k: expected a number >= 1 "
                        "and <= 1000000000 (W/m^2K), got '4.9e-324'");
  cr_assert_eq(read_text(make(hs, "1"), 0, NULL), EB_OK, "%s", err);
  static const char *const sets[][2] = {
      {"stack.die.thickness_mm=1e-300", "expected a number >= 0.001 and <= 200 (mm)"},
      {"materials.silicon.k_w_mk=1e-300", "expected a number >= 0.001 and <= 10000 (W/mK)"},
      {"coolant.flow_lpm=1e-300", "expected a number >= 0.01 and <= 5000 (L/min)"},
      {"power.total_kw=1e-300", "expected a number >= 0.001 and <= 1000 (kW)"},
      {"hydraulics.pipe_diameter_mm=1e-300", "expected a number >= 0.1 and <= 500 (mm)"},
  };
  for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
    const char *s[] = {sets[i][0]};
    cr_expect_eq(read_text(make(hs, "1e4"), 1, s), EB_EINPUT, "%s accepted", sets[i][0]);
    cr_expect(strstr(err, sets[i][1]), "%s: %s", sets[i][0], err);
  }
}

/* ---- through the binary ------------------------------------------------- */

static int run(const char *args, char *out, size_t out_size) {
  const char *b = getenv("EBSIM_BIN");
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "%s %s 2>&1", b && *b ? b : "./ebsim", args);
  FILE *p = popen(cmd, "r");
  cr_assert(p, "cannot run %s", cmd);
  size_t n = fread(out, 1, out_size - 1, p);
  out[n] = '\0';
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(case_hostile, binary_refuses_hostile_inputs_with_exit_2, .timeout = 60) {
  static char out[1 << 14];
  cr_assert_eq(run("check /dev/zero", out, sizeof out), 2, "%s", out);
  cr_assert(strstr(out, "/dev/zero: cannot read: not a regular file"), "%s", out);
  cr_assert_eq(run("check cases/cs3.yaml --set name=..", out, sizeof out), 2, "%s", out);
  cr_assert(strstr(out, "--set name=..: name: expected a name"), "%s", out);
  cr_assert_eq(run("check cases/cs3.yaml --set coolant.flow_lpm=", out, sizeof out), 2, "%s", out);
  cr_assert(strstr(out, "ebsim: --set coolant.flow_lpm=: coolant.flow_lpm: an empty value"), "%s",
            out);
}

Test(case_hostile, envelope_checks_its_powers_before_searching, .timeout = 60) {
  static char out[1 << 14];
  char dir[] = "/tmp/ebsim-env-XXXXXX", args[512], sub[64];
  cr_assert(mkdtemp(dir));
  snprintf(sub, sizeof sub, "%s/o", dir);
  snprintf(args, sizeof args, "envelope cases/cs3.yaml --power-kw '' --out %s", sub);
  cr_expect_eq(run(args, out, sizeof out), 2, "%s", out);
  cr_expect_str_eq(out, "ebsim: --power-kw: expected up to 16 positive numbers like 25,30,35, got "
                        "an empty list\n");
  snprintf(args, sizeof args, "envelope cases/cs3.yaml --power-kw 25,2000 --out %s", sub);
  cr_expect_eq(run(args, out, sizeof out), 2, "%s", out);
  cr_expect_str_eq(out, "ebsim: --power-kw 2000: --set power.total_kw=2000: power.total_kw: "
                        "expected a number >= 0.001 and <= 1000 (kW), got '2000'\n");
  snprintf(args, sizeof args,
           "envelope cases/cs3.yaml --power-kw 400 --flow-per-kw 20 --out %s", sub);
  cr_expect_eq(run(args, out, sizeof out), 2, "%s", out);
  cr_expect(strstr(out, "--power-kw 400 at --flow-per-kw 20 (8000 L/min): --set "
                        "coolant.flow_lpm=8000: coolant.flow_lpm: expected a number >= 0.01 "
                        "and <= 5000 (L/min)"),
            "%s", out);
  struct stat sb;
  cr_expect(stat(sub, &sb) != 0, "the envelope wrote %s", sub);
  rmdir(dir);
}

/* Found by make fuzz (tests/fuzz/crashes/): an override replacing a text
 * in place took bytes that are not UTF-8, and the case's own dump could
 * then not be read back. Every override is UTF-8 or refused, in place or
 * new, through the reader and through Case_set. */
Test(case_hostile, overrides_must_be_utf8) {
  static Case c;
  char err[EB_ERRLEN];
  const char *bad[] = {"scenarios.power-step.description=idle \xc1 to full",
                       "name=cs\xe0\x80\xafthree", /* an overlong '/' */
                       "scenarios.power-step.description=\xed\xa0\x80",  /* a surrogate */
                       "scenarios.power-step.description=\xf4\x90\x80\x80"}; /* > U+10FFFF */
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    cr_expect_eq(Case_read("cases/cs3.yaml", 1, &bad[i], &c, err, sizeof err), EB_EINPUT,
                 "override %zu accepted", i);
    cr_expect(strstr(err, "is not valid UTF-8"), "%zu: %s", i, err);
  }
  cr_assert_eq(Case_read("cases/cs3.yaml", 0, NULL, &c, err, sizeof err), EB_OK, "%s", err);
  cr_assert_eq(Case_set(&c, "scenarios.power-step.description", "idle \xc1 full", err, sizeof err),
               EB_EINPUT);
  cr_assert(strstr(err, "not valid UTF-8"), "%s", err);
  /* good UTF-8 goes through and reads back from the dump */
  cr_assert_eq(Case_set(&c, "scenarios.power-step.description", "idle \xe2\x86\x92 full", err,
                        sizeof err),
               EB_OK, "%s", err);
  char *dump = Case_dump_string(&c);
  static Case back;
  cr_assert_eq(Case_read_string(dump, "dump", 0, NULL, &back, err, sizeof err), EB_OK, "%s", err);
  free(dump);
}

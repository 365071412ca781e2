/* fuzz_case.c - libFuzzer target for the case reader and the --set parser.
 *
 * One input is YAML text (up to its first NUL byte: the reader takes a C
 * string). Lines of it that start with "#set " are also --set overrides,
 * "#set key.path=value" (they are YAML comments, so the seeds stay valid
 * case files that ebsim reads); so is every line after the first NUL byte,
 * where an override may hold bytes the YAML may not. For each input:
 *
 *   1. Case_read_string(text, overrides): the loader, the bounds on hostile
 *      input, the overrides' navigation of the document and the validator.
 *      On success, the dump round trip: Case_dump_string, read the dump back
 *      (it must succeed) and it must give the same case byte for byte
 *      (case_dump.c: "reading the dump gives the same Case bit for bit").
 *   2. Each override's key (split at the first '=', as --set does) through
 *      Case_get on that case.
 *   3. Each override through Case_set on a valid base case (cases/cs3.yaml,
 *      read once): on failure the case must be unchanged; on success it must
 *      pass the round trip, and the value Case_get then gives must set back
 *      to the very same case.
 *   4. When the reader took all the overrides, the same ones one by one with
 *      Case_set on the case read without them: if each holds on its own, the
 *      end must be the case of 1 ("exactly the checks of --set", case.h).
 *
 * Every return code is checked: a call gives EB_OK or EB_EINPUT with a
 * message (EB_EFAIL is out of memory only, which libFuzzer's allocator
 * reports as an OOM before malloc could return NULL). A broken invariant
 * aborts with a message, which libFuzzer records as a crash. The case is
 * plain data (case.h): nothing to free; libyaml's and the reader's own
 * allocations are covered by the leak checker. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case.h"

#ifndef FUZZ_BASE_CASE
#define FUZZ_BASE_CASE "cases/cs3.yaml"
#endif

#define MAX_SETS 16    /* overrides given to the reader */
#define MAX_SET_CALLS 8 /* overrides also tried with Case_get / Case_set (each one
                           dumps and re-reads the whole case) */
#define LABEL "fuzz.yaml"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static Case base; /* cases/cs3.yaml as read */
static int verbose; /* FUZZ_VERBOSE=1: every call's outcome on stderr */

static void say(const char *what, const char *arg, int rc, const char *err) {
  if (verbose)
    fprintf(stderr, "fuzz_case: %s%s%s -> %d %s\n", what, arg ? " " : "", arg ? arg : "", rc, err);
}

/* The same case, byte for byte (what equal fingerprints stand for; memcmp is
 * much cheaper than hashing 80 kB under the fuzzer's instrumentation). */
static int same_case(const Case *a, const Case *b) { return !memcmp(a, b, sizeof *a); }

static void fail(const char *what, const char *detail) {
  fprintf(stderr, "fuzz_case: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
  abort();
}

/* A call's return code and message: EB_OK, or EB_EINPUT with a message; the
 * message always a terminated string within the buffer. */
static void check_rc(int rc, const char *err, size_t err_size, const char *what) {
  if (!memchr(err, '\0', err_size)) fail(what, "the message is not terminated");
  if (rc == EB_OK) return;
  if (rc != EB_EINPUT) {
    char msg[EB_ERRLEN + 64];
    snprintf(msg, sizeof msg, "returned %d (%s)", rc, err);
    fail(what, msg);
  }
  if (!err[0]) fail(what, "EB_EINPUT without a message");
}

/* The dump of c reads back, as the same case. */
static void round_trip(const Case *c, const char *what) {
  static Case back;
  char err[EB_ERRLEN];
  char *text = Case_dump_string(c);
  if (!text) fail(what, "Case_dump_string returned NULL");
  int rc = Case_read_string(text, c->path, 0, NULL, &back, err, sizeof err);
  check_rc(rc, err, sizeof err, "Case_read_string of a dump");
  if (rc != EB_OK) {
    fprintf(stderr, "---- dump ----\n%s---- end ----\n", text);
    fail(what, err); /* the dump of a valid case must read back */
  }
  if (!same_case(&back, c)) {
    char *again = Case_dump_string(&back);
    fprintf(stderr, "---- dump ----\n%s---- dump read back and dumped ----\n%s---- end ----\n",
            text, again ? again : "(NULL)");
    free(again);
    fail(what, "the dump reads back as a different case");
  }
  free(text);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *path = getenv("FUZZ_BASE_CASE");
  char err[EB_ERRLEN];
  if (!path) path = FUZZ_BASE_CASE;
  verbose = getenv("FUZZ_VERBOSE") && atoi(getenv("FUZZ_VERBOSE")) > 0;
  if (Case_read(path, 0, NULL, &base, err, sizeof err) != EB_OK) {
    fprintf(stderr, "fuzz_case: the base case for Case_set: %s\n", err);
    exit(1);
  }
  return 0;
}

static char *copy_of(const char *p, size_t len) {
  char *s = malloc(len + 1);
  if (!s) fail("copy_of", "out of memory");
  memcpy(s, p, len);
  s[len] = '\0';
  return s;
}

/* The overrides of an input into sets[] (malloc'ed): the "#set " lines of
 * the text before the first NUL, then every non-empty line after it (there
 * they may hold bytes the YAML may not, such as invalid UTF-8). */
static int collect_sets(const char *data, size_t size, char **sets, int max) {
  int n = 0;
  size_t text_len = strnlen(data, size);
  for (const char *p = data; *p && n < max;) {
    const char *end = strchr(p, '\n');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len >= 5 && !memcmp(p, "#set ", 5)) sets[n++] = copy_of(p + 5, len - 5);
    if (!end) break;
    p = end + 1;
  }
  for (size_t i = text_len + 1; i < size && n < max;) {
    size_t j = i;
    while (j < size && data[j] != '\n' && data[j] != '\0') j++;
    if (j > i) sets[n++] = copy_of(data + i, j - i);
    i = j + 1;
  }
  return n;
}

/* Key and value of a "key=value" override, as --set splits it (at the
 * first '='); value NULL when there is none. */
static const char *split_set(const char *set, char *key, size_t key_size) {
  const char *eq = strchr(set, '=');
  size_t klen = eq ? (size_t)(eq - set) : strlen(set);
  if (klen >= key_size) klen = key_size - 1;
  memcpy(key, set, klen);
  key[klen] = '\0';
  return eq ? eq + 1 : NULL;
}

/* Case_scenario for each scenario of c and a name it lacks: the scenario,
 * or NULL with a message (the case as it stands may not fit it). */
static void scenarios(const Case *c) {
  char err[EB_ERRLEN];
  for (int i = 0; i <= c->n_scenarios; i++) {
    const char *name = i < c->n_scenarios ? c->scenarios[i].name : "no-such-scenario";
    err[0] = '\0';
    const CaseScenario *s = Case_scenario(c, name, err, sizeof err);
    if (!memchr(err, '\0', sizeof err)) fail("Case_scenario", "the message is not terminated");
    if (s ? s != &c->scenarios[i] : !err[0])
      fail("Case_scenario", s ? "another scenario than the one named" : "NULL without a message");
  }
}

/* One override through Case_set on *work; its return code. */
static int try_set(Case *work, const char *set) {
  char key[512], err[EB_ERRLEN];
  const char *value = split_set(set, key, sizeof key);
  static Case before;
  memcpy(&before, work, sizeof before);
  int rc = Case_set(work, key, value, err, sizeof err);
  say("Case_set", set, rc, err);
  check_rc(rc, err, sizeof err, "Case_set");
  if (rc != EB_OK) {
    if (!same_case(work, &before)) fail("Case_set", "a failed set changed the case");
    return rc;
  }
  round_trip(work, "Case_set then the dump round trip");
  scenarios(work);

  /* The value as Case_get gives it sets back to the very same case. */
  CaseValue v;
  int got = Case_get(work, key, &v, err, sizeof err);
  check_rc(got, err, sizeof err, "Case_get after Case_set");
  if (got != EB_OK || v.kind == CASE_VALUE_UNSET) return rc;
  if (!memchr(v.text, '\0', sizeof v.text)) fail("Case_get", "the value text is not terminated");
  memcpy(&before, work, sizeof before);
  got = Case_set(work, key, v.text, err, sizeof err);
  check_rc(got, err, sizeof err, "Case_set of the value Case_get gave");
  if (got != EB_OK || !same_case(work, &before)) {
    fprintf(stderr, "key '%s', Case_get gave '%s'\n", key, v.text);
    fail("Case_set of the value Case_get gave", got ? err : "it changed the case");
  }
  return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static Case c, c0, work;
  char err[EB_ERRLEN], key[512];
  /* the reader sees the text up to the first NUL */
  char *text = copy_of((const char *)data, size);
  char *sets[MAX_SETS];
  int n = collect_sets(text, size, sets, MAX_SETS);

  /* 1. the reader with the overrides, and its dump */
  int rc = Case_read_string(text, LABEL, n, (const char *const *)sets, &c, err, sizeof err);
  say("Case_read_string", NULL, rc, err);
  check_rc(rc, err, sizeof err, "Case_read_string");
  if (rc == EB_OK) {
    round_trip(&c, "Case_read_string then the dump round trip");
    scenarios(&c);
  }

  /* 2. each key through Case_get on that case */
  for (int i = 0; rc == EB_OK && i < n && i < MAX_SET_CALLS; i++) {
    CaseValue v;
    split_set(sets[i], key, sizeof key);
    int got = Case_get(&c, key, &v, err, sizeof err);
    say("Case_get", key, got, got ? err : v.text);
    check_rc(got, err, sizeof err, "Case_get");
    if (got == EB_OK && !memchr(v.text, '\0', sizeof v.text))
      fail("Case_get", "the value text is not terminated");
  }

  /* 3. the overrides one by one with Case_set on the base case */
  memcpy(&work, &base, sizeof work);
  for (int i = 0; i < n && i < MAX_SET_CALLS; i++)
    try_set(&work, sets[i]);

  /* 4. the same overrides with Case_set, one by one, on the case read
   * without them: when each one holds on its own, the end is the case the
   * reader gave with all of them ("exactly the checks of --set") */
  if (rc == EB_OK && n > 0 && n <= MAX_SET_CALLS) {
    int rc0 = Case_read_string(text, LABEL, 0, NULL, &c0, err, sizeof err);
    say("Case_read_string without the overrides", NULL, rc0, err);
    check_rc(rc0, err, sizeof err, "Case_read_string without the overrides");
    for (int i = 0; rc0 == EB_OK && i < n; i++)
      rc0 = try_set(&c0, sets[i]);
    if (rc0 == EB_OK && !same_case(&c0, &c)) {
      char *a = Case_dump_string(&c), *b = Case_dump_string(&c0);
      fprintf(stderr, "---- read with the overrides ----\n%s---- Case_set one by one ----\n%s"
                      "---- end ----\n", a ? a : "(NULL)", b ? b : "(NULL)");
      free(a);
      free(b);
      fail("the overrides", "Case_set one by one gives another case than the reader with all");
    }
  }

  for (int i = 0; i < n; i++)
    free(sets[i]);
  free(text);
  return 0;
}

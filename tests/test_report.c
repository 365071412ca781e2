/* test_report.c - `ebsim report DIR` and --report: the HTML page holds every
 * value of summary.json (read back from the HTML and compared), the limits
 * worst first, the case file's [E] assumptions, its figures as data URIs and
 * nothing external, and escapes every text of the case; sweeps, limit
 * searches, envelopes and transients get their own page; a directory that
 * is not a complete ebsim output is exit 2 and gets nothing. The binary is
 * $EBSIM_BIN (set by `make test`), else ./ebsim; coarse grids keep it fast. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output/out_html.h"

static const char *bin(void) {
  const char *b = getenv("EBSIM_BIN");
  return b && *b ? b : "./ebsim";
}

static char out[1 << 16];

/* Run "ebsim ARGS", stdout+stderr into out; the exit code. */
static int run(const char *args) {
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "%s %s 2>&1", bin(), args);
  FILE *p = popen(cmd, "r");
  cr_assert(p, "cannot run %s", cmd);
  size_t n = fread(out, 1, sizeof out - 1, p);
  out[n] = '\0';
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int exists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0;
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  cr_assert(f, "cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  cr_assert(s);
  cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
  s[n] = '\0';
  fclose(f);
  return s;
}

static char tmp_root[256];
static void mk_tmp(void) {
  snprintf(tmp_root, sizeof tmp_root, "/tmp/ebsim-report-XXXXXX");
  cr_assert(mkdtemp(tmp_root));
}
static void rm_tmp(void) {
  char cmd[400];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
  cr_assert_eq(system(cmd), 0);
}
TestSuite(report, .init = mk_tmp, .fini = rm_tmp, .timeout = 120);

/* ---- reading the page back ------------------------------------------------------------- */

/* HTML text to plain text: tags dropped, entities decoded. */
static void plain(const char *s, size_t len, char *buf, size_t size) {
  size_t k = 0;
  for (size_t i = 0; i < len && k + 4 < size;) {
    if (s[i] == '<') {
      while (i < len && s[i] != '>') i++;
      i++;
      continue;
    }
    static const struct {
      const char *ent, *txt;
    } ents[] = {{"&amp;", "&"},       {"&lt;", "<"},    {"&gt;", ">"},  {"&quot;", "\""},
                {"&#39;", "'"},       {"&nbsp;", " "},  {"&mdash;", "-"}};
    int done = 0;
    for (size_t e = 0; e < sizeof ents / sizeof ents[0] && !done; e++) {
      size_t n = strlen(ents[e].ent);
      if (i + n <= len && !strncmp(s + i, ents[e].ent, n)) {
        k += (size_t)snprintf(buf + k, size - k, "%s", ents[e].txt);
        i += n;
        done = 1;
      }
    }
    if (!done) buf[k++] = s[i++];
  }
  buf[k] = '\0';
}

/* The part of html from the element with id="id" to the end of its table. */
static const char *table_of(const char *html, const char *id, const char **end) {
  char key[128];
  snprintf(key, sizeof key, "id=\"%s\"", id);
  const char *t = strstr(html, key);
  cr_assert(t, "the page has no %s", key);
  *end = strstr(t, "</table>");
  cr_assert(*end, "%s does not end", id);
  return t;
}

/* An attribute of the tag starting at tag: its value into buf, or 0. */
static int attr(const char *tag, const char *name, char *buf, size_t size) {
  const char *close = strchr(tag, '>');
  char key[64];
  snprintf(key, sizeof key, " %s=\"", name);
  const char *a = strstr(tag, key);
  if (!a || (close && a > close)) return 0;
  a += strlen(key);
  const char *q = strchr(a, '"');
  snprintf(buf, size, "%.*s", (int)(q - a), a);
  return 1;
}

/* Cell i (0-based) of the row starting at row, as plain text. */
static void cell(const char *row, int i, char *buf, size_t size) {
  const char *end = strstr(row, "</tr>");
  const char *c = row;
  for (int k = 0; k <= i; k++) {
    c = strstr(c + 1, "<td");
    cr_assert(c && c < end, "row has no cell %d: %.200s", i, row);
  }
  const char *open = strchr(c, '>') + 1;
  const char *close = strstr(open, "</td>");
  plain(open, (size_t)(close - open), buf, size);
}

static int count_of(const char *s, const char *end, const char *what) {
  int n = 0;
  for (const char *p = strstr(s, what); p && (!end || p < end); p = strstr(p + 1, what)) n++;
  return n;
}

static int close_to(double a, double b, double rel) {
  return fabs(a - b) <= rel * fmax(fabs(a), fabs(b)) || a == b;
}

/* ---- a run ------------------------------------------------------------------------------ */

static char *run_report(const char *name, const char *extra, json_t **summary) {
  char args[2048], path[600];
  snprintf(args, sizeof args,
           "run cases/cs3.yaml --set grid.dx_mm=8 --out %s/%s --quiet --report %s", tmp_root,
           name, extra);
  int rc = run(args);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  cr_assert(strstr(out, "report.html"), "%s", out);
  snprintf(path, sizeof path, "%s/%s/summary.json", tmp_root, name);
  *summary = json_load_file(path, 0, NULL);
  cr_assert(*summary, "no %s", path);
  snprintf(path, sizeof path, "%s/%s/report.html", tmp_root, name);
  return slurp(path);
}

/* Every value of summary.json is in the page's result table, under its
 * name, with its unit, shown to 6 significant digits and carried in full;
 * and the table holds nothing else. */
Test(report, run_report_holds_every_summary_value) {
  json_t *sum;
  char *html = run_report("run", "", &sum);
  const char *end, *tab = table_of(html, "results-table", &end);
  json_t *units = json_object_get(sum, "units");
  const char *key;
  json_t *v;
  int n = 0;
  json_object_foreach(sum, key, v) {
    if (!strcmp(key, "ebsim_version") || !strcmp(key, "units") || !strcmp(key, "limits"))
      continue;
    n++;
    char want[200], buf[4096], a[256];
    snprintf(want, sizeof want, "<tr data-name=\"%s\"", key);
    const char *row = strstr(tab, want);
    cr_assert(row && row < end, "%s is not in the page's result table", key);
    cr_expect(attr(row, "data-unit", a, sizeof a) &&
                  !strcmp(a, json_string_value(json_object_get(units, key))),
              "%s: unit '%s' in the page, '%s' in summary.json", key, a,
              json_string_value(json_object_get(units, key)));
    cell(row, 1, buf, sizeof buf);
    if (json_is_string(v)) {
      cr_expect_str_eq(buf, json_string_value(v), "%s", key);
    } else if (json_is_array(v)) {
      cr_assert(attr(row, "data-count", a, sizeof a), "%s", key);
      cr_expect_eq(atoi(a), (int)json_array_size(v), "%s", key);
      for (size_t i = 0; i < json_array_size(v); i++)
        cr_expect(strstr(buf, json_string_value(json_array_get(v, i))), "%s[%zu]", key, i);
    } else if (json_is_boolean(v)) {
      cr_assert(attr(row, "data-value", a, sizeof a), "%s", key);
      cr_expect_str_eq(a, json_is_true(v) ? "true" : "false", "%s", key);
      cr_expect_str_eq(buf, json_is_true(v) ? "yes" : "no", "%s", key);
    } else if (json_is_null(v)) {
      cr_assert(attr(row, "data-value", a, sizeof a), "%s", key);
      cr_expect_str_eq(a, "null", "%s", key);
      cr_expect_str_eq(buf, "n/a", "%s", key);
    } else {
      const double want_v = json_number_value(v);
      cr_assert(attr(row, "data-value", a, sizeof a), "%s", key);
      const double full = strtod(a, NULL), shown = strtod(buf, NULL);
      /* summary.json keeps 10 significant digits, the page shows 6 */
      cr_expect(close_to(full, want_v, 1e-9), "%s: %s in the page, %.12g in summary.json", key,
                a, want_v);
      cr_expect(close_to(shown, want_v, 1e-5), "%s: shown '%s', %.12g in summary.json", key, buf,
                want_v);
      if (json_is_integer(v)) cr_expect_eq((long long)full, json_integer_value(v), "%s", key);
    }
  }
  cr_expect(n > 100, "only %d values in summary.json", n);
  cr_expect_eq(count_of(tab, end, "<tr data-name="), n,
               "the page's table has other rows than summary.json's %d values", n);
  /* the headline: the hottest junction and the verdict */
  char head[64];
  snprintf(head, sizeof head, "%.2f", json_number_value(json_object_get(sum, "t_max_c")));
  cr_expect(strstr(html, head), "no hottest junction %s in the page", head);
  cr_expect(strstr(html, "every limit holds"));
  cr_expect(strstr(html, "Energy balance") && strstr(html, "ebsim 0.1"), "version and balance");
  json_decref(sum);
  free(html);
}

/* Relative margin, as the report orders them. */
static double rel(json_t *l) {
  const double lim = json_number_value(json_object_get(l, "limit"));
  return json_number_value(json_object_get(l, "margin")) / (fabs(lim) > 0 ? fabs(lim) : 1.0);
}

/* The limits worst first; the [E] assumptions of cs3.yaml with their keys;
 * the figures of the run embedded, nothing fetched from outside; --top. */
Test(report, limits_worst_first_assumptions_figures_top) {
  json_t *sum;
  char *html = run_report("top", "--top 4", &sum);
  const char *end, *tab = table_of(html, "limits-table", &end);
  json_t *lim = json_object_get(sum, "limits");
  cr_assert(json_object_size(lim) >= 8);
  cr_expect_eq(count_of(tab, end, "<tr data-limit="), (int)json_object_size(lim));
  double prev = -INFINITY;
  int rows = 0;
  for (const char *r = strstr(tab, "<tr data-limit="); r && r < end;
       r = strstr(r + 1, "<tr data-limit=")) {
    char name[128], m[64];
    cr_assert(attr(r, "data-limit", name, sizeof name));
    cr_assert(attr(r, "data-margin", m, sizeof m));
    json_t *l = json_object_get(lim, name);
    cr_assert(l, "limit %s is not in summary.json", name);
    cr_expect(close_to(strtod(m, NULL), json_number_value(json_object_get(l, "margin")), 1e-8),
              "%s margin", name);
    cr_expect(rel(l) >= prev, "%s (relative margin %g) after one of %g: not worst first", name,
              rel(l), prev);
    prev = rel(l);
    rows++;
  }
  cr_expect(rows > 0);
  /* [E]: every marked line of cs3.yaml with its key and value */
  tab = table_of(html, "assumptions-table", &end);
  const int n_e = count_of(tab, end, "<tr data-key=");
  cr_expect(n_e >= 40, "only %d [E] assumptions listed", n_e);
  const char *row = strstr(tab, "<tr data-key=\"stack.contact.conductance_w_m2k\"");
  cr_assert(row && row < end, "the contact conductance is not listed");
  char buf[2048];
  cell(row, 2, buf, sizeof buf);
  cr_expect_str_eq(buf, "50000");
  cell(row, 4, buf, sizeof buf);
  cr_expect(strstr(buf, "Dominant unknown"), "its note: %s", buf);
  cr_expect(strstr(html, "data-key=\"limits.junction_max_c\""));
  cr_expect(strstr(html, "data-key=\"scenarios.pump-trip.events.2\""));
  /* figures: every image a data URI, every figure of the run embedded */
  int imgs = 0;
  for (const char *s = strstr(html, "src=\""); s; s = strstr(s + 1, "src=\"")) {
    cr_expect(!strncmp(s + 5, "data:image/", 11), "an image not embedded: %.60s", s);
    imgs++;
  }
  cr_expect(imgs >= 10, "only %d images", imgs);
  cr_expect(strstr(html, "alt=\"wafer_temperature.png\""));
  cr_expect(!strstr(html, "http://") && !strstr(html, "https://") && !strstr(html, "<script") &&
                !strstr(html, "<link") && !strstr(html, "url("),
            "the page refers to something outside it");
  /* --top 4: the four hottest dies */
  tab = table_of(html, "dies-table", &end);
  cr_expect_eq(count_of(tab, end, "<tr><td class=\"r\">"), 4);
  json_decref(sum);
  free(html);
}

/* Case text is escaped: a comment, a description and a path with markup. */
Test(report, case_text_is_escaped) {
  char *src = slurp("cases/cs3.yaml");
  char path[600];
  snprintf(path, sizeof path, "%s/<blink>&case.yaml", tmp_root);
  FILE *f = fopen(path, "w");
  cr_assert(f);
  const char *mark = "# [E] base between fin root and the polished face";
  char *at = strstr(src, mark);
  cr_assert(at);
  const char *desc = "description: idle to full power";
  char *d = strstr(src, desc);
  cr_assert(d && d > at);
  fwrite(src, 1, (size_t)(at - src) + strlen(mark), f);
  fputs(" <blink>x</blink> & \"q\" 'a'", f);
  const char *rest = at + strlen(mark);
  fwrite(rest, 1, (size_t)(d - rest), f);
  fputs("description: \"idle <blink>to</blink> full power\"", f);
  fputs(d + strlen(desc), f);
  fclose(f);
  free(src);
  char args[2048], page[700];
  snprintf(args, sizeof args,
           "run '%s' --set grid.dx_mm=8 --out %s/esc --quiet --no-figures --report", path,
           tmp_root);
  int rc = run(args);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  snprintf(page, sizeof page, "%s/esc/report.html", tmp_root);
  char *html = slurp(page);
  cr_expect(!strstr(html, "<blink"), "unescaped case text in the page");
  cr_expect(strstr(html, "&lt;blink&gt;x&lt;/blink&gt; &amp; &quot;q&quot; &#39;a&#39;"),
            "the note is not in the page, escaped");
  cr_expect(strstr(html, "idle &lt;blink&gt;to&lt;/blink&gt; full power"),
            "the description is not in the resolved case, escaped");
  cr_expect(strstr(html, "&lt;blink&gt;&amp;case.yaml"), "the file name, escaped");
  /* every '<' opens one of the page's own tags */
  for (const char *s = strchr(html, '<'); s; s = strchr(s + 1, '<'))
    cr_expect((s[1] >= 'a' && s[1] <= 'z') || s[1] == '/' || s[1] == '!', "stray '<': %.40s", s);
  free(html);
}

/* `ebsim report DIR` on a finished run: the page joins the run's set, which
 * stays complete (plot still reads it). */
Test(report, report_command_joins_the_set) {
  char args[1024], path[600];
  snprintf(args, sizeof args, "run cases/cs3.yaml --set grid.dx_mm=8 --out %s/r --quiet",
           tmp_root);
  cr_assert_eq(run(args), 0, "%s", out);
  snprintf(path, sizeof path, "%s/r/report.html", tmp_root);
  cr_assert(!exists(path));
  snprintf(args, sizeof args, "report %s/r", tmp_root);
  cr_assert_eq(run(args), 0, "%s", out);
  cr_assert(exists(path), "%s", out);
  snprintf(path, sizeof path, "%s/r/manifest.json", tmp_root);
  char *m = slurp(path);
  cr_expect(strstr(m, "\"report.html\"") && strstr(m, "\"result.h5\"") &&
                strstr(m, "\"wafer_temperature.png\""),
            "%s", m);
  free(m);
  snprintf(args, sizeof args, "plot %s/r --figures svg --out %s/r-svg", tmp_root, tmp_root);
  cr_expect_eq(run(args), 0, "%s", out);
  /* elsewhere: a set of its own */
  snprintf(args, sizeof args, "report %s/r --out %s/elsewhere --top 2", tmp_root, tmp_root);
  cr_assert_eq(run(args), 0, "%s", out);
  snprintf(path, sizeof path, "%s/elsewhere/report.html", tmp_root);
  cr_expect(exists(path));
}

/* A directory that is not a complete ebsim output: exit 2, saying what a
 * report needs, and nothing written there. */
Test(report, not_an_output_exits_2) {
  char args[1024], path[600];
  snprintf(args, sizeof args, "report %s", tmp_root);
  cr_expect_eq(run(args), 2, "%s", out);
  cr_expect(strstr(out, "not an ebsim output directory") && strstr(out, "result.h5") &&
                strstr(out, "sweep.h5") && strstr(out, "envelope.csv"),
            "%s", out);
  snprintf(path, sizeof path, "%s/report.html", tmp_root);
  cr_expect(!exists(path));
  snprintf(args, sizeof args, "report %s/none", tmp_root);
  cr_expect_eq(run(args), 2, "%s", out);
  snprintf(path, sizeof path, "%s/none", tmp_root);
  cr_expect(!exists(path), "the missing directory was created");
  cr_expect_eq(run("report cases/cs3.yaml"), 2, "%s", out);
  cr_expect_eq(run("report"), 2, "%s", out);
  /* a run whose set is incomplete (no manifest: it was stopped) */
  snprintf(args, sizeof args,
           "run cases/cs3.yaml --set grid.dx_mm=8 --out %s/cut --quiet --no-figures", tmp_root);
  cr_assert_eq(run(args), 0, "%s", out);
  snprintf(path, sizeof path, "%s/cut/manifest.json", tmp_root);
  cr_assert_eq(unlink(path), 0);
  snprintf(args, sizeof args, "report %s/cut", tmp_root);
  cr_expect_eq(run(args), 2, "%s", out);
  cr_expect(strstr(out, "no complete run"), "%s", out);
  snprintf(path, sizeof path, "%s/cut/report.html", tmp_root);
  cr_expect(!exists(path));
}

/* A sweep's page: the points with their verdict, the first limit to break,
 * every value of every point (as in sweep.csv), sweep.png. */
Test(report, sweep_report) {
  char args[1024], path[600];
  snprintf(args, sizeof args,
           "sweep cases/cs3.yaml --set grid.dx_mm=8 --param power.total_kw=25,35 --jobs 1 "
           "--out %s/sw --quiet --report",
           tmp_root);
  int rc = run(args);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  snprintf(path, sizeof path, "%s/sw/report.html", tmp_root);
  char *html = slurp(path);
  const char *end, *tab = table_of(html, "points-table", &end);
  cr_expect_eq(count_of(tab, end, "<tr class="), 2);
  cr_expect(strstr(html, "First to break") && strstr(html, "between 25 and 35"),
            "no first limit to break");
  cr_expect(strstr(html, "alt=\"sweep.png\" src=\"data:image/png;base64,"));
  /* t_max_c of each point, as sweep.csv has it */
  snprintf(path, sizeof path, "%s/sw/sweep.csv", tmp_root);
  char *csv = slurp(path);
  int col = -1, k = 0;
  for (char *h = csv; *h && *h != '\n'; h++)
    if (h == csv || h[-1] == ',') {
      if (!strncmp(h, "t_max_c (", 9)) col = k;
      k++;
    }
  cr_assert(col > 0);
  char *line = strchr(csv, '\n') + 1;
  for (int q = 1; q <= 2; q++) {
    char *c = line;
    for (int i = 0; i < col; i++) c = strchr(c, ',') + 1;
    const double want = strtod(c, NULL);
    char key[64];
    snprintf(key, sizeof key, "<tr data-name=\"t_max_c\">");
    const char *row = strstr(strstr(html, "id=\"values\""), key);
    cr_assert(row);
    char a[64], tag[64];
    snprintf(tag, sizeof tag, "data-point=\"%d\"", q);
    const char *td = strstr(row, tag);
    cr_assert(td && td < strstr(row, "</tr>"));
    while (*td != '<') td--; /* the cell's tag */
    cr_assert(attr(td, "data-value", a, sizeof a));
    cr_expect(close_to(strtod(a, NULL), want, 1e-9), "point %d: %s against %g", q, a, want);
    line = strchr(line, '\n') + 1;
  }
  free(csv);
  free(html);
}

/* A limits search's page: the answer, the binding limit, the run's page. */
Test(report, limits_report) {
  char args[1024], path[600];
  snprintf(args, sizeof args,
           "limits cases/cs3.yaml --set grid.dx_mm=8 --find coolant.inlet_c --max --out %s/lim "
           "--quiet --report --no-figures",
           tmp_root);
  int rc = run(args);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  snprintf(path, sizeof path, "%s/lim/summary.json", tmp_root);
  json_t *sum = json_load_file(path, 0, NULL);
  cr_assert(sum);
  snprintf(path, sizeof path, "%s/lim/report.html", tmp_root);
  char *html = slurp(path);
  cr_expect(strstr(html, "id=\"search\""));
  char want[128];
  snprintf(want, sizeof want, "<b>%.6g&nbsp;\xc2\xb0""C</b>",
           json_number_value(json_object_get(sum, "search_value")));
  cr_expect(strstr(html, want), "no '%s' in the search section", want);
  const char *bind = json_string_value(json_object_get(sum, "binding_limit"));
  cr_assert(bind && *bind);
  snprintf(want, sizeof want, "beyond it <b>%s</b> breaks first", bind);
  cr_expect(strstr(html, want), "no '%s'", want);
  cr_expect(strstr(html, "<tr data-name=\"search_value\" data-unit=\"C\""));
  cr_expect(strstr(html, "id=\"limits-table\"") && strstr(html, "id=\"assumptions-table\""));
  json_decref(sum);
  free(html);
}

/* An envelope's page: both tables and the figure. */
Test(report, envelope_report) {
  char args[1024], path[600];
  snprintf(args, sizeof args,
           "envelope cases/cs3.yaml --set grid.dx_mm=8 --power-kw 25 --flow-per-kw 2,4 --out "
           "%s/env --quiet --report",
           tmp_root);
  int rc = run(args);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  snprintf(path, sizeof path, "%s/env/report.html", tmp_root);
  char *html = slurp(path);
  const char *end, *tab = table_of(html, "envelope-table", &end);
  cr_expect_eq(count_of(tab, end, "<tr"), 3, "a header and two points");
  cr_expect(strstr(tab, "coolant_outlet_max_c") || strstr(tab, "edge_slip_max_um") ||
                strstr(tab, "connector_shear_strain_max"),
            "no binding limit in the table");
  tab = table_of(html, "min-flow-table", &end);
  cr_expect(count_of(tab, end, "<tr") >= 2);
  cr_expect(strstr(html, "alt=\"envelope.png\" src=\"data:image/png;base64,"));
  free(html);
}

/* A transient's page: the scenario, when each limit was reached, the
 * series figure. */
Test(report, transient_report) {
  char args[1024], path[600];
  snprintf(args, sizeof args,
           "transient cases/cs3.yaml --scenario pump-trip --set grid.dx_mm=8 --until 12 --out "
           "%s/tr --quiet --report",
           tmp_root);
  int rc = run(args);
  cr_assert(rc == 0 || rc == 3, "exit %d: %s", rc, out);
  snprintf(path, sizeof path, "%s/tr/report.html", tmp_root);
  char *html = slurp(path);
  cr_expect(strstr(html, "id=\"scenario\"") && strstr(html, "one pump lost, then the other"));
  cr_expect(strstr(html, rc == 3 ? "a limit is reached within the run"
                                 : "no limit reached within the run"));
  cr_expect(strstr(html, "alt=\"transient.png\" src=\"data:image/png;base64,"));
  cr_expect(strstr(html, "<tr data-name=\"time_to_junction_limit_s\"") ||
            strstr(html, "<tr data-name=\"junction_limit\""));
  free(html);
}

/* ---- the [E] reader on its own --------------------------------------------------------- */

Test(report_assumptions, keys_values_and_notes) {
  const char *yaml =
      "# header: [E] marks an assumption\n"
      "name: x            # [S] not an assumption\n"
      "power:\n"
      "  total_kw: 25     # [E] a guess\n"
      "                   # that goes on\n"
      "  map: uniform     # plain comment\n"
      "stack:\n"
      "  - name: plate\n"
      "    thick_mm: 3.0  # [E]\n"
      "  - name: wafer\n"
      "    k: 140         # [E] '#' in a note: fine\n"
      "label: \"a # b\"     # [E] quoted hash\n"
      "list: [1, 2, 3]    # [E] a flow list\n"
      "events:\n"
      "  - {t_s: 0, p: 2} # before [E] inside the note\n"
      "block:             # [E] a block below\n"
      "  a: 1             # its own comment\n"
      "  b: 2\n";
  CaseAssumption *a = NULL;
  const int n = Output_case_assumptions(yaml, &a);
  cr_assert_eq(n, 7, "%d assumptions", n);
  cr_expect_str_eq(a[0].path, "power.total_kw");
  cr_expect_str_eq(a[0].value, "25");
  cr_expect_str_eq(a[0].note, "a guess that goes on");
  cr_expect_eq(a[0].line, 4);
  cr_expect_str_eq(a[1].path, "stack.plate.thick_mm");
  cr_expect_str_eq(a[1].value, "3.0");
  cr_expect_str_eq(a[2].path, "stack.wafer.k");
  cr_expect_str_eq(a[2].note, "'#' in a note: fine");
  cr_expect_str_eq(a[3].path, "label");
  cr_expect_str_eq(a[3].value, "a # b");
  cr_expect_str_eq(a[4].path, "list");
  cr_expect_str_eq(a[4].value, "[1, 2, 3]");
  cr_expect(!a[4].scalar);
  cr_expect_str_eq(a[5].path, "events.0");
  cr_expect_str_eq(a[5].value, "{t_s: 0, p: 2}");
  cr_expect_str_eq(a[6].path, "block");
  cr_expect_str_eq(a[6].value, "a: 1\nb: 2");
  Output_assumptions_free(a, n);
  cr_expect_eq(Output_case_assumptions("a: [1, 2\n", &a), -1, "not YAML");
}

/* The shipped cases: every [E] line found, each with a key path. */
Test(report_assumptions, shipped_cases) {
  const char *files[] = {"cases/cs3.yaml", "cases/cs4.yaml", "cases/cs3-hotspots.yaml"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    char *text = slurp(files[i]);
    int marked = 0; /* lines with a key and an [E] comment */
    for (char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
      char *nl = strchr(l, '\n'), *e = strstr(l, "[E]"), *h = strchr(l, '#');
      if (e && (!nl || e < nl) && h && h < e && strchr(l, ':') && strchr(l, ':') < h) marked++;
    }
    CaseAssumption *a = NULL;
    const int n = Output_case_assumptions(text, &a);
    cr_expect(n >= marked && marked > 20, "%s: %d found, %d marked lines", files[i], n, marked);
    for (int k = 0; k < n; k++) cr_expect(a[k].path[0] && a[k].path[0] != '(', "%s line %d: %s",
                                           files[i], a[k].line, a[k].path);
    Output_assumptions_free(a, n);
    free(text);
  }
}

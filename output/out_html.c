/* out_html.c - report.html: a finished output directory as one
 * self-contained HTML page (see out_html.h). Every value, unit and
 * description comes from the result registry or the directory's own files;
 * all text is escaped; figures are base64 data URIs; no script. */
#include "out_html.h"

#include <errno.h>
#include <hdf5.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <yaml.h>

#include "output.h"
#include "output_internal.h"

#ifndef EBSIM_VERSION
#define EBSIM_VERSION "dev"
#endif

/* ---- a growing text buffer ------------------------------------------------------------- */

typedef struct {
  char *p;
  size_t n, cap;
  int oom;
} Buf;

static void put_n(Buf *b, const char *s, size_t len) {
  if (b->oom) return;
  if (b->n + len + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (cap < b->n + len + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, len);
  b->n += len;
  b->p[b->n] = '\0';
}

static void put(Buf *b, const char *s) { put_n(b, s, strlen(s)); }

__attribute__((format(printf, 2, 3))) static void putf(Buf *b, const char *fmt, ...) {
  char small[512];
  va_list ap;
  va_start(ap, fmt);
  int len = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (len < 0) return;
  if ((size_t)len < sizeof small) {
    put_n(b, small, (size_t)len);
    return;
  }
  char *big = malloc((size_t)len + 1);
  if (!big) {
    b->oom = 1;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(big, (size_t)len + 1, fmt, ap);
  va_end(ap);
  put_n(b, big, (size_t)len);
  free(big);
}

/* Text into HTML (element content or a quoted attribute): & < > " '
 * escaped; control characters other than tab and newline dropped. */
static void esc_n(Buf *b, const char *s, size_t len) {
  size_t from = 0;
  for (size_t i = 0; i < len; i++) {
    const unsigned char ch = (unsigned char)s[i];
    const char *rep = ch == '&'   ? "&amp;"
                      : ch == '<' ? "&lt;"
                      : ch == '>' ? "&gt;"
                      : ch == '"' ? "&quot;"
                      : ch == '\'' ? "&#39;"
                      : (ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f ? ""
                                                                                : NULL;
    if (!rep) continue;
    put_n(b, s + from, i - from);
    put(b, rep);
    from = i + 1;
  }
  put_n(b, s + from, len - from);
}

static void esc(Buf *b, const char *s) { esc_n(b, s ? s : "", s ? strlen(s) : 0); }

/* A name for a narrow column head: it may break after each '_' or '.'. */
static void esc_breakable(Buf *b, const char *s) {
  for (; s && *s; s++) {
    esc_n(b, s, 1);
    if (*s == '_' || *s == '.') put(b, "<wbr>");
  }
}

static void put_base64(Buf *b, const unsigned char *d, size_t n) {
  static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char q[4096];
  size_t k = 0;
  for (size_t i = 0; i < n; i += 3) {
    const unsigned v = (unsigned)d[i] << 16 | (i + 1 < n ? (unsigned)d[i + 1] << 8 : 0) |
                       (i + 2 < n ? d[i + 2] : 0);
    q[k++] = t[v >> 18 & 63];
    q[k++] = t[v >> 12 & 63];
    q[k++] = i + 1 < n ? t[v >> 6 & 63] : '=';
    q[k++] = i + 2 < n ? t[v & 63] : '=';
    if (k + 4 > sizeof q) {
      put_n(b, q, k);
      k = 0;
    }
  }
  put_n(b, q, k);
}

/* A registry unit as a reader expects it: C -> °C, um -> µm, ^2 -> ², "1"
 * (a pure number) -> nothing; escaped. */
static void put_unit(Buf *b, const char *u) {
  if (!u || !strcmp(u, "1")) return;
  for (const char *s = u; *s;) {
    const int start = s == u || !((s[-1] >= 'a' && s[-1] <= 'z') || (s[-1] >= 'A' && s[-1] <= 'Z'));
    size_t w = 0;
    while ((s[w] >= 'a' && s[w] <= 'z') || (s[w] >= 'A' && s[w] <= 'Z')) w++;
    if (start && w == 1 && s[0] == 'C') {
      put(b, "\xc2\xb0""C");
      s++;
    } else if (start && w == 2 && !strncmp(s, "um", 2)) {
      put(b, "\xc2\xb5m");
      s += 2;
    } else if (!strncmp(s, "^2", 2)) {
      put(b, "\xc2\xb2");
      s += 2;
    } else if (!strncmp(s, "^3", 2)) {
      put(b, "\xc2\xb3");
      s += 2;
    } else if (w > 0) {
      esc_n(b, s, w);
      s += w;
    } else {
      esc_n(b, s, 1);
      s++;
    }
  }
}

/* A number with sig significant digits ("n/a" when not finite). */
static const char *num(char *buf, size_t size, double v, int sig) {
  if (!isfinite(v))
    snprintf(buf, size, "n/a");
  else if (v == 0.0)
    snprintf(buf, size, "0");
  else
    snprintf(buf, size, "%.*g", sig, v);
  return buf;
}

/* A number with dec decimals. */
static const char *fixed(char *buf, size_t size, double v, int dec) {
  if (!isfinite(v))
    snprintf(buf, size, "n/a");
  else
    snprintf(buf, size, "%.*f", dec, v == 0.0 ? 0.0 : v);
  return buf;
}

/* A fraction as a percentage: one decimal, two significant digits below 1 %. */
static const char *pct(char *buf, size_t size, double frac) {
  const double v = 100.0 * frac;
  if (isfinite(v) && v != 0.0 && fabs(v) < 1.0)
    snprintf(buf, size, "%.2g", v);
  else
    fixed(buf, size, v, 1);
  return buf;
}

/* ---- files ----------------------------------------------------------------------------- */

static int has_file(const char *dir, const char *name) {
  char path[1100];
  struct stat sb;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The whole file (NUL-terminated; *n its size), NULL if unreadable. */
static unsigned char *slurp(const char *dir, const char *name, size_t *n) {
  char path[1100];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  unsigned char *d = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len + 65536 + 1 > cap) {
      cap = cap ? 2 * cap : 1 << 17;
      unsigned char *p = realloc(d, cap);
      if (!p) {
        free(d);
        fclose(f);
        return NULL;
      }
      d = p;
    }
    size_t got = fread(d + len, 1, 65536, f);
    len += got;
    if (got < 65536) break;
  }
  const int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(d);
    return NULL;
  }
  d[len] = '\0';
  if (n) *n = len;
  return d;
}

/* ---- CSV ------------------------------------------------------------------------------- */

typedef struct {
  int rows, cols; /* cols: the header's */
  char ***cell;   /* cell[row][col], row 0 the header; missing cells "" */
} Csv;

static void csv_free(Csv *t) {
  for (int r = 0; t->cell && r < t->rows; r++) {
    for (int k = 0; k < t->cols; k++) free(t->cell[r][k]);
    free(t->cell[r]);
  }
  free(t->cell);
  memset(t, 0, sizeof *t);
}

/* RFC 4180: quoted fields with "" inside, commas and newlines in quotes. */
static int csv_parse(const char *s, Csv *t) {
  memset(t, 0, sizeof *t);
  int cap_rows = 0, ncell = 0, cap_cell = 0;
  char **row = NULL;
  Buf field = {0};
  int in_q = 0, any = 0;
  for (const char *p = s;; p++) {
    const char ch = *p;
    if (in_q && ch) {
      if (ch == '"' && p[1] == '"') {
        put_n(&field, "\"", 1);
        p++;
      } else if (ch == '"') {
        in_q = 0;
      } else {
        put_n(&field, p, 1);
      }
      continue;
    }
    if (ch == '"') {
      in_q = any = 1;
      continue;
    }
    if (ch == ',' || ch == '\n' || ch == '\0') {
      if (ch == ',' || any || ncell > 0) {
        if (ncell == cap_cell) {
          cap_cell = cap_cell ? 2 * cap_cell : 16;
          char **nr = realloc(row, (size_t)cap_cell * sizeof *nr);
          if (!nr) goto oom;
          row = nr;
        }
        row[ncell++] = strdup(field.p ? field.p : "");
        if (!row[ncell - 1]) goto oom;
      }
      field.n = 0;
      if (field.p) field.p[0] = '\0';
      any = 0;
      if ((ch == '\n' || ch == '\0') && ncell > 0) {
        if (t->rows == 0) t->cols = ncell;
        if (t->rows == cap_rows) {
          cap_rows = cap_rows ? 2 * cap_rows : 64;
          char ***nt = realloc(t->cell, (size_t)cap_rows * sizeof *nt);
          if (!nt) goto oom;
          t->cell = nt;
        }
        char **fixed_row = calloc((size_t)t->cols + 1, sizeof *fixed_row);
        if (!fixed_row) goto oom;
        for (int k = 0; k < t->cols; k++)
          fixed_row[k] = k < ncell ? row[k] : strdup("");
        for (int k = t->cols; k < ncell; k++) free(row[k]);
        t->cell[t->rows++] = fixed_row;
        ncell = 0;
      }
      if (ch == '\0') break;
      continue;
    }
    if (ch == '\r') continue;
    put_n(&field, p, 1);
    any = 1;
  }
  free(row);
  free(field.p);
  return field.oom ? -1 : 0;
oom:
  for (int k = 0; k < ncell; k++) free(row[k]);
  free(row);
  free(field.p);
  csv_free(t);
  return -1;
}

/* "name (unit)" -> name and unit ("" when none). */
static void split_header(const char *h, char *name, size_t nn, char *unit, size_t un) {
  const char *open = strrchr(h, '(');
  const size_t len = strlen(h);
  if (open && len > 0 && h[len - 1] == ')' && open > h) {
    size_t k = (size_t)(open - h);
    while (k > 0 && h[k - 1] == ' ') k--;
    snprintf(name, nn, "%.*s", (int)k, h);
    snprintf(unit, un, "%.*s", (int)(len - 1 - (size_t)(open - h) - 1), open + 1);
  } else {
    snprintf(name, nn, "%s", h);
    snprintf(unit, un, "%s", "");
  }
}

/* ---- [E] assumptions of a case file ----------------------------------------------------- */

typedef struct {
  int line, end_line, depth; /* 0-based lines: where the entry starts (its key) and ends */
  char path[256];
  size_t vstart, vend; /* the value's text */
  int scalar;
  char *value; /* a scalar's value */
} YEntry;

typedef struct {
  YEntry *v;
  int n, cap, bad;
} YList;

static int y_add(YList *l, const char *path, int depth, int line, const yaml_event_t *val) {
  if (l->n == l->cap) {
    int cap = l->cap ? 2 * l->cap : 64;
    YEntry *v = realloc(l->v, (size_t)cap * sizeof *v);
    if (!v) {
      l->bad = 1;
      return -1;
    }
    l->v = v;
    l->cap = cap;
  }
  YEntry *e = &l->v[l->n];
  memset(e, 0, sizeof *e);
  e->line = line;
  e->depth = depth;
  snprintf(e->path, sizeof e->path, "%s", path);
  e->vstart = val->start_mark.index;
  e->scalar = val->type == YAML_SCALAR_EVENT;
  if (e->scalar) {
    e->value = malloc(val->data.scalar.length + 1);
    if (!e->value) {
      l->bad = 1;
      return -1;
    }
    memcpy(e->value, val->data.scalar.value, val->data.scalar.length);
    e->value[val->data.scalar.length] = '\0';
  }
  return l->n++;
}

/* Items of `stack` are addressed by their name (stack.wafer.thickness_mm). */
static void y_rename(YList *l, int from, const char *item_path) {
  char name_path[300];
  snprintf(name_path, sizeof name_path, "%s.name", item_path);
  const char *name = NULL;
  for (int k = from; k < l->n && !name; k++)
    if (l->v[k].scalar && !strcmp(l->v[k].path, name_path)) name = l->v[k].value;
  if (!name || !*name || strchr(name, '.')) return;
  char named[256];
  snprintf(named, sizeof named, "stack.%.200s", name);
  const size_t n = strlen(item_path);
  for (int k = from; k < l->n; k++) {
    char *p = l->v[k].path;
    if (strncmp(p, item_path, n) || (p[n] && p[n] != '.')) continue;
    const size_t a = strlen(named), r = strlen(p + n);
    if (a + r >= sizeof l->v[k].path) continue;
    memmove(p + a, p + n, r + 1);
    memcpy(p, named, a);
  }
}

/* One node from its first event (deleted here); *end gets its end. */
static int y_node(yaml_parser_t *ps, yaml_event_t *ev, const char *path, int depth, YList *l,
                  yaml_mark_t *end) {
  const yaml_event_type_t type = ev->type;
  if (type == YAML_SCALAR_EVENT || type == YAML_ALIAS_EVENT) {
    *end = ev->end_mark;
    yaml_event_delete(ev);
    return 0;
  }
  yaml_event_delete(ev);
  if (type != YAML_SEQUENCE_START_EVENT && type != YAML_MAPPING_START_EVENT) return -1;
  for (int idx = 0;; idx++) {
    yaml_event_t a;
    if (!yaml_parser_parse(ps, &a)) return -1;
    if (a.type == YAML_SEQUENCE_END_EVENT || a.type == YAML_MAPPING_END_EVENT) {
      *end = a.end_mark;
      yaml_event_delete(&a);
      return 0;
    }
    char child[256];
    int line = (int)a.start_mark.line;
    yaml_mark_t e;
    if (type == YAML_MAPPING_START_EVENT) {
      /* a key (a scalar; anything else is walked and named "?") */
      char key[128] = "?";
      if (a.type == YAML_SCALAR_EVENT)
        snprintf(key, sizeof key, "%.*s", (int)a.data.scalar.length,
                 (const char *)a.data.scalar.value);
      if (a.type == YAML_SCALAR_EVENT)
        yaml_event_delete(&a);
      else if (y_node(ps, &a, "?", depth + 1, l, &e) != 0)
        return -1;
      if (!yaml_parser_parse(ps, &a)) return -1;
      snprintf(child, sizeof child, "%.120s%s%.120s", path, *path ? "." : "", key);
    } else {
      snprintf(child, sizeof child, "%.200s%s%d", path, *path ? "." : "", idx);
    }
    const int k = y_add(l, child, depth + 1, line, &a);
    if (k < 0) {
      yaml_event_delete(&a);
      return -1;
    }
    if (y_node(ps, &a, child, depth + 1, l, &e) != 0) return -1;
    l->v[k].vend = e.index;
    l->v[k].end_line = (int)e.line;
    if (type == YAML_SEQUENCE_START_EVENT && !strcmp(path, "stack")) y_rename(l, k, child);
  }
}

static int y_walk(const char *text, YList *l) {
  yaml_parser_t ps;
  if (!yaml_parser_initialize(&ps)) return -1;
  yaml_parser_set_input_string(&ps, (const unsigned char *)text, strlen(text));
  int rc = -1;
  yaml_event_t ev;
  while (yaml_parser_parse(&ps, &ev)) {
    const yaml_event_type_t t = ev.type;
    if (t == YAML_STREAM_END_EVENT) {
      yaml_event_delete(&ev);
      rc = 0;
      break;
    }
    if (t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT ||
        t == YAML_SCALAR_EVENT) {
      yaml_mark_t end;
      if (y_node(&ps, &ev, "", 0, l, &end) != 0) break;
    } else {
      yaml_event_delete(&ev);
    }
  }
  yaml_parser_delete(&ps);
  return rc == 0 && !l->bad ? 0 : -1;
}

/* Where a line's comment starts ('#' at the start or after a blank, not
 * inside quotes), or -1. */
static int comment_at(const char *s, size_t len) {
  char q = 0;
  for (size_t i = 0; i < len; i++) {
    if (q) {
      if (s[i] == q) q = 0;
    } else if (s[i] == '"' || s[i] == '\'') {
      if (i == 0 || s[i - 1] == ' ' || s[i - 1] == ':' || s[i - 1] == '[' || s[i - 1] == '{' ||
          s[i - 1] == ',' || s[i - 1] == '-')
        q = s[i];
    } else if (s[i] == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
      return (int)i;
    }
  }
  return -1;
}

static int blank_n(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return 0;
  return 1;
}

/* A trimmed copy of s[0..len) appended to b (with a space before when b has text). */
static void put_trimmed(Buf *b, const char *s, size_t len) {
  while (len && (*s == ' ' || *s == '\t')) s++, len--;
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r')) len--;
  if (!len) return;
  if (b->n) put(b, " ");
  put_n(b, s, len);
}

/* A list or mapping's text: comments and blank lines dropped, dedented. */
static char *block_text(const char *text, size_t from, size_t to) {
  Buf b = {0};
  int indent = -1;
  for (size_t p = from; p < to;) {
    size_t e = p;
    while (e < to && text[e] != '\n') e++;
    int c = comment_at(text + p, e - p);
    size_t len = c >= 0 ? (size_t)c : e - p;
    if (!blank_n(text + p, len)) {
      int lead = 0;
      while (lead < (int)len && text[p + lead] == ' ') lead++;
      if (p != from && (indent < 0 || lead < indent)) indent = lead;
    }
    p = e + 1;
  }
  for (size_t p = from; p < to;) {
    size_t e = p;
    while (e < to && text[e] != '\n') e++;
    int c = comment_at(text + p, e - p);
    size_t len = c >= 0 ? (size_t)c : e - p;
    while (len && (text[p + len - 1] == ' ' || text[p + len - 1] == '\r')) len--;
    if (len && !blank_n(text + p, len)) {
      size_t skip = 0;
      if (p != from)
        while (skip < len && (int)skip < indent && text[p + skip] == ' ') skip++;
      if (b.n) put(&b, "\n");
      put_n(&b, text + p + skip, len - skip);
    }
    p = e + 1;
  }
  if (!b.p) return strdup("");
  return b.oom ? (free(b.p), NULL) : b.p;
}

void Output_assumptions_free(CaseAssumption *a, int n) {
  for (int i = 0; a && i < n; i++) {
    free(a[i].value);
    free(a[i].note);
  }
  free(a);
}

int Output_case_assumptions(const char *yaml, CaseAssumption **out) {
  *out = NULL;
  YList l = {0};
  if (!yaml || y_walk(yaml, &l) != 0) {
    for (int k = 0; k < l.n; k++) free(l.v[k].value);
    free(l.v);
    return -1;
  }
  /* the lines */
  int nl = 1;
  for (const char *s = yaml; *s; s++) nl += *s == '\n';
  size_t *start = malloc(((size_t)nl + 1) * sizeof *start);
  CaseAssumption *a = calloc((size_t)nl + 1, sizeof *a);
  int n = 0;
  if (!start || !a) {
    free(start);
    free(a);
    for (int k = 0; k < l.n; k++) free(l.v[k].value);
    free(l.v);
    return -1;
  }
  {
    int k = 0;
    start[k++] = 0;
    for (const char *s = yaml; *s; s++)
      if (*s == '\n') start[k++] = (size_t)(s - yaml) + 1;
    start[nl] = strlen(yaml) + 1;
  }
  for (int i = 0; i < nl; i++) {
    const char *s = yaml + start[i];
    const size_t len = start[i + 1] - start[i] - 1;
    const int c = comment_at(s, len);
    if (c < 0 || blank_n(s, (size_t)c)) continue; /* no comment, or a comment line */
    /* the comment, and the comment lines below aligned with it */
    Buf note = {0};
    put_trimmed(&note, s + c + 1, len - (size_t)c - 1);
    for (int j = i + 1; j < nl; j++) {
      const char *t = yaml + start[j];
      const size_t tl = start[j + 1] - start[j] - 1;
      const int tc = comment_at(t, tl);
      if (tc != c || !blank_n(t, (size_t)tc)) break;
      put_trimmed(&note, t + tc + 1, tl - (size_t)tc - 1);
    }
    if (!note.p || !strstr(note.p, "[E]")) {
      free(note.p);
      continue;
    }
    /* the entry of this line: the outermost one that starts and ends on
     * it (a key with its scalar, a flow list item), else the outermost
     * that starts on it (a key with a block below) */
    int best = -1, best_one = -1;
    for (int k = 0; k < l.n; k++) {
      if (l.v[k].line != i) continue;
      if (best < 0 || l.v[k].depth < l.v[best].depth) best = k;
      if (l.v[k].end_line == i && (best_one < 0 || l.v[k].depth < l.v[best_one].depth))
        best_one = k;
    }
    if (best_one >= 0) best = best_one;
    /* a '#' inside a multi-line scalar (a block of text) is text, not a comment */
    int in_text = 0;
    for (int k = 0; k < l.n && best < 0 && !in_text; k++)
      in_text = l.v[k].scalar && l.v[k].line < i && l.v[k].end_line >= i;
    if (in_text) {
      free(note.p);
      continue;
    }
    CaseAssumption *x = &a[n];
    x->line = i + 1;
    if (best >= 0) {
      const YEntry *e = &l.v[best];
      snprintf(x->path, sizeof x->path, "%s", e->path);
      x->scalar = e->scalar;
      x->value = e->scalar ? strdup(e->value ? e->value : "")
                           : block_text(yaml, e->vstart, e->vend > e->vstart ? e->vend : e->vstart);
    } else {
      /* inside a multi-line value: the line itself */
      snprintf(x->path, sizeof x->path, "(line %d)", i + 1);
      Buf v = {0};
      put_trimmed(&v, s, (size_t)c);
      x->value = v.p ? v.p : strdup("");
    }
    /* the note without its leading mark */
    const char *t = note.p;
    if (!strncmp(t, "[E]", 3)) t += 3;
    while (*t == ' ') t++;
    x->note = strdup(t);
    free(note.p);
    if (!x->value || !x->note) {
      Output_assumptions_free(a, n + 1);
      a = NULL;
      n = -1;
      break;
    }
    n++;
  }
  free(start);
  for (int k = 0; k < l.n; k++) free(l.v[k].value);
  free(l.v);
  *out = a;
  return n;
}

/* ---- what a directory holds ------------------------------------------------------------- */

const char *Output_report_kind_name(ReportKind k) {
  switch (k) {
  case REPORT_RUN: return "run";
  case REPORT_LIMITS: return "limits search";
  case REPORT_TRANSIENT: return "transient";
  case REPORT_SWEEP: return "sweep";
  case REPORT_ENVELOPE: return "envelope";
  }
  return "?";
}

/* 1 when the HDF5 file at path has a link named name at its root. */
static int h5_has(const char *path, const char *name) {
  char why[OUT_H5_WHY];
  out_h5_capture(why);
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  int yes = f >= 0 && H5Lexists(f, name, H5P_DEFAULT) > 0;
  if (f >= 0) H5Fclose(f);
  out_h5_capture(NULL);
  return yes;
}

int Output_report_check(const char *dir, ReportKind *kind, char *err, size_t err_size) {
  struct stat sb;
  if (stat(dir, &sb) != 0) {
    snprintf(err, err_size,
             "%.900s: %s; give an output directory of ebsim run, limits, transient, sweep or "
             "envelope",
             dir, strerror(errno));
    return EB_EINPUT;
  }
  if (!S_ISDIR(sb.st_mode)) {
    snprintf(err, err_size,
             "%.900s is a file: give the output directory that holds it (a run's, a limits "
             "search's, a transient's, a sweep's or an envelope's)",
             dir);
    return EB_EINPUT;
  }
  static const char *const run_files[] = {"result.h5", "summary.json", NULL};
  static const char *const sweep_files[] = {"sweep.h5", "sweep.csv", NULL};
  static const char *const env_files[] = {"envelope.csv", "envelope_min_flow.csv", NULL};
  const char *const *files = NULL;
  if (has_file(dir, "result.h5")) {
    char h5[1100];
    snprintf(h5, sizeof h5, "%s/result.h5", dir);
    *kind = h5_has(h5, "transient") ? REPORT_TRANSIENT
            : h5_has(h5, "search")  ? REPORT_LIMITS
                                    : REPORT_RUN;
    files = run_files;
  } else if (has_file(dir, "sweep.h5") || has_file(dir, "sweep.csv")) {
    *kind = REPORT_SWEEP;
    files = sweep_files;
  } else if (has_file(dir, "envelope.csv")) {
    *kind = REPORT_ENVELOPE;
    files = env_files;
  } else {
    snprintf(err, err_size,
             "%.900s is not an ebsim output directory: a report is made from a run's, a limits "
             "search's or a transient's result.h5 and summary.json, a sweep's sweep.h5 and "
             "sweep.csv, or an envelope's envelope.csv and envelope_min_flow.csv, and none of "
             "them is there",
             dir);
    return EB_EINPUT;
  }
  for (int i = 0; files[i]; i++) {
    int rc = Output_set_check(dir, files[i], err, err_size);
    if (rc != EB_OK) return rc;
  }
  return EB_OK;
}

/* ---- the page ----------------------------------------------------------------------------- */

static const char *const page_css =
    ":root{--ink:#1b2230;--muted:#5b6474;--line:#d6dbe3;--head:#eef1f6;--ok:#1e7a34;"
    "--okbg:#e9f6ec;--bad:#b3261e;--badbg:#fdecea;--warn:#8a5a00;--warnbg:#fff5dc;"
    "--accent:#1f5fa8}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "body{margin:0 auto;max-width:1240px;padding:28px 32px 48px;color:var(--ink);"
    "font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans','Liberation Sans',"
    "Arial,sans-serif;background:#fff}\n"
    "header.top{border-bottom:3px solid var(--ink);padding-bottom:10px;margin-bottom:18px}\n"
    "header.top .kind{font-size:12px;letter-spacing:.08em;text-transform:uppercase;"
    "color:var(--muted)}\n"
    "h1{font-size:26px;margin:2px 0 4px}\n"
    "h2{font-size:19px;margin:30px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}\n"
    "h3{font-size:15px;margin:18px 0 6px}\n"
    ".sub{color:var(--muted);font-size:13px}\n"
    "p{margin:6px 0 10px}\n"
    "code,pre,.mono{font-family:'DejaVu Sans Mono','Liberation Mono',Menlo,Consolas,monospace;"
    "font-size:12px}\n"
    "nav.toc{font-size:13px;color:var(--muted);margin:8px 0 4px}\n"
    "nav.toc a{color:var(--accent);text-decoration:none;margin-right:14px;white-space:nowrap}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(210px,1fr));gap:12px;"
    "margin:14px 0 6px}\n"
    ".card{border:1px solid var(--line);border-left:5px solid var(--accent);border-radius:6px;"
    "padding:10px 14px;background:#fafbfd;break-inside:avoid}\n"
    ".card .label{font-size:11.5px;letter-spacing:.06em;text-transform:uppercase;"
    "color:var(--muted)}\n"
    ".card .big{font-size:24px;font-weight:650;margin:2px 0;font-variant-numeric:tabular-nums}\n"
    ".card .big.words{font-size:19px;line-height:1.25;padding:3px 0}\n"
    ".card .note{font-size:12.5px;color:var(--muted)}\n"
    ".card.ok{border-left-color:var(--ok);background:var(--okbg)}\n"
    ".card.ok .big{color:var(--ok)}\n"
    ".card.bad{border-left-color:var(--bad);background:var(--badbg)}\n"
    ".card.bad .big{color:var(--bad)}\n"
    ".card.warn{border-left-color:#d89b00;background:var(--warnbg)}\n"
    ".warnings{border:1px solid #e3c36b;background:var(--warnbg);border-radius:6px;"
    "padding:8px 14px;margin:10px 0}\n"
    ".warnings li{margin:2px 0}\n"
    "table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:13px}\n"
    "th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;"
    "vertical-align:top}\n"
    "thead th{background:var(--head);font-weight:600;border-bottom:2px solid #b9c1ce}\n"
    "thead{display:table-header-group}\n"
    "tr{break-inside:avoid}\n"
    "tbody tr:nth-child(even) td{background:#f9fafc}\n"
    "td.v,th.v,td.r,th.r{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "td.u,th.u{white-space:nowrap;color:#333}\n"
    "td.d{color:var(--muted);font-size:12.5px}\n"
    "th .unit{display:block;font-weight:400;color:var(--muted);font-size:11.5px}\n"
    "table.kv{width:100%}\n"
    "table.kv td:first-child{color:var(--muted);padding-right:18px}\n"
    "table.kv td:last-child{white-space:nowrap}\n"
    ".kvs{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:6px 28px}\n"
    ".kvs h3{margin:6px 0 2px;font-size:13px;letter-spacing:.05em;text-transform:uppercase;"
    "color:var(--muted)}\n"
    "code.key{color:var(--muted);font-size:11px;margin-left:4px}\n"
    "table.wide{font-size:12px}\n"
    "table.wide td,table.wide th{padding:3px 6px}\n"
    "tr.bad td{background:var(--badbg)!important}\n"
    "tr.near td{background:var(--warnbg)!important}\n"
    ".status{font-weight:600;white-space:nowrap}\n"
    ".status.ok{color:var(--ok)}\n"
    ".status.bad{color:var(--bad)}\n"
    ".bar{position:relative;width:110px;height:10px;background:#e7eaf0;border-radius:3px;"
    "display:inline-block;vertical-align:middle;overflow:hidden}\n"
    ".bar span{position:absolute;left:0;top:0;bottom:0;background:#4a7fc1}\n"
    ".bar.near span{background:#d89b00}\n"
    ".bar.bad span{background:var(--bad)}\n"
    ".changed{font-weight:600;color:var(--bad)}\n"
    ".same{color:var(--muted);white-space:nowrap}\n"
    ".figs{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:18px}\n"
    "figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:8px;"
    "break-inside:avoid;background:#fff}\n"
    "figure img{display:block;width:100%;height:auto}\n"
    "figure.wide{grid-column:1/-1}\n"
    "figure.wide img{max-width:1000px;margin:0 auto}\n"
    "figcaption{font-size:12.5px;color:var(--muted);margin-top:6px}\n"
    "figcaption b{color:var(--ink)}\n"
    "pre.yaml{background:#f7f8fb;border:1px solid var(--line);border-radius:6px;padding:10px 12px;"
    "white-space:pre-wrap;word-break:break-word;font-size:11.5px;line-height:1.35}\n"
    "td pre{margin:0;white-space:pre-wrap;font-size:11.5px}\n"
    "@media (min-width:1000px){pre.yaml{columns:2;column-gap:28px}}\n"
    "footer{margin-top:34px;border-top:1px solid var(--line);padding-top:10px;font-size:12px;"
    "color:var(--muted)}\n"
    "@page{size:A4;margin:13mm 11mm 14mm}\n"
    "@media print{body{max-width:none;padding:0;font-size:10pt}"
    ".kvs{grid-template-columns:1fr 1fr;gap:4px 8mm}"
    ".cards{grid-template-columns:repeat(5,1fr);gap:3mm}"
    ".card{padding:2mm 3mm}"
    "nav.toc{display:none}"
    "h2{break-after:avoid;margin-top:18px}h3{break-after:avoid}"
    ".figs{display:block}"
    "figure{margin:0 0 8mm;page-break-inside:avoid}"
    "figure img{width:auto;max-width:100%;max-height:118mm;margin:0 auto}"
    "table{font-size:8.5pt}table.wide{font-size:7.5pt}"
    "pre.yaml{font-size:7.5pt;columns:2;column-gap:8mm}"
    "section.appendix{break-before:page}"
    ".card .big{font-size:15pt}.card .big.words{font-size:12pt}.card .note{font-size:8pt}}\n";

typedef struct {
  const Registry *reg;
  const char *dir;
  ReportKind kind;
  int top;
  Buf *b;
  json_t *manifest; /* the set's files and when it was written */
  /* runs, limits searches, transients */
  Case *c;
  Grid *g;
  Result r;
  int have_r;
  hid_t h5; /* result.h5, open while the page is made */
  char *resolved, *source, *source_path, *run_version;
} Rep;

static const ResultEntry *ent(const Rep *p, const char *name) {
  const ResultEntry *e = Registry_find(p->reg, name);
  return e && p->have_r && Result_has(&p->r, e) ? e : NULL;
}

/* A registered single number in its output unit, NaN when absent. */
static double val(const Rep *p, const char *name) {
  const ResultEntry *e = ent(p, name);
  return e && e->kind != RES_TEXT && e->kind != RES_TEXTS ? Result_number(&p->r, e) : NAN;
}

static const char *text(const Rep *p, const char *name) {
  const ResultEntry *e = ent(p, name);
  return e && e->kind == RES_TEXT ? Result_text(&p->r, e) : NULL;
}

/* The entry's unit in this result: a unit the entry takes from the run (a
 * limit search's key) is read back from the dataset's `units`. */
static void unit_of(const Rep *p, const ResultEntry *e, char *buf, size_t size) {
  snprintf(buf, size, "%s", Result_unit(&p->r, e));
  if (!e->unit_off || p->h5 < 0) return;
  char path[200];
  snprintf(path, sizeof path, "%s/%s", e->group, e->name);
  if (H5Lexists(p->h5, e->group, H5P_DEFAULT) <= 0 || H5Lexists(p->h5, path, H5P_DEFAULT) <= 0)
    return;
  hid_t d = H5Dopen2(p->h5, path, H5P_DEFAULT);
  if (d < 0) return;
  if (H5Aexists(d, "units") > 0) {
    hid_t a = H5Aopen(d, "units", H5P_DEFAULT);
    hid_t t = H5Aget_type(a);
    if (H5Tis_variable_str(t) > 0) {
      char *s = NULL;
      hid_t mt = H5Tcopy(H5T_C_S1);
      H5Tset_size(mt, H5T_VARIABLE);
      H5Tset_cset(mt, H5T_CSET_UTF8);
      if (H5Aread(a, mt, &s) >= 0 && s) {
        snprintf(buf, size, "%s", s);
        H5free_memory(s);
      }
      H5Tclose(mt);
    }
    H5Tclose(t);
    H5Aclose(a);
  }
  H5Dclose(d);
}

static void page_begin(Buf *b, const char *title, const char *kind_line) {
  put(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"generator\" content=\"ebsim " EBSIM_VERSION "\">\n<title>");
  esc(b, title);
  put(b, "</title>\n<style>\n");
  put(b, page_css);
  put(b, "</style>\n</head>\n<body>\n<header class=\"top\">\n<div class=\"kind\">");
  esc(b, kind_line);
  put(b, "</div>\n<h1>");
  esc(b, title);
  put(b, "</h1>\n");
}

static void toc(Buf *b, const char *const *ids, const char *const *titles, int n) {
  put(b, "<nav class=\"toc\">");
  for (int i = 0; i < n; i++) {
    putf(b, "<a href=\"#%s\">", ids[i]);
    esc(b, titles[i]);
    put(b, "</a>");
  }
  put(b, "</nav>\n");
}

static void h2(Buf *b, const char *id, const char *title, const char *cls) {
  putf(b, "<section id=\"%s\"%s%s%s>\n<h2>", id, cls ? " class=\"" : "", cls ? cls : "",
       cls ? "\"" : "");
  esc(b, title);
  put(b, "</h2>\n");
}

static void section_end(Buf *b) { put(b, "</section>\n"); }

static void card(Buf *b, const char *cls, const char *label, const char *big, const char *note) {
  putf(b, "<div class=\"card%s%s\"><div class=\"label\">", cls ? " " : "", cls ? cls : "");
  esc(b, label);
  /* a verdict in words takes a smaller type than a number */
  int words = 0;
  for (const char *q = big; *q; q++) words += *q == ' ';
  put(b, words >= 2 ? "</div><div class=\"big words\">" : "</div><div class=\"big\">");
  put(b, big); /* already HTML */
  put(b, "</div>");
  if (note && *note) {
    put(b, "<div class=\"note\">");
    put(b, note);
    put(b, "</div>");
  }
  put(b, "</div>\n");
}

/* "50.61 °C" as HTML into a small buffer of Buf. */
static char *value_html(double v, int dec, const char *unit) {
  Buf t = {0};
  char s[64];
  put(&t, fixed(s, sizeof s, v, dec));
  if (unit && strcmp(unit, "1")) {
    put(&t, "&nbsp;");
    put_unit(&t, unit);
  }
  return t.p ? t.p : strdup("");
}

/* ---- the figures of the set ----------------------------------------------------------- */

static const struct {
  const char *base, *caption;
} figure_notes[] = {
    /* a study's own figure first: it is what the study is for */
    {"transient", "The scenario in time: temperatures with their limits and the times they are "
                  "reached; power, heat to the coolant and flow"},
    {"sweep", "The metrics against the swept value, with the case's limits"},
    {"envelope", "Warmest allowed inlet against flow per power: every limit holds below each "
                 "line"},
    {"wafer_temperature", "Junction temperature over the wafer, die outlines and the hottest "
                          "spot marked"},
    {"heat_flux", "Heat flux from the wafer into the cold plate"},
    {"coolant_temperature", "Coolant temperature in the cold plate"},
    {"coolant_path", "Coolant and hottest junction along the flow"},
    {"pump_curve", "Loop and pump curves with the operating points"},
    {"die_voltage", "Supply voltage over the dies, the lowest die marked"},
    {"bricks", "Each brick's loss and hottest temperature on the die grid"},
    {"power_flow", "The power stage by stage, from the wall to the dies"},
    {"connector_strain", "The connector's shear strain over the wafer"},
    {"edge_slip", "Cold-plate slip and connector strain along the wafer's edge, with the limits"},
};
enum { N_NOTES = sizeof figure_notes / sizeof figure_notes[0], N_STUDY_FIGURES = 3 };

typedef struct {
  char name[256];
  char base[256];
  int order;
} Fig;

static int fig_cmp(const void *a, const void *b) {
  const Fig *x = a, *y = b;
  return x->order != y->order ? x->order - y->order : strcmp(x->name, y->name);
}

static int fig_rank(const char *ext) {
  return !strcmp(ext, "png") ? 0 : !strcmp(ext, "svg") ? 1 : !strcmp(ext, "pdf") ? 2 : -1;
}

/* The figures the set's manifest lists, one per name (PNG before SVG
 * before PDF), in the order of figure_notes, then by name. */
static int set_figures(const Rep *p, Fig *figs, int cap) {
  json_t *files = p->manifest ? json_object_get(p->manifest, "files") : NULL;
  int n = 0;
  for (size_t i = 0; i < json_array_size(files); i++) {
    const char *name = json_string_value(json_object_get(json_array_get(files, i), "name"));
    const char *dot = name ? strrchr(name, '.') : NULL;
    if (!dot || strchr(name, '/') || fig_rank(dot + 1) < 0) continue;
    char base[256];
    snprintf(base, sizeof base, "%.*s", (int)(dot - name) < 255 ? (int)(dot - name) : 255, name);
    int at = -1;
    for (int k = 0; k < n; k++)
      if (!strcmp(figs[k].base, base)) at = k;
    if (at >= 0) {
      const char *old = strrchr(figs[at].name, '.') + 1;
      if (fig_rank(dot + 1) < fig_rank(old)) snprintf(figs[at].name, sizeof figs[at].name, "%s", name);
      continue;
    }
    if (n == cap) break;
    Fig *f = &figs[n++];
    snprintf(f->name, sizeof f->name, "%s", name);
    snprintf(f->base, sizeof f->base, "%s", base);
    f->order = N_NOTES;
    for (int k = 0; k < (int)N_NOTES; k++)
      if (!strcmp(figure_notes[k].base, base)) f->order = k;
  }
  qsort(figs, (size_t)n, sizeof *figs, fig_cmp);
  return n;
}

static int sec_figures(Rep *p, char *err, size_t es) {
  Buf *b = p->b;
  enum { MAX_FIGS = 64 };
  Fig figs[MAX_FIGS];
  const int n = set_figures(p, figs, MAX_FIGS);
  h2(b, "figures", "Figures", NULL);
  if (n == 0) {
    put(b, p->have_r ? "<p>The run wrote no figures (<code>--no-figures</code>); draw them with "
                       "<code>ebsim plot DIR</code> and make the report again.</p>\n"
                     : "<p>The study wrote no figure (<code>--no-figures</code>).</p>\n");
    section_end(b);
    return EB_OK;
  }
  int pdfs = 0;
  put(b, "<div class=\"figs\">\n");
  for (int i = 0; i < n; i++) {
    const char *ext = strrchr(figs[i].name, '.') + 1;
    if (!strcmp(ext, "pdf")) {
      pdfs++;
      continue;
    }
    int rc = Output_set_check(p->dir, figs[i].name, err, es);
    if (rc != EB_OK) return rc;
    size_t len = 0;
    unsigned char *d = slurp(p->dir, figs[i].name, &len);
    if (!d) {
      snprintf(err, es, "cannot read %.900s/%.200s: %s", p->dir, figs[i].name, strerror(errno));
      return EB_EINPUT;
    }
    put(b, figs[i].order < N_STUDY_FIGURES ? "<figure class=\"wide\">" : "<figure>");
    put(b, "<img alt=\"");
    esc(b, figs[i].name);
    putf(b, "\" src=\"data:%s;base64,", !strcmp(ext, "png") ? "image/png" : "image/svg+xml");
    put_base64(b, d, len);
    put(b, "\">");
    free(d);
    put(b, "<figcaption><b>");
    esc(b, figs[i].name);
    put(b, "</b>");
    if (figs[i].order < (int)N_NOTES) {
      put(b, ": ");
      esc(b, figure_notes[figs[i].order].caption);
    }
    put(b, "</figcaption></figure>\n");
  }
  put(b, "</div>\n");
  if (pdfs) {
    put(b, "<p>Figures written as PDF, attached (a browser shows no PDF inline in a page):");
    for (int i = 0; i < n; i++) {
      const char *ext = strrchr(figs[i].name, '.') + 1;
      if (strcmp(ext, "pdf")) continue;
      int rc = Output_set_check(p->dir, figs[i].name, err, es);
      if (rc != EB_OK) return rc;
      size_t len = 0;
      unsigned char *d = slurp(p->dir, figs[i].name, &len);
      if (!d) continue;
      put(b, " <a download=\"");
      esc(b, figs[i].name);
      put(b, "\" href=\"data:application/pdf;base64,");
      put_base64(b, d, len);
      put(b, "\">");
      esc(b, figs[i].name);
      put(b, "</a>");
      free(d);
    }
    put(b, ". <code>ebsim plot DIR --figures png</code> draws them as pictures for this page.</p>\n");
  }
  section_end(b);
  return EB_OK;
}

/* ---- run sections -------------------------------------------------------------------------- */

/* The headline: hottest junction, the verdict, coolant, power, energy balance. */
static void sec_headline(Rep *p) {
  Buf *b = p->b;
  char s[160], t[160];
  put(b, "<section id=\"headline\" class=\"cards\">\n");
  const int transient = p->kind == REPORT_TRANSIENT;
  /* the hottest junction: a transient's peak, a steady run's answer */
  const double tj = transient && isfinite(val(p, "junction_peak_c")) ? val(p, "junction_peak_c")
                                                                       : val(p, "t_max_c");
  if (isfinite(tj)) {
    char *big = value_html(tj, 2, "C");
    Buf note = {0};
    if (transient) {
      putf(&note, "at t = %s s; final ", fixed(s, sizeof s, val(p, "junction_peak_time_s"), 3));
      char *fin = value_html(val(p, "t_max_c"), 2, "C");
      put(&note, fin);
      free(fin);
    } else if (val(p, "t_max_tied_dies") > 1 && text(p, "t_max_dies")) {
      putf(&note, "%.0f dies within %s K: ", val(p, "t_max_tied_dies"),
           num(s, sizeof s, val(p, "t_max_tie_tol_k"), 2));
      esc(&note, text(p, "t_max_dies"));
    } else if (isfinite(val(p, "t_max_die_column"))) {
      putf(&note, "die (%.0f,%.0f) at x = %s, y = %s mm", val(p, "t_max_die_column"),
           val(p, "t_max_die_row"), fixed(s, sizeof s, val(p, "t_max_x_mm"), 1),
           fixed(t, sizeof t, val(p, "t_max_y_mm"), 1));
    }
    card(b, NULL, transient ? "Peak junction" : "Hottest junction", big, note.p);
    free(big);
    free(note.p);
  }
  /* the verdict */
  if (transient) {
    Buf reached = {0};
    int nr = 0;
    for (int i = 0; i < Registry_size(p->reg); i++) {
      const ResultEntry *e = Registry_at(p->reg, i);
      if (e->part != RESULT_TRANSIENT || e->kind != RES_TEXT || !Result_has(&p->r, e)) continue;
      const char *v = Result_text(&p->r, e);
      if (strncmp(v, "reached", 7)) continue;
      if (nr++) put(&reached, "; ");
      put(&reached, "<b>");
      esc(&reached, e->name);
      put(&reached, "</b> ");
      esc(&reached, v);
    }
    card(b, nr ? "bad" : "ok", "Verdict",
         nr ? "a limit is reached within the run" : "no limit reached within the run",
         reached.p);
    free(reached.p);
    const char *stop = text(p, "scenario_stop");
    if (stop && *stop) {
      Buf n = {0};
      esc(&n, stop);
      card(b, NULL, "Run", "stopped", n.p);
      free(n.p);
    }
  } else {
    const LimitsResult *l = p->have_r ? p->r.part[RESULT_LIMITS] : NULL;
    if (l && l->n > 0) {
      Buf note = {0};
      const char *near = text(p, "nearest_limit");
      const double nm = val(p, "nearest_limit_margin");
      if (l->all_ok && near && *near) {
        put(&note, "nearest: <b>");
        esc(&note, near);
        putf(&note, "</b>, %s %% to go", pct(s, sizeof s, nm));
      } else if (!l->all_ok) {
        put(&note, "broken: <b>");
        esc(&note, l->broken);
        put(&note, "</b>");
      }
      int broken = 0;
      for (int i = 0; i < l->n; i++) broken += !l->checks[i].ok;
      char v[64];
      snprintf(v, sizeof v, "%d limit%s broken", broken, broken == 1 ? "" : "s");
      card(b, l->all_ok ? "ok" : "bad", "Verdict", l->all_ok ? "every limit holds" : v, note.p);
      free(note.p);
    } else {
      card(b, NULL, "Verdict", "no limits set", "the case sets no limit to check");
    }
  }
  /* coolant */
  const double tin = val(p, "coolant_inlet_c"), tout = val(p, "coolant_outlet_c");
  if (isfinite(tin) && isfinite(tout)) {
    char *big = value_html(tout, 2, "C");
    Buf note = {0};
    putf(&note, "inlet %s&nbsp;", fixed(s, sizeof s, tin, 2));
    put_unit(&note, "C");
    putf(&note, " (&Delta;T %s K)", fixed(s, sizeof s, tout - tin, 2));
    const double q = val(p, "coolant_flow_lpm"), qk = val(p, "lpm_per_kw"),
                 dp = val(p, "pressure_drop_kpa");
    if (isfinite(q)) {
      putf(&note, "; %s L/min", fixed(s, sizeof s, q, 1));
      if (isfinite(qk)) putf(&note, " (%s L/min/kW)", fixed(s, sizeof s, qk, 2));
    }
    if (isfinite(dp)) putf(&note, ", &Delta;P %s kPa", fixed(s, sizeof s, dp, 1));
    card(b, NULL, transient ? "Coolant outlet, final state" : "Coolant outlet", big, note.p);
    free(big);
    free(note.p);
  }
  /* power */
  const double pw = val(p, "power_w");
  if (isfinite(pw)) {
    Buf big = {0}, note = {0};
    putf(&big, "%s&nbsp;kW", fixed(s, sizeof s, pw * 1e-3, 2));
    const double wall = val(p, "wall_power_w"), eff = val(p, "delivery_efficiency");
    if (isfinite(wall))
      putf(&note, "%s kW at the wall (%s %% delivered)", fixed(s, sizeof s, wall * 1e-3, 2),
           fixed(t, sizeof t, 100.0 * eff, 1));
    else
      put(&note, "in the dies");
    card(b, NULL, transient ? "Dies' power, final state" : "Power in the dies", big.p, note.p);
    free(big.p);
    free(note.p);
  }
  /* energy balance */
  const double eb = transient && isfinite(val(p, "energy_balance_rel_error_run"))
                        ? val(p, "energy_balance_rel_error_run")
                        : val(p, "energy_balance_rel_error");
  if (isfinite(eb)) {
    snprintf(s, sizeof s, "%.1e", eb);
    card(b, NULL, "Energy balance", s,
         transient ? "heat made = stored + removed, over the run (relative)"
                   : "heat made = to coolant + to brick plate (relative)");
  }
  put(b, "</section>\n");
  /* warnings first: what the reader must know */
  const ResultEntry *w = ent(p, "warnings");
  if (w && Result_rows(&p->r, w) > 0) {
    put(b, "<div class=\"warnings\"><b>Warnings</b><ul>\n");
    for (int i = 0; i < Result_rows(&p->r, w); i++) {
      put(b, "<li>");
      esc(b, Result_texts_row(&p->r, w, i));
      put(b, "</li>\n");
    }
    put(b, "</ul></div>\n");
  }
}

/* A limits search: the answer, where it breaks, what binds. */
static void sec_search(Rep *p) {
  Buf *b = p->b;
  const char *key = text(p, "search_key"), *dir = text(p, "search_direction"),
             *bind = text(p, "binding_limit");
  const ResultEntry *ev = ent(p, "search_value");
  char unit[64] = "", s[64], t[64];
  if (ev) unit_of(p, ev, unit, sizeof unit);
  h2(b, "search", "Limit search", NULL);
  put(b, "<p>The ");
  put(b, dir && !strcmp(dir, "min") ? "smallest" : "largest");
  put(b, " value of <code>");
  esc(b, key ? key : "?");
  put(b, "</code> that keeps every limit of the case is <b>");
  put(b, num(s, sizeof s, val(p, "search_value"), 6));
  if (strcmp(unit, "1")) {
    put(b, "&nbsp;");
    put_unit(b, unit);
  }
  put(b, "</b>");
  if (bind && *bind) {
    put(b, "; beyond it <b>");
    esc(b, bind);
    put(b, "</b> breaks first (at ");
    put(b, num(t, sizeof t, val(p, "search_breaks_at"), 6));
    if (strcmp(unit, "1")) {
      put(b, "&nbsp;");
      put_unit(b, unit);
    }
    put(b, ")");
  } else {
    put(b, "; no limit breaks within the key's range");
  }
  putf(b, ". The search took %.0f solves; the run below is the one at the answer.</p>\n",
       val(p, "search_solves"));
  section_end(b);
}

/* What the transient did: the scenario's texts, each with its meaning. */
static void sec_scenario(Rep *p) {
  Buf *b = p->b;
  h2(b, "scenario", "Scenario", NULL);
  put(b, "<table class=\"kv\"><tbody>\n");
  for (int i = 0; i < Registry_size(p->reg); i++) {
    const ResultEntry *e = Registry_at(p->reg, i);
    if (e->part != RESULT_TRANSIENT || e->kind != RES_TEXT || !Result_has(&p->r, e)) continue;
    put(b, "<tr><td>");
    esc(b, e->desc);
    put(b, "</td><td>");
    const char *v = Result_text(&p->r, e);
    const int reached = !strncmp(v, "reached", 7);
    if (reached) put(b, "<span class=\"status bad\">");
    esc(b, v);
    if (reached) put(b, "</span>");
    put(b, "</td></tr>\n");
  }
  put(b, "</tbody></table>\n");
  section_end(b);
}

/* The operating point: the case's inputs that set it, then what the run
 * made of them. */
static void sec_operating_point(Rep *p) {
  static const struct {
    const char *key, *label;
  } inputs[] = {
      {"power.total_kw", "power into the dies (case)"},
      {"power.map", "power map"},
      {"power.die_model", "die power model"},
      {"power.clock", "clock (electrical die model)"},
      {"coolant.fluid", "coolant"},
      {"coolant.inlet_c", "coolant inlet"},
      {"coolant.flow_source", "flow source"},
      {"coolant.flow_lpm", "coolant flow (case)"},
      {"pumps.count", "pumps installed"},
      {"power_delivery.psu.failed", "PSUs failed"},
      {"power_delivery.pdb.failed", "distribution boards failed"},
      {"grid.dx_mm", "lateral grid cell"},
      {"grid.dz_mm", "largest vertical cell"},
  };
  static const char *const made[] = {"power_w",         "heat_made_w",      "wall_power_w",
                                     "coolant_flow_lpm", "lpm_per_kw",       "pressure_drop_kpa",
                                     "pump_power_w",     "cells"};
  Buf *b = p->b;
  char s[64];
  h2(b, "operating-point", "Operating point", NULL);
  put(b, "<div class=\"kvs\">\n");
  if (p->c) {
    put(b, "<div><h3>The case</h3><table class=\"kv\"><tbody>\n<tr><td>case</td><td><b>");
    esc(b, p->c->name);
    put(b, "</b>");
    if (p->source_path && *p->source_path) {
      put(b, " <code class=\"key\">");
      esc(b, p->source_path);
      put(b, "</code>");
    }
    put(b, "</td></tr>\n");
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
      CaseValue cv;
      char e2[256];
      if (Case_get(p->c, inputs[i].key, &cv, e2, sizeof e2) != EB_OK) continue;
      if (cv.kind == CASE_VALUE_UNSET) continue;
      if (!strcmp(inputs[i].key, "power.clock")) {
        CaseValue m;
        if (Case_get(p->c, "power.die_model", &m, e2, sizeof e2) != EB_OK ||
            strcmp(m.text, "electrical"))
          continue;
      }
      put(b, "<tr><td>");
      esc(b, inputs[i].label);
      put(b, " <code class=\"key\">");
      esc(b, inputs[i].key);
      put(b, "</code></td><td>");
      esc(b, cv.text);
      if (cv.unit && *cv.unit) {
        put(b, "&nbsp;");
        put_unit(b, cv.unit);
      }
      put(b, "</td></tr>\n");
    }
    put(b, "</tbody></table></div>\n");
  }
  put(b, "<div><h3>What the run made of it</h3><table class=\"kv\"><tbody>\n");
  for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
    const ResultEntry *e = ent(p, made[i]);
    if (!e || !isfinite(Result_number(&p->r, e))) continue;
    double v = Result_number(&p->r, e);
    const char *u = Result_unit(&p->r, e);
    if (!strcmp(u, "W") && fabs(v) >= 1e3) { /* kilowatts read better */
      v *= 1e-3;
      u = "kW";
    }
    put(b, "<tr><td>");
    esc(b, e->desc);
    put(b, "</td><td>");
    put(b, e->kind == RES_COUNT ? fixed(s, sizeof s, v, 0) : num(s, sizeof s, v, 4));
    put(b, "&nbsp;");
    put_unit(b, u);
    put(b, "</td></tr>\n");
  }
  put(b, "</tbody></table></div>\n</div>\n");
  section_end(b);
}

/* Relative margin, as Limits_margin takes it (a limit of 0 taken as 1). */
static double rel_margin(const LimitCheck *k) {
  return k->margin / (fabs(k->limit) > 0.0 ? fabs(k->limit) : 1.0);
}

static int limit_cmp(const void *a, const void *b) {
  const LimitCheck *x = *(const LimitCheck *const *)a, *y = *(const LimitCheck *const *)b;
  const double mx = rel_margin(x), my = rel_margin(y);
  if (isnan(mx) != isnan(my)) return isnan(mx) ? -1 : 1;
  if (mx != my) return mx < my ? -1 : 1;
  return strcmp(x->name, y->name);
}

static void sec_limits(Rep *p) {
  Buf *b = p->b;
  char s[64], t[64], m[64];
  const LimitsResult *l = p->have_r ? p->r.part[RESULT_LIMITS] : NULL;
  h2(b, "limits", "Limits, worst first", NULL);
  if (p->kind == REPORT_TRANSIENT && (!l || l->n == 0)) {
    put(b, "<p>A transient checks its limits in time: when each is first reached is in the "
           "scenario above and in the figure <code>transient</code>.</p>\n");
    section_end(b);
    return;
  }
  if (!l || l->n == 0) {
    put(b, "<p>The case sets no limits.</p>\n");
    section_end(b);
    return;
  }
  const LimitCheck *order[LIMITS_MAX];
  for (int i = 0; i < l->n; i++) order[i] = &l->checks[i];
  qsort(order, (size_t)l->n, sizeof *order, limit_cmp);
  put(b, "<p>Each limit of the case against the quantity it bounds, the smallest margin (relative "
         "to the limit) first. The bar shows how much of the limit is used.</p>\n");
  put(b, "<table id=\"limits-table\"><thead><tr><th>limit</th><th>bounds</th><th class=\"r\">value"
         "</th><th></th><th class=\"r\">limit</th><th>unit</th><th class=\"r\">margin</th>"
         "<th class=\"r\">margin (% of limit)</th><th>use</th><th>status</th></tr></thead>"
         "<tbody>\n");
  for (int i = 0; i < l->n; i++) {
    const LimitCheck *k = order[i];
    const int dec = fabs(k->limit) >= 10.0 ? 2 : fabs(k->limit) >= 1.0 ? 3 : 4;
    const double rm = rel_margin(k);
    const int near = k->ok && rm < 0.1;
    double use = k->lower ? (k->value != 0.0 ? k->limit / k->value : NAN)
                          : (k->limit != 0.0 ? k->value / k->limit : NAN);
    if (!isfinite(use)) use = 0.0;
    const char *meaning = "";
    for (int q = 0; q < Limits_count(); q++)
      if (!strcmp(Limits_info(q)->name, k->name)) meaning = Limits_info(q)->meaning;
    putf(b, "<tr data-limit=\"%s\" data-margin=\"%.10g\" class=\"%s\"><td><code>", k->name,
         k->margin, !k->ok ? "bad" : near ? "near" : "");
    esc(b, k->name);
    put(b, "</code></td><td title=\"");
    esc(b, meaning);
    put(b, "\"><code>");
    esc(b, k->quantity);
    putf(b, "</code></td><td class=\"v\">%s</td><td>%s</td><td class=\"v\">%s</td><td class=\"u\">",
         fixed(s, sizeof s, k->value, dec), k->lower ? "&ge;" : "&le;",
         fixed(t, sizeof t, k->limit, dec));
    put_unit(b, k->unit);
    putf(b, "</td><td class=\"v\">%s%s</td><td class=\"v\">%s&nbsp;%%</td>",
         k->margin > 0 ? "+" : "", fixed(m, sizeof m, k->margin, dec), pct(s, sizeof s, rm));
    putf(b, "<td><span class=\"bar%s\"><span style=\"width:%.1f%%\"></span></span></td>",
         !k->ok ? " bad" : near ? " near" : "", fmin(100.0, fmax(0.0, 100.0 * use)));
    putf(b, "<td class=\"status %s\">%s</td></tr>\n", k->ok ? "ok" : "bad",
         k->ok ? "ok" : "BROKEN");
  }
  put(b, "</tbody></table>\n");
  section_end(b);
}

/* The per-die table: every column of group "dies", the top N by the
 * hottest junction. */
typedef struct {
  int row;
  double t;
  double col, rw;
} DieRank;

static int die_cmp(const void *a, const void *b) {
  const DieRank *x = a, *y = b;
  if (x->t != y->t) return isnan(x->t) ? 1 : isnan(y->t) ? -1 : x->t > y->t ? -1 : 1;
  if (x->col != y->col) return x->col < y->col ? -1 : 1;
  if (x->rw != y->rw) return x->rw < y->rw ? -1 : 1;
  return x->row - y->row;
}

static void sec_dies(Rep *p) {
  Buf *b = p->b;
  const ResultEntry *cols[64];
  int nc = 0, rows = -1;
  const ResultEntry *key = NULL, *ccol = NULL, *crow = NULL;
  for (int i = 0; i < Registry_size(p->reg) && nc < 64; i++) {
    const ResultEntry *e = Registry_at(p->reg, i);
    if (e->kind != RES_COLUMN || strcmp(e->group, "dies") || !Result_has(&p->r, e)) continue;
    const int n = Result_rows(&p->r, e);
    if (n <= 0 || (rows >= 0 && n != rows)) continue;
    rows = n;
    cols[nc++] = e;
    if (!strcmp(e->name, "die_t_max_c")) key = e;
    if (!strcmp(e->name, "die_column")) ccol = e;
    if (!strcmp(e->name, "die_row")) crow = e;
  }
  for (int k = 0; k < nc && !key; k++)
    if (!strcmp(cols[k]->unit, "C")) key = cols[k];
  if (nc == 0 || !key) return;
  const int top = p->top < rows ? p->top : rows;
  char title[128];
  snprintf(title, sizeof title, "Hottest dies: %d of %d", top, rows);
  h2(b, "dies", title, NULL);
  DieRank *rk = malloc((size_t)rows * sizeof *rk);
  if (!rk) return;
  for (int i = 0; i < rows; i++) {
    rk[i].row = i;
    /* ranked on the value shown: dies that show the same value are a tie,
     * listed by column and row, not by the last bits of the solve */
    char sv[64];
    rk[i].t = strtod(num(sv, sizeof sv, Result_cell(&p->r, key, i), 5), NULL);
    rk[i].col = ccol ? Result_cell(&p->r, ccol, i) : 0;
    rk[i].rw = crow ? Result_cell(&p->r, crow, i) : 0;
  }
  qsort(rk, (size_t)rows, sizeof *rk, die_cmp);
  put(b, "<p>By <code>");
  esc(b, key->name);
  put(b, "</code> (");
  esc(b, key->desc);
  put(b, "), then by column and row; every die is in <code>dies.csv</code> and "
         "<code>result.h5</code> <code>/dies</code>.");
  const double tied = val(p, "t_max_tied_dies");
  if (tied > 1 && text(p, "t_max_dies")) {
    char s[64];
    putf(b, " %.0f dies tie for the hottest within %s K (what the solve can tell apart): ", tied,
         num(s, sizeof s, val(p, "t_max_tie_tol_k"), 2));
    esc(b, text(p, "t_max_dies"));
    put(b, ".");
  }
  put(b, "</p>\n<table class=\"wide\" id=\"dies-table\"><thead><tr><th class=\"r\">#</th>");
  for (int k = 0; k < nc; k++) {
    put(b, "<th class=\"r\" title=\"");
    esc(b, cols[k]->desc);
    put(b, "\">");
    esc_breakable(b, cols[k]->name);
    put(b, "<span class=\"unit\">");
    put_unit(b, Result_unit(&p->r, cols[k]));
    put(b, "</span></th>");
  }
  put(b, "</tr></thead><tbody>\n");
  for (int i = 0; i < top; i++) {
    putf(b, "<tr><td class=\"r\">%d</td>", i + 1);
    for (int k = 0; k < nc; k++) {
      char s[64];
      const double v = Result_cell(&p->r, cols[k], rk[i].row);
      putf(b, "<td class=\"v\">%s</td>",
           cols[k]->is_int ? fixed(s, sizeof s, v, 0) : num(s, sizeof s, v, 5));
    }
    put(b, "</tr>\n");
  }
  put(b, "</tbody></table>\n");
  free(rk);
  section_end(b);
}

static const char *part_title(ResultPart part) {
  switch (part) {
  case RESULT_RUN: return "Run";
  case RESULT_THERMAL: return "Temperatures and heat";
  case RESULT_COOLANT: return "Coolant, cold plate and loop";
  case RESULT_POWER: return "Power path and dies";
  case RESULT_MECHANICS: return "Mechanics";
  case RESULT_TRANSIENT: return "Transient";
  case RESULT_LIMITS: return "Limits";
  case RESULT_PARTS: break;
  }
  return "Other";
}

/* Every single value of the result (and its text lists), in registry
 * order by part: name, value, unit, meaning. The row carries the value in
 * full (data-value) beside the value shown. */
static void sec_results(Rep *p) {
  Buf *b = p->b;
  h2(b, "results", "Every result value", "appendix");
  put(b, "<p>Every single value the run reports, from the result registry: the same names, "
         "values and units as <code>summary.json</code> and <code>result.h5</code> (shown to 6 "
         "significant digits; each row carries the full value). docs/output-reference.md lists "
         "them all.</p>\n");
  put(b, "<table id=\"results-table\"><thead><tr><th>quantity</th><th class=\"r\">value</th>"
         "<th>unit</th><th>meaning</th></tr></thead>\n");
  for (int part = 0; part < RESULT_PARTS; part++) {
    int header = 0;
    for (int i = 0; i < Registry_size(p->reg); i++) {
      const ResultEntry *e = Registry_at(p->reg, i);
      if ((int)e->part != part || !Result_has(&p->r, e)) continue;
      if (!Registry_is_single(e) && e->kind != RES_TEXTS) continue;
      if (!header) {
        put(b, "<tbody><tr><th colspan=\"4\">");
        esc(b, part_title((ResultPart)part));
        put(b, "</th></tr>\n");
        header = 1;
      }
      char unit[64], s[64];
      unit_of(p, e, unit, sizeof unit);
      putf(b, "<tr data-name=\"%s\" data-unit=\"", e->name);
      esc(b, unit);
      put(b, "\"");
      const double v = e->kind == RES_TEXT || e->kind == RES_TEXTS ? NAN : Result_number(&p->r, e);
      switch (e->kind) {
      case RES_SCALAR:
        if (isfinite(v))
          putf(b, " data-value=\"%.17g\"", v);
        else
          put(b, " data-value=\"null\"");
        putf(b, "><td><code>%s</code></td><td class=\"v\">%s</td>", e->name, num(s, sizeof s, v, 6));
        break;
      case RES_COUNT:
        putf(b, " data-value=\"%.0f\"><td><code>%s</code></td><td class=\"v\">%.0f</td>", v,
             e->name, v);
        break;
      case RES_FLAG:
        putf(b, " data-value=\"%s\"><td><code>%s</code></td><td class=\"v\">%s</td>",
             v != 0.0 ? "true" : "false", e->name, v != 0.0 ? "yes" : "no");
        break;
      case RES_TEXT:
        putf(b, "><td><code>%s</code></td><td class=\"t\">", e->name);
        esc(b, Result_text(&p->r, e));
        put(b, "</td>");
        break;
      default: { /* RES_TEXTS */
        const int n = Result_rows(&p->r, e);
        putf(b, " data-count=\"%d\"><td><code>%s</code></td><td class=\"t\">", n, e->name);
        if (n == 0) put(b, "<i>none</i>");
        for (int k = 0; k < n; k++) {
          put(b, "<div class=\"item\">");
          esc(b, Result_texts_row(&p->r, e, k));
          put(b, "</div>");
        }
        put(b, "</td>");
        break;
      }
      }
      put(b, "<td class=\"u\">");
      put_unit(b, unit);
      put(b, "</td><td class=\"d\">");
      esc(b, e->desc);
      put(b, "</td></tr>\n");
    }
    if (header) put(b, "</tbody>\n");
  }
  put(b, "</table>\n");
  section_end(b);
}

/* The [E] assumptions of the case file the run read, with the value this
 * run used where a --set (or a study) changed it. */
static void sec_assumptions(Rep *p) {
  Buf *b = p->b;
  h2(b, "assumptions", "Engineering assumptions [E]", "appendix");
  if (!p->source) {
    put(b, "<p>The case file's text is not stored in this <code>result.h5</code> (a run of an "
           "older ebsim, or a case given as text): its [E] assumptions cannot be listed. The "
           "resolved case is below.</p>\n");
    section_end(b);
    return;
  }
  CaseAssumption *a = NULL;
  const int n = Output_case_assumptions(p->source, &a);
  if (n < 0) {
    put(b, "<p>The stored case file could not be read as YAML.</p>\n");
    section_end(b);
    return;
  }
  put(b, "<p>The values the case file marks <b>[E]</b>, an engineering assumption made for this "
         "case (not a measurement or a cited source): what this answer rests on. ");
  putf(b, "%d in <code>", n);
  esc(b, p->source_path && *p->source_path ? p->source_path : "the case file");
  put(b, "</code>; change any with <code>--set KEY=VALUE</code>.</p>\n");
  if (n == 0) {
    put(b, "<p>The case file marks no value [E].</p>\n");
  } else {
    put(b, "<table id=\"assumptions-table\"><thead><tr><th class=\"r\">line</th><th>key</th>"
           "<th>value in the file</th><th>in this run</th><th>the file says</th></tr></thead>"
           "<tbody>\n");
    for (int i = 0; i < n; i++) {
      putf(b, "<tr data-key=\"");
      esc(b, a[i].path);
      putf(b, "\"><td class=\"r\">%d</td><td><code>", a[i].line);
      esc(b, a[i].path);
      put(b, "</code></td><td>");
      if (a[i].scalar || !strchr(a[i].value, '\n')) {
        put(b, "<code>");
        esc(b, a[i].value);
        put(b, "</code>");
      } else {
        put(b, "<pre>");
        esc(b, a[i].value);
        put(b, "</pre>");
      }
      put(b, "</td><td>");
      CaseValue cv;
      char e2[256];
      if (a[i].scalar && p->c && Case_get(p->c, a[i].path, &cv, e2, sizeof e2) == EB_OK) {
        int same;
        if (cv.kind == CASE_VALUE_NUMBER) {
          char *end;
          const double src = strtod(a[i].value, &end);
          same = end != a[i].value && !*end &&
                 fabs(src - cv.number) <= 1e-12 * fmax(1.0, fabs(src));
        } else if (cv.kind == CASE_VALUE_TEXT) {
          same = !strcmp(a[i].value, cv.text);
        } else {
          same = !*a[i].value || !strcmp(a[i].value, "~") || !strcmp(a[i].value, "null");
        }
        if (same) {
          put(b, "<span class=\"same\">as in the file</span>");
        } else {
          put(b, "<span class=\"changed\">");
          esc(b, cv.kind == CASE_VALUE_UNSET ? "unset" : cv.text);
          put(b, "</span>");
        }
      } else {
        put(b, "<span class=\"same\">&mdash;</span>");
      }
      put(b, "</td><td class=\"d\">");
      esc(b, a[i].note);
      put(b, "</td></tr>\n");
    }
    put(b, "</tbody></table>\n");
  }
  Output_assumptions_free(a, n);
  section_end(b);
}

static void sec_case(Rep *p) {
  Buf *b = p->b;
  h2(b, "case", "Resolved case", NULL);
  put(b, "<p>The case as the run used it, after every <code>--set</code>, with every default "
         "written out (<code>result.h5</code> <code>/case/resolved_yaml</code>); "
         "<code>ebsim run</code> on this text reproduces the run.</p>\n<pre class=\"yaml\">");
  esc(b, p->resolved ? p->resolved : "");
  put(b, "</pre>\n");
  section_end(b);
}

/* Version, energy balance, when, and the files of the set. */
static void footer(Rep *p) {
  Buf *b = p->b;
  char when[64];
  time_t now = time(NULL);
  strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&now));
  put(b, "<footer id=\"provenance\">\n<p>");
  if (p->run_version) {
    put(b, "Written by <b>ebsim ");
    esc(b, p->run_version);
    put(b, "</b>");
  } else {
    put(b, "Written by ebsim");
  }
  const char *at = p->manifest ? json_string_value(json_object_get(p->manifest, "written_utc")) : NULL;
  if (at) {
    put(b, " at ");
    esc(b, at);
  }
  put(b, " into <code>");
  esc(b, p->dir);
  put(b, "</code>; this report by ebsim " EBSIM_VERSION " at ");
  esc(b, when);
  put(b, ".");
  if (p->have_r) {
    const double eb = val(p, "energy_balance_rel_error"), ebr = val(p, "energy_balance_rel_error_run");
    char s[64];
    if (isfinite(eb)) putf(b, " Energy balance %s (relative)", num(s, sizeof s, eb, 2));
    if (isfinite(ebr)) putf(b, "%s over the run %s", isfinite(eb) ? "," : " Energy balance",
                            num(s, sizeof s, ebr, 2));
    if (isfinite(eb) || isfinite(ebr)) put(b, ".");
  }
  put(b, "</p>\n");
  json_t *files = p->manifest ? json_object_get(p->manifest, "files") : NULL;
  if (json_array_size(files) > 0) {
    put(b, "<p>The output set (<code>manifest.json</code>): ");
    for (size_t i = 0; i < json_array_size(files); i++) {
      json_t *f = json_array_get(files, i);
      const char *name = json_string_value(json_object_get(f, "name"));
      if (!name) continue;
      putf(b, "%s<code>", i ? ", " : "");
      esc(b, name);
      const double kb = (double)json_integer_value(json_object_get(f, "bytes")) / 1e3;
      putf(b, "</code> (%.*f kB)", kb < 10 ? 1 : 0, kb);
    }
    put(b, ".</p>\n");
  }
  put(b, "</footer>\n");
}

/* ---- a run, a limits search, a transient ----------------------------------------------------- */

static int read_run(Rep *p, char *err, size_t es) {
  char h5[1100];
  snprintf(h5, sizeof h5, "%s/result.h5", p->dir);
  p->c = calloc(1, sizeof *p->c);
  if (!p->c) {
    snprintf(err, es, "out of memory");
    return EB_EFAIL;
  }
  int rc = Output_read_result(h5, p->c, &p->g, p->reg, &p->r, err, es);
  if (rc != EB_OK) return rc;
  p->have_r = 1;
  char why[OUT_H5_WHY];
  out_h5_capture(why);
  p->h5 = H5Fopen(h5, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (p->h5 >= 0) {
    p->resolved = out_h5_read_text(p->h5, "case/resolved_yaml", 0);
    if (H5Lexists(p->h5, "case/source_yaml", H5P_DEFAULT) > 0) {
      p->source = out_h5_read_text(p->h5, "case/source_yaml", 0);
      if (H5Lexists(p->h5, "case/source_path", H5P_DEFAULT) > 0)
        p->source_path = out_h5_read_text(p->h5, "case/source_path", 0);
    }
  }
  out_h5_capture(NULL);
  json_t *sum = NULL;
  char path[1100];
  snprintf(path, sizeof path, "%s/summary.json", p->dir);
  sum = json_load_file(path, 0, NULL);
  const char *v = sum ? json_string_value(json_object_get(sum, "ebsim_version")) : NULL;
  if (v) p->run_version = strdup(v);
  json_decref(sum);
  return EB_OK;
}

/* The line under a study page's title: its directory and when it was written. */
static void sub_header(Buf *b, const Rep *p) {
  put(b, "<div class=\"sub\">");
  esc(b, p->dir);
  const char *at = p->manifest ? json_string_value(json_object_get(p->manifest, "written_utc")) : NULL;
  if (at) {
    put(b, " &middot; ");
    esc(b, at);
  }
  put(b, "</div>\n");
}

static int page_run(Rep *p, char *err, size_t es) {
  Buf *b = p->b;
  int rc = read_run(p, err, es);
  if (rc != EB_OK) return rc;
  char title[300], kind[400];
  const char *name = p->c->name;
  if (p->kind == REPORT_TRANSIENT) {
    const char *sc = text(p, "scenario");
    snprintf(title, sizeof title, "%.120s: %.120s", name, sc ? sc : "transient");
    snprintf(kind, sizeof kind, "ebsim transient report%s%.200s", text(p, "scenario_description") ? " \xc2\xb7 " : "",
             text(p, "scenario_description") ? text(p, "scenario_description") : "");
  } else if (p->kind == REPORT_LIMITS) {
    const char *key = text(p, "search_key"), *d = text(p, "search_direction");
    snprintf(title, sizeof title, "%.120s: %s %.120s", name,
             d && !strcmp(d, "min") ? "least" : "largest", key ? key : "?");
    snprintf(kind, sizeof kind, "ebsim limits search report");
  } else {
    snprintf(title, sizeof title, "%.250s", name);
    snprintf(kind, sizeof kind, "ebsim run report");
  }
  page_begin(b, title, kind);
  put(b, "<div class=\"sub\">");
  esc(b, p->dir);
  if (p->run_version) {
    put(b, " &middot; ebsim ");
    esc(b, p->run_version);
  }
  const char *at = p->manifest ? json_string_value(json_object_get(p->manifest, "written_utc")) : NULL;
  if (at) {
    put(b, " &middot; ");
    esc(b, at);
  }
  put(b, "</div>\n");
  const char *ids[12], *titles[12];
  int n = 0;
  if (p->kind == REPORT_LIMITS) ids[n] = "search", titles[n++] = "Search";
  if (p->kind == REPORT_TRANSIENT) ids[n] = "scenario", titles[n++] = "Scenario";
  ids[n] = "operating-point", titles[n++] = "Operating point";
  ids[n] = "limits", titles[n++] = "Limits";
  ids[n] = "figures", titles[n++] = "Figures";
  ids[n] = "dies", titles[n++] = "Hottest dies";
  ids[n] = "results", titles[n++] = "Every value";
  ids[n] = "assumptions", titles[n++] = "[E] assumptions";
  ids[n] = "case", titles[n++] = "Resolved case";
  ids[n] = "provenance", titles[n++] = "Version";
  toc(b, ids, titles, n);
  put(b, "</header>\n");
  sec_headline(p);
  if (p->kind == REPORT_LIMITS) sec_search(p);
  if (p->kind == REPORT_TRANSIENT) sec_scenario(p);
  sec_operating_point(p);
  sec_limits(p);
  rc = sec_figures(p, err, es);
  if (rc != EB_OK) return rc;
  sec_dies(p);
  sec_results(p);
  sec_assumptions(p);
  sec_case(p);
  footer(p);
  return EB_OK;
}

/* ---- a sweep -------------------------------------------------------------------------------- */

typedef struct {
  int n;               /* points */
  int n_keys;          /* swept keys */
  char keys[8][128];   /* their names */
  char units[8][32];   /* their units ("" for none) */
  char ***swept;       /* [point][key] text, from sweep.csv */
  double *status;      /* per point */
  char **error;        /* per point */
  const ResultEntry *cols[512];
  int nc;
  double *num;  /* [col][point] */
  char **txt;   /* [col][point], text entries */
} SweepTab;

static void sweep_free(SweepTab *t) {
  for (int q = 0; t->swept && q < t->n; q++) {
    for (int k = 0; t->swept[q] && k < t->n_keys; k++) free(t->swept[q][k]);
    free(t->swept[q]);
  }
  free(t->swept);
  for (int q = 0; t->error && q < t->n; q++) free(t->error[q]);
  free(t->error);
  free(t->status);
  if (t->txt)
    for (size_t i = 0; i < (size_t)t->nc * (size_t)t->n; i++) free(t->txt[i]);
  free(t->txt);
  free(t->num);
}

static int read_sweep(Rep *p, SweepTab *t, char *err, size_t es) {
  memset(t, 0, sizeof *t);
  char path[1100];
  snprintf(path, sizeof path, "%s/sweep.h5", p->dir);
  char why[OUT_H5_WHY];
  out_h5_capture(why);
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) {
    out_h5_capture(NULL);
    snprintf(err, es, "cannot read %.900s: %s", path, why[0] ? why : "not an HDF5 file");
    return EB_EINPUT;
  }
  const long n = H5Lexists(f, "table", H5P_DEFAULT) > 0 ? out_h5_length(f, "table/point") : -1;
  if (n <= 0) {
    H5Fclose(f);
    out_h5_capture(NULL);
    snprintf(err, es, "%.900s has no sweep table (/table/point); was it written by ebsim sweep?",
             path);
    return EB_EINPUT;
  }
  t->n = (int)n;
  t->status = calloc((size_t)n, sizeof *t->status);
  t->error = calloc((size_t)n, sizeof *t->error);
  int bad = !t->status || !t->error || out_h5_read_numbers(f, "table/status", t->status, (size_t)n);
  for (long q = 0; !bad && q < n; q++) t->error[q] = out_h5_read_text(f, "table/error", q);
  for (int i = 0; !bad && i < Registry_size(p->reg) && t->nc < 512; i++) {
    const ResultEntry *e = Registry_at(p->reg, i);
    if (!Registry_is_single(e) && e->kind != RES_TEXTS) continue;
    char name[200];
    snprintf(name, sizeof name, "table/%s", e->name);
    if (H5Lexists(f, name, H5P_DEFAULT) <= 0 || out_h5_length(f, name) != n) continue;
    t->cols[t->nc++] = e;
  }
  t->num = calloc((size_t)t->nc * (size_t)n + 1, sizeof *t->num);
  t->txt = calloc((size_t)t->nc * (size_t)n + 1, sizeof *t->txt);
  bad |= !t->num || !t->txt;
  for (int k = 0; !bad && k < t->nc; k++) {
    const ResultEntry *e = t->cols[k];
    char name[200];
    snprintf(name, sizeof name, "table/%s", e->name);
    if (e->kind == RES_TEXT || e->kind == RES_TEXTS) {
      for (long q = 0; q < n; q++) {
        t->txt[(size_t)k * (size_t)n + (size_t)q] = out_h5_read_text(f, name, q);
        t->num[(size_t)k * (size_t)n + (size_t)q] = NAN;
      }
    } else {
      bad = out_h5_read_numbers(f, name, t->num + (size_t)k * (size_t)n, (size_t)n) != 0;
    }
  }
  H5Fclose(f);
  out_h5_capture(NULL);
  if (bad) {
    snprintf(err, es, "%.900s: its table does not read as this ebsim writes it", path);
    return EB_EINPUT;
  }
  /* the swept values as the sweep was given them: sweep.csv's columns
   * between `point` and `status` */
  size_t len;
  char *csv = (char *)slurp(p->dir, "sweep.csv", &len);
  Csv c;
  if (!csv || csv_parse(csv, &c) != 0) {
    free(csv);
    snprintf(err, es, "cannot read %.900s/sweep.csv", p->dir);
    return EB_EINPUT;
  }
  free(csv);
  int st = -1;
  for (int k = 1; c.rows > 0 && k < c.cols; k++)
    if (!strcmp(c.cell[0][k], "status")) {
      st = k;
      break;
    }
  if (st < 1 || c.rows - 1 != t->n) {
    csv_free(&c);
    snprintf(err, es, "%.900s/sweep.csv does not match sweep.h5 (%d rows, %d points)", p->dir,
             c.rows - 1, t->n);
    return EB_EINPUT;
  }
  t->n_keys = st - 1 < 8 ? st - 1 : 8;
  for (int k = 0; k < t->n_keys; k++)
    split_header(c.cell[0][1 + k], t->keys[k], sizeof t->keys[k], t->units[k], sizeof t->units[k]);
  t->swept = calloc((size_t)t->n, sizeof *t->swept);
  for (int q = 0; t->swept && q < t->n; q++) {
    t->swept[q] = calloc((size_t)t->n_keys + 1, sizeof *t->swept[q]);
    for (int k = 0; t->swept[q] && k < t->n_keys; k++) t->swept[q][k] = strdup(c.cell[1 + q][1 + k]);
  }
  csv_free(&c);
  return EB_OK;
}

static int sweep_col(const SweepTab *t, const char *name) {
  for (int k = 0; k < t->nc; k++)
    if (!strcmp(t->cols[k]->name, name)) return k;
  return -1;
}

static double sweep_num(const SweepTab *t, int col, int q) {
  return col >= 0 ? t->num[(size_t)col * (size_t)t->n + (size_t)q] : NAN;
}

static const char *sweep_txt(const SweepTab *t, int col, int q) {
  const char *s = col >= 0 ? t->txt[(size_t)col * (size_t)t->n + (size_t)q] : NULL;
  return s ? s : "";
}

static void put_sweep_cell(Buf *b, const SweepTab *t, int k, int q) {
  const ResultEntry *e = t->cols[k];
  char s[64];
  const double v = sweep_num(t, k, q);
  if (e->kind == RES_TEXT || e->kind == RES_TEXTS) {
    put(b, "<td class=\"t\">");
    esc(b, sweep_txt(t, k, q));
  } else if (e->kind == RES_FLAG) {
    putf(b, "<td class=\"v\" data-point=\"%d\" data-value=\"%s\">%s", q + 1,
         v != 0.0 ? "true" : "false", v != 0.0 ? "yes" : "no");
  } else if (e->kind == RES_COUNT) {
    putf(b, "<td class=\"v\" data-point=\"%d\" data-value=\"%.0f\">%s", q + 1, v,
         fixed(s, sizeof s, v, 0));
  } else if (isfinite(v)) {
    putf(b, "<td class=\"v\" data-point=\"%d\" data-value=\"%.17g\">%s", q + 1, v,
         num(s, sizeof s, v, 6));
  } else {
    putf(b, "<td class=\"v\" data-point=\"%d\" data-value=\"null\">n/a", q + 1);
  }
  put(b, "</td>");
}

static int page_sweep(Rep *p, char *err, size_t es) {
  Buf *b = p->b;
  SweepTab t;
  int rc = read_sweep(p, &t, err, es);
  if (rc != EB_OK) {
    sweep_free(&t);
    return rc;
  }
  const int c_case = sweep_col(&t, "case"), c_ok = sweep_col(&t, "all_limits_ok"),
            c_broken = sweep_col(&t, "limits_broken"), c_near = sweep_col(&t, "nearest_limit"),
            c_nm = sweep_col(&t, "nearest_limit_margin"), c_t = sweep_col(&t, "t_max_c");
  const char *name = NULL;
  for (int q = 0; q < t.n && !name; q++)
    if (*sweep_txt(&t, c_case, q)) name = sweep_txt(&t, c_case, q);
  char title[400], s[64], u[64];
  Buf keys = {0};
  for (int k = 0; k < t.n_keys; k++) {
    if (k) put(&keys, " \xc3\x97 ");
    put(&keys, t.keys[k]);
  }
  snprintf(title, sizeof title, "%.120s: sweep of %.250s", name ? name : "sweep",
           keys.p ? keys.p : "?");
  free(keys.p);
  page_begin(b, title, "ebsim sweep report");
  sub_header(b, p);
  static const char *const ids[] = {"points", "figures", "values", "provenance"};
  static const char *const titles[] = {"Points", "Figures", "Every value", "Version"};
  toc(b, ids, titles, 4);
  put(b, "</header>\n");
  /* headline */
  int failed = 0, holding = 0;
  double tlo = INFINITY, thi = -INFINITY;
  for (int q = 0; q < t.n; q++) {
    failed += t.status[q] != 0.0;
    holding += t.status[q] == 0.0 && sweep_num(&t, c_ok, q) == 1.0;
    const double v = sweep_num(&t, c_t, q);
    if (isfinite(v)) tlo = fmin(tlo, v), thi = fmax(thi, v);
  }
  put(b, "<section id=\"headline\" class=\"cards\">\n");
  snprintf(s, sizeof s, "%d", t.n);
  Buf note = {0};
  if (failed)
    putf(&note, "%d failed (see their rows)", failed);
  else
    put(&note, "every point solved");
  card(b, failed ? "bad" : NULL, "Points", s, note.p);
  free(note.p);
  note = (Buf){0};
  snprintf(s, sizeof s, "%d of %d", holding, t.n);
  card(b, holding == t.n ? "ok" : "warn", "Every limit holds at", s, NULL);
  if (isfinite(tlo)) {
    Buf big = {0};
    putf(&big, "%s&ndash;%s&nbsp;", fixed(s, sizeof s, tlo, 2), fixed(u, sizeof u, thi, 2));
    put_unit(&big, "C");
    card(b, NULL, "Hottest junction over the points", big.p, NULL);
    free(big.p);
  }
  /* a sweep of one key: the first limit to break along it */
  if (t.n_keys == 1 && c_ok >= 0) {
    Buf fb = {0};
    int first = -1;
    for (int q = 0; q < t.n && first < 0; q++)
      if (t.status[q] != 0.0 || sweep_num(&t, c_ok, q) != 1.0) first = q;
    const char *cls = "ok";
    if (first < 0) {
      put(&fb, "none");
      put(&note, "every limit holds at every point");
      if (c_near >= 0 && *sweep_txt(&t, c_near, t.n - 1)) {
        put(&note, "; nearest at the last: <b>");
        esc(&note, sweep_txt(&t, c_near, t.n - 1));
        putf(&note, "</b>, %s %% to go", pct(s, sizeof s, sweep_num(&t, c_nm, t.n - 1)));
      }
    } else {
      cls = "bad";
      if (t.status[first] != 0.0)
        put(&fb, "no solution");
      else
        esc(&fb, sweep_txt(&t, c_broken, first));
      if (first == 0) {
        put(&note, "already at the first value, ");
        esc(&note, t.swept[0][0]);
      } else {
        put(&note, "along ");
        esc(&note, t.keys[0]);
        put(&note, " between ");
        esc(&note, t.swept[first - 1][0]);
        put(&note, " and ");
        esc(&note, t.swept[first][0]);
        if (*t.units[0]) {
          put(&note, "&nbsp;");
          put_unit(&note, t.units[0]);
        }
      }
    }
    card(b, cls, "First to break", fb.p ? fb.p : "", note.p);
    free(fb.p);
    free(note.p);
  }
  put(b, "</section>\n");
  /* the points */
  h2(b, "points", "Points", NULL);
  put(b, "<p>One row per point in point order (the first swept key varies slowest). The "
         "columns after the verdict are the quantities the case's limits bound.</p>\n");
  int bounded[LIMITS_MAX + 4], nb = 0;
  if (c_t >= 0) bounded[nb++] = c_t;
  for (int i = 0; i < Limits_count() && nb < LIMITS_MAX + 4; i++) {
    const int k = sweep_col(&t, Limits_info(i)->quantity);
    int seen = k < 0;
    for (int j = 0; j < nb && !seen; j++) seen = bounded[j] == k;
    int any = 0;
    for (int q = 0; q < t.n && !seen; q++) any |= isfinite(sweep_num(&t, k, q));
    if (!seen && any) bounded[nb++] = k;
  }
  put(b, "<table class=\"wide\" id=\"points-table\"><thead><tr><th class=\"r\">point</th>");
  for (int k = 0; k < t.n_keys; k++) {
    put(b, "<th class=\"r\">");
    esc_breakable(b, t.keys[k]);
    put(b, "<span class=\"unit\">");
    put_unit(b, t.units[k]);
    put(b, "</span></th>");
  }
  put(b, "<th>limits</th>");
  for (int j = 0; j < nb; j++) {
    put(b, "<th class=\"r\" title=\"");
    esc(b, t.cols[bounded[j]]->desc);
    put(b, "\">");
    esc_breakable(b, t.cols[bounded[j]]->name);
    put(b, "<span class=\"unit\">");
    put_unit(b, t.cols[bounded[j]]->unit);
    put(b, "</span></th>");
  }
  put(b, "</tr></thead><tbody>\n");
  for (int q = 0; q < t.n; q++) {
    const int ok = t.status[q] == 0.0, holds = ok && sweep_num(&t, c_ok, q) == 1.0;
    putf(b, "<tr class=\"%s\"><td class=\"r\">%d</td>", holds ? "" : "bad", q + 1);
    for (int k = 0; k < t.n_keys; k++) {
      put(b, "<td class=\"v\">");
      esc(b, t.swept[q][k]);
      put(b, "</td>");
    }
    if (!ok) {
      put(b, "<td><span class=\"status bad\">failed</span> ");
      esc(b, t.error[q] ? t.error[q] : "");
    } else if (holds) {
      put(b, "<td><span class=\"status ok\">ok</span>");
      if (c_near >= 0 && *sweep_txt(&t, c_near, q)) {
        put(b, " nearest ");
        esc(b, sweep_txt(&t, c_near, q));
        putf(b, ", %s %% to go", pct(s, sizeof s, sweep_num(&t, c_nm, q)));
      }
    } else {
      put(b, "<td><span class=\"status bad\">BROKEN</span> ");
      esc(b, sweep_txt(&t, c_broken, q));
    }
    put(b, "</td>");
    for (int j = 0; j < nb; j++) put_sweep_cell(b, &t, bounded[j], q);
    put(b, "</tr>\n");
  }
  put(b, "</tbody></table>\n");
  section_end(b);
  rc = sec_figures(p, err, es);
  if (rc != EB_OK) {
    sweep_free(&t);
    return rc;
  }
  /* every value, a column per point, in blocks of points */
  h2(b, "values", "Every value of every point", "appendix");
  put(b, "<p>The table of <code>sweep.h5</code> <code>/table</code> (and <code>sweep.csv</code>): "
         "every single value of each point's run, a row per quantity, a column per point.</p>\n");
  enum { PER_BLOCK = 8 };
  for (int q0 = 0; q0 < t.n; q0 += PER_BLOCK) {
    const int q1 = q0 + PER_BLOCK < t.n ? q0 + PER_BLOCK : t.n;
    putf(b, "<table class=\"wide sweep-values\"><thead><tr><th>quantity</th><th>unit</th>");
    for (int q = q0; q < q1; q++) {
      putf(b, "<th class=\"r\">point %d", q + 1);
      for (int k = 0; k < t.n_keys; k++) {
        put(b, "<span class=\"unit\">");
        esc(b, t.swept[q][k]);
        put(b, "</span>");
      }
      put(b, "</th>");
    }
    put(b, "</tr></thead>\n");
    for (int part = 0; part < RESULT_PARTS; part++) {
      int header = 0;
      for (int k = 0; k < t.nc; k++) {
        const ResultEntry *e = t.cols[k];
        if ((int)e->part != part) continue;
        if (!header) {
          putf(b, "<tbody><tr><th colspan=\"%d\">", 2 + q1 - q0);
          esc(b, part_title((ResultPart)part));
          put(b, "</th></tr>\n");
          header = 1;
        }
        putf(b, "<tr data-name=\"%s\"><td title=\"", e->name);
        esc(b, e->desc);
        putf(b, "\"><code>%s</code></td><td class=\"u\">", e->name);
        put_unit(b, e->unit);
        put(b, "</td>");
        for (int q = q0; q < q1; q++) put_sweep_cell(b, &t, k, q);
        put(b, "</tr>\n");
      }
      if (header) put(b, "</tbody>\n");
    }
    put(b, "</table>\n");
  }
  section_end(b);
  footer(p);
  sweep_free(&t);
  return EB_OK;
}

/* ---- an envelope ---------------------------------------------------------------------------- */

/* A CSV of the set as a table, units from its "name (unit)" headers;
 * gaps_fail: a row with an empty number is a failure (marked). */
static int csv_table(Rep *p, const char *file, const char *id, int gaps_fail, char *err,
                     size_t es) {
  Buf *b = p->b;
  size_t len;
  char *text = (char *)slurp(p->dir, file, &len);
  Csv c;
  if (!text || csv_parse(text, &c) != 0 || c.rows < 1) {
    free(text);
    snprintf(err, es, "cannot read %.900s/%.100s as a table", p->dir, file);
    return EB_EINPUT;
  }
  free(text);
  putf(b, "<table class=\"wide\" id=\"%s\"><thead><tr>", id);
  int numeric[64] = {0};
  for (int k = 0; k < c.cols && k < 64; k++) {
    numeric[k] = 1;
    for (int r = 1; r < c.rows; r++) {
      char *end;
      if (!*c.cell[r][k]) continue;
      strtod(c.cell[r][k], &end);
      if (*end) numeric[k] = 0;
    }
  }
  for (int k = 0; k < c.cols; k++) {
    char name[256], unit[64];
    split_header(c.cell[0][k], name, sizeof name, unit, sizeof unit);
    putf(b, "<th class=\"%s\">", k < 64 && numeric[k] ? "r" : "");
    esc_breakable(b, name);
    put(b, "<span class=\"unit\">");
    put_unit(b, unit);
    put(b, "</span></th>");
  }
  put(b, "</tr></thead><tbody>\n");
  for (int r = 1; r < c.rows; r++) {
    /* a row with an empty number failed: its last column says why */
    int gap = 0;
    for (int k = 0; k < c.cols && k < 64; k++) gap |= numeric[k] && !*c.cell[r][k];
    putf(b, "<tr%s>", gap && gaps_fail ? " class=\"bad\"" : "");
    for (int k = 0; k < c.cols; k++) {
      putf(b, "<td class=\"%s\">", k < 64 && numeric[k] ? "v" : "t");
      if (k < 64 && numeric[k] && !*c.cell[r][k])
        put(b, "&mdash;");
      else
        esc(b, c.cell[r][k]);
      put(b, "</td>");
    }
    put(b, "</tr>\n");
  }
  put(b, "</tbody></table>\n");
  csv_free(&c);
  return EB_OK;
}

static int page_envelope(Rep *p, char *err, size_t es) {
  Buf *b = p->b;
  const char *slash = strrchr(p->dir, '/');
  const char *base = slash && slash[1] ? slash + 1 : p->dir;
  char title[300];
  snprintf(title, sizeof title, "Operating envelope: %.250s", base);
  page_begin(b, title, "ebsim envelope report");
  sub_header(b, p);
  static const char *const ids[] = {"envelope", "figures", "min-flow", "provenance"};
  static const char *const titles[] = {"Warmest inlet", "Figures", "Least flow", "Version"};
  toc(b, ids, titles, 4);
  put(b, "</header>\n");
  h2(b, "envelope", "Warmest allowed inlet per power and flow", NULL);
  put(b, "<p>For each power and flow per power, the warmest coolant inlet at which every limit of "
         "the case holds (a limit search on <code>coolant.inlet_c</code>) and the limit that binds "
         "there (<code>envelope.csv</code>). A row without a temperature could not be served; its "
         "last column says why.</p>\n");
  int rc = csv_table(p, "envelope.csv", "envelope-table", 1, err, es);
  if (rc != EB_OK) return rc;
  section_end(b);
  rc = sec_figures(p, err, es);
  if (rc != EB_OK) return rc;
  h2(b, "min-flow", "Least flow per power and inlet", NULL);
  put(b, "<p>The same curves read the other way: the least flow that keeps every limit at each "
         "inlet temperature (<code>envelope_min_flow.csv</code>; empty where no flow of the "
         "searched range does).</p>\n");
  rc = csv_table(p, "envelope_min_flow.csv", "min-flow-table", 0, err, es);
  if (rc != EB_OK) return rc;
  section_end(b);
  footer(p);
  return EB_OK;
}

/* ---- the report -------------------------------------------------------------------------- */

int Output_write_report(const Registry *reg, const char *dir, const char *out_dir,
                        const ReportOptions *o, char *err, size_t err_size) {
  ReportKind kind;
  int rc = Output_report_check(dir, &kind, err, err_size);
  if (rc != EB_OK) return rc;
  Buf b = {0};
  Rep p = {.reg = reg, .dir = dir, .kind = kind, .b = &b, .h5 = -1,
           .top = o && o->top > 0 ? o->top : REPORT_TOP_DEFAULT};
  char mpath[1100];
  snprintf(mpath, sizeof mpath, "%s/" OUTPUT_MANIFEST, dir);
  p.manifest = json_load_file(mpath, 0, NULL);
  switch (kind) {
  case REPORT_RUN:
  case REPORT_LIMITS:
  case REPORT_TRANSIENT: rc = page_run(&p, err, err_size); break;
  case REPORT_SWEEP: rc = page_sweep(&p, err, err_size); break;
  case REPORT_ENVELOPE: rc = page_envelope(&p, err, err_size); break;
  }
  put(&b, "</body>\n</html>\n");
  if (rc == EB_OK && b.oom) {
    snprintf(err, err_size, "out of memory making the report of %.900s", dir);
    rc = EB_EFAIL;
  }
  if (rc == EB_OK) {
    char tmp[1100];
    out_path(tmp, sizeof tmp, out_dir, REPORT_FILE, 1);
    rc = out_write_bytes(tmp, b.p, b.n, err, err_size);
    if (rc == EB_OK) rc = out_commit(out_dir, REPORT_FILE, err, err_size);
  }
  free(b.p);
  json_decref(p.manifest);
  if (p.h5 >= 0) H5Fclose(p.h5);
  if (p.have_r) Output_result_free(reg, &p.r);
  Grid_destroy(p.g);
  free(p.c);
  free(p.resolved);
  free(p.source);
  free(p.source_path);
  free(p.run_version);
  return rc;
}

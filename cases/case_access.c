/* case_access.c - one value of a parsed case by its dotted key: Case_get
 * reads it from the struct, Case_set changes it.
 *
 * Keys are navigated on the struct with the schema tables (offsets and
 * units), never through YAML; custom keys (stack, hotspots, materials,
 * lists) navigate below themselves through their table's `get` hook. The
 * navigation gives the same messages as --set's navigation of the file, so
 * a bad key reads alike from both. Case_set then runs the validator on the
 * case's dump with the assignment applied as a --set, in memory: one set of
 * rules, the file's, for every change. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "case_internal.h"

struct Nav {
  const Case *c;
  const char *set; /* "key=value" of Case_set, NULL for Case_get */
  char path[512];  /* dotted key walked so far */
  char *err;
  size_t err_size;
};

/* ---- navigation primitives (also used by the hooks in case_schema.c) --- */

int nav_error(Nav *nv, const char *fmt, ...) {
  char msg[EB_ERRLEN];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (!nv->err || nv->err_size == 0)
    return EB_EINPUT;
  const char *sep = nv->path[0] ? ": " : "";
  if (nv->set) /* the words ck_set_error writes for --set on a file */
    snprintf(nv->err, nv->err_size, "--set %s: %s%s%s", nv->set, nv->path, sep, msg);
  else
    snprintf(nv->err, nv->err_size, "%s%s%s", nv->path, sep, msg);
  return EB_EINPUT;
}

size_t nav_push(Nav *nv, const char *segment) {
  size_t len = strlen(nv->path);
  snprintf(nv->path + len, sizeof nv->path - len, "%s%s", len ? "." : "", segment);
  return len;
}

int nav_for_set(const Nav *nv) { return nv->set != NULL; }

int nav_defer(Nav *nv) {
  (void)nv; /* nothing to record: Case_set validates every change anyway */
  return EB_OK;
}

int nav_item(Nav *nv, const char *seg, int count, const char *const *names) {
  nav_push(nv, seg);
  for (int i = 0; names && i < count; i++)
    if (!strcmp(names[i], seg))
      return i;
  if (case_is_index(seg) && atoi(seg) < count)
    return atoi(seg);
  char joined[512] = "", msg[768];
  for (int i = 0; names && i < count; i++) {
    size_t len = strlen(joined);
    snprintf(joined + len, sizeof joined - len, "%s%s", i ? ", " : "", names[i]);
  }
  case_no_item(msg, sizeof msg, seg, count, names ? joined : NULL);
  nav_error(nv, "%s", msg);
  return -1;
}

int nav_whole(Nav *nv, const Schema *s) {
  return nav_error(nv, "only single values can be %s; this is %s", nv->set ? "set" : "got",
                   case_shape_word(s));
}

int nav_leaf(Nav *nv, int n) {
  return n > 0 ? nav_error(nv, "this is a single value: it has no keys under it") : EB_OK;
}

void nav_number(CaseValue *out, double v, Unit u) {
  out->kind = CASE_VALUE_NUMBER;
  out->number = v;
  case_fmt_double(out->text, sizeof out->text, v);
  out->unit = Unit_label(u);
}

void nav_text(CaseValue *out, const char *text) {
  out->kind = CASE_VALUE_TEXT;
  out->number = NAN;
  snprintf(out->text, sizeof out->text, "%s", text);
  out->unit = "";
}

static void nav_unset(CaseValue *out, Unit u) {
  out->kind = CASE_VALUE_UNSET;
  out->number = NAN;
  snprintf(out->text, sizeof out->text, "~"); /* what --set takes for "not set" */
  out->unit = Unit_label(u);
}

/* ---- single values ----------------------------------------------------- */

static const void *at(const void *base, size_t off) { return (const char *)base + off; }

static void word_value(const Field *f, const void *base, CaseValue *out) {
  nav_text(out, case_word_of(f, base));
}

/* The value as the dump writes it: numbers in the key's unit, ~ when unset. */
static void field_value(const Field *f, const void *base, CaseValue *out) {
  switch (f->type) {
  case F_NUM: {
    double v = *(const double *)at(base, f->off);
    if (isnan(v) || (f->zero_unset && v == 0))
      nav_unset(out, f->unit);
    else
      nav_number(out, Unit_from_si(f->unit, v), f->unit);
    return;
  }
  case F_INT: {
    int v = *(const int *)at(base, f->off);
    if (f->zero_unset && v == 0)
      nav_unset(out, f->unit);
    else
      nav_number(out, v, f->unit);
    return;
  }
  case F_BOOL:
    nav_text(out, *(const int *)at(base, f->off) ? "true" : "false");
    return;
  case F_NAME:
  case F_SOLID:
    nav_text(out, (const char *)at(base, f->off));
    return;
  case F_WORD:
    word_value(f, base, out);
    return;
  case F_MAP:
  case F_CUSTOM:
    return; /* not single values: nav_map never gets here with them */
  }
}

/* Case_get: a key of another layer kind has no value here; the words of the
 * validator's message for the same key in the file. */
static int other_kind(Nav *nv, const Field *f, unsigned kbit) {
  char mine[64], theirs[96];
  ck_kind_names(kbit, mine, sizeof mine);
  return nav_error(nv, "%s does not apply to a layer of kind '%s' (it is a key of %s layers)",
                   f->key, mine, ck_kind_names(f->kinds, theirs, sizeof theirs));
}

/* The checks follow step_map in case.c, in its order, so that a bad key
 * gets the message --set gives for it on the file. */
int nav_map(Nav *nv, const Schema *s, const void *base, unsigned kbit, char **segs, int n,
            CaseValue *out) {
  const Field *f = ck_find_field(s, segs[0]);
  if (!f) {
    char hint[512];
    ck_unknown_key_hint(s, K_ALL, segs[0], hint, sizeof hint);
    nav_push(nv, segs[0]);
    return nav_error(nv, "%s", hint);
  }
  nav_push(nv, segs[0]);
  const Schema *child = f->type == F_MAP || f->type == F_CUSTOM ? f->sub : NULL;
  if (n > 1 && !child)
    return nav_leaf(nv, n - 1);
  if (n == 1 && child)
    return nav_whole(nv, child);
  if (!(f->kinds & kbit))
    return nv->set ? nav_defer(nv) : other_kind(nv, f, kbit);
  if (f->type == F_MAP)
    return nav_map(nv, f->sub, base, kbit, segs + 1, n - 1, out);
  if (f->type == F_CUSTOM)
    return f->get(nv, f, base, segs + 1, n - 1, out);
  field_value(f, base, out);
  return EB_OK;
}

static int navigate(Nav *nv, char **segs, int n, CaseValue *out) {
  nv->path[0] = '\0';
  nav_unset(out, U_NONE);
  return nav_map(nv, &case_top_schema, nv->c, K_SOLID, segs, n, out);
}

/* ---- public ------------------------------------------------------------ */

int Case_get(const Case *c, const char *key, CaseValue *out, char *err, size_t err_size) {
  if (err && err_size)
    err[0] = '\0';
  Nav nv = {.c = c, .err = err, .err_size = err_size};
  nav_unset(out, U_NONE);
  if (!key) /* the splitter's words, with the key in place of key=value */
    return nav_error(&nv, "malformed key: expected a dotted key, e.g. coolant.inlet_c");
  char set[400], keys[400], *segs[CASE_MAX_SEGS], msg[512];
  const char *value;
  int n = 0;
  snprintf(set, sizeof set, "%s=", key);
  if (strlen(key) + 1 >= sizeof set ||
      case_split_set(set, keys, sizeof keys, segs, &n, &value, msg, sizeof msg))
    return nav_error(&nv, "malformed key '%.300s': expected a dotted key, e.g. coolant.inlet_c",
                     key);
  return navigate(&nv, segs, n, out);
}

/* The validator on the dump of c with `set` applied, into *out. */
static int validate_with(const Case *c, const char *set, Case *out, char *err, size_t err_size) {
  char *text = Case_dump_string(c);
  if (!text) {
    if (err && err_size)
      snprintf(err, err_size, "--set %s: out of memory", set);
    return EB_EFAIL;
  }
  /* Messages about nodes the set did not make (cross-key rules) name the
   * case and the set instead of a position in the dump. */
  size_t where_n = strlen(c->name) + strlen(set) + 32;
  char *where = malloc(where_n);
  int rc = EB_EFAIL;
  if (where) {
    snprintf(where, where_n, "case '%s' with --set %s", c->name, set);
    rc = case_read_text(text, strlen(text), c->path, where, 1, &set, out, err, err_size);
  } else if (err && err_size) {
    snprintf(err, err_size, "--set %s: out of memory", set);
  }
  free(where);
  free(text);
  return rc;
}

int Case_set(Case *c, const char *key, const char *value, char *err, size_t err_size) {
  if (err && err_size)
    err[0] = '\0';
  size_t set_n = (key ? strlen(key) : 0) + (value ? strlen(value) : 0) + 2;
  char *set = malloc(set_n);
  Case *fresh = malloc(sizeof *fresh);
  int rc = EB_EFAIL;
  if (!set || !fresh) {
    if (err && err_size)
      snprintf(err, err_size, "--set %s=%s: out of memory", key ? key : "", value ? value : "");
    goto done;
  }
  snprintf(set, set_n, "%s=%s", key ? key : "", value ? value : "");
  /* Resolve the key first, as Case_get does, so both word a bad key alike;
   * --set splits at the first '=', and so does this. */
  Nav nv = {.c = c, .set = set, .err = err, .err_size = err_size};
  char keys[400], *segs[CASE_MAX_SEGS], msg[512];
  const char *val;
  int n = 0;
  CaseValue old;
  rc = case_split_set(set, keys, sizeof keys, segs, &n, &val, msg, sizeof msg);
  if (rc) {
    nav_error(&nv, "%s", msg);
    goto done;
  }
  rc = navigate(&nv, segs, n, &old);
  if (!rc)
    rc = validate_with(c, set, fresh, err, err_size);
  if (!rc)
    memcpy(c, fresh, sizeof *c); /* bytes, padding included (fingerprints); c->path came
                                    through as the dump's label */
done:
  free(set);
  free(fresh);
  return rc;
}

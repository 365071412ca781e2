/* registry.c - lookups and conversions over the result tables. */
#include "registry.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int Registry_size(const Registry *reg) {
  int n = 0;
  for (int t = 0; t < reg->n_tables; t++) n += reg->tables[t]->n;
  return n;
}

const ResultEntry *Registry_at(const Registry *reg, int i) {
  for (int t = 0; t < reg->n_tables; t++) {
    if (i < reg->tables[t]->n) return &reg->tables[t]->entries[i];
    i -= reg->tables[t]->n;
  }
  return NULL;
}

const ResultEntry *Registry_find(const Registry *reg, const char *name) {
  for (int t = 0; t < reg->n_tables; t++)
    for (int i = 0; i < reg->tables[t]->n; i++)
      if (!strcmp(reg->tables[t]->entries[i].name, name)) return &reg->tables[t]->entries[i];
  return NULL;
}

const char *Registry_kind_name(ResultKind k) {
  switch (k) {
  case RES_SCALAR: return "scalar";
  case RES_COUNT: return "count";
  case RES_FLAG: return "flag";
  case RES_TEXT: return "text";
  case RES_TEXTS: return "text list";
  case RES_COLUMN: return "table column";
  case RES_MAP: return "map";
  case RES_FIELD: return "3D field";
  }
  return "?";
}

int Registry_is_single(const ResultEntry *e) {
  return e->kind == RES_SCALAR || e->kind == RES_COUNT || e->kind == RES_FLAG ||
         e->kind == RES_TEXT;
}

/* Names are keys of JSON, HDF5 and CSV: lower case, digits, '_'. */
static int valid_name(const char *s) {
  if (!s || !*s) return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
  return 1;
}

int Registry_check(const Registry *reg, char *err, size_t err_size) {
  const int n = Registry_size(reg);
  for (int t = 0; t < reg->n_tables; t++) {
    const ResultTable *tab = reg->tables[t];
    for (int i = 0; i < tab->n; i++) {
      const ResultEntry *e = &tab->entries[i];
      const char *why = NULL;
      if (!valid_name(e->name))
        why = "name must be lower case letters, digits and '_'";
      else if (e->part != tab->part)
        why = "entry part differs from its table's part";
      else if ((!e->unit || !*e->unit) && !e->unit_off)
        why = "no unit (use \"1\" for a pure number)";
      else if (!e->desc || !*e->desc)
        why = "no description";
      else if (!e->group || !valid_name(e->group))
        why = "no group, or not a valid group name";
      else if ((e->kind == RES_TEXT || e->kind == RES_TEXTS) && e->stride == 0)
        why = "text without a capacity (stride)";
      else if (e->kind == RES_TEXTS && e->max_rows <= 0)
        why = "text list without a capacity (max_rows)";
      else if (e->kind == RES_COLUMN && e->stride == 0)
        why = "table column without a row stride";
      else if (e->off + sizeof(double) > tab->part_size && e->kind != RES_TEXT &&
               e->kind != RES_TEXTS && e->kind != RES_COUNT && e->kind != RES_FLAG)
        why = "offset beyond the part";
      if (why) {
        snprintf(err, err_size, "registry: %s: %s", e->name ? e->name : "(unnamed)", why);
        return -1;
      }
    }
  }
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      if (!strcmp(Registry_at(reg, i)->name, Registry_at(reg, j)->name)) {
        snprintf(err, err_size, "registry: %s is registered twice", Registry_at(reg, i)->name);
        return -1;
      }
  return 0;
}

static const char *at(const void *part, size_t off) { return (const char *)part + off; }

int Result_has(const Result *r, const ResultEntry *e) {
  const void *p = r->part[e->part];
  if (!p) return 0;
  if ((e->flags & RES_OPTIONAL) && !*(const int *)at(p, e->when_off)) return 0;
  if (e->kind == RES_MAP || e->kind == RES_FIELD || e->kind == RES_COLUMN)
    return *(const void *const *)at(p, e->off) != NULL;
  return 1;
}

const char *Result_unit(const Result *r, const ResultEntry *e) {
  if (e->unit_off && r->part[e->part]) return at(r->part[e->part], e->unit_off);
  return e->unit;
}

double Result_to_output(const ResultEntry *e, double si) {
  return si * (e->scale != 0.0 ? e->scale : 1.0) + e->shift;
}

double Result_to_si(const ResultEntry *e, double out) {
  return (out - e->shift) / (e->scale != 0.0 ? e->scale : 1.0);
}

double Result_number(const Result *r, const ResultEntry *e) {
  const void *p = r->part[e->part];
  if (!p || !Result_has(r, e)) return NAN;
  switch (e->kind) {
  case RES_SCALAR: return Result_to_output(e, *(const double *)at(p, e->off));
  case RES_COUNT:
  case RES_FLAG: return *(const int *)at(p, e->off) + e->shift;
  default: return NAN;
  }
}

const char *Result_text(const Result *r, const ResultEntry *e) {
  const void *p = r->part[e->part];
  return p && e->kind == RES_TEXT && Result_has(r, e) ? at(p, e->off) : NULL;
}

int Result_rows(const Result *r, const ResultEntry *e) {
  const void *p = r->part[e->part];
  if (!p || (e->kind != RES_TEXTS && e->kind != RES_COLUMN) || !Result_has(r, e)) return 0;
  return *(const int *)at(p, e->n_off);
}

const char *Result_texts_row(const Result *r, const ResultEntry *e, int i) {
  if (i < 0 || i >= Result_rows(r, e) || e->kind != RES_TEXTS) return NULL;
  return at(r->part[e->part], e->off + (size_t)i * e->stride);
}

double Result_cell(const Result *r, const ResultEntry *e, int row) {
  if (row < 0 || row >= Result_rows(r, e) || e->kind != RES_COLUMN) return NAN;
  const char *rows = *(const char *const *)at(r->part[e->part], e->off);
  const char *v = rows + (size_t)row * e->stride + e->field_off;
  return e->is_int ? *(const int *)v + e->shift : Result_to_output(e, *(const double *)v);
}

const double *Result_array(const Result *r, const ResultEntry *e) {
  if ((e->kind != RES_MAP && e->kind != RES_FIELD) || !Result_has(r, e)) return NULL;
  return *(const double *const *)at(r->part[e->part], e->off);
}

double Result_get(const Registry *reg, const Result *r, const char *name) {
  const ResultEntry *e = Registry_find(reg, name);
  return e ? Result_number(r, e) : NAN;
}

const double *Result_get_array(const Registry *reg, const Result *r, const char *name) {
  const ResultEntry *e = Registry_find(reg, name);
  return e ? Result_array(r, e) : NULL;
}

void Result_put_number(void *part, const ResultEntry *e, double out_value) {
  char *p = (char *)part + e->off;
  switch (e->kind) {
  case RES_SCALAR: *(double *)p = Result_to_si(e, out_value); break;
  case RES_COUNT:
  case RES_FLAG: *(int *)p = isfinite(out_value) ? (int)llround(out_value - e->shift) : 0; break;
  default: break;
  }
}

void Result_put_text(void *part, const ResultEntry *e, const char *text) {
  if (e->kind != RES_TEXT || e->stride == 0) return;
  snprintf((char *)part + e->off, e->stride, "%s", text ? text : "");
}

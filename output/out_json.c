/* out_json.c - summary.json (jansson): every registered single value of
 * the result (scalars, counts, flags, text) and text lists, under their
 * registry names, their units in "units", and the limits. */
#include <jansson.h>
#include <math.h>

#include "output.h"
#include "output_internal.h"

/* JSON has no NaN: a missing number is null. */
static json_t *num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *entry_value(const Result *r, const ResultEntry *e) {
  switch (e->kind) {
  case RES_SCALAR: return num(Result_number(r, e));
  case RES_COUNT: return json_integer((json_int_t)Result_number(r, e));
  case RES_FLAG: return json_boolean(Result_number(r, e) != 0.0);
  case RES_TEXT: return json_string(Result_text(r, e));
  case RES_TEXTS: {
    json_t *a = json_array();
    for (int i = 0; i < Result_rows(r, e); i++)
      json_array_append_new(a, json_string(Result_texts_row(r, e, i)));
    return a;
  }
  default: return NULL; /* tables, maps and fields live in result.h5 */
  }
}

int Output_write_summary_json(const Registry *reg, const Result *r, const char *version,
                              const char *path, char *err, size_t err_size) {
  json_t *o = json_object(), *units = json_object();
  json_object_set_new(o, "ebsim_version", json_string(version ? version : ""));
  for (int i = 0; i < Registry_size(reg); i++) {
    const ResultEntry *e = Registry_at(reg, i);
    if (!Result_has(r, e)) continue;
    json_t *v = entry_value(r, e);
    if (!v) continue;
    json_object_set_new(o, e->name, v);
    json_object_set_new(units, e->name, json_string(Result_unit(r, e)));
  }
  json_object_set_new(o, "units", units);
  const LimitsResult *l = r->part[RESULT_LIMITS];
  json_t *lim = json_object();
  for (int i = 0; l && i < l->n; i++) {
    const LimitCheck *k = &l->checks[i];
    json_object_set_new(lim, k->name,
                        json_pack("{s:s, s:s, s:o, s:o, s:o, s:s, s:b}", "quantity", k->quantity,
                                  "bound", k->lower ? "min" : "max", "value", num(k->value),
                                  "limit", num(k->limit), "margin", num(k->margin), "unit",
                                  k->unit, "ok", k->ok));
  }
  json_object_set_new(o, "limits", lim);
  int rc = json_dump_file(o, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
  json_decref(o);
  if (rc != 0) {
    snprintf(err, err_size, "cannot write %s", path);
    return EB_EFAIL;
  }
  return EB_OK;
}

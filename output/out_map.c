/* out_map.c - a design map's table (ebsim map) from the sweeps of its
 * solved points: anchors copied, the rest rebuilt with the plan's weights
 * (solver/studies/map.h), check points compared and kept as solved, the
 * case's limits judged again on the rebuilt values. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../solver/core/limits.h"
#include "out_sweep.h"
#include "output.h"

/* Column of `name` in w, -1 if none. */
static int col_of(const SweepWriter *w, const char *name) {
  for (int k = 0; k < SweepWriter_n_columns(w); k++)
    if (!strcmp(SweepWriter_column(w, k)->name, name)) return k;
  return -1;
}

/* A value that means something rebuilt: reported numbers (not positions,
 * iteration counts or solver figures); whether it varies smoothly enough
 * the checks tell (Output_map_column_errors). */
static int rebuilt(const ResultEntry *e) {
  return e->kind == RES_SCALAR && !(e->flags & (RES_NO_REPORT | RES_MAP_ONLY | RES_POINT_ONLY));
}

/* A temperature: what the map's error is measured on. */
static int is_temperature(const ResultEntry *e) {
  return rebuilt(e) && !strcmp(e->unit, "C");
}

/* Map point q rebuilt from the anchors: column k of an; a temperature
 * (kf: an's MAP_RISE_FROM column, else -1) as the rebuilt inlet plus its
 * rebuilt rise above it (map.h). NaN when an anchor it needs failed
 * (*failed gets that anchor's point, 1-based). */
static double rebuild(const MapPlan *plan, const SweepParam *params, const SweepWriter *an,
                      size_t q, int k, int kf, size_t *failed) {
  size_t a[MAP_MAX_TERMS];
  double w[MAP_MAX_TERMS], wr[MAP_MAX_TERMS], v = 0.0, from = 0.0, rise = 0.0;
  int n = Map_weights(plan, params, q, a, w, wr);
  for (int t = 0; t < n; t++) {
    if (SweepWriter_status(an, a[t]) != EB_OK) {
      if (failed) *failed = a[t] + 1;
      return NAN;
    }
    const double x = SweepWriter_number(an, a[t], k);
    const double x0 = kf >= 0 ? SweepWriter_number(an, a[t], kf) : NAN;
    v += w[t] * x;
    from += w[t] * x0;
    rise += wr[t] * (x - x0);
  }
  /* the inlet column itself comes out the same either way */
  return isfinite(from + rise) ? from + rise : v;
}

double Output_map_check_error(const MapPlan *plan, const SweepParam *params,
                              const SweepWriter *an, const SweepWriter *ck, const size_t *checks,
                              int n_checks, char *worst, size_t worst_size) {
  double e_max = 0.0;
  const int k_in = col_of(an, MAP_RISE_FROM);
  if (worst && worst_size) worst[0] = '\0';
  for (int c = 0; c < n_checks; c++) {
    if (SweepWriter_status(ck, (size_t)c) != EB_OK) continue;
    for (int k = 0; k < SweepWriter_n_columns(an); k++) {
      const ResultEntry *e = SweepWriter_column(an, k);
      const int kc = col_of(ck, e->name);
      if (!is_temperature(e) || kc < 0) continue;
      const double solved = SweepWriter_number(ck, (size_t)c, kc);
      const double v = rebuild(plan, params, an, checks[c], k, k_in, NULL);
      if (!isfinite(solved) || !isfinite(v)) continue;
      if (fabs(v - solved) > e_max) {
        e_max = fabs(v - solved);
        if (worst)
          snprintf(worst, worst_size, "%s at map point %zu: %.4f C rebuilt, %.4f C solved",
                   e->name, checks[c] + 1, v, solved);
      }
    }
  }
  return e_max;
}

void Output_map_column_errors(const MapPlan *plan, const SweepParam *params,
                              const SweepWriter *an, const SweepWriter *ck, const size_t *checks,
                              int n_checks, double *rel) {
  const int nc = SweepWriter_n_columns(an);
  const size_t n_an = SweepWriter_points(an);
  for (int k = 0; k < nc; k++) {
    const ResultEntry *e = SweepWriter_column(an, k);
    rel[k] = NAN;
    const int kc = col_of(ck, e->name);
    if (!rebuilt(e) || is_temperature(e) || kc < 0) continue;
    double scale = 0.0, miss = 0.0;
    for (size_t q = 0; q < n_an; q++)
      if (SweepWriter_status(an, q) == EB_OK && isfinite(SweepWriter_number(an, q, k)))
        scale = fmax(scale, fabs(SweepWriter_number(an, q, k)));
    for (int c = 0; c < n_checks; c++) {
      if (SweepWriter_status(ck, (size_t)c) != EB_OK) continue;
      const double solved = SweepWriter_number(ck, (size_t)c, kc);
      const double v = rebuild(plan, params, an, checks[c], k, -1, NULL);
      /* a value the check has and the rebuild misses (or the other way) */
      if (isfinite(solved) != isfinite(v)) miss = INFINITY;
      else if (isfinite(solved)) miss = fmax(miss, fabs(v - solved));
    }
    rel[k] = scale > 0.0 ? miss / scale : miss > 0.0 ? INFINITY : 0.0;
  }
}

/* Column k of an has a number at some solved point. */
static int has_values(const SweepWriter *an, int k) {
  for (size_t q = 0; k >= 0 && q < SweepWriter_points(an); q++)
    if (SweepWriter_status(an, q) == EB_OK && isfinite(SweepWriter_number(an, q, k))) return 1;
  return 0;
}

/* The case's limits on a rebuilt row: the limit columns as a run has them.
 * A limit whose quantity the solved points have but this row does not (not
 * rebuilt) is not known to hold, so all_limits_ok is false there
 * (limits_broken and nearest_limit name the known ones). */
static void judge_limits(const SweepWriter *m, const SweepWriter *an, const Case *c, double *num,
                         char **txt) {
  const int kok = col_of(m, "all_limits_ok"), kb = col_of(m, "limits_broken");
  const int kn = col_of(m, "nearest_limit"), km = col_of(m, "nearest_limit_margin");
  int all_ok = 1, any = 0, unknown = 0;
  double nearest = INFINITY;
  char broken[LIMITS_BROKEN_LEN] = "", near_name[64] = "";
  size_t len = 0;
  for (int i = 0; i < Limits_count(); i++) {
    const LimitInfo *li = Limits_info(i);
    char key[96], e[EB_ERRLEN];
    CaseValue lv;
    snprintf(key, sizeof key, "limits.%s", li->name);
    if (Case_get(c, key, &lv, e, sizeof e) != EB_OK || lv.kind != CASE_VALUE_NUMBER) continue;
    const int kq = col_of(m, li->quantity);
    const double v = kq >= 0 ? num[kq] : NAN;
    if (!isfinite(v)) {
      unknown |= has_values(an, col_of(an, li->quantity));
      continue;
    }
    const double margin = li->lower ? v - lv.number : lv.number - v;
    const double scale = fabs(lv.number) > 1e-12 ? fabs(lv.number) : 1.0;
    any = 1;
    if (margin < 0.0) {
      all_ok = 0;
      len += (size_t)snprintf(broken + len, len < sizeof broken ? sizeof broken - len : 0, "%s%s",
                              len ? ", " : "", li->name);
    }
    if (margin / scale < nearest) {
      nearest = margin / scale;
      snprintf(near_name, sizeof near_name, "%s", li->name);
    }
  }
  if (kok >= 0) num[kok] = all_ok && !unknown;
  if (kb >= 0) txt[kb] = strdup(broken);
  if (kn >= 0 && any) txt[kn] = strdup(near_name);
  if (km >= 0 && any) num[km] = nearest;
}

void Output_map_fill(SweepWriter *m, const MapPlan *plan, const SweepParam *params,
                     const SweepWriter *an, const SweepWriter *ck, const size_t *checks,
                     int n_checks, double error_k, const double *col_error, const Case *c,
                     FILE *table) {
  const int nc = SweepWriter_n_columns(m);
  double *num = malloc((size_t)nc * sizeof *num);
  char **txt = calloc((size_t)nc, sizeof *txt);
  const size_t total = Sweep_points(params, plan->n_axes);
  const int k_in = col_of(an, MAP_RISE_FROM);
  for (size_t q = 0; num && txt && q < total; q++) {
    /* a solved point: an anchor, or a check (its own solve) */
    const SweepWriter *src = NULL;
    size_t row = 0;
    size_t a[MAP_MAX_TERMS];
    double w[MAP_MAX_TERMS];
    if (Map_weights(plan, params, q, a, w, NULL) == 1 && w[0] == 1.0) src = an, row = a[0];
    for (int k = 0; k < n_checks && !src; k++)
      if (checks[k] == q) src = ck, row = (size_t)k;
    for (int k = 0; k < nc; k++) {
      num[k] = NAN;
      txt[k] = NULL;
    }
    int status = EB_OK;
    char why[EB_ERRLEN] = "";
    if (src) {
      status = SweepWriter_status(src, row);
      snprintf(why, sizeof why, "%s", SweepWriter_why(src, row) ? SweepWriter_why(src, row) : "");
      for (int k = 0; k < nc; k++) {
        const int ks = col_of(src, SweepWriter_column(m, k)->name);
        if (ks < 0) continue;
        num[k] = SweepWriter_number(src, row, ks);
        const char *t = SweepWriter_text(src, row, ks);
        txt[k] = t ? strdup(t) : NULL;
      }
    } else {
      size_t failed = 0;
      for (int k = 0; k < nc && !failed; k++) {
        const ResultEntry *e = SweepWriter_column(m, k);
        const int ka = col_of(an, e->name);
        const int smooth = ka >= 0 && (!col_error || is_temperature(e) ||
                                       MAP_ERROR_SAFETY * col_error[ka] <= MAP_REL_TOL);
        if (rebuilt(e) && smooth)
          num[k] = rebuild(plan, params, an, q, ka, is_temperature(e) ? k_in : -1, &failed);
        else if (!strcmp(e->name, "case") && ka >= 0 && SweepWriter_text(an, 0, ka))
          txt[k] = strdup(SweepWriter_text(an, 0, ka));
      }
      if (failed) {
        status = EB_EFAIL;
        snprintf(why, sizeof why, "not rebuilt: the solved point %zu it needs failed (see "
                 "anchors/sweep.csv)", failed);
      } else {
        judge_limits(m, an, c, num, txt);
      }
    }
    const int ks = col_of(m, "map_point_solved"), ke = col_of(m, "map_error_estimate_k");
    if (ks >= 0) num[ks] = src != NULL;
    if (ke >= 0) num[ke] = src ? 0.0 : error_k;
    SweepWriter_set_row(m, q, status, why, num, (const char *const *)txt, table);
    for (int k = 0; k < nc; k++) free(txt[k]);
  }
  free(num);
  free(txt);
}

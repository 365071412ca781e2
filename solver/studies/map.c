/* map.c - anchors, Lagrange weights and check points of a design map. */
#include "map.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

MapAxisKind Map_axis_kind(const char *key) {
  if (!strcmp(key, "power.total_kw")) return MAP_POWER;
  if (!strcmp(key, "coolant.inlet_c")) return MAP_INLET;
  if (!strcmp(key, "coolant.flow_lpm")) return MAP_FLOW;
  return MAP_SOLVED;
}

/* The polynomial pieces of an axis at a level (map.h): level 1 one cubic
 * in power and one quadratic in the inlet and in the flow; level 2 two of
 * each, sharing the middle anchor. */
static void shape_of(MapAxisKind kind, int level, int *pieces, int *degree) {
  *pieces = level > 1 ? 2 : 1;
  *degree = kind == MAP_POWER ? 3 : 2;
}

/* The value index nearest x; of two as near, the higher: the rises bend
 * more at high power, and an anchor there shortens the interpolation where
 * its error is largest. */
static int nearest(const MapAxis *a, double x) {
  int best = 0;
  for (int i = 1; i < a->n; i++)
    if (fabs(a->x[i] - x) <= fabs(a->x[best] - x)) best = i;
  return best;
}

/* Anchors nearest pieces x degree + 1 evenly spaced values from the first
 * to the last, each strictly after the one before and leaving room for the
 * rest; all values when there are no more. */
static void choose_anchors(MapAxis *a) {
  const int want = a->pieces * a->degree + 1;
  if (a->n <= want) {
    a->n_anchor = a->n;
    for (int i = 0; i < a->n; i++) a->anchor[i] = i;
    return;
  }
  const double x0 = a->x[0], x1 = a->x[a->n - 1];
  a->n_anchor = want;
  for (int j = 0; j < want; j++) {
    int v = nearest(a, x0 + (x1 - x0) * j / (want - 1));
    const int lo = j ? a->anchor[j - 1] + 1 : 0, hi = a->n - want + j;
    a->anchor[j] = v < lo ? lo : v > hi ? hi : v;
  }
}

int Map_plan(const SweepParam *params, int n_params, int level, MapPlan *plan, char *err,
             size_t err_size) {
  memset(plan, 0, sizeof *plan);
  plan->level = level;
  plan->n_axes = n_params;
  for (int i = 0; i < n_params; i++) {
    MapAxis *a = &plan->axes[i];
    a->kind = Map_axis_kind(params[i].key);
    a->n = params[i].n;
    for (int j = 0; j < i; j++)
      if (a->kind != MAP_SOLVED && plan->axes[j].kind == a->kind) {
        snprintf(err, err_size, "map: %s is given twice: give it once, with all its values",
                 params[i].key);
        return EB_EINPUT;
      }
    if (a->kind == MAP_SOLVED) {
      a->n_anchor = a->n;
      for (int v = 0; v < a->n; v++) a->anchor[v] = v;
      continue;
    }
    for (int v = 0; v < a->n; v++) {
      char *end;
      a->x[v] = strtod(params[i].values[v], &end);
      if (*end || end == params[i].values[v] || !isfinite(a->x[v]) ||
          (v > 0 && !(a->x[v] > a->x[v - 1]))) {
        snprintf(err, err_size,
                 "map: the values of %s must be numbers in increasing order (got '%s')",
                 params[i].key, params[i].values[v]);
        return EB_EINPUT;
      }
    }
    shape_of(a->kind, level, &a->pieces, &a->degree);
    choose_anchors(a);
  }
  return EB_OK;
}

void Map_anchor_params(const MapPlan *plan, const SweepParam *params, SweepParam *out) {
  for (int i = 0; i < plan->n_axes; i++) {
    const MapAxis *a = &plan->axes[i];
    out[i] = params[i];
    out[i].n = a->n_anchor;
    for (int k = 0; k < a->n_anchor; k++)
      snprintf(out[i].values[k], SWEEP_VALUE_LEN, "%s", params[i].values[a->anchor[k]]);
  }
}

/* Lagrange weights of value v over the anchors of axis a that interpolate
 * it: the anchor itself, or the degree + 1 anchors of its piece. Returns
 * the count; slot[] gets the anchor slots (positions in a->anchor). wr[]
 * gets the weights of a rise (map.h): on a power axis of positive powers
 * the rise over the power is the polynomial, rise(P) = P sum_k l_k(P)
 * rise_k / P_k, so wr_k = l_k P / P_k; on a flow axis of positive flows
 * the rise times the flow, so wr_k = l_k Q_k / Q; elsewhere wr = w. */
static int axis_weights(const MapAxis *a, int v, int *slot, double *w, double *wr) {
  for (int k = 0; k < a->n_anchor; k++)
    if (a->anchor[k] == v) {
      slot[0] = k, w[0] = wr[0] = 1.0;
      return 1;
    }
  /* the piece whose last anchor is at or past the value */
  int first = 0;
  while (first + a->degree < a->n_anchor - 1 && a->x[a->anchor[first + a->degree]] < a->x[v])
    first += a->degree;
  const int count = a->n_anchor - first < a->degree + 1 ? a->n_anchor - first : a->degree + 1;
  for (int k = 0; k < count; k++) {
    double l = 1.0, xk = a->x[a->anchor[first + k]];
    for (int j = 0; j < count; j++)
      if (j != k) {
        double xj = a->x[a->anchor[first + j]];
        l *= (a->x[v] - xj) / (xk - xj);
      }
    slot[k] = first + k;
    w[k] = l;
  }
  int scaled = (a->kind == MAP_POWER || a->kind == MAP_FLOW) && a->x[v] > 0.0;
  for (int k = 0; k < count; k++) scaled &= a->x[a->anchor[first + k]] > 0.0;
  for (int k = 0; k < count; k++) {
    const double xk = a->x[a->anchor[first + k]];
    wr[k] = !scaled ? w[k] : a->kind == MAP_POWER ? w[k] * a->x[v] / xk : w[k] * xk / a->x[v];
  }
  return count;
}
int Map_weights(const MapPlan *plan, const SweepParam *params, size_t index, size_t *anchor,
                double *w, double *w_rise) {
  int idx[SWEEP_MAX_PARAMS];
  Sweep_point_indices(params, plan->n_axes, index, idx);
  int slot[SWEEP_MAX_PARAMS][MAP_MAX_ANCHORS], cnt[SWEEP_MAX_PARAMS];
  double aw[SWEEP_MAX_PARAMS][MAP_MAX_ANCHORS], ar[SWEEP_MAX_PARAMS][MAP_MAX_ANCHORS];
  for (int i = 0; i < plan->n_axes; i++) {
    const MapAxis *a = &plan->axes[i];
    if (a->kind == MAP_SOLVED) { /* every value is an anchor: its own slot */
      cnt[i] = 1, slot[i][0] = idx[i], aw[i][0] = ar[i][0] = 1.0;
    } else {
      cnt[i] = axis_weights(a, idx[i], slot[i], aw[i], ar[i]);
    }
  }
  /* the tensor product of the axes' terms, as anchor-sweep point indices */
  int n = 0, pos[SWEEP_MAX_PARAMS] = {0};
  for (;;) {
    size_t point = 0;
    double weight = 1.0, rise = 1.0;
    for (int i = 0; i < plan->n_axes; i++) {
      point = point * (size_t)plan->axes[i].n_anchor + (size_t)slot[i][pos[i]];
      weight *= aw[i][pos[i]];
      rise *= ar[i][pos[i]];
    }
    if (n < MAP_MAX_TERMS) {
      anchor[n] = point, w[n] = weight;
      if (w_rise) w_rise[n] = rise;
      n++;
    }
    int i = plan->n_axes - 1;
    while (i >= 0 && ++pos[i] == cnt[i]) pos[i--] = 0;
    if (i < 0) break;
  }
  return n;
}

int Map_is_anchor(const MapPlan *plan, const SweepParam *params, size_t index) {
  size_t a[MAP_MAX_TERMS];
  double w[MAP_MAX_TERMS];
  return Map_weights(plan, params, index, a, w, NULL) == 1;
}

int Map_checks(const MapPlan *plan, const SweepParam *params, int n, unsigned seed,
               size_t *points) {
  const size_t total = Sweep_points(params, plan->n_axes);
  size_t free_points = 0;
  for (size_t q = 0; q < total; q++) free_points += !Map_is_anchor(plan, params, q);
  if ((size_t)n > free_points) n = (int)free_points;
  /* xorshift32: the same checks for the same map and seed */
  unsigned x = seed ? seed : 2463534242u;
  int got = 0;
  while (got < n) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    size_t q = (size_t)x % total;
    int dup = Map_is_anchor(plan, params, q);
    for (int k = 0; k < got && !dup; k++) dup = points[k] == q;
    if (!dup) points[got++] = q;
  }
  for (int i = 1; i < got; i++) /* increasing: insertion sort, n is small */
    for (int j = i; j > 0 && points[j - 1] > points[j]; j--) {
      size_t t = points[j];
      points[j] = points[j - 1], points[j - 1] = t;
    }
  return got;
}

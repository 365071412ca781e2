/* scenario.c - a case's transient scenario: schedule, start, time loop,
 * events, series and snapshots (see scenario.h). */
#include "scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/resources.h"
#include "core/runtime.h"
#include "coolant/loop.h"
#include "power/power.h"

/* ---- the schedule ---------------------------------------------------------------- */

/* A quantity's change: from its value at t0 to v, linearly over ramp. */
typedef struct {
  double t0, ramp, v;
} Change;

/* Piecewise linear in time: the value x0 before any change; a change
 * starts from wherever the quantity is when it begins. */
typedef struct {
  double x0;
  int n;
  Change ch[CASE_MAX_EVENTS];
} Track;

static double track_at(const Track *k, double t) {
  double s0 = 0.0, v0 = k->x0, s1 = 0.0, v1 = k->x0;
  for (int i = 0; i < k->n && k->ch[i].t0 <= t; i++) {
    const double at = s1 <= s0 || k->ch[i].t0 >= s1 ? v1 : v0 + (v1 - v0) * (k->ch[i].t0 - s0) / (s1 - s0);
    s0 = k->ch[i].t0;
    v0 = at;
    s1 = s0 + k->ch[i].ramp;
    v1 = k->ch[i].v;
  }
  return t >= s1 || s1 <= s0 ? v1 : v0 + (v1 - v0) * (t - s0) / (s1 - s0);
}

static void track_add(Track *k, const CaseEvent *e, double v) {
  k->ch[k->n++] = (Change){.t0 = e->t_s, .ramp = e->ramp_s, .v = v};
}

typedef struct {
  Track power, flow, inlet;
  Track *die; /* n_dies */
  int n_dies;
  double *die_factor; /* scratch of the conditions */
  const CaseScenario *s;
  int psus0;
  /* the segment being integrated ends at seg_end: a step there belongs to
   * the next segment, so f is evaluated at its left limit up to it */
  double seg_end, eps;
} Schedule;

static void conditions_fn(double t, ThermalConditions *out, void *user) {
  Schedule *sc = user;
  t = fmin(t, sc->seg_end - sc->eps);
  for (int d = 0; d < sc->n_dies; d++) sc->die_factor[d] = track_at(&sc->die[d], t);
  *out = (ThermalConditions){.power_w = track_at(&sc->power, t), .die_factor = sc->die_factor,
                             .flow_m3_s = fmax(track_at(&sc->flow, t), 0.0),
                             .inlet_t_k = track_at(&sc->inlet, t)};
}

/* PSUs out of service at t (steps only). */
static int psus_at(const Schedule *sc, double t) {
  int n = sc->psus0;
  for (int i = 0; i < sc->s->n_events && sc->s->events[i].t_s <= t; i++)
    if (sc->s->events[i].psus_failed >= 0) n = sc->s->events[i].psus_failed;
  return n;
}

/* The flow `pumps` pumps give in this loop (0: none). */
static int pump_flow(const Case *c, const Grid *g, int pumps, double *q, char *err, size_t es) {
  if (pumps == 0) {
    *q = 0.0;
    return EB_OK;
  }
  Case *k = malloc(sizeof *k);
  if (!k) {
    snprintf(err, es, "scenario: out of memory");
    return EB_EFAIL;
  }
  *k = *c;
  k->flow_from_pumps = 1;
  k->pump_running = pumps;
  int rc = Loop_case_flow(k, g, q, err, es);
  free(k);
  return rc;
}

static int schedule_build(Schedule *sc, const Case *c, const Grid *g, const CaseScenario *s,
                          char *err, size_t es) {
  sc->s = s;
  sc->n_dies = c->die_columns * c->die_rows;
  sc->die = calloc((size_t)sc->n_dies, sizeof *sc->die);
  sc->die_factor = malloc((size_t)sc->n_dies * sizeof(double));
  if (!sc->die || !sc->die_factor) {
    snprintf(err, es, "scenario: out of memory");
    return EB_EFAIL;
  }
  double q0;
  int rc = Loop_case_flow(c, g, &q0, err, es);
  if (rc != EB_OK) return rc;
  sc->power.x0 = c->power_w;
  sc->flow.x0 = q0;
  sc->inlet.x0 = c->inlet_t_k;
  sc->psus0 = c->pd.psu_failed;
  for (int d = 0; d < sc->n_dies; d++) sc->die[d].x0 = 1.0;
  sc->seg_end = INFINITY;
  for (int i = 0; i < s->n_events; i++) {
    const CaseEvent *e = &s->events[i];
    if (isfinite(e->power_w)) track_add(&sc->power, e, e->power_w);
    if (isfinite(e->inlet_t_k)) track_add(&sc->inlet, e, e->inlet_t_k);
    if (isfinite(e->flow_m3_s)) track_add(&sc->flow, e, e->flow_m3_s);
    if (e->pumps >= 0) {
      double q;
      rc = pump_flow(c, g, e->pumps, &q, err, es);
      if (rc != EB_OK) {
        char why[EB_ERRLEN];
        snprintf(why, sizeof why, "%s", err);
        snprintf(err, es, "scenario '%s', event %d (t = %g s, pumps: %d): %s", s->name, i,
                 e->t_s, e->pumps, why);
        return rc;
      }
      track_add(&sc->flow, e, q);
    }
    if (isfinite(e->die_scale)) {
      if (e->n_dies == 0)
        for (int d = 0; d < sc->n_dies; d++) track_add(&sc->die[d], e, e->die_scale);
      for (int q = 0; q < e->n_dies; q++)
        track_add(&sc->die[e->die_row[q] * c->die_columns + e->die_col[q]], e, e->die_scale);
    }
  }
  return EB_OK;
}

static void schedule_free(Schedule *sc) {
  free(sc->die);
  free(sc->die_factor);
}

/* ---- times ------------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sorted, without repeats closer than tol, within (0, until]. */
static int unique_times(double *t, int n, double until, double tol) {
  qsort(t, (size_t)n, sizeof *t, cmp_double);
  int m = 0;
  for (int i = 0; i < n; i++) {
    if (!(t[i] > tol && t[i] <= until + tol)) continue;
    if (m > 0 && t[i] - t[m - 1] <= tol) continue;
    t[m++] = fmin(t[i], until);
  }
  return m;
}

/* ---- the run ----------------------------------------------------------------------- */

typedef struct {
  ScenarioResult *r;
  int cap_rows, cap_die;
  int n_dies;
  double *die_max;
} Recorder;

static int record(Recorder *rec, ThermalTransient *tt, char *err, size_t es) {
  ScenarioResult *r = rec->r;
  if (r->n_rows == rec->cap_rows) {
    int cap = rec->cap_rows ? 2 * rec->cap_rows : 512;
    ThermalSample *p = realloc(r->rows, (size_t)cap * sizeof *p);
    if (!p) {
      snprintf(err, es, "scenario: out of memory for the series");
      return EB_EFAIL;
    }
    r->rows = p;
    rec->cap_rows = cap;
  }
  if (r->n_die_rows + rec->n_dies > rec->cap_die) {
    int cap = rec->cap_die ? 2 * rec->cap_die : 512 * rec->n_dies;
    ScenarioDieRow *p = realloc(r->die_rows, (size_t)cap * sizeof *p);
    if (!p) {
      snprintf(err, es, "scenario: out of memory for the series");
      return EB_EFAIL;
    }
    r->die_rows = p;
    rec->cap_die = cap;
  }
  ThermalSample *s = &r->rows[r->n_rows];
  const int rc = ThermalTransient_sample(tt, s, rec->die_max, err, es);
  if (rc != EB_OK) return rc;
  r->n_rows++;
  for (int d = 0; d < rec->n_dies; d++)
    r->die_rows[r->n_die_rows++] = (ScenarioDieRow){.t_s = s->t_s, .die = d,
                                                    .tj_max_k = rec->die_max[d]};
  const double v[TT_EVENTS] = {s->tj_max_k, s->outlet_k, s->coolant_max_k, s->brick_max_k};
  for (int e = 0; e < TT_EVENTS; e++) {
    ScenarioEvent *ev = &r->ev[e];
    if (isfinite(v[e]) && !(v[e] <= ev->peak_k)) {
      ev->peak_k = v[e];
      ev->peak_t_s = s->t_s;
    }
    /* at or above the limit and not seen before: the first time (a root
     * found by CVODE, or the start) */
    if (!ev->reached && isfinite(ev->limit_k) && v[e] >= ev->limit_k - 1e-6) {
      ev->reached = 1;
      ev->t_s = s->t_s;
    }
  }
  return EB_OK;
}

static void progress(double t, double until, double wall, int done) {
  const int width = 30, fill = (int)(width * fmin(t / until, 1.0));
  char bar[64];
  for (int i = 0; i < width; i++) bar[i] = i < fill ? '#' : '.';
  bar[width] = '\0';
  fprintf(stderr, "\r  transient: t = %7.2f s of %g s [%s] %3.0f %%, %.0f s wall%s", t, until,
          bar, 100.0 * fmin(t / until, 1.0), wall, done ? "\n" : "");
  fflush(stderr);
}

static double seconds_since(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

static const char *event_what[TT_EVENTS] = {"junction", "coolant outlet", "coolant boiling",
                                            "brick"};

static void verdicts(ScenarioResult *r, double until) {
  for (int e = 0; e < TT_EVENTS; e++) {
    ScenarioEvent *ev = &r->ev[e];
    if (!isfinite(ev->limit_k))
      snprintf(ev->verdict, sizeof ev->verdict, "not watched (the case sets no %s limit)",
               event_what[e]);
    else if (ev->reached)
      snprintf(ev->verdict, sizeof ev->verdict, "reached at %.3f s (limit %.1f C)", ev->t_s,
               ev->limit_k - 273.15);
    else
      snprintf(ev->verdict, sizeof ev->verdict,
               "never within the run's %g s (peak %.2f C at %.2f s, limit %.1f C)", until,
               ev->peak_k - 273.15, ev->peak_t_s, ev->limit_k - 273.15);
  }
}

/* Peak memory of a transient against a steady run of the same grid:
 * CVODE's history and flexible GMRES's vectors over the whole state beside
 * the operator. Measured with make bench at 3.0 M cells: 1.57 GB against
 * 0.725 GB. */
#define SCN_MEMORY_FACTOR 2.2

int Scenario_check_fits(const Case *c, char *err, size_t es) {
  ModelEstimate e;
  int rc = Model_estimate(c, &e, err, es);
  if (rc != EB_OK || !isfinite(e.available) || SCN_MEMORY_FACTOR * e.bytes <= e.available)
    return rc;
  char need[32], have[32];
  Resources_format_bytes(SCN_MEMORY_FACTOR * e.bytes, need, sizeof need);
  Resources_format_bytes(e.available, have, sizeof have);
  snprintf(err, es,
           "grid: a transient of %d x %d x %d = %.3g cells needs about %s (%.1f x a steady run), "
           "more than the %s available (%s); coarsen grid.dx_mm (memory falls with its square)",
           e.nx, e.ny, e.nz, e.cells, need, SCN_MEMORY_FACTOR, have, e.available_from);
  return EB_EINPUT;
}

int Scenario_run(const Case *c, const CaseScenario *s, const ScenarioOptions *o,
                 ScenarioResult *r, ThermalResult *final, char *err, size_t es) {
  memset(r, 0, sizeof *r);
  memset(final, 0, sizeof *final);
  struct timespec t_start;
  clock_gettime(CLOCK_MONOTONIC, &t_start);
  const double until = o && o->until_s > 0.0 ? o->until_s : s->until_s;
  snprintf(r->scenario, sizeof r->scenario, "%s", s->name);
  snprintf(r->description, sizeof r->description, "%s", s->description);
  r->until_s = until;
  r->peak_tj_k = -INFINITY;
  for (int e = 0; e < TT_EVENTS; e++)
    r->ev[e] = (ScenarioEvent){.limit_k = NAN, .t_s = NAN, .peak_k = -INFINITY, .peak_t_s = NAN};
  r->ev[TT_EVENT_JUNCTION].limit_k = c->junction_max_k;
  r->ev[TT_EVENT_OUTLET].limit_k = c->outlet_max_k;
  r->ev[TT_EVENT_BOILING].limit_k = Materials_fluid_boiling_k(c->fluid);
  if (Case_brick_layer(c) >= 0) r->ev[TT_EVENT_BRICK].limit_k = c->brick_temp_max_k;

  Case *base = malloc(sizeof *base), *pcase = malloc(sizeof *pcase);
  Schedule sc = {0};
  Model *model = NULL;
  ModelResult mr = {0};
  int have_mr = 0;
  Grid *own_grid = NULL;
  PowerModel *pm = NULL;
  ThermalTransient *tt = NULL;
  double *times = NULL, *breaks = NULL;
  double *t_start_k = NULL, *tf_start_k = NULL; /* the start's fields */
  Recorder rec = {.r = r, .n_dies = c->die_columns * c->die_rows};
  int rc = EB_EFAIL;
  rec.die_max = malloc((size_t)rec.n_dies * sizeof(double));
  if (!base || !pcase || !rec.die_max) {
    snprintf(err, es, "scenario: out of memory");
    goto done;
  }
  *base = *c;
  rc = Grid_create(c, &own_grid, err, es);
  if (rc != EB_OK) goto done;
  rc = schedule_build(&sc, c, own_grid, s, err, es);
  if (rc != EB_OK) goto done;
  /* the case at t = 0: the schedule's values, the flow held */
  ThermalConditions c0;
  conditions_fn(0.0, &c0, &sc);
  base->power_w = c0.power_w;
  base->inlet_t_k = c0.inlet_t_k;
  base->flow_m3_s = c0.flow_m3_s;
  base->flow_from_pumps = 0;
  base->pd.psu_failed = psus_at(&sc, 0.0);
  /* the start needs temperatures only: no mechanics */
  base->mech.enabled = 0;
  base->connector_strain_max = base->wafer_stress_max_pa = NAN;
  base->pcb_stress_max_pa = base->edge_slip_max_m = NAN;
  for (int d = 0; d < sc.n_dies; d++)
    if (sc.die_factor[d] != 1.0) {
      snprintf(err, es,
               "scenario '%s': die_scale at t = 0 is not supported for the start; scale dies "
               "after t = 0 (e.g. t_s: 0.001)",
               s->name);
      rc = EB_EINPUT;
      goto done;
    }
  /* schedule values are relative to the case: the transient's base is
   * the case at t = 0, so its power scale is power(t) / power(0) */
  sc.power.x0 = c->power_w;
  const Grid *g = own_grid;
  if (!s->start_uniform) {
    if (!(c0.flow_m3_s > 0.0)) {
      snprintf(err, es,
               "scenario '%s' starts from the steady state at no coolant flow, which has none; "
               "start it with flow (an event at t_s: 0), or set start: uniform",
               s->name);
      rc = EB_EINPUT;
      goto done;
    }
    rc = Model_create(&model, err, es);
    if (rc == EB_OK) rc = Model_solve(model, base, NULL, &mr, err, es);
    if (rc != EB_OK) {
      char why[EB_ERRLEN];
      snprintf(why, sizeof why, "%s", err);
      snprintf(err, es, "scenario '%s': the steady start at t = 0 failed: %s", s->name, why);
      goto done;
    }
    have_mr = 1;
    r->start_s = seconds_since(&t_start);
    /* keep the start's fields, let the steady model go (its operator and
     * hierarchy: about a third of the run's memory); the grid is the same
     * as own_grid (same case, same cells) */
    /* the transient's state is held by the same rows as the steady field */
    t_start_k = mr.thermal.t_k;
    mr.thermal.t_k = NULL;
    tf_start_k = mr.thermal.t_fluid_k;
    mr.thermal.t_fluid_k = NULL;
    ModelResult_free(&mr);
    have_mr = 0;
    Model_destroy(model);
    model = NULL;
    if (rc != EB_OK) goto done;
    snprintf(r->start, sizeof r->start, "steady state at t = 0 (%.2f kW, %.1f L/min, inlet %.1f C)",
             c0.power_w * 1e-3, c0.flow_m3_s * 60000.0, c0.inlet_t_k - 273.15);
  } else {
    const double t0 = isfinite(s->start_t_k) ? s->start_t_k : c0.inlet_t_k;
    const size_t held = Rows_cells(g, Rows_own(g, Runtime_field_comm()));
    t_start_k = malloc(held * sizeof(double));
    if (!t_start_k) {
      snprintf(err, es, "scenario: out of memory");
      rc = EB_EFAIL;
      goto done;
    }
    for (size_t q = 0; q < held; q++) t_start_k[q] = t0;
    snprintf(r->start, sizeof r->start, "uniform at %.2f C", t0 - 273.15);
  }
  ThermalHeatSource hs, *heat = NULL;
  *pcase = *base;
  if (Power_needed(base)) {
    rc = PowerModel_create(pcase, g, &pm, err, es);
    if (rc == EB_OK) rc = PowerModel_begin(pm, pcase, err, es);
    if (rc != EB_OK) goto done;
    PowerModel_heat(pm, &hs);
    heat = &hs;
  }
  /* the schedule's power is relative to the base case's map */
  ThermalTransientOptions to = {.conditions = conditions_fn, .user = &sc,
                                .rel_tol = c->transient_rel_tol > 0 ? c->transient_rel_tol : 1e-5,
                                .abs_tol_k = c->transient_abs_tol_k > 0 ? c->transient_abs_tol_k
                                                                        : 1e-3};
  for (int e = 0; e < TT_EVENTS; e++) to.limit_k[e] = r->ev[e].limit_k;
  rc = ThermalTransient_create(base, g, heat, &to, 0.0, t_start_k, tf_start_k, &tt, err, es);
  free(t_start_k);
  free(tf_start_k);
  t_start_k = tf_start_k = NULL;
  if (rc != EB_OK) goto done;

  /* stops: every change's start and end (CVODE restarts there), the
   * snapshot times and the end. Rows: every internal step (no
   * interpolation; the steps crowd where things change), or, with
   * output_dt_s, evenly spaced interpolated times; and every event. */
  const int uniform = o && o->output_dt_s > 0.0;
  const double dt = uniform ? o->output_dt_s : until;
  const int n_even = uniform ? (int)ceil(until / dt - 1e-9) : 0;
  breaks = malloc(((size_t)2 * s->n_events + s->n_snapshots + 1) * sizeof(double));
  times = malloc(((size_t)n_even + 1) * sizeof(double));
  if (!breaks || !times) {
    snprintf(err, es, "scenario: out of memory");
    rc = EB_EFAIL;
    goto done;
  }
  int nb = 0, nt = 0;
  for (int i = 0; i < s->n_events; i++) {
    breaks[nb++] = s->events[i].t_s;
    breaks[nb++] = s->events[i].t_s + s->events[i].ramp_s;
  }
  for (int i = 0; i < s->n_snapshots; i++) breaks[nb++] = s->snapshot_s[i];
  breaks[nb++] = until;
  const double tol = 1e-9 * until;
  sc.eps = tol;
  nb = unique_times(breaks, nb, until, tol);
  for (int k = 1; k <= n_even; k++) times[nt++] = fmin(k * dt, until);
  nt = unique_times(times, nt, until, tol);

  rc = record(&rec, tt, err, es);
  int snap = 0;
  /* snapshot at this time if one is asked for */
  #define SNAPSHOT_AT(time)                                                                   \
    for (int q = 0; q < s->n_snapshots && rc == EB_OK && snap < CASE_MAX_SNAPSHOTS; q++)      \
      if (fabs(s->snapshot_s[q] - (time)) <= tol &&                                           \
          !(snap > 0 && r->snapshot_t_s[snap - 1] >= (time) - tol)) {                         \
        if (o && o->snapshot) {                                                               \
          rc = ThermalTransient_result(tt, final, err, es);                                   \
          if (rc == EB_OK) rc = o->snapshot(snap, t, final, o->user, err, es);                \
          ThermalResult_free(final);                                                          \
        }                                                                                     \
        r->snapshot_t_s[snap++] = t;                                                          \
      }
  double t = 0.0;
  SNAPSHOT_AT(0.0);
  int it = 0, psus = psus_at(&sc, 0.0);
  for (int b = 0; b < nb && rc == EB_OK; b++) {
    const double tb = breaks[b];
    sc.seg_end = tb;
    rc = ThermalTransient_set_stop(tt, tb, err, es);
    while (rc == EB_OK && t < tb - tol) {
      const double target = uniform && it < nt ? fmin(times[it], tb) : tb;
      int ev = -1;
      double reached;
      rc = ThermalTransient_advance(tt, target, !uniform, &reached, &ev, err, es);
      if (rc != EB_OK) break;
      t = reached;
      const int at_target = fabs(t - target) <= tol;
      if (ev >= 0 || !uniform || at_target) rc = record(&rec, tt, err, es);
      if (rc != EB_OK) break;
      if (r->ev[TT_EVENT_BOILING].reached) {
        /* single-phase coolant: past boiling the model has no answer */
        snprintf(r->stop, sizeof r->stop,
                 "stopped at %.3f s: the coolant boils (ebsim models single-phase coolant only)",
                 t);
        break;
      }
      while (uniform && it < nt && times[it] <= t + tol) it++;
      if (o && o->progress) progress(t, until, seconds_since(&t_start), 0);
    }
    if (rc != EB_OK || r->stop[0]) break;
    SNAPSHOT_AT(tb);
    if (tb >= until - tol) break;
    /* a change starts or ends here: a PSU change re-begins the power
     * path, and CVODE restarts (a step, or a ramp's kink) */
    int change = 0;
    for (int i = 0; i < s->n_events; i++)
      change |= fabs(s->events[i].t_s - tb) <= tol ||
                fabs(s->events[i].t_s + s->events[i].ramp_s - tb) <= tol;
    if (!change) continue;
    const int now = psus_at(&sc, tb + tol);
    if (pm && now != psus) {
      pcase->pd.psu_failed = now;
      rc = PowerModel_begin(pm, pcase, err, es);
      psus = now;
      if (rc != EB_OK) {
        char why[EB_ERRLEN];
        snprintf(why, sizeof why, "%s", err);
        snprintf(err, es, "scenario '%s' at t = %g s (%d PSUs failed): %s", s->name, tb, now, why);
        break;
      }
    }
    rc = ThermalTransient_restart(tt, err, es);
    r->restarts++;
  }
  #undef SNAPSHOT_AT
  r->n_snapshots = snap;
  if (o && o->progress) progress(t, until, seconds_since(&t_start), 1);
  if (rc != EB_OK || r->stop[0]) r->until_s = t;
  if (!r->stop[0])
    snprintf(r->stop, sizeof r->stop, rc == EB_OK ? "ran to the end, %g s" : "failed at %.3f s",
             rc == EB_OK ? until : t);
  {
    TransientStats st;
    ThermalTransient_stats(tt, &st);
    ThermalTransientWork w;
    ThermalTransient_work(tt, &w);
    r->steps = (int)st.steps;
    r->rejected_error = (int)st.rejected_error;
    r->rejected_convergence = (int)st.rejected_convergence;
    r->nonlinear_iters = (int)st.nonlinear_iters;
    r->linear_iters = (int)st.linear_iters;
    r->rhs_evals = (int)st.rhs_evals;
    r->prec_setups = (int)w.refreshes;
    r->vcycles = (int)w.vcycles;
    r->setup_s = w.setup_s;
    r->psolve_s = w.psolve_s;
    r->rhs_s = w.rhs_s;
  }
  for (int i = 0; i < r->n_rows; i++)
    if (r->rows[i].tj_max_k > r->peak_tj_k) {
      r->peak_tj_k = r->rows[i].tj_max_k;
      r->peak_tj_t_s = r->rows[i].t_s;
    }
  if (r->n_rows > 0) {
    const ThermalSample *last = &r->rows[r->n_rows - 1];
    r->final_tj_k = last->tj_max_k;
    r->energy_made_j = last->e_made_j;
    r->energy_error_j = last->e_error_j;
    r->energy_error_rel = last->e_made_j > 0.0 ? fabs(last->e_error_j) / last->e_made_j : 0.0;
  }
  verdicts(r, r->until_s);
  /* the state reached, also where the run failed: the series up to there
   * and this state are its answer */
  if (r->n_rows > 0) {
    char ferr[EB_ERRLEN];
    const int frc = ThermalTransient_result(tt, final, ferr, sizeof ferr);
    if (rc == EB_OK && frc != EB_OK) {
      snprintf(err, es, "%s", ferr);
      rc = frc;
    }
  }
  r->wall_s = seconds_since(&t_start);
done:
  free(t_start_k);
  free(tf_start_k);
  free(times);
  free(breaks);
  ThermalTransient_destroy(tt);
  PowerModel_destroy(pm);
  if (have_mr) ModelResult_free(&mr);
  Model_destroy(model);
  Grid_destroy(own_grid);
  schedule_free(&sc);
  free(rec.die_max);
  free(base);
  free(pcase);
  return rc;
}

void ScenarioResult_free(ScenarioResult *r) {
  free(r->rows);
  free(r->die_rows);
  memset(r, 0, sizeof *r);
}

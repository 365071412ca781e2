/* power.c - the power path and the dies' electrical model as the thermal
 * solver's heat source: at each temperature state the electrical network
 * is settled (die power <-> voltage, brick <-> board), and its losses are
 * put where they are made. */
#include "power.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/runtime.h"
#include "power_parts.h"
#include "sheet.h"

/* The heated layers' slots in the thermal solver's heat source. */
enum { SLOT_BRICKS = 0, SLOT_PCB, SLOT_CONNECTOR, N_SLOTS };

/* A junction above this is a runaway, not a state to iterate from (no
 * silicon device is specified there; the leakage has left its model). */
static const double runaway_k = 523.15;

struct PowerModel {
  const Case *c; /* the case of the solve begun */
  const Grid *g;
  Sheet *sheet;  /* NULL without a power path */
  int n_dies, n_boards;
  int l_pcb, l_conn, l_brick;
  char pcb_name[CASE_NAME_LEN], conn_name[CASE_NAME_LEN];
  double *foot_area;   /* per die: the brick's footprint area */
  double *foot_weight; /* per column: its area on a footprint, else 0 (the bricks' mean) */
  /* the rows held under MPI (Runtime_field_comm; all in one process):
   * columns col_lo .. col_lo + own - 1 */
  size_t col_lo, own;
  double *i_unit;      /* own columns: the share of its die's current drawn there (1 A per die) */
  double *r_sheet;     /* per die: the planes and brick vias, current-weighted drop per ampere, ohm */
  double *via_unit;    /* per die: brick-via loss per ampere squared, W/A^2 */
  uint8_t *is_foot;    /* per column: under its die's brick */
  int *powered;        /* per die */
  int *board_on;       /* per board */
  double *v_die;       /* per die: voltage of the last settle */
  double *v12;         /* per board: output of the last settle */
  double *t_pcb, *v_brick;
  double *die_t_pcb, *die_t_conn; /* per die: area means */
  double *g_die;       /* per die: cooling conductance junction -> inlet of the last solve, W/K */
  int have_g;
  int evals;           /* evaluations of the solve begun */
  SheetResult sheet_r; /* the sheet of the last settle */
  PowerResult r;       /* the last evaluation */
};

int Power_needed(const Case *c) { return c->pd.enabled || c->die_model == DIE_POWER_ELECTRICAL; }

/* The message, and code rc: EB_EINPUT for what the case asks that cannot
 * be, EB_ENOSTATE for a state that does not exist (runaway, collapse). */
static int fail_rc(int rc, char *err, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail_rc(int rc, char *err, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, n, fmt, ap);
  va_end(ap);
  return rc;
}
#define fail(err, n, ...) fail_rc(EB_EINPUT, err, n, __VA_ARGS__)
#define no_state(err, n, ...) fail_rc(EB_ENOSTATE, err, n, __VA_ARGS__)

void PowerResult_free(PowerResult *r) {
  free(r->dies);
  free(r->bricks);
  free(r->boards);
  free(r->psus);
  free(r->die_v_map);
  free(r->ir_drop_map);
  memset(r, 0, sizeof *r);
}

static int alloc_result(PowerModel *m, PowerResult *r) {
  const size_t ncol = (size_t)m->g->nx * m->g->ny;
  const int n_psus = m->c ? m->c->pd.psu_count : 1;
  memset(r, 0, sizeof *r);
  r->n_dies = m->n_dies;
  r->n_boards = m->n_boards;
  r->n_psus = n_psus;
  r->dies = calloc((size_t)m->n_dies, sizeof *r->dies);
  r->bricks = calloc((size_t)m->n_dies, sizeof *r->bricks);
  r->boards = calloc((size_t)m->n_boards, sizeof *r->boards);
  r->psus = calloc((size_t)(n_psus > 0 ? n_psus : 1), sizeof *r->psus);
  r->die_v_map = malloc(ncol * sizeof(double));
  r->ir_drop_map = malloc(ncol * sizeof(double));
  return r->dies && r->bricks && r->boards && r->psus && r->die_v_map && r->ir_drop_map ? EB_OK
                                                                                       : EB_EFAIL;
}

void PowerModel_destroy(PowerModel *m) {
  if (!m) return;
  Sheet_destroy(m->sheet);
  free(m->foot_area);
  free(m->foot_weight);
  free(m->i_unit);
  free(m->r_sheet);
  free(m->via_unit);
  free(m->is_foot);
  free(m->powered);
  free(m->board_on);
  free(m->v_die);
  free(m->v12);
  free(m->t_pcb);
  free(m->v_brick);
  free(m->die_t_pcb);
  free(m->die_t_conn);
  free(m->g_die);
  PowerResult_free(&m->r);
  free(m);
}

int PowerModel_create(const Case *c, const Grid *g, PowerModel **out, char *err, size_t err_size) {
  *out = NULL;
  const size_t ncol = (size_t)g->nx * g->ny;
  PowerModel *m = calloc(1, sizeof *m);
  if (!m) goto oom;
  m->g = g;
  m->n_dies = c->die_columns * c->die_rows;
  m->n_boards = c->die_columns;
  m->l_pcb = m->l_conn = m->l_brick = -1;
  const GridRows rows = Rows_own(g, Runtime_field_comm());
  m->own = Rows_plane(g, rows);
  m->col_lo = (size_t)rows.j0 * g->nx;
  m->foot_area = calloc((size_t)m->n_dies, sizeof(double));
  m->foot_weight = calloc(ncol, sizeof(double));
  m->i_unit = calloc(m->own, sizeof(double));
  m->r_sheet = calloc((size_t)m->n_dies, sizeof(double));
  m->via_unit = calloc((size_t)m->n_dies, sizeof(double));
  m->is_foot = calloc(ncol, 1);
  m->powered = malloc((size_t)m->n_dies * sizeof(int));
  m->board_on = malloc((size_t)m->n_boards * sizeof(int));
  m->v_die = malloc((size_t)m->n_dies * sizeof(double));
  m->v12 = malloc((size_t)m->n_boards * sizeof(double));
  m->t_pcb = malloc(ncol * sizeof(double));
  m->v_brick = malloc((size_t)m->n_dies * sizeof(double));
  m->die_t_pcb = malloc((size_t)m->n_dies * sizeof(double));
  m->die_t_conn = malloc((size_t)m->n_dies * sizeof(double));
  m->g_die = malloc((size_t)m->n_dies * sizeof(double));
  if (!m->foot_area || !m->foot_weight || !m->i_unit || !m->r_sheet || !m->via_unit ||
      !m->is_foot || !m->powered || !m->board_on || !m->v_die ||
      !m->v12 || !m->t_pcb || !m->v_brick || !m->die_t_pcb ||
      !m->die_t_conn || !m->g_die)
    goto oom;
  if (c->pd.enabled) {
    m->l_pcb = Case_layer_named(c, c->pd.pcb_layer);
    m->l_conn = Case_layer_named(c, c->pd.connector_layer);
    m->l_brick = Case_brick_layer(c);
    snprintf(m->pcb_name, sizeof m->pcb_name, "%s", c->pd.pcb_layer);
    snprintf(m->conn_name, sizeof m->conn_name, "%s", c->pd.connector_layer);
    if (m->l_pcb < 0 || m->l_conn < 0 || m->l_brick < 0) {
      PowerModel_destroy(m);
      return fail(err, err_size, "power: the stack lacks the PCB, connector or brick layer");
    }
    Power_footprint(c, g, m->is_foot);
    for (size_t col = 0; col < ncol; col++)
      if (m->is_foot[col]) {
        const double area = Grid_col_area(g, col);
        m->foot_area[g->die_of_col[col]] += area;
        m->foot_weight[col] = area;
      }
    int rc = Sheet_create(c, g, &m->sheet, err, err_size);
    if (rc != EB_OK) {
      PowerModel_destroy(m);
      return rc;
    }
  }
  *out = m;
  return EB_OK;
oom:
  PowerModel_destroy(m);
  snprintf(err, err_size, "power: out of memory");
  return EB_EFAIL;
}

int PowerModel_fits(const PowerModel *m, const Case *c) {
  if (!c->pd.enabled) return m->sheet == NULL;
  return m->sheet && !strcmp(m->pcb_name, c->pd.pcb_layer) &&
         !strcmp(m->conn_name, c->pd.connector_layer);
}

int PowerModel_begin(PowerModel *m, const Case *c, char *err, size_t err_size) {
  m->c = c;
  const CasePowerDelivery *pd = &c->pd;
  PowerResult_free(&m->r);
  if (alloc_result(m, &m->r) != EB_OK) {
    snprintf(err, err_size, "power: out of memory");
    return EB_EFAIL;
  }
  for (int b = 0; b < m->n_boards; b++) m->board_on[b] = 1;
  if (pd->enabled) {
    for (int i = 0; i < pd->pdb_failed.n; i++) m->board_on[(int)pd->pdb_failed.v[i] - 1] = 0;
    if (pd->psu_feed == PSU_FEED_PER_BOARD)
      for (int b = 0; b < pd->psu_failed && b < m->n_boards; b++) m->board_on[b] = 0;
    else if (pd->psu_failed >= pd->psu_count)
      return fail(err, err_size,
                  "power: all %d PSUs failed (power_delivery.psu.failed = %d): nothing powers the "
                  "block",
                  pd->psu_count, pd->psu_failed);
  }
  int off = 0, first_off = -1;
  for (int b = 0; b < m->n_boards; b++)
    if (!m->board_on[b]) {
      off++;
      if (first_off < 0) first_off = b;
    }
  if (off > 0 && pd->require_all_dies)
    return fail(err, err_size,
                "power: board %d has no supply (power_delivery.pdb.failed, or psu.failed with "
                "feed: per_board), so the %d dies of column %d are unpowered%s; set "
                "power_delivery.require_all_dies: false to run the block without them",
                first_off + 1, c->die_rows, first_off + 1,
                off > 1 ? " (and other boards too)" : "");
  if (off == m->n_boards)
    return fail(err, err_size, "power: every board is out: nothing powers the block");
  const double v0 = pd->enabled ? Power_set_point(c)
                                : (c->vf_clock.n >= 2 ? Power_set_point(c) : c->v_nominal_v);
  for (int d = 0; d < m->n_dies; d++) {
    m->powered[d] = m->board_on[d % c->die_columns];
    m->v_die[d] = v0;
    m->r.bricks[d].col = d % c->die_columns;
    m->r.bricks[d].row = d / c->die_columns;
  }
  for (int b = 0; b < m->n_boards; b++) m->v12[b] = pd->pdb_out_v;
  m->evals = 0;
  return EB_OK;
}

/* The copper's temperatures: each die's PCB and connector (their means
 * over the die: the PCB varies by a few kelvin within a die, under 1 % of
 * its resistance) and its brick (the footprint's mean). */
static void read_temperatures(PowerModel *m, const ThermalHeatIn *in) {
  const Grid *g = m->g;
  const size_t ncol = (size_t)g->nx * g->ny;
  for (int d = 0; d < m->n_dies; d++) {
    m->die_t_pcb[d] = in->layer_t_k[SLOT_PCB][d];
    m->die_t_conn[d] = in->layer_t_k[SLOT_CONNECTOR][d];
    m->r.bricks[d].t_mean_k = in->layer_t_k[SLOT_BRICKS][d];
    m->r.bricks[d].t_max_k = NAN; /* from the final field (PowerModel_take_result) */
  }
  for (size_t col = 0; col < ncol; col++) m->t_pcb[col] = m->die_t_pcb[g->die_of_col[col]];
}

/* The die's power at its voltage and junction temperature (0 unpowered).
 * A junction past any silicon's range is the leakage running away. */
static int die_powers(PowerModel *m, const ThermalHeatIn *in, char *err, size_t err_size) {
  const Case *c = m->c;
  for (int d = 0; d < m->n_dies; d++) {
    PowerDie *D = &m->r.dies[d];
    D->col = d % c->die_columns;
    D->row = d / c->die_columns;
    D->powered = m->powered[d];
    D->tj_k = in->die_tj_k[d];
    if (!D->powered) {
      D->p = D->dyn = D->leak = 0.0;
      continue;
    }
    if (c->die_model == DIE_POWER_ELECTRICAL && !(D->tj_k < runaway_k))
      return no_state(err, err_size,
                  "thermal runaway at die (%d,%d): as its leakage grew the coupled solve took its "
                  "junction past %.0f C, where no silicon is specified; no steady state exists "
                  "at this operating point. Lower power.clock or the coolant inlet, raise the "
                  "flow, or check power.electrical's leakage",
                  D->col + 1, D->row + 1, runaway_k - 273.15);
    D->p = Power_die(c, in->die_p_nom[d], m->v_die[d], D->tj_k, &D->dyn, &D->leak);
  }
  return EB_OK;
}

/* The die alone against its cooling g (W/K to the inlet t_in), fed from
 * vb through its path resistance r: the smallest junction temperature T
 * with g (T - t_in) = P(T, v), v = vb - r P / v. P rises with T, so the
 * iteration from t_in climbs to it. NAN when P stays above g (T - t_in) up
 * to runaway_k; *t_near is then where it comes closest (the fold). */
static double die_voltage_at(const Case *c, double p_nom, double vb, double r, double t) {
  double v = vb;
  for (int k = 0; k < 50; k++) {
    const double p = Power_die(c, p_nom, v, t, NULL, NULL), disc = vb * vb - 4.0 * p * r;
    if (disc < 0.0) return NAN; /* the path cannot carry it */
    const double vn = 0.5 * (vb + sqrt(disc));
    if (fabs(vn - v) < 1e-12) return vn;
    v = vn;
  }
  return v;
}

static double lumped_root(const Case *c, double p_nom, double vb, double r, double g,
                          double t_in, double *t_near) {
  double t = t_in;
  for (int it = 0; it < 5000; it++) {
    const double v = die_voltage_at(c, p_nom, vb, r, t);
    const double tn = isfinite(v) ? t_in + Power_die(c, p_nom, v, t, NULL, NULL) / g : NAN;
    if (!(tn < runaway_k)) break;
    if (fabs(tn - t) < 1e-9) return tn;
    t = tn;
    if (it == 4999) return t; /* creeping up a near-tangent: close enough for a start */
  }
  double least = INFINITY;
  *t_near = t;
  for (double tt = t_in; tt <= runaway_k; tt += 0.25) {
    const double v = die_voltage_at(c, p_nom, vb, r, tt);
    const double excess = isfinite(v) ? Power_die(c, p_nom, v, tt, NULL, NULL) - g * (tt - t_in)
                                      : INFINITY;
    if (excess < least) {
      least = excess;
      *t_near = tt;
    }
  }
  return NAN;
}

static int settle(PowerModel *m, const ThermalHeatIn *in, char *err, size_t err_size);

/* Before the iteration (electrical dies): the strong feedback of leakage
 * has a stable state and, above it, an unstable one; a start above the
 * unstable one would run away though a steady state exists. So each die
 * starts at the stable root of its lumped model: its cooling conductance g
 * (from the last solve, or the starting field's rise under the map's
 * power) and its path resistance (the network settled at the starting
 * temperatures). Where the lumped model has no root, the die starts at its
 * fold, and the coupled iteration gives the verdict: it settles, or the
 * junction runs past runaway_k (die_powers). */
static int start(void *ctx, const ThermalHeatIn *in, double *tj, char *err, size_t err_size) {
  PowerModel *m = ctx;
  const Case *c = m->c;
  if (c->die_model != DIE_POWER_ELECTRICAL) return EB_OK;
  const double t_in = c->inlet_t_k;
  double *t_cool = malloc((size_t)m->n_dies * sizeof(double));
  if (!t_cool) return fail_rc(EB_EFAIL, err, err_size, "power: out of memory");
  for (int d = 0; d < m->n_dies; d++) t_cool[d] = t_in;
  ThermalHeatIn at_inlet = *in;
  at_inlet.die_tj_k = t_cool; /* the path's resistance hardly depends on the dies' heat */
  int rc = settle(m, &at_inlet, err, err_size);
  free(t_cool);
  if (rc != EB_OK) return rc;
  for (int d = 0; d < m->n_dies; d++) {
    const double p_nom = in->die_p_nom[d];
    const PowerDie *D = &m->r.dies[d];
    if (!m->powered[d] || !(p_nom > 0.0)) continue;
    const double g = m->have_g ? m->g_die[d] : p_nom / (tj[d] - t_in);
    if (!(g > 0.0) || !isfinite(g)) continue; /* no estimate: start where the field is */
    const double vb = c->pd.enabled ? m->v_brick[d] : m->v_die[d];
    const double r = D->i > 0.0 ? fmax((vb - D->v) / D->i, 0.0) : 0.0;
    double t_near = NAN;
    const double ts = lumped_root(c, p_nom, vb, r, g, t_in, &t_near);
    tj[d] = isfinite(ts) ? ts : t_near;
  }
  return EB_OK;
}

/* The network at the given die powers: the sheet, the die voltages, the
 * bricks, boards and PSUs. Returns the largest die-voltage change. */
static int settle_once(PowerModel *m, double *dv_max, char *err, size_t err_size) {
  const Case *c = m->c;
  const CasePowerDelivery *pd = &c->pd;
  PowerResult *r = &m->r;
  *dv_max = 0.0;
  for (int d = 0; d < m->n_dies; d++) r->dies[d].i = r->dies[d].p / m->v_die[d];
  if (!pd->enabled) return EB_OK; /* no path: the dies sit at their own voltage */
  const double v_set = Power_set_point(c);
  for (int d = 0; d < m->n_dies; d++) {
    PowerDie *D = &r->dies[d];
    PowerBrick *b = &r->bricks[d];
    /* the sheet is linear and its islands apart: each die's path is its
     * unit response times its current, the brick delivering it all */
    b->i = D->i;
    const double r_out = pd->brick_r_out_ohm * Power_cu_factor(b->t_mean_k, pd->copper_ref_k);
    b->v_out = !m->powered[d]                  ? 0.0
               : pd->brick_mode == BRICK_RATIO ? pd->brick_ratio * m->v12[d % c->die_columns] -
                                                     b->i * r_out
                                               : v_set;
    m->v_brick[d] = b->v_out;
    const double r_via = pd->pcb_die_via_ohm * Power_cu_factor(m->die_t_pcb[d], pd->copper_ref_k);
    const double r_conn = pd->connector_ohm * Power_cu_factor(m->die_t_conn[d], pd->copper_ref_k);
    D->via_w = D->i * D->i * r_via;
    D->conn_w = D->i * D->i * r_conn;
    b->via_w = D->i * D->i * m->via_unit[d];
    b->loss_w = m->powered[d] ? pd->brick_no_load_w + b->i * b->i * r_out : 0.0;
    if (!m->powered[d]) continue;
    const double v_new = b->v_out - D->i * (m->r_sheet[d] + r_via + r_conn);
    if (!(v_new > 0.05 * b->v_out))
      return no_state(err, err_size,
                      "power: the voltage of die (%d,%d) collapses: %.0f A through its path drop "
                      "more than the %.3f V its brick gives; check the resistances of "
                      "power_delivery (pcb, connector, brick)",
                      D->col + 1, D->row + 1, D->i, b->v_out);
    *dv_max = fmax(*dv_max, fabs(v_new - m->v_die[d]));
    m->v_die[d] = v_new;
  }
  /* boards: a fixed-ratio 50 -> 12 V stage carrying their bricks' input */
  for (int bd = 0; bd < m->n_boards; bd++) {
    PowerBoard *B = &r->boards[bd];
    B->col = bd;
    B->powered = m->board_on[bd];
    B->p_out_w = 0.0;
    for (int row = 0; row < c->die_rows; row++) {
      const int d = row * c->die_columns + bd;
      const PowerBrick *b = &r->bricks[d];
      B->p_out_w += m->powered[d] ? b->v_out * b->i + b->loss_w : 0.0;
    }
    if (!B->powered) {
      B->p_in_w = B->loss_w = B->v_out = B->i_out = 0.0;
      continue;
    }
    double i;
    const double v = Power_stage_vout(pd->pdb_out_v, pd->pdb_r_ohm, B->p_out_w, &i);
    if (!isfinite(v))
      return no_state(err, err_size,
                  "power: board %d cannot deliver %.0f W at %.4g mohm from %.3g V: its output "
                  "collapses; lower the load or power_delivery.pdb.resistance_mohm",
                  bd + 1, B->p_out_w, pd->pdb_r_ohm * 1e3, pd->pdb_out_v);
    *dv_max = fmax(*dv_max, pd->brick_mode == BRICK_RATIO ? fabs(v - m->v12[bd]) * pd->brick_ratio
                                                          : 0.0);
    m->v12[bd] = v;
    B->v_out = v;
    B->i_out = i;
    B->loss_w = pd->pdb_no_load_w + i * i * pd->pdb_r_ohm;
    B->p_in_w = B->p_out_w + B->loss_w;
  }
  return EB_OK;
}

/* PSUs and the summary of the settled network. */
static void summarize(PowerModel *m) {
  const Case *c = m->c;
  const CasePowerDelivery *pd = &c->pd;
  PowerResult *r = &m->r;
  r->has_path = pd->enabled;
  r->clock = c->clock;
  r->set_point_v = pd->enabled ? Power_set_point(c) : m->v_die[0];
  r->die_power_w = r->dynamic_w = r->leakage_w = 0.0;
  r->die_v_min = INFINITY;
  r->die_v_mean = r->die_i_max_a = r->ir_drop_max_v = 0.0;
  r->brick_i_max_a = r->brick_loss_w = 0.0;
  r->brick_load_max = r->brick_t_max_k = NAN; /* from the final field */
  r->via_loss_w = r->connector_loss_w = 0.0;
  r->dies_unpowered = 0;
  int n_on = 0;
  for (int d = 0; d < m->n_dies; d++) {
    const PowerDie *D = &r->dies[d];
    PowerBrick *b = &r->bricks[d];
    if (!D->powered) {
      r->dies_unpowered++;
      continue;
    }
    n_on++;
    r->die_power_w += D->p;
    r->dynamic_w += D->dyn;
    r->leakage_w += D->leak;
    r->die_v_mean += D->v;
    if (D->v < r->die_v_min) {
      r->die_v_min = D->v;
      r->die_v_min_col = D->col;
      r->die_v_min_row = D->row;
    }
    r->die_i_max_a = fmax(r->die_i_max_a, D->i);
    if (!pd->enabled) continue;
    r->ir_drop_max_v = fmax(r->ir_drop_max_v, b->v_out - D->v);
    r->brick_i_max_a = fmax(r->brick_i_max_a, b->i);
    r->brick_loss_w += b->loss_w;
    r->via_loss_w += b->via_w + D->via_w;
    r->connector_loss_w += D->conn_w;
  }
  r->die_v_mean = n_on ? r->die_v_mean / n_on : NAN;
  if (!pd->enabled) {
    r->wall_power_w = r->die_power_w;
    r->delivery_efficiency = 1.0;
    return;
  }
  r->pdb_loss_w = 0.0;
  double boards_in = 0.0;
  for (int bd = 0; bd < m->n_boards; bd++) {
    r->pdb_loss_w += r->boards[bd].loss_w;
    boards_in += r->boards[bd].p_in_w;
  }
  /* PSUs: a shared bus splits the boards' input evenly among the working
   * units; per board, unit k feeds board k */
  r->psu_loss_w = r->psu_load_max_w = 0.0;
  r->psus_working = 0;
  for (int k = 0; k < r->n_psus; k++) {
    PowerPsu *P = &r->psus[k];
    P->unit = k;
    if (pd->psu_feed == PSU_FEED_SHARED) {
      P->working = k >= pd->psu_failed;
      P->load_w = P->working ? boards_in / (pd->psu_count - pd->psu_failed) : 0.0;
    } else {
      P->working = k < m->n_boards && m->board_on[k];
      P->load_w = P->working ? r->boards[k].p_in_w : 0.0;
    }
    P->efficiency = P->working ? Power_psu_efficiency(pd, P->load_w / pd->psu_rating_w) : NAN;
    P->loss_w = P->working ? P->load_w * (1.0 / P->efficiency - 1.0) : 0.0;
    r->psus_working += P->working;
    r->psu_loss_w += P->loss_w;
    r->psu_load_max_w = fmax(r->psu_load_max_w, P->load_w);
  }
  r->wall_power_w = boards_in + r->psu_loss_w;
  r->delivery_efficiency = r->die_power_w / r->wall_power_w;
}

/* The verdict, from the second evaluation on: each die's cooling as the
 * solve measured it (the last power over the junction rise it gave) and
 * its path resistance, in the lumped balance. Where the die's power stays
 * above what that cooling removes at every junction temperature up to
 * runaway_k, no steady state exists: a runaway, said with its numbers. */
static int runaway_check(PowerModel *m, const ThermalHeatIn *in, char *err, size_t err_size) {
  const Case *c = m->c;
  if (c->die_model != DIE_POWER_ELECTRICAL || !in->die_tj_solved_k) return EB_OK;
  const double t_in = c->inlet_t_k;
  for (int d = 0; d < m->n_dies; d++) {
    const PowerDie *D = &m->r.dies[d];
    const double p_nom = in->die_p_nom[d];
    if (!m->powered[d] || !(p_nom > 0.0) || !(D->i > 0.0)) continue;
    const double g = D->p / (in->die_tj_solved_k[d] - t_in);
    if (!(g > 0.0) || !isfinite(g)) continue;
    const double vb = c->pd.enabled ? m->v_brick[d] : m->v_die[d];
    const double r = fmax((vb - D->v) / D->i, 0.0);
    double t_near = NAN;
    if (!isnan(lumped_root(c, p_nom, vb, r, g, t_in, &t_near))) continue;
    const double v = die_voltage_at(c, p_nom, vb, r, t_near);
    const double p_near = isfinite(v) ? Power_die(c, p_nom, v, t_near, NULL, NULL) : NAN;
    return no_state(err, err_size,
                    "thermal runaway at die (%d,%d): its cooling takes about %.3g W per kelvin "
                    "of junction rise over the %.1f C inlet, and its power (%.0f W now, %.0f W "
                    "of it leakage doubling every %.3g K) outgrows that at every junction "
                    "temperature up to %.0f C (closest at %.0f C: %.0f W made, %.0f W taken): "
                    "no steady state exists. Lower power.clock or the coolant inlet, raise "
                    "the flow, or check power.electrical's leakage",
                    D->col + 1, D->row + 1, g, t_in - 273.15, D->p, D->leak,
                    c->leakage_doubling_k, runaway_k - 273.15, t_near - 273.15, p_near,
                    g * (t_near - t_in));
  }
  return EB_OK;
}

/* The sheet at these temperatures for 1 A into every die, drawn where the
 * die makes its power: per die the current-weighted drop (ohm) and the
 * brick vias' loss per A^2. The islands are apart and the sheet linear, so
 * any currents are these responses scaled: one solve per temperature state. */
static int sheet_unit(PowerModel *m, const ThermalHeatIn *in, char *err, size_t err_size) {
  const Grid *g = m->g;
  int rc = Sheet_prepare(m->sheet, &m->c->pd, m->t_pcb, err, err_size);
  for (size_t o = 0; rc == EB_OK && o < m->own; o++) {
    const size_t col = m->col_lo + o;
    const double pn = in->die_p_nom[g->die_of_col[col]];
    m->i_unit[o] = pn > 0.0 ? in->p_nom_col[col] / pn : 0.0;
  }
  if (rc == EB_OK) rc = Sheet_solve(m->sheet, m->v_brick, m->i_unit, &m->sheet_r, err, err_size);
  if (rc != EB_OK) return rc;
  for (int d = 0; d < m->n_dies; d++) {
    m->r_sheet[d] = 0.0;
    m->via_unit[d] = m->sheet_r.brick_via_w[d];
  }
  /* over the sheet's rows held, then the ranks */
  const SheetResult *sr = &m->sheet_r;
  for (size_t o = 0; o < sr->own; o++) {
    const size_t col = sr->col_lo + o;
    m->r_sheet[g->die_of_col[col]] += sr->u_col[o] * m->i_unit[o];
  }
  return Rows_sum(Runtime_field_comm(), m->r_sheet, m->n_dies, err, err_size);
}

/* The voltage and drop maps at the settled currents: from the sheet's
 * rows held, gathered whole. */
static int maps(PowerModel *m, char *err, size_t err_size) {
  const Grid *g = m->g;
  const size_t ncol = (size_t)g->nx * g->ny;
  PowerResult *r = &m->r;
  const SheetResult *sr = &m->sheet_r;
  for (size_t col = 0; col < ncol; col++) {
    const int d = g->die_of_col[col];
    const PowerDie *D = &r->dies[d];
    if (!m->c->pd.enabled) {
      r->die_v_map[col] = m->powered[d] ? m->v_die[d] : NAN;
      r->ir_drop_map[col] = m->powered[d] ? 0.0 : NAN;
      continue;
    }
    if (col < sr->col_lo || col >= sr->col_lo + sr->own) continue; /* another rank's */
    const double r_dc = D->i > 0.0 ? (D->via_w + D->conn_w) / (D->i * D->i) : 0.0;
    r->die_v_map[col] =
        m->powered[d] ? m->v_brick[d] - D->i * (sr->u_col[col - sr->col_lo] + r_dc) : NAN;
    r->ir_drop_map[col] = m->powered[d] ? m->v_brick[d] - r->die_v_map[col] : NAN;
  }
  if (!m->c->pd.enabled) return EB_OK;
  int rc = Rows_gather_plane(Runtime_field_comm(), g, r->die_v_map, err, err_size);
  if (rc == EB_OK) rc = Rows_gather_plane(Runtime_field_comm(), g, r->ir_drop_map, err, err_size);
  return rc;
}

/* The network at the state's temperatures: the copper at its layers'
 * temperatures, the die powers and voltages, bricks, boards. */
static int settle(PowerModel *m, const ThermalHeatIn *in, char *err, size_t err_size) {
  const Case *c = m->c;
  if (c->pd.enabled) read_temperatures(m, in);
  if (c->pd.enabled) {
    int rc0 = sheet_unit(m, in, err, err_size);
    if (rc0 != EB_OK) return rc0;
  }
  /* the electrical state at fixed temperatures is a contraction (the drops
   * are a few per cent of the voltage): iterate it to 1e-9 V, where the
   * power balance closes to round-off */
  double dv = INFINITY;
  int it = 0, rc = EB_OK;
  for (; rc == EB_OK && it < 100 && dv > 1e-9; it++) {
    rc = die_powers(m, in, err, err_size);
    if (rc == EB_OK) rc = settle_once(m, &dv, err, err_size);
  }
  if (rc != EB_OK) return rc;
  if (dv > 1e-9)
    return fail_rc(EB_EFAIL, err, err_size,
                   "power: the die voltages do not settle (change %.2e V after %d passes): the "
                   "path's resistances are too high for the currents",
                   dv, it);
  for (int d = 0; d < m->n_dies; d++) m->r.dies[d].v = m->v_die[d];
  return maps(m, err, err_size);
}

/* The heat source: settle the network at these temperatures and put its
 * losses where they are made. */
static int update(void *ctx, const ThermalHeatIn *in, ThermalHeat *out, char *err,
                  size_t err_size) {
  PowerModel *m = ctx;
  const Case *c = m->c;
  const Grid *g = m->g;
  int rc = m->evals > 0 ? runaway_check(m, in, err, err_size) : EB_OK;
  if (rc == EB_OK) rc = settle(m, in, err, err_size);
  if (rc != EB_OK) return rc;
  m->evals++;
  /* the planes' heat: the unit response's, scaled by each die's I^2 (the
   * per-column heat holds the brick vias' too; they are counted apart) */
  double *wp = c->pd.enabled ? out->layer_w[SLOT_PCB] : NULL;
  const SheetResult *sr = &m->sheet_r;
  if (c->pd.enabled) {
    rc = Sheet_losses(m->sheet, &m->sheet_r, err, err_size);
    if (rc != EB_OK) return rc;
    /* the sheet's rows held (the heat planes are read by rows), the total
     * over the ranks */
    double planes = 0.0;
    for (size_t o = 0; o < out->own; o++) {
      const size_t col = out->col_lo + o;
      const double i = m->r.dies[g->die_of_col[col]].i;
      wp[o] = i * i * sr->loss_col[col - sr->col_lo];
      planes += wp[o];
    }
    rc = Rows_sum(Runtime_field_comm(), &planes, 1, err, err_size);
    if (rc != EB_OK) return rc;
    for (int d = 0; d < m->n_dies; d++) planes -= m->r.bricks[d].via_w;
    m->r.plane_loss_w = planes;
  }
  for (int d = 0; d < m->n_dies; d++)
    out->die_scale[d] = in->die_p_nom[d] > 0.0 ? m->r.dies[d].p / in->die_p_nom[d] : 0.0;
  summarize(m);
  if (!c->pd.enabled) return EB_OK;
  /* the losses where they are made: bricks over their footprint, the
   * planes' and vias' in the PCB, the contacts in the connector (both as
   * the die draws its current) */
  double *wb = out->layer_w[SLOT_BRICKS], *wc = out->layer_w[SLOT_CONNECTOR];
  for (size_t o = 0; o < out->own; o++) {
    const size_t col = out->col_lo + o;
    const int d = g->die_of_col[col];
    const PowerDie *D = &m->r.dies[d];
    /* the die's current drawn here, as a share of it */
    const double share = D->i > 0.0 ? D->i * m->i_unit[col - m->col_lo] / D->i : 0.0;
    wb[o] = m->is_foot[col] ? m->r.bricks[d].loss_w * Grid_col_area(g, col) / m->foot_area[d] : 0.0;
    wp[o] += D->via_w * share;
    wc[o] = D->conn_w * share;
  }
  return EB_OK;
}

void PowerModel_heat(PowerModel *m, ThermalHeatSource *hs) {
  memset(hs, 0, sizeof *hs);
  hs->ctx = m;
  hs->update = update;
  hs->start = start;
  if (m->sheet) {
    hs->n_layers = N_SLOTS;
    hs->layer[SLOT_BRICKS] = m->l_brick;
    hs->layer[SLOT_PCB] = m->l_pcb;
    hs->layer[SLOT_CONNECTOR] = m->l_conn;
    hs->layer_weight[SLOT_BRICKS] = m->foot_weight; /* the bricks, not the filler */
  }
}

/* Each brick's hottest cell in the final field, its derated rating and
 * load. */
/* t: the solved field, the rows t_rows of every plane (the ranks' maxima
 * are combined) */
static int brick_ratings(PowerModel *m, const double *t, GridRows rows, char *err,
                         size_t err_size) {
  const Grid *g = m->g;
  PowerResult *r = &m->r;
  double *t_max = malloc((size_t)m->n_dies * sizeof(double));
  if (!t_max) {
    snprintf(err, err_size, "power: out of memory for the bricks' temperatures");
    return EB_EFAIL;
  }
  for (int d = 0; d < m->n_dies; d++) t_max[d] = -INFINITY;
  for (int j = rows.j0; j < rows.j1; j++)
    for (int i = 0; i < g->nx; i++) {
      const size_t col = (size_t)j * g->nx + i;
      if (!m->is_foot[col]) continue;
      double *b = &t_max[g->die_of_col[col]];
      for (int k = g->k0[m->l_brick]; k < g->k0[m->l_brick] + g->nk[m->l_brick]; k++)
        *b = fmax(*b, t[Rows_at(g, rows, k, col)]);
    }
  const int rc = Rows_max(Runtime_field_comm(), t_max, m->n_dies, err, err_size);
  for (int d = 0; d < m->n_dies; d++) r->bricks[d].t_max_k = t_max[d];
  free(t_max);
  if (rc != EB_OK) return rc;
  r->brick_t_max_k = r->brick_load_max = -INFINITY;
  for (int d = 0; d < m->n_dies; d++) {
    PowerBrick *b = &r->bricks[d];
    b->rating_a = Power_brick_rating(&m->c->pd, b->t_max_k);
    b->load = !m->powered[d] ? 0.0 : b->rating_a > 0.0 ? b->i / b->rating_a : INFINITY;
    r->brick_t_max_k = fmax(r->brick_t_max_k, b->t_max_k);
    r->brick_load_max = fmax(r->brick_load_max, b->load);
  }
  return EB_OK;
}

int PowerModel_take_result(PowerModel *m, const ThermalResult *t, PowerResult *r, char *err,
                           size_t err_size) {
  if (!m->r.dies) {
    memset(r, 0, sizeof *r);
    snprintf(err, err_size, "power: no result (the model was not evaluated)");
    return EB_EFAIL;
  }
  if (m->r.has_path) {
    const int rc = brick_ratings(m, t->t_k, t->t_rows, err, err_size);
    if (rc != EB_OK) return rc;
  }
  /* the dies' cooling, for the next solve's start */
  m->have_g = 1;
  for (int d = 0; d < m->n_dies; d++) {
    const PowerDie *D = &m->r.dies[d];
    const double g = D->p / (D->tj_k - m->c->inlet_t_k);
    m->g_die[d] = g > 0.0 && isfinite(g) ? g : NAN;
  }
  *r = m->r;
  memset(&m->r, 0, sizeof m->r);
  return EB_OK;
}

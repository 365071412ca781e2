/* mechanics.c - the engine block's CTE-mismatch mechanics from its
 * temperatures: plates from the case, the in-plane solve on a coarsened
 * lateral grid, maps back on the thermal grid, the stack's bow. */
#include "mechanics.h"

#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "laminate.h"

void Mechanics_layer_mean(const Grid *g, GridRows rows, int layer, const double *t_k,
                          double *out) {
  const size_t c0 = (size_t)rows.j0 * g->nx, c1 = (size_t)rows.j1 * g->nx;
  for (size_t c = c0; c < c1; c++) {
    double sum = 0.0, w = 0.0;
    for (int k = g->k0[layer]; k < g->k0[layer] + g->nk[layer]; k++) {
      const double t = t_k[Rows_at(g, rows, k, c)];
      if (isnan(t)) continue;
      sum += t * Grid_dz(g, k);
      w += Grid_dz(g, k);
    }
    out[c] = w > 0 ? sum / w : NAN;
  }
}

/* Faces of the mechanics grid along one axis: runs of whole thermal cells
 * no wider than dx (at least one cell each). block[i]: the run of cell i. */
static int coarsen(const double *f, int n, double dx, double *faces, int *block) {
  int m = 0;
  faces[0] = f[0];
  for (int i = 0; i < n; i++) {
    if (f[i + 1] - faces[m] > dx * (1.0 + 1e-9) && f[i] > faces[m]) faces[++m] = f[i];
    block[i] = m;
  }
  faces[++m] = f[n];
  return m;
}

typedef struct {
  int nx, ny;
  double *x, *y;
  int *bx, *by; /* thermal cell -> block */
} Coarse;

static void coarse_free(Coarse *k) {
  free(k->x);
  free(k->y);
  free(k->bx);
  free(k->by);
}

/* Block means of a thermal-cell field (area weighted). */
static int block_mean(const Grid *g, const Coarse *k, const double *f, double *out) {
  const size_t nb = (size_t)k->nx * k->ny;
  double *w = calloc(nb, sizeof(double));
  if (!w) return EB_EFAIL;
  for (size_t b = 0; b < nb; b++) out[b] = 0.0;
  for (int j = 0; j < g->ny; j++)
    for (int i = 0; i < g->nx; i++) {
      const double a = Grid_dx(g, i) * Grid_dy(g, j);
      const size_t b = (size_t)k->bx[i] + (size_t)k->nx * k->by[j];
      out[b] += a * f[(size_t)i + (size_t)g->nx * j];
      w[b] += a;
    }
  for (size_t b = 0; b < nb; b++) out[b] /= w[b];
  free(w);
  return EB_OK;
}

/* A layer as a plate: its material's in-plane constants and thickness. */
static int plate_of(const Case *c, const char *layer, const char *role, double h_m,
                    InplanePlate *p, char *err, size_t es) {
  const int l = Case_layer_named(c, layer);
  const Solid *s = l >= 0 ? Case_solid(c, c->layers[l].material) : NULL;
  if (!s || !(s->e_pa > 0)) {
    snprintf(err, es, "mechanics: the %s layer '%s' has no mechanical data", role, layer);
    return EB_EINPUT;
  }
  p->present = 1;
  p->h_m = h_m > 0 ? h_m : c->layers[l].thickness_m;
  p->e_pa = s->e_pa;
  p->nu = s->nu;
  p->alpha_per_k = s->alpha_per_k;
  return EB_OK;
}

/* The cold plate's membrane [E]: its base, and the fins' share of the
 * channel height (fins carry force along their length only; taken as
 * isotropic). It matters only with friction: a sliding plate is free. */
static double cold_plate_thickness(const CaseLayer *L) {
  const double pitch = L->channel_width_m + L->fin_thickness_m;
  return L->thickness_m + L->channel_height_m * (pitch > 0 ? L->fin_thickness_m / pitch : 0.0);
}

/* Bilinear value of a nodal field at (x, y) inside block (I, J). */
static double at_node_field(const Coarse *k, const double *f, int I, int J, double x, double y) {
  const int NX = k->nx + 1;
  const double fx = (x - k->x[I]) / (k->x[I + 1] - k->x[I]);
  const double fy = (y - k->y[J]) / (k->y[J + 1] - k->y[J]);
  const double f00 = f[I + NX * J], f10 = f[I + 1 + NX * J];
  const double f01 = f[I + NX * (J + 1)], f11 = f[I + 1 + NX * (J + 1)];
  return (1 - fy) * ((1 - fx) * f00 + fx * f10) + fy * ((1 - fx) * f01 + fx * f11);
}

static int alloc_maps(MechanicsResult *r, size_t n) {
  double **m[] = {&r->strain, &r->wafer_vm, &r->wafer_s1, &r->wafer_s2, &r->pcb_vm,
                  &r->pcb_s1, &r->pcb_s2, &r->slip_x, &r->slip_y};
  for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
    if (!(*m[i] = calloc(n, sizeof(double)))) return 1;
  return 0;
}

void MechanicsResult_free(MechanicsResult *r) {
  free(r->strain);
  free(r->wafer_vm);
  free(r->wafer_s1);
  free(r->wafer_s2);
  free(r->pcb_vm);
  free(r->pcb_s1);
  free(r->pcb_s2);
  free(r->slip_x);
  free(r->slip_y);
  free(r->edge);
  memset(r, 0, sizeof *r);
}

/* Summary extremes and the maps on the thermal grid. */
static void post(const Grid *g, const Coarse *k, const InplaneSolution *s, double h_conn,
                 MechanicsResult *r) {
  const int NX = k->nx + 1, NY = k->ny + 1;
  const size_t nn = (size_t)NX * NY;
  double *gam = malloc(nn * sizeof(double)), *sx = malloc(nn * sizeof(double));
  double *sy = malloc(nn * sizeof(double));
  if (!gam || !sx || !sy) goto out;
  for (size_t n = 0; n < nn; n++) {
    gam[n] = hypot(s->u[PLATE_WAFER][0][n] - s->u[PLATE_PCB][0][n],
                   s->u[PLATE_WAFER][1][n] - s->u[PLATE_PCB][1][n]) / h_conn;
    sx[n] = s->u[PLATE_COLD][0][n] - s->u[PLATE_WAFER][0][n];
    sy[n] = s->u[PLATE_COLD][1][n] - s->u[PLATE_WAFER][1][n];
    if (gam[n] > r->strain_max) {
      r->strain_max = gam[n];
      r->strain_x_m = k->x[n % NX];
      r->strain_y_m = k->y[n / NX];
    }
  }
  /* the perimeter, counter-clockwise from (0, 0) */
  r->n_edge = 2 * (k->nx + k->ny);
  r->edge = calloc((size_t)r->n_edge, sizeof *r->edge);
  if (!r->edge) r->n_edge = 0;
  double pos = 0.0;
  for (int e = 0; e < r->n_edge; e++) {
    int i, j;
    if (e < k->nx) i = e, j = 0;
    else if (e < k->nx + k->ny) i = k->nx, j = e - k->nx;
    else if (e < 2 * k->nx + k->ny) i = k->nx - (e - k->nx - k->ny), j = k->ny;
    else i = 0, j = k->ny - (e - 2 * k->nx - k->ny);
    const size_t n = (size_t)i + (size_t)NX * j;
    MechEdgePoint *pt = &r->edge[e];
    if (e > 0) pos += hypot(k->x[i] - r->edge[e - 1].x_m, k->y[j] - r->edge[e - 1].y_m);
    *pt = (MechEdgePoint){pos, k->x[i], k->y[j], hypot(sx[n], sy[n]), gam[n]};
    if (pt->slip_m > r->slip_max_m) {
      r->slip_max_m = pt->slip_m;
      r->slip_x_m = pt->x_m;
      r->slip_y_m = pt->y_m;
    }
  }
  /* stresses per block */
  for (int J = 0; J < k->ny; J++)
    for (int I = 0; I < k->nx; I++) {
      const size_t b = (size_t)I + (size_t)k->nx * J;
      const double xc = 0.5 * (k->x[I] + k->x[I + 1]), yc = 0.5 * (k->y[J] + k->y[J + 1]);
      const double wv = Inplane_von_mises(s->sxx[PLATE_WAFER][b], s->syy[PLATE_WAFER][b],
                                          s->sxy[PLATE_WAFER][b]);
      const double pv = Inplane_von_mises(s->sxx[PLATE_PCB][b], s->syy[PLATE_PCB][b],
                                          s->sxy[PLATE_PCB][b]);
      double s1, s2;
      Inplane_principal(s->sxx[PLATE_WAFER][b], s->syy[PLATE_WAFER][b], s->sxy[PLATE_WAFER][b], &s1,
                        &s2);
      r->wafer_tension_max_pa = fmax(r->wafer_tension_max_pa, s1);
      if (wv > r->wafer_vm_max_pa) {
        r->wafer_vm_max_pa = wv;
        r->wafer_vm_x_m = xc;
        r->wafer_vm_y_m = yc;
      }
      if (pv > r->pcb_vm_max_pa) {
        r->pcb_vm_max_pa = pv;
        r->pcb_vm_x_m = xc;
        r->pcb_vm_y_m = yc;
      }
    }
  /* maps: block stresses on their cells, nodal fields interpolated */
  for (int j = 0; j < g->ny; j++)
    for (int i = 0; i < g->nx; i++) {
      const size_t c = (size_t)i + (size_t)g->nx * j;
      const int I = k->bx[i], J = k->by[j];
      const size_t b = (size_t)I + (size_t)k->nx * J;
      const double xc = 0.5 * (g->x[i] + g->x[i + 1]), yc = 0.5 * (g->y[j] + g->y[j + 1]);
      r->strain[c] = at_node_field(k, gam, I, J, xc, yc);
      r->slip_x[c] = at_node_field(k, sx, I, J, xc, yc);
      r->slip_y[c] = at_node_field(k, sy, I, J, xc, yc);
      r->wafer_vm[c] = Inplane_von_mises(s->sxx[PLATE_WAFER][b], s->syy[PLATE_WAFER][b],
                                         s->sxy[PLATE_WAFER][b]);
      r->pcb_vm[c] = Inplane_von_mises(s->sxx[PLATE_PCB][b], s->syy[PLATE_PCB][b],
                                       s->sxy[PLATE_PCB][b]);
      Inplane_principal(s->sxx[PLATE_WAFER][b], s->syy[PLATE_WAFER][b], s->sxy[PLATE_WAFER][b],
                        &r->wafer_s1[c], &r->wafer_s2[c]);
      Inplane_principal(s->sxx[PLATE_PCB][b], s->syy[PLATE_PCB][b], s->sxy[PLATE_PCB][b],
                        &r->pcb_s1[c], &r->pcb_s2[c]);
    }
out:
  free(gam);
  free(sx);
  free(sy);
}

/* Area mean of a plate's biaxial membrane force (N/m). */
static double mean_force(const Coarse *k, const InplaneSolution *s, int pl, double h) {
  double sum = 0.0, area = 0.0;
  for (int J = 0; J < k->ny; J++)
    for (int I = 0; I < k->nx; I++) {
      const size_t b = (size_t)I + (size_t)k->nx * J;
      const double a = (k->x[I + 1] - k->x[I]) * (k->y[J + 1] - k->y[J]);
      sum += a * 0.5 * (s->sxx[pl][b] + s->syy[pl][b]) * h;
      area += a;
    }
  return sum / area;
}

static double area_mean(const Coarse *k, const double *t) {
  double sum = 0.0, area = 0.0;
  for (int J = 0; J < k->ny; J++)
    for (int I = 0; I < k->nx; I++) {
      const double a = (k->x[I + 1] - k->x[I]) * (k->y[J + 1] - k->y[J]);
      sum += a * t[(size_t)I + (size_t)k->nx * J];
      area += a;
    }
  return sum / area;
}

/* Bow of the wafer / connector / PCB stack (z from the wafer's cold-plate
 * face towards the PCB). The plates bend together about their own
 * mid-planes, driven by the membrane forces the connector transfers:
 * moment balance sum(N_i z_i) + kappa sum(D_i) = 0, D_i = E'_i h_i^3 / 12
 * (Suhir's compliant-interface assembly, physics.md 8.2). That misses the
 * relief of the bending strain at the interfaces, so it is capped by the
 * bonded laminate (classical laminate theory), the stiff-connector limit. */
static void bow(const Case *c, const InplaneProblem *p, const InplaneSolution *s, const Coarse *k,
                const double *tm[3], double h_conn, const Solid *conn, MechanicsResult *r) {
  const InplanePlate *w = &p->plate[PLATE_WAFER], *b = &p->plate[PLATE_PCB];
  const double zw = 0.5 * w->h_m, zb = w->h_m + h_conn + 0.5 * b->h_m;
  const double dw = w->e_pa / (1 - w->nu) * pow(w->h_m, 3) / 12.0;
  const double db = b->e_pa / (1 - b->nu) * pow(b->h_m, 3) / 12.0;
  const double nw = mean_force(k, s, PLATE_WAFER, w->h_m), nb = mean_force(k, s, PLATE_PCB, b->h_m);
  double kappa = -(nw * zw + nb * zb) / (dw + db);
  /* bonded: the laminate with the layers' mean temperature changes */
  const double tref = c->mech.t_ref_k;
  LaminateLayer lay[3] = {
      {w->h_m, w->e_pa, w->nu, w->alpha_per_k, tm[0] ? area_mean(k, tm[0]) - tref : 0},
      {h_conn, conn->e_pa, conn->nu, conn->alpha_per_k, tm[1] ? area_mean(k, tm[1]) - tref : 0},
      {b->h_m, b->e_pa, b->nu, b->alpha_per_k, tm[2] ? area_mean(k, tm[2]) - tref : 0}};
  LaminateResult lr;
  double kb = NAN, d_bonded = NAN;
  if (Laminate_bend(3, lay, &lr) == EB_OK) {
    kb = lr.kappa_per_m;
    d_bonded = lr.d_nm;
  }
  double d = dw + db;
  if (isfinite(kb) && fabs(kb) < fabs(kappa)) {
    kappa = kb;
    d = d_bonded;
  }
  r->curvature_per_m = kappa;
  r->warpage_m = fabs(Laminate_bow(kappa, c->wafer_size_m));
  r->warpage_bonded_m = isfinite(kb) ? fabs(Laminate_bow(kb, c->wafer_size_m)) : NAN;
  snprintf(r->warpage_shape, sizeof r->warpage_shape, "%s",
           kappa > 0 ? "corners towards the cold plate, centre away (the contact opens at the centre)"
           : kappa < 0 ? "centre towards the cold plate, corners away (the contact opens at the corners)"
                       : "flat");
  r->flatten_pa = Laminate_flatten_pressure(kappa, d, w->nu, 0.5 * c->wafer_size_m);
}

int Mechanics_solve(const Case *c, const Grid *g, const double *t_k, const double *ref_t_k,
                    GridRows rows, MPI_Comm comm, const char *ref_label, InplaneSolver *kept, MechanicsResult *r, char *err,
                    size_t es) {
  memset(r, 0, sizeof *r);
  if (es) err[0] = '\0'; /* a gather's failure writes its own message */
  const double t0 = MPI_Wtime();
  const CaseMechanics *m = &c->mech;
  const int lw = Case_layer_named(c, m->wafer_layer), lc = Case_layer_named(c, m->connector_layer);
  const int lp = Case_layer_named(c, m->pcb_layer), lk = Case_layer_named(c, m->cold_plate_layer);
  if (lw < 0 || lc < 0 || lp < 0 || lk < 0) {
    snprintf(err, es, "mechanics: a layer the mechanics section names is not in the stack");
    return EB_EINPUT;
  }
  const Solid *conn = Case_solid(c, c->layers[lc].material);
  const double h_conn = c->layers[lc].thickness_m;
  if (!conn || !(conn->g_pa > 0) || !(h_conn > 0)) {
    snprintf(err, es, "mechanics: the connector layer '%s' needs a shear modulus and a thickness",
             m->connector_layer);
    return EB_EINPUT;
  }
  const size_t nxy = (size_t)g->nx * g->ny;
  Coarse k = {0};
  k.x = malloc((size_t)(g->nx + 1) * sizeof(double));
  k.y = malloc((size_t)(g->ny + 1) * sizeof(double));
  k.bx = malloc((size_t)g->nx * sizeof(int));
  k.by = malloc((size_t)g->ny * sizeof(int));
  double *lt = malloc((size_t)g->nx * g->ny * sizeof(double)); /* a layer's thermal-cell means */
  double *bt[4] = {0}, *rt[4] = {0};                 /* block means, and the reference's */
  const int layers[4] = {lw, lp, lk, lc};
  int rc = k.x && k.y && k.bx && k.by && lt ? EB_OK : EB_EFAIL;
  if (rc == EB_OK) {
    k.nx = coarsen(g->x, g->nx, m->dx_m, k.x, k.bx);
    k.ny = coarsen(g->y, g->ny, m->dx_m, k.y, k.by);
  }
  const size_t nb = (size_t)k.nx * k.ny;
  for (int i = 0; rc == EB_OK && i < 4; i++) {
    bt[i] = malloc(nb * sizeof(double));
    rt[i] = ref_t_k ? malloc(nb * sizeof(double)) : NULL;
    if (!bt[i] || (ref_t_k && !rt[i])) {
      rc = EB_EFAIL;
      break;
    }
    Mechanics_layer_mean(g, rows, layers[i], t_k, lt);
    rc = Rows_gather_plane(comm, g, lt, err, es);
    if (rc == EB_OK) rc = block_mean(g, &k, lt, bt[i]);
    if (rc == EB_OK && ref_t_k) {
      Mechanics_layer_mean(g, rows, layers[i], ref_t_k, lt);
      rc = Rows_gather_plane(comm, g, lt, err, es);
      if (rc == EB_OK) rc = block_mean(g, &k, lt, rt[i]);
    }
  }
  if (rc != EB_OK && !err[0]) snprintf(err, es, "mechanics: out of memory");
  InplaneProblem p = {.nx = k.nx, .ny = k.ny, .x_m = k.x, .y_m = k.y, .t_ref_k = m->t_ref_k,
                      .connector_k_pa_m = conn ? conn->g_pa / h_conn : 0,
                      .contact = m->contact == CONTACT_FRICTION ? INPLANE_FRICTION : INPLANE_SLIP,
                      .friction_coeff = m->friction_coeff, .preload_pa = m->preload_pa};
  if (rc == EB_OK) rc = plate_of(c, m->wafer_layer, "wafer", 0, &p.plate[PLATE_WAFER], err, es);
  if (rc == EB_OK) rc = plate_of(c, m->pcb_layer, "PCB", 0, &p.plate[PLATE_PCB], err, es);
  if (rc == EB_OK)
    rc = plate_of(c, m->cold_plate_layer, "cold plate", cold_plate_thickness(&c->layers[lk]),
                  &p.plate[PLATE_COLD], err, es);
  for (int i = 0; rc == EB_OK && i < 3; i++) {
    p.plate[i].t_k = bt[i];
    p.plate[i].t_ref_k = rt[i];
  }
  InplaneSolution s = {0};
  if (rc == EB_OK)
    rc = kept ? InplaneSolver_solve(kept, &p, &s, err, es) : Inplane_solve(&p, &s, err, es);
  if (rc == EB_OK && alloc_maps(r, nxy)) {
    snprintf(err, es, "mechanics: out of memory");
    rc = EB_EFAIL;
  }
  if (rc == EB_OK) {
    r->nx = g->nx;
    r->ny = g->ny;
    r->cells_x = k.nx;
    r->cells_y = k.ny;
    r->linear_iters = s.linear_iters;
    r->contact_passes = s.contact_iters;
    r->preload_pa = m->preload_pa;
    snprintf(r->contact, sizeof r->contact, "%s", m->contact == CONTACT_FRICTION ? "friction" : "slip");
    if (ref_t_k)
      snprintf(r->reference, sizeof r->reference, "%s", ref_label ? ref_label : "another state");
    else
      snprintf(r->reference, sizeof r->reference, "stress-free at %.4g C", m->t_ref_k - 273.15);
    r->wafer_t_mean_k = area_mean(&k, bt[0]);
    r->pcb_t_mean_k = area_mean(&k, bt[1]);
    r->cold_t_mean_k = area_mean(&k, bt[2]);
    post(g, &k, &s, h_conn, r);
    /* the bow: from the stress-free state only (a range between two
     * states is a strain range, not a shape) */
    const double *tm[3] = {bt[0], bt[3], bt[1]};
    if (!ref_t_k) bow(c, &p, &s, &k, tm, h_conn, conn, r);
    else {
      r->curvature_per_m = r->warpage_m = r->warpage_bonded_m = r->flatten_pa = NAN;
      snprintf(r->warpage_shape, sizeof r->warpage_shape, "not computed for a strain range");
    }
    r->seconds = MPI_Wtime() - t0;
  }
  InplaneSolution_free(&s);
  free(lt);
  for (int i = 0; i < 4; i++) {
    free(bt[i]);
    free(rt[i]);
  }
  coarse_free(&k);
  if (rc != EB_OK) MechanicsResult_free(r);
  return rc;
}

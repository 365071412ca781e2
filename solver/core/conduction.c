/* conduction.c - assembly of the FV conduction operator and its hypre solve. */
#include "conduction.h"

#include <math.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "HYPRE_struct_ls.h"

/* k(T)/k(T_ref) of the cells of the planes that hold a temperature-dependent
 * solid, refreshed once per assembly: each cell's factor is used by its six
 * faces from both sides, and pow() dominated the assembly without it. */
typedef struct {
  int *slot;   /* per z plane: row in fac, or -1 */
  double *fac; /* n_slots * nx * ny */
  int n_slots;
} KCache;

struct Conduction {
  const Grid *g;
  ConductionOptions opt;
  HYPRE_StructGrid hgrid;
  HYPRE_StructStencil stencil;
  HYPRE_StructMatrix A;
  HYPRE_StructVector b, x;
  HYPRE_StructSolver pcg, pfmg;
  int solver_ready;
  double *plane;  /* 4 * nx * ny scratch for one z plane of matrix values */
  double *gz;     /* nx * ny: +z face conductances carried between planes */
  double *gy_row; /* nx: +y face conductances carried between rows */
  int has_void;   /* any masked cell: the solution gets NAN there */
  KCache kc;
  /* MPI: each rank owns the rows j0..j1 (all x, all z) of the matrix; the
   * grid and the fields are replicated, so faces across the cut are
   * computed from the full arrays and each solution is gathered to every
   * rank. One rank owns everything and gathers nothing. */
  int rank, nranks, j0, j1;
  double *pack;            /* own box, x fastest then y then z */
  double *gathered;        /* every rank's box, rank after rank */
  int *counts, *displs;    /* per rank, for MPI_Allgatherv */
};

/* Symmetric 7-point stencil: hypre stores the lower half plus the centre. */
enum { S_XM = 0, S_YM, S_ZM, S_C, S_N };
static int offsets[S_N][3] = {{-1, 0, 0}, {0, -1, 0}, {0, 0, -1}, {0, 0, 0}};

static double cell_k(const Grid *g, const ConductionProblem *p, const KCache *kc, size_t idx,
                     int k, int axis) {
  const Solid *s = &g->solids[g->solid_id[idx]];
  double kk = axis == 0 ? s->kx_w_mk : axis == 1 ? s->ky_w_mk : s->kz_w_mk;
  if (p->t_prop_k && s->k_exponent != 0.0) {
    const size_t ncol = (size_t)g->nx * g->ny;
    kk *= kc && kc->slot[k] >= 0 ? kc->fac[(size_t)kc->slot[k] * ncol + idx % ncol]
                                 : Solid_k_factor(s, p->t_prop_k[idx]);
  }
  return kk;
}

static double face_g(const Grid *g, const ConductionProblem *p, const KCache *kc, int i, int j,
                     int k, int axis) {
  int i2 = i + (axis == 0), j2 = j + (axis == 1), k2 = k + (axis == 2);
  size_t a = Grid_index(g, i, j, k), b = Grid_index(g, i2, j2, k2);
  if (g->solid_id[a] == GRID_VOID || g->solid_id[b] == GRID_VOID) return 0.0;
  double area, da, db, rc = 0.0;
  if (axis == 0) {
    area = Grid_dy(g, j) * Grid_dz(g, k);
    da = Grid_dx(g, i);
    db = Grid_dx(g, i2);
  } else if (axis == 1) {
    area = Grid_dx(g, i) * Grid_dz(g, k);
    da = Grid_dy(g, j);
    db = Grid_dy(g, j2);
  } else {
    area = Grid_dx(g, i) * Grid_dy(g, j);
    da = Grid_dz(g, k);
    db = Grid_dz(g, k2);
    if (p->rc_face_z) rc = p->rc_face_z[k2];
  }
  return area / (0.5 * da / cell_k(g, p, kc, a, k, axis) + rc + 0.5 * db / cell_k(g, p, kc, b, k2, axis));
}

double Conduction_face_g(const Grid *g, const ConductionProblem *p, int i, int j, int k, int axis) {
  return face_g(g, p, NULL, i, j, k, axis);
}

static double robin_g(const Grid *g, const ConductionProblem *p, const KCache *kc, int i, int j,
                      int k, double h_w_m2k) {
  size_t a = Grid_index(g, i, j, k);
  if (h_w_m2k <= 0.0 || g->solid_id[a] == GRID_VOID) return 0.0;
  double area = Grid_dx(g, i) * Grid_dy(g, j);
  return area / (0.5 * Grid_dz(g, k) / cell_k(g, p, kc, a, k, 2) + 1.0 / h_w_m2k);
}

double Conduction_robin_g(const Grid *g, const ConductionProblem *p, int i, int j, int k,
                          double h_w_m2k) {
  return robin_g(g, p, NULL, i, j, k, h_w_m2k);
}

/* Refresh the cached k(T) factors of planes k_first..k_last. */
static void kcache_update(Conduction *c, const ConductionProblem *p, int k_first, int k_last) {
  const Grid *g = c->g;
  const size_t ncol = (size_t)g->nx * g->ny;
  if (!p->t_prop_k) return;
  for (int k = k_first < 0 ? 0 : k_first; k <= k_last && k < g->nz; k++) {
    if (c->kc.slot[k] < 0) continue;
    double *f = c->kc.fac + (size_t)c->kc.slot[k] * ncol;
    for (size_t col = 0; col < ncol; col++) {
      size_t idx = (size_t)k * ncol + col;
      uint8_t s = g->solid_id[idx];
      f[col] = s == GRID_VOID ? 1.0 : Solid_k_factor(&g->solids[s], p->t_prop_k[idx]);
    }
  }
}

static int hypre_failed(int rc, const char *what, char *err, size_t err_size) {
  if (rc == 0) return 0;
  char desc[256] = "";
  HYPRE_DescribeError(rc, desc);
  HYPRE_ClearAllErrors();
  snprintf(err, err_size, "hypre: %s failed (%d: %s)", what, rc, desc);
  return 1;
}

int Conduction_create(const Grid *g, const ConductionOptions *opt, Conduction **out, char *err,
                      size_t err_size) {
  *out = NULL;
  int mpi_ready = 0;
  MPI_Initialized(&mpi_ready);
  if (!mpi_ready) {
    snprintf(err, err_size, "conduction: MPI is not initialised (call Runtime_init first)");
    return EB_EFAIL;
  }
  Conduction *c = calloc(1, sizeof *c);
  if (!c) goto oom;
  c->g = g;
  c->opt = *opt;
  MPI_Comm_rank(MPI_COMM_WORLD, &c->rank);
  MPI_Comm_size(MPI_COMM_WORLD, &c->nranks);
  if (c->nranks > g->ny) {
    snprintf(err, err_size, "conduction: %d MPI ranks for %d grid rows; use at most %d ranks",
             c->nranks, g->ny, g->ny);
    free(c);
    return EB_EINPUT;
  }
  /* rows split as evenly as possible: rank r owns [r ny / n, (r+1) ny / n) */
  c->j0 = (int)((long)c->rank * g->ny / c->nranks);
  c->j1 = (int)((long)(c->rank + 1) * g->ny / c->nranks) - 1;
  if (c->nranks > 1) {
    const size_t own = (size_t)g->nx * (size_t)(c->j1 - c->j0 + 1) * (size_t)g->nz;
    c->pack = malloc(own * sizeof *c->pack);
    c->gathered = malloc(Grid_cells(g) * sizeof *c->gathered);
    c->counts = malloc((size_t)c->nranks * sizeof *c->counts);
    c->displs = malloc((size_t)c->nranks * sizeof *c->displs);
    if (!c->pack || !c->gathered || !c->counts || !c->displs) goto oom;
    for (int r = 0, off = 0; r < c->nranks; r++) {
      int rows = (int)((long)(r + 1) * g->ny / c->nranks - (long)r * g->ny / c->nranks);
      c->counts[r] = g->nx * rows * g->nz;
      c->displs[r] = off;
      off += c->counts[r];
    }
  }
  c->plane = malloc((size_t)S_N * g->nx * g->ny * sizeof *c->plane);
  c->kc.slot = malloc((size_t)g->nz * sizeof *c->kc.slot);
  c->gz = malloc((size_t)g->nx * g->ny * sizeof *c->gz);
  c->gy_row = malloc((size_t)g->nx * sizeof *c->gy_row);
  if (!c->plane || !c->kc.slot || !c->gz || !c->gy_row) goto oom;
  const size_t ncol = (size_t)g->nx * g->ny;
  for (int k = 0; k < g->nz; k++) {
    int dep = 0;
    for (size_t col = 0; col < ncol && !dep; col++) {
      uint8_t s = g->solid_id[(size_t)k * ncol + col];
      dep = s != GRID_VOID && g->solids[s].k_exponent != 0.0;
    }
    c->kc.slot[k] = dep ? c->kc.n_slots++ : -1;
  }
  for (size_t idx = 0; idx < Grid_cells(g) && !c->has_void; idx++)
    c->has_void = g->solid_id[idx] == GRID_VOID;
  if (c->kc.n_slots > 0) {
    c->kc.fac = malloc((size_t)c->kc.n_slots * ncol * sizeof *c->kc.fac);
    if (!c->kc.fac) goto oom;
  }

  int lo[3] = {0, c->j0, 0}, hi[3] = {g->nx - 1, c->j1, g->nz - 1};
  int rc = HYPRE_StructGridCreate(MPI_COMM_WORLD, 3, &c->hgrid);
  rc |= HYPRE_StructGridSetExtents(c->hgrid, lo, hi);
  rc |= HYPRE_StructGridAssemble(c->hgrid);
  rc |= HYPRE_StructStencilCreate(3, S_N, &c->stencil);
  for (int s = 0; s < S_N; s++) rc |= HYPRE_StructStencilSetElement(c->stencil, s, offsets[s]);
  rc |= HYPRE_StructMatrixCreate(MPI_COMM_WORLD, c->hgrid, c->stencil, &c->A);
  rc |= HYPRE_StructMatrixSetSymmetric(c->A, 1);
  rc |= HYPRE_StructMatrixInitialize(c->A);
  rc |= HYPRE_StructVectorCreate(MPI_COMM_WORLD, c->hgrid, &c->b);
  rc |= HYPRE_StructVectorInitialize(c->b);
  rc |= HYPRE_StructVectorCreate(MPI_COMM_WORLD, c->hgrid, &c->x);
  rc |= HYPRE_StructVectorInitialize(c->x);
  if (hypre_failed(rc, "creating the structured grid and matrix", err, err_size)) {
    Conduction_destroy(c);
    return EB_EFAIL;
  }
  *out = c;
  return EB_OK;
oom:
  Conduction_destroy(c);
  snprintf(err, err_size, "conduction: out of memory for %d x %d x %d cells", g->nx, g->ny, g->nz);
  return EB_EFAIL;
}

static void destroy_solver(Conduction *c) {
  if (!c->solver_ready) return;
  HYPRE_StructPCGDestroy(c->pcg);
  HYPRE_StructPFMGDestroy(c->pfmg);
  c->solver_ready = 0;
}

void Conduction_destroy(Conduction *c) {
  if (!c) return;
  destroy_solver(c);
  if (c->x) HYPRE_StructVectorDestroy(c->x);
  if (c->b) HYPRE_StructVectorDestroy(c->b);
  if (c->A) HYPRE_StructMatrixDestroy(c->A);
  if (c->stencil) HYPRE_StructStencilDestroy(c->stencil);
  if (c->hgrid) HYPRE_StructGridDestroy(c->hgrid);
  free(c->plane);
  free(c->gz);
  free(c->gy_row);
  free(c->kc.slot);
  free(c->kc.fac);
  free(c->pack);
  free(c->gathered);
  free(c->counts);
  free(c->displs);
  free(c);
}

/* PCG with one PFMG V-cycle as preconditioner. Symmetric red-black
 * Gauss-Seidel keeps the preconditioner symmetric; Galerkin coarse operators
 * follow the conductivity jumps between layers; one sweep before and after,
 * on every level (no skip-relax). Measured on the CS-3 case at 3.0 M cells
 * (whole fixed-point solve): these settings 17 PCG iterations, 4.9 s;
 * skip-relax on 31 its, 6.3 s; two sweeps 21 its, 6.3 s; weighted Jacobi
 * 16 its, 5.9 s; SMG (plane smoothing) 3.4x slower at 0.8 M cells. */
static int setup_solver(Conduction *c, char *err, size_t err_size) {
  int rc = HYPRE_StructPFMGCreate(MPI_COMM_WORLD, &c->pfmg);
  rc |= HYPRE_StructPFMGSetMaxIter(c->pfmg, 1);
  rc |= HYPRE_StructPFMGSetTol(c->pfmg, 0.0);
  rc |= HYPRE_StructPFMGSetZeroGuess(c->pfmg);
  rc |= HYPRE_StructPFMGSetRAPType(c->pfmg, 0);
  rc |= HYPRE_StructPFMGSetRelaxType(c->pfmg, 2);
  rc |= HYPRE_StructPFMGSetNumPreRelax(c->pfmg, 1);
  rc |= HYPRE_StructPFMGSetNumPostRelax(c->pfmg, 1);
  rc |= HYPRE_StructPFMGSetSkipRelax(c->pfmg, 0);
  /* Coarsen laterally before z. PFMG picks each level's semi-coarsening
   * direction from a global coupling estimate; on a layered stack (a
   * z-coupled wafer next to an x/y-coupled PCB) that estimate favours z too
   * early. Telling it z spacing is twice the lateral one cut the CS-3 PCG
   * iterations from 66 to 35 at 3.4 M cells with two sweeps (measured;
   * 1:1:1.5 gave no gain, 1:1:2 to 1:1:3 the same). */
  double dxyz[3] = {1.0, 1.0, 2.0};
  rc |= HYPRE_StructPFMGSetDxyz(c->pfmg, dxyz);
  rc |= HYPRE_StructPCGCreate(MPI_COMM_WORLD, &c->pcg);
  rc |= HYPRE_StructPCGSetTol(c->pcg, c->opt.rel_tol);
  rc |= HYPRE_StructPCGSetMaxIter(c->pcg, c->opt.max_iters);
  rc |= HYPRE_StructPCGSetTwoNorm(c->pcg, 1);
  rc |= HYPRE_StructPCGSetRelChange(c->pcg, 0);
  rc |= HYPRE_StructPCGSetPrecond(c->pcg, HYPRE_StructPFMGSolve, HYPRE_StructPFMGSetup, c->pfmg);
  c->solver_ready = 1;
  rc |= HYPRE_StructPCGSetup(c->pcg, c->A, c->b, c->x);
  if (hypre_failed(rc, "setting up PCG + PFMG", err, err_size)) return EB_EFAIL;
  return EB_OK;
}

/* Matrix rows and right-hand side of planes k_first..k_last (this rank's
 * rows j0..j1). */
static int set_planes(Conduction *c, const ConductionProblem *p, int k_first, int k_last) {
  const Grid *g = c->g;
  const int nx = g->nx, ny = g->ny, nz = g->nz, j0 = c->j0, j1 = c->j1;
  int entries[S_N] = {S_XM, S_YM, S_ZM, S_C};
  double *rhs = c->plane; /* reuse: matrix plane first, then rhs plane */
  const KCache *kc = &c->kc;
  int rc = 0;
  kcache_update(c, p, k_first - 1, k_last + 1);
  /* Each face is computed once: the -x and -y faces of a cell are the +x
   * and +y faces of the cells before it (carried in gx and gy_row), its -z
   * face the +z face of the plane below (carried in gz). */
  double *gz = c->gz, *gy_row = c->gy_row;
  for (int j = j0; j <= j1; j++)
    for (int i = 0; i < nx; i++)
      gz[(size_t)j * nx + i] = k_first > 0 ? face_g(g, p, kc, i, j, k_first - 1, 2) : 0.0;
  for (int k = k_first; k <= k_last; k++) {
    double *v = c->plane;
    /* the -y faces of the first own row: from the row before (another
     * rank's), or none at the wafer edge */
    for (int i = 0; i < nx; i++) gy_row[i] = j0 > 0 ? face_g(g, p, kc, i, j0 - 1, k, 1) : 0.0;
    for (int j = j0; j <= j1; j++) {
      double gx = 0.0;
      for (int i = 0; i < nx; i++) {
        size_t col = (size_t)j * nx + i;
        double *e = v + S_N * ((size_t)(j - j0) * nx + i);
        double gxm = gx, gym = gy_row[i], gzm = gz[col];
        if (g->solid_id[Grid_index(g, i, j, k)] == GRID_VOID) {
          e[S_XM] = e[S_YM] = e[S_ZM] = 0.0;
          e[S_C] = 1.0;
          gx = gy_row[i] = gz[col] = 0.0;
          continue;
        }
        double gxp = i < nx - 1 ? face_g(g, p, kc, i, j, k, 0) : 0.0;
        double gyp = j < ny - 1 ? face_g(g, p, kc, i, j, k, 1) : 0.0;
        double gzp = k < nz - 1 ? face_g(g, p, kc, i, j, k, 2) : 0.0;
        double diag = gxm + gxp + gym + gyp + gzm + gzp;
        if (k == 0 && p->h_lo) diag += robin_g(g, p, kc, i, j, k, p->h_lo[col]);
        if (k == nz - 1 && p->h_hi) diag += robin_g(g, p, kc, i, j, k, p->h_hi[col]);
        e[S_XM] = -gxm;
        e[S_YM] = -gym;
        e[S_ZM] = -gzm;
        e[S_C] = diag;
        gx = gxp;
        gy_row[i] = gyp;
        gz[col] = gzp;
      }
    }
    int plo[3] = {0, j0, k}, phi[3] = {nx - 1, j1, k};
    rc |= HYPRE_StructMatrixSetBoxValues(c->A, plo, phi, S_N, entries, v);

    for (int j = j0; j <= j1; j++)
      for (int i = 0; i < nx; i++) {
        size_t col = (size_t)j * nx + i, idx = Grid_index(g, i, j, k);
        double r = 0.0;
        if (g->solid_id[idx] != GRID_VOID) {
          if (k == 0 && p->h_lo) r += robin_g(g, p, kc, i, j, k, p->h_lo[col]) * p->t_lo[col];
          if (k == nz - 1 && p->h_hi)
            r += robin_g(g, p, kc, i, j, k, p->h_hi[col]) * p->t_hi[col];
          if (p->src_col_w && k == p->k_src) r += p->src_col_w[col];
          if (p->src_cell_w) r += p->src_cell_w[idx];
        }
        rhs[(size_t)(j - j0) * nx + i] = r;
      }
    rc |= HYPRE_StructVectorSetBoxValues(c->b, plo, phi, rhs);
  }
  return rc;
}

int Conduction_update(Conduction *c, const ConductionProblem *p, int k_first, int k_last,
                      char *err, size_t err_size) {
  if (k_first < 0) k_first = 0;
  if (k_last > c->g->nz - 1) k_last = c->g->nz - 1;
  if (!c->solver_ready) return Conduction_assemble(c, p, 0, err, err_size);
  int rc = set_planes(c, p, k_first, k_last);
  rc |= HYPRE_StructMatrixAssemble(c->A);
  rc |= HYPRE_StructVectorAssemble(c->b);
  if (hypre_failed(rc, "updating the conduction matrix", err, err_size)) return EB_EFAIL;
  return EB_OK;
}

int Conduction_assemble(Conduction *c, const ConductionProblem *p, int rebuild, char *err,
                        size_t err_size) {
  int rc = set_planes(c, p, 0, c->g->nz - 1);
  rc |= HYPRE_StructMatrixAssemble(c->A);
  rc |= HYPRE_StructVectorAssemble(c->b);
  if (hypre_failed(rc, "assembling the conduction matrix", err, err_size)) return EB_EFAIL;
  if (rebuild) destroy_solver(c);
  if (!c->solver_ready) return setup_solver(c, err, err_size);
  return EB_OK;
}

void Conduction_set_tolerance(Conduction *c, double rel_tol) {
  c->opt.rel_tol = rel_tol;
  if (c->solver_ready) HYPRE_StructPCGSetTol(c->pcg, rel_tol);
}

int Conduction_solve(Conduction *c, double *t_k, int *iters, double *rel_res, char *err,
                     size_t err_size) {
  const Grid *g = c->g;
  const int nx = g->nx, ny = g->ny, nz = g->nz, j0 = c->j0, j1 = c->j1;
  const size_t own_col = (size_t)nx * (size_t)(j1 - j0 + 1), ncol = (size_t)nx * ny;
  int rc = 0;
  /* initial guess plane by plane (void cells may hold NAN) */
  for (int k = 0; k < nz; k++) {
    double *v = c->plane;
    const double *src = t_k + (size_t)k * ncol + (size_t)j0 * nx;
    for (size_t q = 0; q < own_col; q++) v[q] = isfinite(src[q]) ? src[q] : 0.0;
    int plo[3] = {0, j0, k}, phi[3] = {nx - 1, j1, k};
    rc |= HYPRE_StructVectorSetBoxValues(c->x, plo, phi, v);
  }
  rc |= HYPRE_StructVectorAssemble(c->x);
  if (hypre_failed(rc, "setting the initial guess", err, err_size)) return EB_EFAIL;

  int solve_rc = HYPRE_StructPCGSolve(c->pcg, c->A, c->b, c->x);
  int n = 0;
  double res = 0.0;
  HYPRE_StructPCGGetNumIterations(c->pcg, &n);
  HYPRE_StructPCGGetFinalRelativeResidualNorm(c->pcg, &res);
  HYPRE_ClearAllErrors();
  *iters = n;
  *rel_res = res;
  if (solve_rc != 0 || !(res <= c->opt.rel_tol)) {
    snprintf(err, err_size,
             "conduction: PCG did not converge: relative residual %.3e after %d iterations "
             "(tolerance %.1e); raise solver.max_linear_iters or check for an isolated solid "
             "region with no path to a coolant",
             res, n, c->opt.rel_tol);
    return EB_EFAIL;
  }
  int lo[3] = {0, j0, 0}, hi[3] = {nx - 1, j1, nz - 1};
  if (hypre_failed(HYPRE_StructVectorGetBoxValues(c->x, lo, hi, c->nranks > 1 ? c->pack : t_k),
                   "reading the solution", err, err_size))
    return EB_EFAIL;
  if (c->nranks > 1) {
    /* every rank needs the whole field (coolant march, k(T), output) */
    if (MPI_Allgatherv(c->pack, c->counts[c->rank], MPI_DOUBLE, c->gathered, c->counts, c->displs,
                       MPI_DOUBLE, MPI_COMM_WORLD) != MPI_SUCCESS) {
      snprintf(err, err_size, "conduction: MPI_Allgatherv of the solution failed");
      return EB_EFAIL;
    }
    for (int r = 0; r < c->nranks; r++) {
      int rj0 = (int)((long)r * ny / c->nranks), rj1 = (int)((long)(r + 1) * ny / c->nranks) - 1;
      const size_t rcol = (size_t)nx * (size_t)(rj1 - rj0 + 1);
      const double *blk = c->gathered + c->displs[r];
      for (int k = 0; k < nz; k++)
        memcpy(t_k + (size_t)k * ncol + (size_t)rj0 * nx, blk + (size_t)k * rcol,
               rcol * sizeof(double));
    }
  }
  if (c->has_void)
    for (size_t idx = 0; idx < Grid_cells(g); idx++)
      if (g->solid_id[idx] == GRID_VOID) t_k[idx] = NAN;
  return EB_OK;
}

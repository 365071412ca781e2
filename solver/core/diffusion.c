/* diffusion.c - assembly of the cell-centred diffusion operator and its
 * hypre Struct PCG + PFMG solve (see diffusion.h). */
#include "diffusion.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cases/case.h"
#include "HYPRE_struct_ls.h"
#include "HYPRE_utilities.h"
/* The inner product hypre's Struct PCG tests convergence with
 * (struct_mv/struct_innerprod.c, exported by libHYPRE). No public HYPRE_
 * call computes one, and its internal header does not build with -Wextra. */
HYPRE_Real hypre_StructInnerProd(struct hypre_StructVector_struct *x,
                                 struct hypre_StructVector_struct *y);

/* Half-cell resistances d/(2 k) (times 1/area: m/(W/mK)) of one z plane,
 * rows jlo..jhi: every face conductance is area / (sum of two of them), so
 * each cell's coefficient is looked up and divided once, not once per face
 * side. INFINITY marks a void cell (its faces come out as 0). */
typedef struct {
  double *hx, *hy, *hz;
} Half;

struct Diffusion {
  const Grid *g;
  DiffusionOptions opt;
  int nx, ny, nz;
  /* MPI: this rank owns rows j0..j1 (all x, all z) of the matrix; jlo..jhi
   * adds the neighbouring rows whose half-cells the faces across the cut
   * need. Fields are replicated, so nothing is exchanged to assemble. */
  int rank, nranks, j0, j1, jlo, jhi;
  HYPRE_StructGrid hgrid;
  HYPRE_StructStencil stencil;
  HYPRE_StructMatrix A;
  HYPRE_StructVector b, x, bx; /* bx: an external right-hand side, made at first use */
  HYPRE_StructSolver pcg, pfmg;
  /* the PCG solve under way (precondition): <b,b>, preconditioner calls
   * so far and V-cycles skipped */
  double pc_bb;
  int pc_calls, pc_skipped;
  int solver_ready;
  int stale;            /* the last assembly failed part-way: the matrix is half set */
  int ns;               /* stencil entries: S_N, or 3 (no z neighbours) on a single plane */
  double *dx, *dy, *dz; /* cell widths */
  double *vals;         /* S_N values per own cell of one plane */
  double *rhs;          /* one value per own cell of one plane */
  double *gz;           /* own columns: +z face conductances carried between planes */
  double *gy;           /* nx: +y face conductances carried between rows */
  Half half[2];         /* the plane being set and the one above it */
  uint8_t *void_mask;   /* per own cell (plane after plane of own rows): void at the
                           last assembly of its plane */
  int *void_count;      /* per plane: own void cells */
  int *rhs_nonzero;     /* per plane: own right-hand side entries that are not 0 */
  int ext_nonzero;      /* the same for the last external right-hand side */
  /* per material: 0.5 / k along x, y, z, checked and filled at first use in
   * each assembly (the table may change between assemblies) */
  double hk[256][3];
  uint8_t hk_ok[256];
  /* per rank: its rows' cells in one plane, and where they start in the
   * plane (the plane-by-plane MPI_Allgatherv of a solution, in place) */
  int *counts, *displs;
};

/* Symmetric 7-point stencil: hypre stores the lower half plus the centre.
 * A single plane (the duct cross-section, a sheet) is a 2D hypre grid with
 * the 5-point stencil: PFMG then relaxes and multiplies 5 points, not 7
 * with zero z entries (measured on the duct's 3840 x 96 cross-section:
 * 0.52 s -> 0.37 s). A 3D grid with a 5-point stencil is no option: PFMG's
 * Galerkin set-up takes it for 7-point and crashes. Index arrays keep 3
 * entries; hypre reads the first ndim. */
enum { S_XM = 0, S_YM, S_ZM, S_C, S_N };
static int offsets[S_N][3] = {{-1, 0, 0}, {0, -1, 0}, {0, 0, -1}, {0, 0, 0}};
static int offsets_plane[3][3] = {{-1, 0, 0}, {0, -1, 0}, {0, 0, 0}};

static const char *side_name[DIFF_SIDES] = {"x-lo", "x-hi", "y-lo", "y-hi", "z-lo", "z-hi"};

/* ---- coefficients shared by the assembly and the public face functions:
 * the same expressions in the same order, so a flux computed with
 * Diffusion_face_g balances the assembled matrix to the last bit. */

static inline double half_k(double k) { return k > 0.0 ? 0.5 / k : INFINITY; }
static inline double half_r(double width, double hk, double invf) { return width * hk * invf; }
static inline double face_of(double area, double ha, double r, double hb) {
  return area / (ha + r + hb);
}
static inline double bnd_of(double area, double half, double h) {
  return h > 0.0 ? area / (half + 1.0 / h) : 0.0; /* h = INFINITY: 1/h = 0, Dirichlet */
}
static inline double side_h(const DiffusionRobin *r, size_t f) { return r->h ? r->h[f] : r->h_all; }
static inline double side_t(const DiffusionRobin *r, size_t f) { return r->t ? r->t[f] : r->t_all; }

static double cell_invf(const DiffusionProblem *p, int k, size_t col) {
  return p->factor && p->factor[k] ? 1.0 / p->factor[k][col - p->coef_lo] : 1.0;
}

static double cell_half(const Grid *g, const DiffusionProblem *p, int i, int j, int k, int axis) {
  size_t col = (size_t)j * g->nx + i;
  uint8_t m = p->mat[k][col];
  if (m == DIFF_VOID) return INFINITY;
  double w = axis == 0 ? Grid_dx(g, i) : axis == 1 ? Grid_dy(g, j) : Grid_dz(g, k);
  return half_r(w, half_k(p->mat_k[m][axis]), cell_invf(p, k, col));
}

double Diffusion_face_g(const Grid *g, const DiffusionProblem *p, int i, int j, int k, int axis) {
  int i2 = i + (axis == 0), j2 = j + (axis == 1), k2 = k + (axis == 2);
  if (i < 0 || j < 0 || k < 0 || i2 >= g->nx || j2 >= g->ny || k2 >= g->nz || axis < 0 || axis > 2)
    return 0.0;
  double area = axis == 0   ? Grid_dy(g, j) * Grid_dz(g, k)
                : axis == 1 ? Grid_dx(g, i) * Grid_dz(g, k)
                            : Grid_dx(g, i) * Grid_dy(g, j);
  const size_t idx = (size_t)k * (p->coef_plane ? p->coef_plane : (size_t)g->nx * g->ny) +
                     (size_t)j * g->nx + i - p->coef_lo;
  double r = axis == 2   ? (p->r_face_z ? p->r_face_z[k2] : 0.0)
             : axis == 0 ? (p->r_face_x ? p->r_face_x[idx] : 0.0)
                         : (p->r_face_y ? p->r_face_y[idx] : 0.0);
  return face_of(area, cell_half(g, p, i, j, k, axis), r, cell_half(g, p, i2, j2, k2, axis));
}

double Diffusion_boundary_g(const Grid *g, const DiffusionProblem *p, int side, int i, int j,
                            int k) {
  if (side < 0 || side >= DIFF_SIDES || i < 0 || j < 0 || k < 0 || i >= g->nx || j >= g->ny ||
      k >= g->nz)
    return 0.0;
  const int axis = side / 2, hi = side % 2;
  const int at = axis == 0 ? i : axis == 1 ? j : k;
  const int last = (axis == 0 ? g->nx : axis == 1 ? g->ny : g->nz) - 1;
  if (at != (hi ? last : 0)) return 0.0;
  const DiffusionRobin *r = &p->robin[side];
  size_t f;
  double area;
  if (axis == 0) {
    f = (size_t)j + (size_t)g->ny * k;
    area = Grid_dy(g, j) * Grid_dz(g, k);
  } else if (axis == 1) {
    f = (size_t)i + (size_t)g->nx * k;
    area = Grid_dx(g, i) * Grid_dz(g, k);
  } else {
    f = (size_t)i + (size_t)g->nx * j - p->col_lo;
    area = Grid_dx(g, i) * Grid_dy(g, j);
  }
  if (!r->h && r->h_all == 0.0) return 0.0;
  return bnd_of(area, cell_half(g, p, i, j, k, axis), side_h(r, f));
}

/* ---- errors ---------------------------------------------------------------- */

/* 0 if a hypre call succeeded; else the message (which call, where) and 1.
 * hypre's error flag is global and sticky: cleared so the next call starts
 * clean. */
static int hy(const Diffusion *d, int rc, const char *call, int k, char *err, size_t es) {
  if (rc == 0) return 0;
  char desc[256] = "";
  HYPRE_DescribeError(rc, desc);
  HYPRE_ClearAllErrors();
  char where[64] = "";
  if (k >= 0) snprintf(where, sizeof where, "plane k=%d of ", k);
  snprintf(err, es,
           "diffusion: %s failed on %sthe %d x %d x %d grid (rank %d of %d): hypre error %d (%s)",
           call, where, d->nx, d->ny, d->nz, d->rank, d->nranks, rc, desc);
  return 1;
}

/* hy() for a call in scope of d, err and es, named by the function. */
#define HY(fn, ...) hy(d, fn(__VA_ARGS__), #fn, -1, err, es)

/* EB_EINPUT with "diffusion: " and the formatted message in err. */
static int bad_input(char *err, size_t es, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad_input(char *err, size_t es, const char *fmt, ...) {
  int n = snprintf(err, es, "diffusion: ");
  va_list ap;
  va_start(ap, fmt);
  if (n >= 0 && (size_t)n < es) vsnprintf(err + n, es - (size_t)n, fmt, ap);
  va_end(ap);
  return EB_EINPUT;
}

/* Every rank of comm gets the status and message of the first rank that
 * failed, so all take the same branch into (or around) the next collective
 * call: input is checked where it is assembled, and a face or cell of one
 * rank's rows is not seen by the others. */
static int agree(const Diffusion *d, int rc, char *err, size_t es) {
  if (d->nranks == 1) return rc;
  int mine = rc != EB_OK ? d->rank : d->nranks, first = d->nranks;
  if (MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, d->opt.comm) != MPI_SUCCESS) {
    snprintf(err, es, "diffusion: MPI_Allreduce of the assembly status failed (%d ranks)",
             d->nranks);
    return EB_EFAIL;
  }
  if (first == d->nranks) return EB_OK;
  char msg[1024] = "";
  if (d->rank == first) snprintf(msg, sizeof msg, "%s", err);
  if (MPI_Bcast(&rc, 1, MPI_INT, first, d->opt.comm) != MPI_SUCCESS ||
      MPI_Bcast(msg, (int)sizeof msg, MPI_CHAR, first, d->opt.comm) != MPI_SUCCESS) {
    snprintf(err, es, "diffusion: MPI_Bcast of rank %d's error failed", first);
    return EB_EFAIL;
  }
  snprintf(err, es, "%s", msg);
  return rc;
}

/* ---- create / destroy ------------------------------------------------------ */

static void destroy_solver(Diffusion *d) {
  if (d->pcg) HYPRE_StructPCGDestroy(d->pcg);
  if (d->pfmg) HYPRE_StructPFMGDestroy(d->pfmg);
  d->pcg = d->pfmg = NULL;
  d->solver_ready = 0;
}

void Diffusion_destroy(Diffusion *d) {
  if (!d) return;
  destroy_solver(d);
  if (d->bx) HYPRE_StructVectorDestroy(d->bx);
  if (d->x) HYPRE_StructVectorDestroy(d->x);
  if (d->b) HYPRE_StructVectorDestroy(d->b);
  if (d->A) HYPRE_StructMatrixDestroy(d->A);
  if (d->stencil) HYPRE_StructStencilDestroy(d->stencil);
  if (d->hgrid) HYPRE_StructGridDestroy(d->hgrid);
  free(d->dx);
  free(d->dy);
  free(d->dz);
  free(d->vals);
  free(d->rhs);
  free(d->gz);
  free(d->gy);
  for (int q = 0; q < 2; q++) {
    free(d->half[q].hx);
    free(d->half[q].hy);
    free(d->half[q].hz);
  }
  free(d->void_mask);
  free(d->void_count);
  free(d->rhs_nonzero);
  free(d->counts);
  free(d->displs);
  free(d);
}

static int check_widths(const double *f, int n, char axis, char *err, size_t es) {
  for (int q = 0; q < n; q++)
    if (!(f[q + 1] - f[q] > 0.0 && isfinite(f[q + 1] - f[q])))
      return bad_input(err, es, "grid %c faces %d and %d (%g, %g) do not make a cell", axis, q,
                       q + 1, f[q], f[q + 1]);
  return EB_OK;
}

int Diffusion_create(const Grid *g, const DiffusionOptions *opt, Diffusion **out, char *err,
                     size_t es) {
  *out = NULL;
  int mpi_ready = 0;
  MPI_Initialized(&mpi_ready);
  if (!mpi_ready) {
    snprintf(err, es, "diffusion: MPI is not initialised (call Runtime_init first)");
    return EB_EFAIL;
  }
  if (!g || !opt) return bad_input(err, es, "no grid or no options");
  if (g->nx < 1 || g->ny < 1 || g->nz < 1)
    return bad_input(err, es, "empty grid (%d x %d x %d cells)", g->nx, g->ny, g->nz);
  int rc = check_widths(g->x, g->nx, 'x', err, es);
  if (rc == EB_OK) rc = check_widths(g->y, g->ny, 'y', err, es);
  if (rc == EB_OK) rc = check_widths(g->z, g->nz, 'z', err, es);
  if (rc != EB_OK) return rc;
  if (opt->comm == MPI_COMM_NULL) return bad_input(err, es, "the communicator is MPI_COMM_NULL");
  if (!(opt->rel_tol > 0.0 && opt->rel_tol < 1.0) || opt->max_iters < 1)
    return bad_input(err, es, "PCG tolerance %g must lie in (0, 1) and max_iters %d be >= 1",
                     opt->rel_tol, opt->max_iters);
  Diffusion *d = calloc(1, sizeof *d);
  if (!d) goto oom;
  d->g = g;
  d->opt = *opt;
  d->nx = g->nx;
  d->ny = g->ny;
  d->nz = g->nz;
  d->ns = g->nz == 1 ? 3 : S_N;
  if (MPI_Comm_rank(opt->comm, &d->rank) != MPI_SUCCESS ||
      MPI_Comm_size(opt->comm, &d->nranks) != MPI_SUCCESS) {
    free(d);
    snprintf(err, es, "diffusion: MPI_Comm_rank/MPI_Comm_size failed on the given communicator");
    return EB_EFAIL;
  }
  const int nx = g->nx, ny = g->ny, nz = g->nz;
  if (d->nranks > ny) {
    rc = bad_input(err, es, "%d MPI ranks for %d grid rows; use at most %d ranks", d->nranks, ny,
                   ny);
    free(d);
    return rc;
  }
  if (d->nranks > 1 && (size_t)nx * (size_t)ny > (size_t)INT_MAX) {
    rc = bad_input(err, es, "%d x %d cells per plane are too many to gather with MPI (at most %d)",
                   nx, ny, INT_MAX);
    free(d);
    return rc;
  }
  /* rows split as evenly as possible (Grid_rank_rows); j1 inclusive here */
  Grid_rank_rows(ny, d->rank, d->nranks, &d->j0, &d->j1);
  d->j1--;
  d->jlo = d->j0 > 0 ? d->j0 - 1 : d->j0;
  d->jhi = d->j1 < ny - 1 ? d->j1 + 1 : d->j1;
  const size_t own = (size_t)nx * (size_t)(d->j1 - d->j0 + 1);
  const size_t hrows = (size_t)nx * (size_t)(d->jhi - d->jlo + 1);
  if (d->nranks > 1) {
    d->counts = malloc((size_t)d->nranks * sizeof *d->counts);
    d->displs = malloc((size_t)d->nranks * sizeof *d->displs);
    if (!d->counts || !d->displs) goto oom;
    for (int r = 0; r < d->nranks; r++) {
      int rj0, rj1;
      Grid_rank_rows(ny, r, d->nranks, &rj0, &rj1);
      d->counts[r] = nx * (rj1 - rj0);
      d->displs[r] = nx * rj0;
    }
  }
  d->dx = malloc((size_t)nx * sizeof *d->dx);
  d->dy = malloc((size_t)ny * sizeof *d->dy);
  d->dz = malloc((size_t)nz * sizeof *d->dz);
  d->vals = malloc((size_t)S_N * own * sizeof *d->vals);
  d->rhs = malloc(own * sizeof *d->rhs);
  d->gz = malloc(own * sizeof *d->gz);
  d->gy = malloc((size_t)nx * sizeof *d->gy);
  d->void_mask = calloc(own * (size_t)nz, 1);
  d->void_count = calloc((size_t)nz, sizeof *d->void_count);
  d->rhs_nonzero = calloc((size_t)nz, sizeof *d->rhs_nonzero);
  if (!d->dx || !d->dy || !d->dz || !d->vals || !d->rhs || !d->gz || !d->gy || !d->void_mask ||
      !d->void_count || !d->rhs_nonzero)
    goto oom;
  for (int q = 0; q < 2; q++) {
    d->half[q].hx = malloc(hrows * sizeof(double));
    d->half[q].hy = malloc(hrows * sizeof(double));
    d->half[q].hz = malloc(hrows * sizeof(double));
    if (!d->half[q].hx || !d->half[q].hy || !d->half[q].hz) goto oom;
  }
  for (int i = 0; i < nx; i++) d->dx[i] = Grid_dx(g, i);
  for (int j = 0; j < ny; j++) d->dy[j] = Grid_dy(g, j);
  for (int k = 0; k < nz; k++) d->dz[k] = Grid_dz(g, k);

  HYPRE_ClearAllErrors();
  MPI_Comm comm = opt->comm;
  int lo[3] = {0, d->j0, 0}, hi[3] = {nx - 1, d->j1, nz - 1};
  const int ndim = d->ns == S_N ? 3 : 2;
  int failed = HY(HYPRE_StructGridCreate, comm, ndim, &d->hgrid) ||
               HY(HYPRE_StructGridSetExtents, d->hgrid, lo, hi) ||
               HY(HYPRE_StructGridAssemble, d->hgrid) ||
               HY(HYPRE_StructStencilCreate, ndim, d->ns, &d->stencil);
  for (int s = 0; s < d->ns && !failed; s++)
    failed = HY(HYPRE_StructStencilSetElement, d->stencil, s,
                d->ns == S_N ? offsets[s] : offsets_plane[s]);
  failed = failed || HY(HYPRE_StructMatrixCreate, comm, d->hgrid, d->stencil, &d->A) ||
           HY(HYPRE_StructMatrixSetSymmetric, d->A, 1) || HY(HYPRE_StructMatrixInitialize, d->A) ||
           HY(HYPRE_StructVectorCreate, comm, d->hgrid, &d->b) ||
           HY(HYPRE_StructVectorInitialize, d->b) ||
           HY(HYPRE_StructVectorCreate, comm, d->hgrid, &d->x) ||
           HY(HYPRE_StructVectorInitialize, d->x);
  if (failed) {
    Diffusion_destroy(d);
    return EB_EFAIL;
  }
  *out = d;
  return EB_OK;
oom:
  Diffusion_destroy(d);
  snprintf(err, es, "diffusion: out of memory for %d x %d x %d cells", g->nx, g->ny, g->nz);
  return EB_EFAIL;
}

/* The preconditioner PCG calls: one PFMG V-cycle, except when the residual
 * already passes the convergence test. hypre's PCG (krylov/pcg.c, v2.26.0)
 * applies the preconditioner to the updated residual before it tests
 * ||r||^2 < tol^2 ||b||^2, so a solve of k iterations ran k + 1 V-cycles
 * and the last one's result was thrown away. Here the same test on the
 * same vectors with hypre's own inner product (hypre_StructInnerProd, as
 * its Struct PCG computes both sides) decides first; a passing residual
 * gets s = 0 (PCG has cleared s), which PCG never uses since it stops at
 * the test. The first call (PCG's initial direction) always cycles. Should
 * the two tests ever disagree, PCG stops on a zero gamma unconverged and
 * Diffusion_solve reports it from hypre's own residual: never a silent
 * answer. A warm sweep point's single iteration: 2 V-cycles -> 1. */
static HYPRE_Int precondition(HYPRE_StructSolver solver, HYPRE_StructMatrix A,
                              HYPRE_StructVector r, HYPRE_StructVector s) {
  Diffusion *d = (Diffusion *)solver;
  if (d->pc_calls++ > 0 && d->pc_bb > 0.0) {
    const double rr = hypre_StructInnerProd(r, r);
    if (rr / d->pc_bb < d->opt.rel_tol * d->opt.rel_tol) {
      d->pc_skipped++;
      return 0;
    }
  }
  return HYPRE_StructPFMGSolve(d->pfmg, A, r, s);
}

static HYPRE_Int precondition_setup(HYPRE_StructSolver solver, HYPRE_StructMatrix A,
                                    HYPRE_StructVector b, HYPRE_StructVector x) {
  return HYPRE_StructPFMGSetup(((Diffusion *)solver)->pfmg, A, b, x);
}

/* PCG with one PFMG V-cycle as preconditioner. Symmetric red-black
 * Gauss-Seidel keeps the preconditioner symmetric; Galerkin coarse operators
 * follow the conductivity jumps between layers; one sweep before and after,
 * on every level (no skip-relax). Measured on the CS-3 case at 3.0 M cells
 * (whole fixed-point solve, total PCG iterations and time in the linear
 * solves): these settings 12 its, 1.9 s; weighted Jacobi 13 its, 2.5 s;
 * non-Galerkin coarse operators with Jacobi 15 its; two sweeps 9 its, 2.2
 * s. Earlier: skip-relax doubled the iterations, SMG (plane smoothing) was
 * 3.4x slower at 0.8 M cells. */
static int setup_solver(Diffusion *d, char *err, size_t es) {
  MPI_Comm comm = d->opt.comm;
  /* PFMG picks each level's semi-coarsening direction from the matrix
   * itself (the strongest coupling). An earlier fixed 1:1:2 (x:y:z) hint
   * helped an older stack at one grid but tied the choice to the grid:
   * measured on CS-3 (cold solve to 1e-8), 16 / 11 / 18 PCG iterations at
   * 0.77 / 3.0 / 12 M cells with the hint, 12 / 11 / 11 without. The whole
   * run's linear iterations now stay at 12-14 from 0.77 M to 52 M cells
   * (issue 13 measured 13 growing to 44 with the hint). */
  int failed =
      HY(HYPRE_StructPFMGCreate, comm, &d->pfmg) || HY(HYPRE_StructPFMGSetMaxIter, d->pfmg, 1) ||
      HY(HYPRE_StructPFMGSetTol, d->pfmg, 0.0) || HY(HYPRE_StructPFMGSetZeroGuess, d->pfmg) ||
      HY(HYPRE_StructPFMGSetRAPType, d->pfmg, 0) || HY(HYPRE_StructPFMGSetRelaxType, d->pfmg, 2) ||
      HY(HYPRE_StructPFMGSetNumPreRelax, d->pfmg, 1) ||
      HY(HYPRE_StructPFMGSetNumPostRelax, d->pfmg, 1) ||
      HY(HYPRE_StructPFMGSetSkipRelax, d->pfmg, 0) ||
      HY(HYPRE_StructPCGCreate, comm, &d->pcg) ||
      HY(HYPRE_StructPCGSetTol, d->pcg, d->opt.rel_tol) ||
      HY(HYPRE_StructPCGSetMaxIter, d->pcg, d->opt.max_iters) ||
      HY(HYPRE_StructPCGSetTwoNorm, d->pcg, 1) || HY(HYPRE_StructPCGSetRelChange, d->pcg, 0) ||
      HY(HYPRE_StructPCGSetPrecond, d->pcg, precondition, precondition_setup,
         (HYPRE_StructSolver)d) ||
      hy(d, HYPRE_StructPCGSetup(d->pcg, d->A, d->b, d->x), "HYPRE_StructPCGSetup (PFMG hierarchy)",
         -1, err, es);
  if (failed) {
    destroy_solver(d);
    return EB_EFAIL;
  }
  d->solver_ready = 1;
  return EB_OK;
}

/* ---- assembly -------------------------------------------------------------- */

/* Checks of the problem that do not depend on the cell. */
static int check_problem(const Diffusion *d, const DiffusionProblem *p, char *err, size_t es) {
  if (!p) return bad_input(err, es, "no problem");
  if (!p->mat || !p->mat_k) return bad_input(err, es, "the problem needs mat and mat_k");
  if (p->n_plane_src < 0 || (p->n_plane_src > 0 && !p->plane_src))
    return bad_input(err, es, "%d source planes but no array of them", p->n_plane_src);
  for (int s = 0; s < p->n_plane_src; s++)
    if (p->plane_src[s].k < 0 || p->plane_src[s].k >= d->nz || !p->plane_src[s].w)
      return bad_input(err, es, "source plane %d: plane k=%d outside 0..%d or no values", s,
                       p->plane_src[s].k, d->nz - 1);
  if (p->r_face_z)
    for (int k = 1; k < d->nz; k++)
      if (!(p->r_face_z[k] >= 0.0 && p->r_face_z[k] < INFINITY))
        return bad_input(
            err, es,
            "r_face_z[%d] (the face between planes %d and %d) is %g; need a finite value >= 0", k,
            k - 1, k, p->r_face_z[k]);
  for (int s = 0; s < DIFF_SIDES; s++) {
    const DiffusionRobin *r = &p->robin[s];
    if (!r->h && !(r->h_all >= 0.0))
      return bad_input(err, es, "side %s: h_all is %g; need >= 0 (INFINITY: Dirichlet)",
                       side_name[s], r->h_all);
    if (!r->h && r->h_all > 0.0 && !r->t && !isfinite(r->t_all))
      return bad_input(err, es, "side %s: t_all is %g", side_name[s], r->t_all);
  }
  if (p->shift && !(p->shift_scale >= 0.0 && p->shift_scale < INFINITY))
    return bad_input(err, es, "shift_scale is %g; need a finite value >= 0", p->shift_scale);
  return EB_OK;
}

/* 0.5/k of material m, checked at its first use in this assembly. */
static const double *mat_half(Diffusion *d, const DiffusionProblem *p, unsigned m, size_t idx,
                              char *err, size_t es) {
  if (d->hk_ok[m]) return d->hk[m];
  for (int a = 0; a < 3; a++) {
    double k = p->mat_k[m][a];
    if (!(k >= 0.0 && k < INFINITY)) {
      const size_t ncol = (size_t)d->nx * d->ny;
      bad_input(err, es,
                "material %u (first used by cell %zu, %zu, %zu) has coefficient %g along %c; need "
                "a finite value >= 0",
                m, idx % d->nx, idx % ncol / d->nx, idx / ncol, k, "xyz"[a]);
      return NULL;
    }
    d->hk[m][a] = half_k(k);
  }
  d->hk_ok[m] = 1;
  return d->hk[m];
}

/* Half-cell resistances of plane k, rows jlo..jhi (hz only if z_only). */
static int compute_half(Diffusion *d, const DiffusionProblem *p, int k, Half *H, int z_only,
                        char *err, size_t es) {
  const int nx = d->nx;
  const size_t ncol = (size_t)nx * d->ny;
  const uint8_t *mat = p->mat[k];
  const double *fac = p->factor ? p->factor[k] : NULL;
  const double dzk = d->dz[k];
  for (int j = d->jlo; j <= d->jhi; j++) {
    const size_t r = (size_t)(j - d->jlo) * nx;
    const double dyj = d->dy[j];
    for (int i = 0; i < nx; i++) {
      const size_t col = (size_t)j * nx + i;
      const uint8_t m = mat[col];
      if (m == DIFF_VOID) {
        H->hz[r + i] = INFINITY;
        if (!z_only) H->hx[r + i] = H->hy[r + i] = INFINITY;
        continue;
      }
      const double *hk = mat_half(d, p, m, (size_t)k * ncol + col, err, es);
      if (!hk) return EB_EINPUT;
      double invf = 1.0;
      if (fac) {
        const double f = fac[col - p->coef_lo];
        if (!(f > 0.0 && f < INFINITY))
          return bad_input(err, es, "factor of cell (%d, %d, %d) is %g; need a finite value > 0", i,
                           j, k, f);
        invf = 1.0 / f;
      }
      H->hz[r + i] = half_r(dzk, hk[2], invf);
      if (z_only) continue;
      H->hx[r + i] = half_r(d->dx[i], hk[0], invf);
      H->hy[r + i] = half_r(dyj, hk[1], invf);
    }
  }
  return EB_OK;
}

/* Robin/Dirichlet faces of one side on plane k (this rank's rows). */
static int add_side(Diffusion *d, const DiffusionProblem *p, int side, int k, const Half *H,
                    char *err, size_t es) {
  const DiffusionRobin *rb = &p->robin[side];
  if (!rb->h && rb->h_all == 0.0) return EB_OK; /* insulated */
  const int nx = d->nx, ny = d->ny, nz = d->nz, axis = side / 2, hi = side % 2;
  int ia = 0, ib = nx - 1, ja = d->j0, jb = d->j1;
  if (axis == 0) ia = ib = hi ? nx - 1 : 0;
  if (axis == 1) {
    ja = jb = hi ? ny - 1 : 0;
    if (ja < d->j0 || ja > d->j1) return EB_OK; /* another rank's row */
  }
  if (axis == 2 && k != (hi ? nz - 1 : 0)) return EB_OK;
  const double *half = axis == 0 ? H->hx : axis == 1 ? H->hy : H->hz;
  for (int j = ja; j <= jb; j++)
    for (int i = ia; i <= ib; i++) {
      size_t f;
      double area;
      if (axis == 0) {
        f = (size_t)j + (size_t)ny * k;
        area = d->dy[j] * d->dz[k];
      } else if (axis == 1) {
        f = (size_t)i + (size_t)nx * k;
        area = d->dx[i] * d->dz[k];
      } else {
        f = (size_t)i + (size_t)nx * j - p->col_lo;
        area = d->dx[i] * d->dy[j];
      }
      const double h = side_h(rb, f);
      if (!(h >= 0.0))
        return bad_input(err, es, "side %s: h is %g at face %zu (cell %d, %d, %d); need >= 0",
                         side_name[side], h, f, i, j, k);
      const double gb = bnd_of(area, half[(size_t)(j - d->jlo) * nx + i], h);
      if (!(gb > 0.0)) continue; /* insulated face or void cell: its ambient is not read */
      const double t = side_t(rb, f);
      if (!isfinite(t))
        return bad_input(err, es, "side %s: ambient is %g at face %zu (cell %d, %d, %d)",
                         side_name[side], t, f, i, j, k);
      const size_t o = (size_t)(j - d->j0) * nx + i;
      d->vals[S_N * o + S_C] += gb;
      d->rhs[o] += gb * t;
    }
  return EB_OK;
}

/* Names the input that made a non-finite row of plane k. */
static int explain_nonfinite(const Diffusion *d, const DiffusionProblem *p, int k, char *err,
                             size_t es) {
  const int nx = d->nx;
  const size_t ncol = (size_t)nx * d->ny;
  for (int j = d->j0; j <= d->j1; j++)
    for (int i = 0; i < nx; i++) {
      size_t o = (size_t)(j - d->j0) * nx + i, col = (size_t)j * nx + i;
      const size_t idx = (size_t)k * (p->cell_plane ? p->cell_plane : ncol) + col - p->col_lo;
      if (isfinite(d->vals[S_N * o + S_C]) && isfinite(d->rhs[o])) continue;
      if (p->src_cell && !isfinite(p->src_cell[idx]))
        return bad_input(err, es, "src_cell is %g at cell (%d, %d, %d)", p->src_cell[idx], i, j, k);
      for (int s = 0; s < p->n_plane_src; s++)
        if (p->plane_src[s].k == k && !isfinite(p->plane_src[s].w[col - p->col_lo]))
          return bad_input(err, es, "source plane %d is %g at cell (%d, %d, %d)", s,
                           p->plane_src[s].w[col - p->col_lo], i, j, k);
      if (p->shift && !isfinite(p->shift[idx]))
        return bad_input(err, es, "shift is %g at cell (%d, %d, %d)", p->shift[idx], i, j, k);
      return bad_input(
          err, es,
          "the row of cell (%d, %d, %d) is not finite (coefficient %g, right-hand side %g): "
          "a face between two cells of zero width or infinite coefficient, or an overflow",
          i, j, k, d->vals[S_N * o + S_C], d->rhs[o]);
    }
  return bad_input(err, es, "plane k=%d is not finite", k);
}

/* Matrix rows and right-hand side of planes k_first..k_last (this rank's
 * rows j0..j1). */
static int set_planes(Diffusion *d, const DiffusionProblem *p, int k_first, int k_last, char *err,
                      size_t es) {
  const int nx = d->nx, ny = d->ny, nz = d->nz, j0 = d->j0, j1 = d->j1;
  const size_t ncol = (size_t)nx * ny;
  int rc = check_problem(d, p, err, es);
  if (rc != EB_OK) return rc;
  memset(d->hk_ok, 0, sizeof d->hk_ok);
  Half *cur = &d->half[0], *nxt = &d->half[1];
  rc = compute_half(d, p, k_first, cur, 0, err, es);
  if (rc != EB_OK) return rc;
  /* Each face is computed once: the -x and -y faces of a cell are the +x
   * and +y faces of the cells before it (carried in gxm and gy), its -z face
   * the +z face of the plane below (carried in gz). */
  double *gz = d->gz, *gy = d->gy;
  if (k_first > 0) {
    rc = compute_half(d, p, k_first - 1, nxt, 1, err, es);
    if (rc != EB_OK) return rc;
    const double r = p->r_face_z ? p->r_face_z[k_first] : 0.0;
    for (int j = j0; j <= j1; j++)
      for (int i = 0; i < nx; i++) {
        size_t h = (size_t)(j - d->jlo) * nx + i;
        gz[(size_t)(j - j0) * nx + i] = face_of(d->dx[i] * d->dy[j], nxt->hz[h], r, cur->hz[h]);
      }
  } else {
    memset(gz, 0, (size_t)nx * (size_t)(j1 - j0 + 1) * sizeof *gz);
  }
  int entries[S_N] = {0, 1, 2, 3}; /* stencil entries in the order of the values */
  for (int k = k_first; k <= k_last; k++) {
    if (k + 1 < nz) {
      rc = compute_half(d, p, k + 1, nxt, k + 1 > k_last, err, es);
      if (rc != EB_OK) return rc;
    }
    const uint8_t *mat = p->mat[k];
    /* plane k of the per-cell arrays, from column col_lo */
    const size_t cplane = (size_t)k * (p->cell_plane ? p->cell_plane : ncol);
    const double *src = p->src_cell ? p->src_cell + cplane : NULL;
    const double *shift = p->shift ? p->shift + cplane : NULL;
    const double rz = k + 1 < nz && p->r_face_z ? p->r_face_z[k + 1] : 0.0;
    /* the cut faces' planes, from column coef_lo */
    const size_t rplane = (size_t)k * (p->coef_plane ? p->coef_plane : ncol);
    const double *rx = p->r_face_x ? p->r_face_x + rplane : NULL;
    const double *ry = p->r_face_y ? p->r_face_y + rplane : NULL;
    const double dzk = d->dz[k];
    /* the -y faces of the first own row: from the row before (another
     * rank's), or none at the grid's edge */
    for (int i = 0; i < nx; i++)
      gy[i] = j0 > 0 ? face_of(d->dx[i] * dzk, cur->hy[i],
                               ry ? ry[(size_t)(j0 - 1) * nx + i - p->coef_lo] : 0.0,
                               cur->hy[nx + i])
                     : 0.0;
    for (int j = j0; j <= j1; j++) {
      const size_t hr = (size_t)(j - d->jlo) * nx, orow = (size_t)(j - j0) * nx;
      const double dyj = d->dy[j];
      double gxm = 0.0;
      for (int i = 0; i < nx; i++) {
        const size_t col = (size_t)j * nx + i, o = orow + i, h = hr + i;
        double *e = d->vals + S_N * o;
        const double gym = gy[i], gzm = gz[o];
        if (mat[col] == DIFF_VOID) {
          e[S_XM] = e[S_YM] = e[S_ZM] = 0.0;
          e[S_C] = 1.0;
          d->rhs[o] = 0.0;
          gxm = gy[i] = gz[o] = 0.0;
          continue;
        }
        const double dxi = d->dx[i];
        const double rxp = rx ? rx[col - p->coef_lo] : 0.0, ryp = ry ? ry[col - p->coef_lo] : 0.0;
        if (!(rxp >= 0.0) || !(ryp >= 0.0))
          return bad_input(err, es, "r_face_%c is %g at cell (%d, %d, %d); need >= 0 (INFINITY: cut)",
                           rxp >= 0.0 ? 'y' : 'x', rxp >= 0.0 ? ryp : rxp, i, j, k);
        const double gxp = i < nx - 1 ? face_of(dyj * dzk, cur->hx[h], rxp, cur->hx[h + 1]) : 0.0;
        const double gyp = j < ny - 1 ? face_of(dxi * dzk, cur->hy[h], ryp, cur->hy[h + nx]) : 0.0;
        const double gzp = k < nz - 1 ? face_of(dxi * dyj, cur->hz[h], rz, nxt->hz[h]) : 0.0;
        double diag = gxm + gxp + gym + gyp + gzm + gzp;
        if (shift) {
          const double sv = p->shift_scale * shift[col - p->col_lo];
          if (!(sv >= 0.0))
            return bad_input(err, es, "shift is %g at cell (%d, %d, %d); need >= 0",
                             shift[col - p->col_lo], i, j, k);
          diag += sv;
        }
        e[S_XM] = -gxm;
        e[S_YM] = -gym;
        e[S_ZM] = -gzm;
        e[S_C] = diag;
        d->rhs[o] = src ? src[col - p->col_lo] : 0.0;
        gxm = gxp;
        gy[i] = gyp;
        gz[o] = gzp;
      }
    }
    for (int s = 0; s < DIFF_SIDES; s++) {
      rc = add_side(d, p, s, k, cur, err, es);
      if (rc != EB_OK) return rc;
    }
    for (int s = 0; s < p->n_plane_src; s++) {
      if (p->plane_src[s].k != k) continue;
      const double *w = p->plane_src[s].w;
      for (int j = j0; j <= j1; j++)
        for (int i = 0; i < nx; i++) {
          const size_t col = (size_t)j * nx + i;
          if (mat[col] != DIFF_VOID) d->rhs[(size_t)(j - j0) * nx + i] += w[col - p->col_lo];
        }
    }
    /* one sum catches any NaN or infinity in the plane; the cell is then
     * looked up */
    double sum = 0.0;
    int nonzero = 0;
    const size_t own = (size_t)nx * (size_t)(j1 - j0 + 1);
    for (size_t o = 0; o < own; o++) {
      sum += d->vals[S_N * o + S_C] + d->rhs[o];
      nonzero += d->rhs[o] != 0.0;
    }
    if (!isfinite(sum)) return explain_nonfinite(d, p, k, err, es);
    d->rhs_nonzero[k] = nonzero;

    if (d->ns != S_N) /* single plane: drop the (zero) z entry, in place */
      for (size_t o = 0; o < own; o++) {
        const double *e = d->vals + S_N * o;
        double *v = d->vals + 3 * o;
        v[0] = e[S_XM];
        v[1] = e[S_YM];
        v[2] = e[S_C];
      }
    int plo[3] = {0, j0, k}, phi[3] = {nx - 1, j1, k};
    if (hy(d, HYPRE_StructMatrixSetBoxValues(d->A, plo, phi, d->ns, entries, d->vals),
           "HYPRE_StructMatrixSetBoxValues", k, err, es) ||
        hy(d, HYPRE_StructVectorSetBoxValues(d->b, plo, phi, d->rhs),
           "HYPRE_StructVectorSetBoxValues (right-hand side)", k, err, es))
      return EB_EFAIL;
    /* each rank its own rows' void cells: NaN there before the gather */
    int nv = 0;
    for (size_t q = 0; q < own; q++) {
      const uint8_t v = mat[(size_t)j0 * nx + q] == DIFF_VOID;
      d->void_mask[(size_t)k * own + q] = v;
      nv += v;
    }
    d->void_count[k] = nv;
    Half *t = cur;
    cur = nxt;
    nxt = t;
  }
  return EB_OK;
}

static int finish_assembly(Diffusion *d, char *err, size_t es) {
  if (HY(HYPRE_StructMatrixAssemble, d->A) ||
      hy(d, HYPRE_StructVectorAssemble(d->b), "HYPRE_StructVectorAssemble (right-hand side)", -1,
         err, es))
    return EB_EFAIL;
  return EB_OK;
}

int Diffusion_assemble(Diffusion *d, const DiffusionProblem *p, int rebuild, char *err, size_t es) {
  HYPRE_ClearAllErrors(); /* a stale flag from other code would fail our first call */
  int rc = agree(d, set_planes(d, p, 0, d->nz - 1, err, es), err, es);
  if (rc == EB_OK) rc = finish_assembly(d, err, es);
  d->stale = rc != EB_OK;
  if (rc != EB_OK) return rc;
  if (rebuild) destroy_solver(d);
  return d->solver_ready ? EB_OK : setup_solver(d, err, es);
}

int Diffusion_update(Diffusion *d, const DiffusionProblem *p, int k_first, int k_last, char *err,
                     size_t es) {
  if (!d->solver_ready || d->stale) return Diffusion_assemble(d, p, 0, err, es);
  if (k_first < 0) k_first = 0;
  if (k_last > d->nz - 1) k_last = d->nz - 1;
  if (k_first > k_last) return EB_OK;
  HYPRE_ClearAllErrors();
  int rc = agree(d, set_planes(d, p, k_first, k_last, err, es), err, es);
  if (rc == EB_OK) rc = finish_assembly(d, err, es);
  d->stale = rc != EB_OK;
  return rc;
}

void Diffusion_set_tolerance(Diffusion *d, double rel_tol, int max_iters) {
  d->opt.rel_tol = rel_tol;
  d->opt.max_iters = max_iters;
}

/* ---- solve ----------------------------------------------------------------- */

/* Own rows of a full-grid field into a hypre vector, plane by plane (local:
 * the caller assembles the vector);
 * non-finite entries (NaN of void cells) become 0. With strict, cells void
 * at the last assembly become 0 as well and a non-finite value elsewhere is
 * an error. */
static int put_field(Diffusion *d, HYPRE_StructVector v, const double *f, int strict,
                     int own_rows, const char *what, char *err, size_t es) {
  const int nx = d->nx, j0 = d->j0, j1 = d->j1;
  const size_t ncol = (size_t)nx * d->ny, own = (size_t)nx * (size_t)(j1 - j0 + 1);
  if (strict) d->ext_nonzero = 0;
  for (int k = 0; k < d->nz; k++) {
    const double *src = own_rows ? f + (size_t)k * own : f + (size_t)k * ncol + (size_t)j0 * nx;
    const uint8_t *vm = d->void_mask + (size_t)k * own;
    for (size_t q = 0; q < own; q++) {
      double val = src[q];
      if (strict && !vm[q] && !isfinite(val)) {
        int i = (int)(q % nx), j = j0 + (int)(q / nx);
        return bad_input(err, es, "%s is %g at cell (%d, %d, %d)", what, val, i, j, k);
      }
      d->rhs[q] = isfinite(val) && !(strict && vm[q]) ? val : 0.0;
      if (strict) d->ext_nonzero += d->rhs[q] != 0.0;
    }
    int plo[3] = {0, j0, k}, phi[3] = {nx - 1, j1, k};
    char call[96];
    snprintf(call, sizeof call, "HYPRE_StructVectorSetBoxValues (%s)", what);
    if (hy(d, HYPRE_StructVectorSetBoxValues(v, plo, phi, d->rhs), call, k, err, es))
      return EB_EFAIL;
  }
  return EB_OK;
}

/* A vector (the solution, a product) into x, NaN in void cells: with
 * own_rows this rank's rows only (planes own apart), else on every rank.
 * Each plane's own rows are contiguous in x (i + nx j): hypre writes them
 * in place and one MPI_Allgatherv per plane fills in the others' rows, with
 * no whole-field buffer beside x (at 12 M cells on 4 ranks that buffer and
 * its pack were 120 MB per rank). */
static int get_vector(Diffusion *d, HYPRE_StructVector v, double *x, int own_rows, char *err,
                      size_t es) {
  const int nx = d->nx, nz = d->nz;
  const size_t ncol = (size_t)nx * d->ny, own = (size_t)nx * (size_t)(d->j1 - d->j0 + 1);
  /* where this rank's rows of plane k start in x */
#define OWN_AT(k) (own_rows ? x + (size_t)(k)*own : x + (size_t)(k)*ncol + (size_t)d->j0 * nx)
  int rc = EB_OK;
  for (int k = 0; k < nz && rc == EB_OK; k++) {
    int lo[3] = {0, d->j0, k}, hi[3] = {nx - 1, d->j1, k};
    if (hy(d, HYPRE_StructVectorGetBoxValues(v, lo, hi, OWN_AT(k)),
           "HYPRE_StructVectorGetBoxValues (solution)", k, err, es))
      rc = EB_EFAIL;
  }
  if (agree(d, rc, err, es) != EB_OK) return EB_EFAIL;
  for (int k = 0; k < nz; k++) {
    if (!d->void_count[k]) continue;
    double *xk = OWN_AT(k);
    const uint8_t *vm = d->void_mask + (size_t)k * own;
    for (size_t q = 0; q < own; q++)
      if (vm[q]) xk[q] = NAN;
  }
#undef OWN_AT
  /* every rank needs the whole field (coolant march, k(T), output) */
  for (int k = 0; k < nz && d->nranks > 1 && !own_rows; k++)
    if (MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, x + (size_t)k * ncol, d->counts,
                       d->displs, MPI_DOUBLE, d->opt.comm) != MPI_SUCCESS) {
      snprintf(err, es,
               "diffusion: MPI_Allgatherv of the solution failed (plane %d of a %d x %d x %d "
               "grid, %d ranks)",
               k, nx, d->ny, nz, d->nranks);
      return EB_EFAIL;
    }
  return EB_OK;
}

/* The second vector (an external right-hand side, a product), made at
 * first use. */
static int ensure_bx(Diffusion *d, char *err, size_t es) {
  if (d->bx) return EB_OK;
  if (hy(d, HYPRE_StructVectorCreate(d->opt.comm, d->hgrid, &d->bx), "HYPRE_StructVectorCreate",
         -1, err, es) ||
      hy(d, HYPRE_StructVectorInitialize(d->bx), "HYPRE_StructVectorInitialize", -1, err, es))
    return EB_EFAIL;
  return EB_OK;
}

int Diffusion_solve(Diffusion *d, const double *rhs, double *x, DiffusionStats *st, char *err,
                    size_t es) {
  DiffusionStats s = {0};
  if (st) *st = s;
  if (!d->solver_ready || d->stale)
    return bad_input(err, es, "Diffusion_solve needs a successful Diffusion_assemble first");
  if (!(d->opt.rel_tol > 0.0 && d->opt.rel_tol < 1.0) || d->opt.max_iters < 1)
    return bad_input(err, es, "PCG tolerance %g must lie in (0, 1) and max_iters %d be >= 1",
                     d->opt.rel_tol, d->opt.max_iters);
  HYPRE_ClearAllErrors();
  if (HY(HYPRE_StructPCGSetTol, d->pcg, d->opt.rel_tol) ||
      HY(HYPRE_StructPCGSetMaxIter, d->pcg, d->opt.max_iters))
    return EB_EFAIL;
  HYPRE_StructVector b = d->b;
  if (rhs && ensure_bx(d, err, es) != EB_OK) return EB_EFAIL;
  int rc = put_field(d, d->x, x, 0, d->opt.own_rows, "initial guess", err, es);
  if (rc == EB_OK && rhs) {
    rc = put_field(d, d->bx, rhs, 1, d->opt.own_rows, "external right-hand side", err, es);
    b = d->bx;
  }
  rc = agree(d, rc, err, es);
  if (rc != EB_OK) return rc;
  if (hy(d, HYPRE_StructVectorAssemble(d->x), "HYPRE_StructVectorAssemble (initial guess)", -1, err,
         es) ||
      (rhs && hy(d, HYPRE_StructVectorAssemble(d->bx),
                 "HYPRE_StructVectorAssemble (external right-hand side)", -1, err, es)))
    return EB_EFAIL;
  /* b = 0 has the solution 0; hypre's PCG returns it without setting its
   * iteration count and residual, so the case is taken here */
  int nonzero = 0;
  if (rhs)
    nonzero = d->ext_nonzero > 0;
  else
    for (int k = 0; k < d->nz && !nonzero; k++) nonzero = d->rhs_nonzero[k] > 0;
  if (d->nranks > 1 &&
      MPI_Allreduce(MPI_IN_PLACE, &nonzero, 1, MPI_INT, MPI_MAX, d->opt.comm) != MPI_SUCCESS) {
    snprintf(err, es,
             "diffusion: MPI_Allreduce (is the right-hand side zero?) failed (%d x %d x %d grid, "
             "%d ranks)",
             d->nx, d->ny, d->nz, d->nranks);
    return EB_EFAIL;
  }
  if (!nonzero) {
    if (HY(HYPRE_StructVectorSetConstantValues, d->x, 0.0)) return EB_EFAIL;
  } else {
    d->pc_bb = hypre_StructInnerProd(b, b);
    d->pc_calls = d->pc_skipped = 0;
    int solve_rc = HYPRE_StructPCGSolve(d->pcg, d->A, b, d->x);
    s.vcycles = d->pc_calls - d->pc_skipped;
    HYPRE_ClearAllErrors(); /* non-convergence is judged from the residual below */
    if (solve_rc & ~HYPRE_ERROR_CONV) {
      hy(d, solve_rc, "HYPRE_StructPCGSolve", -1, err, es);
      return EB_EFAIL;
    }
    if (HY(HYPRE_StructPCGGetNumIterations, d->pcg, &s.iters) ||
        HY(HYPRE_StructPCGGetFinalRelativeResidualNorm, d->pcg, &s.rel_res))
      return EB_EFAIL;
  }
  const int converged = s.rel_res <= d->opt.rel_tol;
  s.hit_max = !converged && s.iters >= d->opt.max_iters;
  if (st) *st = s;
  rc = get_vector(d, d->x, x, d->opt.own_rows, err, es);
  if (rc != EB_OK) return rc;
  if (!converged) {
    snprintf(err, es,
             "diffusion: PCG did not converge on the %d x %d x %d grid: relative residual %.3e "
             "after %d iterations (tolerance %.1e%s)",
             d->nx, d->ny, d->nz, s.rel_res, s.iters, d->opt.rel_tol,
             s.hit_max ? ", iteration limit reached" : ", stalled before the iteration limit");
    return EB_EFAIL;
  }
  return EB_OK;
}

int Diffusion_apply(Diffusion *d, const double *x, double *y, char *err, size_t es) {
  if (!d->solver_ready || d->stale)
    return bad_input(err, es, "Diffusion_apply needs a successful Diffusion_assemble first");
  HYPRE_ClearAllErrors();
  if (ensure_bx(d, err, es) != EB_OK) return EB_EFAIL;
  int rc = agree(d, put_field(d, d->x, x, 0, d->opt.own_rows, "operand", err, es), err, es);
  if (rc != EB_OK) return rc;
  if (hy(d, HYPRE_StructVectorAssemble(d->x), "HYPRE_StructVectorAssemble (operand)", -1, err, es) ||
      hy(d, HYPRE_StructMatrixMatvec(1.0, d->A, d->x, 0.0, d->bx), "HYPRE_StructMatrixMatvec", -1,
         err, es))
    return EB_EFAIL;
  return get_vector(d, d->bx, y, d->opt.own_rows, err, es);
}

int Diffusion_precondition(Diffusion *d, const double *rhs, double *x, char *err, size_t es) {
  if (!d->solver_ready || d->stale)
    return bad_input(err, es, "Diffusion_precondition needs a successful Diffusion_assemble first");
  HYPRE_ClearAllErrors();
  if (ensure_bx(d, err, es) != EB_OK) return EB_EFAIL;
  int rc = agree(d, put_field(d, d->bx, rhs, 1, d->opt.own_rows, "right-hand side", err, es), err,
                 es);
  if (rc != EB_OK) return rc;
  /* PFMG is set up with a zero initial guess and one iteration: the
   * V-cycle alone (the hierarchy built at the last assembly's set-up) */
  if (hy(d, HYPRE_StructVectorAssemble(d->bx), "HYPRE_StructVectorAssemble (right-hand side)", -1,
         err, es) ||
      hy(d, HYPRE_StructVectorSetConstantValues(d->x, 0.0), "HYPRE_StructVectorSetConstantValues",
         -1, err, es))
    return EB_EFAIL;
  int solve_rc = HYPRE_StructPFMGSolve(d->pfmg, d->A, d->bx, d->x);
  HYPRE_ClearAllErrors(); /* one cycle does not converge: that is its job */
  if (solve_rc & ~HYPRE_ERROR_CONV) {
    hy(d, solve_rc, "HYPRE_StructPFMGSolve", -1, err, es);
    return EB_EFAIL;
  }
  return get_vector(d, d->x, x, d->opt.own_rows, err, es);
}

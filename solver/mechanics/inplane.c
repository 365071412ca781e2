/* inplane.c - the stacked-plate membrane problem (see inplane.h): Q1 plane
 * stress elements on the lateral grid, interface springs, hypre SStruct PCG
 * with SysPFMG. */
#include "inplane.h"

#include <math.h>
#include <mpi.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cases/case.h"
#include "HYPRE_parcsr_ls.h"
#include "HYPRE_sstruct_ls.h"
#include "HYPRE_utilities.h"

/* BoomerAMG settings, measured on the CS-3 wafer / PCB pair (4 variables,
 * 216^2 nodes): HMIS coarsening, extended+i interpolation with at most 4
 * elements, strong threshold 0.5 and one level of aggressive coarsening:
 * 21 PCG iterations, 1.0 s; without aggressive coarsening 1.7 s. (SysPFMG,
 * hypre's structured systems multigrid, relaxes at most 4 variables per
 * node and failed on this 6-variable system.) Smoother: Chebyshev of
 * order 2 (relax type 16), measured on CS-3 with the connector (6
 * variables, 108 x 112 nodes, three runs each): 42 iterations, 0.25-0.26 s,
 * against 41 and 0.29-0.30 s with l1 symmetric Gauss-Seidel (type 8); order
 * 1 57 iterations, 0.24-0.25 s; order 3 0.31 s; l1-Jacobi 73 iterations,
 * 0.25 s; strong threshold 0.6-0.8 no faster; a direct solve on the
 * coarsest level changed nothing. */

/* Answers of one matrix kept for the next solve's start (a sweep's
 * neighbouring points): the start is the combination of them closest to
 * the new answer in the energy norm (below), and three span what varies as
 * a quadratic in the power. */
#define INPLANE_ANSWERS 3

/* Stencil of one variable (plate p, component c): 9 couplings to the same
 * component, 9 to the other component of the plate, then one coupling to
 * the same component of each plate joined to p (offset 0). */
#define NS_PLATE 18
#define NS_MAX (NS_PLATE + INPLANE_PLATES - 1)

typedef struct {
  const InplaneProblem *p;
  int member[INPLANE_PLATES]; /* the plates of this coupled group */
  int nx, ny, NX, NY; /* cells, nodes */
  size_t nn;          /* nodes */
  int nvars;
  int var_of[INPLANE_PLATES][2]; /* -1: absent */
  int plate_of[2 * INPLANE_PLATES], comp_of[2 * INPLANE_PLATES];
  int ns[2 * INPLANE_PLATES];                      /* stencil size per variable */
  int link_plate[2 * INPLANE_PLATES][INPLANE_PLATES]; /* coupling entry -> plate */
  double *vals[2 * INPLANE_PLATES]; /* node-major, entry fastest */
  double *rhs[2 * INPLANE_PLATES];
  double *area;      /* node area (quarter cells), m^2 */
  double *k_contact; /* per node, Pa/m: cold plate to wafer */
  char *pinned[2 * INPLANE_PLATES];
  /* hypre */
  HYPRE_SStructGrid grid;
  HYPRE_SStructStencil st[2 * INPLANE_PLATES];
  HYPRE_SStructGraph graph;
  HYPRE_SStructMatrix A;
  HYPRE_SStructVector b, x;
  HYPRE_Solver pcg, amg; /* set up on A; kept while A stays */
  int ready;             /* A, pcg and amg hold the matrix of `key` */
  uint64_t key;
  double *last[2 * INPLANE_PLATES]; /* the last answer: the next solve's start */
  /* earlier answers of the same matrix, newest first (allocated from a
   * body's second solve on: a single run holds none) */
  double *older[INPLANE_ANSWERS - 1][2 * INPLANE_PLATES];
  int n_answers; /* last and older[] that hold answers of this matrix */
} Sys;

/* A solver kept across solves: one system per free body, indexed by the
 * body's first plate. */
struct InplaneSolver {
  Sys body[INPLANE_PLATES];
};

static int fail(char *err, size_t es, int rc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = snprintf(err, es, "mechanics: ");
  if (n >= 0 && (size_t)n < es) vsnprintf(err + n, es - (size_t)n, fmt, ap);
  va_end(ap);
  return rc;
}

static int hy(int rc, const char *call, char *err, size_t es) {
  if (rc == 0) return 0;
  char desc[256] = "";
  HYPRE_DescribeError(rc, desc);
  HYPRE_ClearAllErrors();
  fail(err, es, EB_EFAIL, "%s failed: hypre error %d (%s)", call, rc, desc);
  return 1;
}
#define HY(fn, ...) hy(fn(__VA_ARGS__), #fn, err, es)

static int joined(const InplaneProblem *p, int a, int b) {
  if (a == b || !p->plate[a].present || !p->plate[b].present) return 0;
  if ((a == PLATE_WAFER && b == PLATE_PCB) || (a == PLATE_PCB && b == PLATE_WAFER))
    return p->connector_k_pa_m > 0.0;
  if ((a == PLATE_WAFER && b == PLATE_COLD) || (a == PLATE_COLD && b == PLATE_WAFER))
    return p->contact == INPLANE_FRICTION && p->friction_coeff * p->preload_pa > 0.0;
  return 0;
}

/* Stencil entry of variable v for a coupling to plate q, component c
 * relative to v's, at offset (di, dj); -1 if none. */
static int entry_of(const Sys *s, int v, int q, int other_comp, int di, int dj) {
  if (q == s->plate_of[v]) return (other_comp ? 9 : 0) + (dj + 1) * 3 + (di + 1);
  if (other_comp || di || dj) return -1;
  for (int e = NS_PLATE; e < s->ns[v]; e++)
    if (s->link_plate[v][e - NS_PLATE] == q) return e;
  return -1;
}

static double t_of(const InplanePlate *pl, size_t cell) {
  return pl->t_k ? pl->t_k[cell] : pl->t_uniform_k;
}
static double tref_of(const InplaneProblem *p, const InplanePlate *pl, size_t cell) {
  return pl->t_ref_k ? pl->t_ref_k[cell] : p->t_ref_k;
}

/* Plane-stress elasticity matrix (per unit thickness). */
static void dmat(double e, double nu, double d[3][3]) {
  const double f = e / (1.0 - nu * nu);
  memset(d, 0, 9 * sizeof(double));
  d[0][0] = d[1][1] = f;
  d[0][1] = d[1][0] = f * nu;
  d[2][2] = f * 0.5 * (1.0 - nu);
}

/* Strain-displacement matrix of a Q1 rectangle a x b at (xi, eta); local
 * nodes 0 (i,j), 1 (i+1,j), 2 (i+1,j+1), 3 (i,j+1); dofs u0 v0 u1 v1 ... */
static const double XI[4] = {-1, 1, 1, -1}, ETA[4] = {-1, -1, 1, 1};
static void bmat(double a, double b, double xi, double eta, double B[3][8]) {
  memset(B, 0, 24 * sizeof(double));
  for (int n = 0; n < 4; n++) {
    const double dx = XI[n] * (1.0 + ETA[n] * eta) / (2.0 * a);
    const double dy = ETA[n] * (1.0 + XI[n] * xi) / (2.0 * b);
    B[0][2 * n] = dx;
    B[1][2 * n + 1] = dy;
    B[2][2 * n] = dy;
    B[2][2 * n + 1] = dx;
  }
}

/* Element stiffness (times h) and thermal load of one cell. */
static void element(double a, double b, double h, double e, double nu, double eth, double K[8][8],
                    double f[8]) {
  double D[3][3], B[3][8];
  dmat(e, nu, D);
  memset(K, 0, 64 * sizeof(double));
  memset(f, 0, 8 * sizeof(double));
  const double g = 1.0 / sqrt(3.0), w = 0.25 * a * b * h; /* 2 x 2 Gauss, det J = ab/4 */
  for (int q = 0; q < 4; q++) {
    bmat(a, b, g * XI[q], g * ETA[q], B);
    double DB[3][8];
    for (int r = 0; r < 3; r++)
      for (int c = 0; c < 8; c++) DB[r][c] = D[r][0] * B[0][c] + D[r][1] * B[1][c] + D[r][2] * B[2][c];
    for (int r = 0; r < 8; r++) {
      for (int c = 0; c < 8; c++)
        K[r][c] += w * (B[0][r] * DB[0][c] + B[1][r] * DB[1][c] + B[2][r] * DB[2][c]);
      f[r] += w * eth * (DB[0][r] + DB[1][r]); /* B^T D (eth, eth, 0) */
    }
  }
}

static size_t node(const Sys *s, int i, int j) { return (size_t)i + (size_t)s->NX * j; }

/* Element stiffness, thermal load, springs: every value of the system. */
static int assemble(Sys *s, int matrix) {
  const InplaneProblem *p = s->p;
  for (int v = 0; v < s->nvars; v++) {
    /* the values live until hypre has them (build_solver) */
    if (matrix && !(s->vals[v] = calloc(s->nn * s->ns[v], sizeof(double)))) return EB_EFAIL;
    memset(s->rhs[v], 0, s->nn * sizeof(double));
  }
  double K[8][8], f[8];
  for (int pl = 0; pl < INPLANE_PLATES; pl++) {
    const InplanePlate *P = &p->plate[pl];
    if (!s->member[pl]) continue;
    for (int j = 0; j < s->ny; j++)
      for (int i = 0; i < s->nx; i++) {
        const size_t cell = (size_t)i + (size_t)s->nx * j;
        const double a = p->x_m[i + 1] - p->x_m[i], b = p->y_m[j + 1] - p->y_m[j];
        const double eth = P->alpha_per_k * (t_of(P, cell) - tref_of(p, P, cell));
        element(a, b, P->h_m, P->e_pa, P->nu, eth, K, f);
        for (int r = 0; r < 4; r++) {
          const int ir = i + (r == 1 || r == 2), jr = j + (r >= 2);
          const size_t nr = node(s, ir, jr);
          for (int cr = 0; cr < 2; cr++) {
            const int v = s->var_of[pl][cr];
            s->rhs[v][nr] += f[2 * r + cr];
            for (int c = 0; matrix && c < 4; c++) {
              const int ic = i + (c == 1 || c == 2), jc = j + (c >= 2);
              for (int cc = 0; cc < 2; cc++) {
                const int e = entry_of(s, v, pl, cc != cr, ic - ir, jc - jr);
                s->vals[v][nr * s->ns[v] + e] += K[2 * r + cr][2 * c + cc];
              }
            }
          }
        }
      }
  }
  /* interface springs, lumped at the nodes */
  for (int a = 0; matrix && a < INPLANE_PLATES; a++)
    for (int b = 0; b < INPLANE_PLATES; b++) {
      if (!s->member[a] || !s->member[b] || !joined(p, a, b)) continue;
      const int contact = a == PLATE_COLD || b == PLATE_COLD;
      for (size_t n = 0; n < s->nn; n++) {
        const double k = (contact ? s->k_contact[n] : p->connector_k_pa_m) * s->area[n];
        for (int c = 0; c < 2; c++) {
          const int v = s->var_of[a][c];
          s->vals[v][n * s->ns[v] + entry_of(s, v, a, 0, 0, 0)] += k;
          s->vals[v][n * s->ns[v] + entry_of(s, v, b, 0, 0, 0)] -= k;
        }
      }
    }
  /* pins: identity rows, and the columns cleared to keep the matrix
   * symmetric (the pinned value is 0, so nothing moves to the right side) */
  for (int v = 0; v < s->nvars; v++)
    for (size_t n = 0; n < s->nn; n++) {
      if (!s->pinned[v][n]) continue;
      s->rhs[v][n] = 0.0;
      if (!matrix) continue;
      const int i = (int)(n % s->NX), j = (int)(n / s->NX);
      double *row = &s->vals[v][n * s->ns[v]];
      for (int w = 0; w < s->nvars; w++)
        for (int dj = -1; dj <= 1; dj++)
          for (int di = -1; di <= 1; di++) {
            const int q = s->plate_of[w], oc = s->comp_of[w] != s->comp_of[v];
            const int e = entry_of(s, v, q, oc, di, dj);
            if (e < 0) continue;
            row[e] = 0.0;
            if (i + di < 0 || i + di >= s->NX || j + dj < 0 || j + dj >= s->NY) continue;
            const int back = entry_of(s, w, s->plate_of[v], oc, -di, -dj);
            if (back >= 0) s->vals[w][node(s, i + di, j + dj) * s->ns[w] + back] = 0.0;
          }
      row[entry_of(s, v, s->plate_of[v], 0, 0, 0)] = 1.0;
    }
  return EB_OK;
}

/* The PCG and its AMG hierarchy, when there are. */
static void drop_solver(Sys *s) {
  if (s->pcg) HYPRE_ParCSRPCGDestroy(s->pcg);
  if (s->amg) HYPRE_BoomerAMGDestroy(s->amg);
  s->pcg = s->amg = NULL;
  s->ready = 0;
}

static void sys_free(Sys *s) {
  drop_solver(s);
  if (s->x) HYPRE_SStructVectorDestroy(s->x);
  if (s->b) HYPRE_SStructVectorDestroy(s->b);
  if (s->A) HYPRE_SStructMatrixDestroy(s->A);
  if (s->graph) HYPRE_SStructGraphDestroy(s->graph);
  for (int v = 0; v < 2 * INPLANE_PLATES; v++) {
    if (s->st[v]) HYPRE_SStructStencilDestroy(s->st[v]);
    free(s->vals[v]);
    free(s->rhs[v]);
    free(s->pinned[v]);
    free(s->last[v]);
    for (int h = 0; h < INPLANE_ANSWERS - 1; h++) free(s->older[h][v]);
  }
  if (s->grid) HYPRE_SStructGridDestroy(s->grid);
  free(s->area);
  free(s->k_contact);
  memset(s, 0, sizeof *s);
}

/* The rigid-body pins of a free body: centre node (x and y), and y at the
 * right-edge node of the centre row. */
static void pin_body(Sys *s, int plate) {
  const InplaneProblem *p = s->p;
  const double xc = 0.5 * (p->x_m[0] + p->x_m[s->nx]), yc = 0.5 * (p->y_m[0] + p->y_m[s->ny]);
  int ic = 0, jc = 0;
  for (int i = 0; i <= s->nx; i++)
    if (fabs(p->x_m[i] - xc) < fabs(p->x_m[ic] - xc)) ic = i;
  for (int j = 0; j <= s->ny; j++)
    if (fabs(p->y_m[j] - yc) < fabs(p->y_m[jc] - yc)) jc = j;
  s->pinned[s->var_of[plate][0]][node(s, ic, jc)] = 1;
  s->pinned[s->var_of[plate][1]][node(s, ic, jc)] = 1;
  s->pinned[s->var_of[plate][1]][node(s, s->nx, jc)] = 1;
}

static int setup(Sys *s, char *err, size_t es) {
  const InplaneProblem *p = s->p;
  s->nvars = 0;
  for (int pl = 0; pl < INPLANE_PLATES; pl++)
    for (int c = 0; c < 2; c++) {
      s->var_of[pl][c] = s->member[pl] ? s->nvars : -1;
      if (!s->member[pl]) continue;
      s->plate_of[s->nvars] = pl;
      s->comp_of[s->nvars] = c;
      s->nvars++;
    }
  for (int v = 0; v < s->nvars; v++) {
    s->ns[v] = NS_PLATE;
    for (int q = 0; q < INPLANE_PLATES; q++)
      if (s->member[q] && joined(p, s->plate_of[v], q)) s->link_plate[v][s->ns[v]++ - NS_PLATE] = q;
    s->rhs[v] = malloc(s->nn * sizeof(double));
    s->pinned[v] = calloc(s->nn, 1);
    s->last[v] = calloc(s->nn, sizeof(double));
    if (!s->rhs[v] || !s->pinned[v] || !s->last[v])
      return fail(err, es, EB_EFAIL, "out of memory for %zu nodes", s->nn);
  }
  s->area = calloc(s->nn, sizeof(double));
  s->k_contact = calloc(s->nn, sizeof(double));
  if (!s->area || !s->k_contact) return fail(err, es, EB_EFAIL, "out of memory");
  for (int j = 0; j < s->ny; j++)
    for (int i = 0; i < s->nx; i++) {
      const double q = 0.25 * (p->x_m[i + 1] - p->x_m[i]) * (p->y_m[j + 1] - p->y_m[j]);
      s->area[node(s, i, j)] += q;
      s->area[node(s, i + 1, j)] += q;
      s->area[node(s, i, j + 1)] += q;
      s->area[node(s, i + 1, j + 1)] += q;
    }
  /* a group is one free body: pinned at its first plate (the wafer, or a
   * PCB or cold plate that nothing ties to the wafer) */
  for (int pl = 0; pl < INPLANE_PLATES; pl++)
    if (s->member[pl]) {
      pin_body(s, pl);
      break;
    }

  /* one part, every variable a "cell" variable of the node index space
   * [0, nx] x [0, ny]; each rank solves the whole (2-D) problem */
  const MPI_Comm comm = MPI_COMM_SELF;
  int lo[2] = {0, 0}, hi[2] = {s->nx, s->ny};
  HYPRE_SStructVariable types[2 * INPLANE_PLATES];
  for (int v = 0; v < s->nvars; v++) types[v] = HYPRE_SSTRUCT_VARIABLE_CELL;
  HYPRE_ClearAllErrors();
  if (HY(HYPRE_SStructGridCreate, comm, 2, 1, &s->grid) ||
      HY(HYPRE_SStructGridSetExtents, s->grid, 0, lo, hi) ||
      HY(HYPRE_SStructGridSetVariables, s->grid, 0, s->nvars, types) ||
      HY(HYPRE_SStructGridAssemble, s->grid) ||
      HY(HYPRE_SStructGraphCreate, comm, s->grid, &s->graph) ||
      HY(HYPRE_SStructGraphSetObjectType, s->graph, HYPRE_PARCSR))
    return EB_EFAIL;
  for (int v = 0; v < s->nvars; v++) {
    if (HY(HYPRE_SStructStencilCreate, 2, s->ns[v], &s->st[v])) return EB_EFAIL;
    for (int e = 0; e < s->ns[v]; e++) {
      int off[2] = {0, 0}, to;
      if (e < NS_PLATE) {
        off[0] = e % 3 - 1;
        off[1] = (e % 9) / 3 - 1;
        to = s->var_of[s->plate_of[v]][e < 9 ? s->comp_of[v] : 1 - s->comp_of[v]];
      } else {
        to = s->var_of[s->link_plate[v][e - NS_PLATE]][s->comp_of[v]];
      }
      if (HY(HYPRE_SStructStencilSetEntry, s->st[v], e, off, to)) return EB_EFAIL;
    }
    if (HY(HYPRE_SStructGraphSetStencil, s->graph, 0, v, s->st[v])) return EB_EFAIL;
  }
  if (HY(HYPRE_SStructGraphAssemble, s->graph) ||
      HY(HYPRE_SStructMatrixCreate, comm, s->graph, &s->A) ||
      HY(HYPRE_SStructMatrixSetObjectType, s->A, HYPRE_PARCSR) ||
      HY(HYPRE_SStructVectorCreate, comm, s->grid, &s->b) ||
      HY(HYPRE_SStructVectorSetObjectType, s->b, HYPRE_PARCSR) ||
      HY(HYPRE_SStructVectorCreate, comm, s->grid, &s->x) ||
      HY(HYPRE_SStructVectorSetObjectType, s->x, HYPRE_PARCSR))
    return EB_EFAIL;
  return EB_OK;
}

/* Build the PCG + BoomerAMG on the assembled matrix (s->ready after). */
static int build_solver(Sys *s, char *err, size_t es) {
  int lo[2] = {0, 0}, hi[2] = {s->nx, s->ny};
  const MPI_Comm comm = MPI_COMM_SELF;
  drop_solver(s);
  HYPRE_ClearAllErrors();
  if (HY(HYPRE_SStructMatrixInitialize, s->A) || HY(HYPRE_SStructVectorInitialize, s->b) ||
      HY(HYPRE_SStructVectorInitialize, s->x))
    return EB_EFAIL;
  for (int v = 0; v < s->nvars; v++) {
    int entries[NS_MAX];
    for (int e = 0; e < s->ns[v]; e++) entries[e] = e;
    if (HY(HYPRE_SStructMatrixSetBoxValues, s->A, 0, lo, hi, v, s->ns[v], entries, s->vals[v]))
      return EB_EFAIL;
    free(s->vals[v]); /* hypre holds the matrix now */
    s->vals[v] = NULL;
  }
  HYPRE_ParCSRMatrix pa = NULL;
  if (HY(HYPRE_SStructMatrixAssemble, s->A) ||
      HY(HYPRE_SStructMatrixGetObject, s->A, (void **)&pa))
    return EB_EFAIL;
  /* systems AMG, unknown approach: the ParCSR rows run variable by
   * variable (each a whole node grid), so a row's function is row / nodes.
   * hypre owns dof_func once set (freed with the solver). */
  HYPRE_Int *dof_func = malloc((size_t)s->nvars * s->nn * sizeof(HYPRE_Int));
  if (!dof_func) return fail(err, es, EB_EFAIL, "out of memory");
  for (size_t k = 0; k < (size_t)s->nvars * s->nn; k++) dof_func[k] = (HYPRE_Int)(k / s->nn);
  const double tol = s->p->rel_tol > 0 ? s->p->rel_tol : 1e-9;
  if (HY(HYPRE_BoomerAMGCreate, &s->amg)) {
    free(dof_func);
    return EB_EFAIL;
  }
  if (HY(HYPRE_BoomerAMGSetDofFunc, s->amg, dof_func) ||
      HY(HYPRE_BoomerAMGSetNumFunctions, s->amg, s->nvars) ||
      HY(HYPRE_BoomerAMGSetMaxIter, s->amg, 1) || HY(HYPRE_BoomerAMGSetTol, s->amg, 0.0) ||
      HY(HYPRE_BoomerAMGSetCoarsenType, s->amg, 10) ||
      HY(HYPRE_BoomerAMGSetInterpType, s->amg, 6) || HY(HYPRE_BoomerAMGSetPMaxElmts, s->amg, 4) ||
      HY(HYPRE_BoomerAMGSetStrongThreshold, s->amg, 0.5) ||
      HY(HYPRE_BoomerAMGSetAggNumLevels, s->amg, 1) ||
      HY(HYPRE_BoomerAMGSetRelaxType, s->amg, 16) || HY(HYPRE_BoomerAMGSetPrintLevel, s->amg, 0) ||
      HY(HYPRE_ParCSRPCGCreate, comm, &s->pcg) || HY(HYPRE_PCGSetTol, s->pcg, tol) ||
      HY(HYPRE_PCGSetMaxIter, s->pcg, 1000) || HY(HYPRE_PCGSetTwoNorm, s->pcg, 1) ||
      HY(HYPRE_PCGSetPrecond, s->pcg, (HYPRE_PtrToSolverFcn)HYPRE_BoomerAMGSolve,
         (HYPRE_PtrToSolverFcn)HYPRE_BoomerAMGSetup, s->amg))
    return EB_EFAIL;
  s->ready = 1;
  return EB_OK;
}

/* One linear solve of the assembled right-hand side on the built solver
 * (the AMG set up at its first solve); x in/out (node arrays). */
static int solve_linear(Sys *s, double *const *x, int *iters, double *res, char *err, size_t es) {
  int lo[2] = {0, 0}, hi[2] = {s->nx, s->ny};
  HYPRE_ClearAllErrors();
  for (int v = 0; v < s->nvars; v++)
    if (HY(HYPRE_SStructVectorSetBoxValues, s->b, 0, lo, hi, v, s->rhs[v]) ||
        HY(HYPRE_SStructVectorSetBoxValues, s->x, 0, lo, hi, v, x[v]))
      return EB_EFAIL;
  HYPRE_ParCSRMatrix pa = NULL;
  HYPRE_ParVector pb = NULL, px = NULL;
  if (HY(HYPRE_SStructVectorAssemble, s->b) || HY(HYPRE_SStructVectorAssemble, s->x) ||
      HY(HYPRE_SStructMatrixGetObject, s->A, (void **)&pa) ||
      HY(HYPRE_SStructVectorGetObject, s->b, (void **)&pb) ||
      HY(HYPRE_SStructVectorGetObject, s->x, (void **)&px))
    return EB_EFAIL;
  if (s->ready == 1) {
    if (HY(HYPRE_ParCSRPCGSetup, s->pcg, pa, pb, px)) return EB_EFAIL;
    s->ready = 2;
  }
  const double tol = s->p->rel_tol > 0 ? s->p->rel_tol : 1e-9;
  int hrc = HYPRE_ParCSRPCGSolve(s->pcg, pa, pb, px);
  HYPRE_Int it = 0;
  double r = NAN;
  HYPRE_PCGGetNumIterations(s->pcg, &it);
  HYPRE_PCGGetFinalRelativeResidualNorm(s->pcg, &r);
  HYPRE_ClearAllErrors();
  *iters += it;
  *res = r;
  /* hypre flags "not converged" as an error; judge the residual instead
   * (0 iterations: the start already solves it) */
  if (!(r <= 10.0 * tol) && it > 0)
    return fail(err, es, EB_EFAIL,
                "the in-plane solve did not converge: relative residual %.3g after %d PCG "
                "iterations (wanted %.1g; hypre code %d)",
                r, (int)it, tol, hrc);
  if (HY(HYPRE_SStructVectorGather, s->x)) return EB_EFAIL;
  for (int v = 0; v < s->nvars; v++)
    if (HY(HYPRE_SStructVectorGetBoxValues, s->x, 0, lo, hi, v, x[v])) return EB_EFAIL;
  return EB_OK;
}

static int check(const InplaneProblem *p, char *err, size_t es) {
  static const char *const names[] = {"wafer", "PCB", "cold plate"};
  if (p->nx < 2 || p->ny < 2 || !p->x_m || !p->y_m)
    return fail(err, es, EB_EINPUT, "the in-plane grid needs at least 2 x 2 cells (got %d x %d)",
                p->nx, p->ny);
  for (int i = 0; i < p->nx; i++)
    if (!(p->x_m[i + 1] > p->x_m[i]))
      return fail(err, es, EB_EINPUT, "cell faces must increase along x (face %d)", i);
  for (int j = 0; j < p->ny; j++)
    if (!(p->y_m[j + 1] > p->y_m[j]))
      return fail(err, es, EB_EINPUT, "cell faces must increase along y (face %d)", j);
  if (!p->plate[PLATE_WAFER].present)
    return fail(err, es, EB_EINPUT, "the wafer plate is required");
  for (int pl = 0; pl < INPLANE_PLATES; pl++) {
    const InplanePlate *P = &p->plate[pl];
    if (!P->present) continue;
    if (!(P->h_m > 0) || !(P->e_pa > 0) || !(P->nu >= 0 && P->nu < 0.5) || !isfinite(P->alpha_per_k))
      return fail(err, es, EB_EINPUT,
                  "the %s plate needs thickness > 0, E > 0, 0 <= nu < 0.5 and a CTE (got h %g m, "
                  "E %g Pa, nu %g, alpha %g /K)",
                  names[pl], P->h_m, P->e_pa, P->nu, P->alpha_per_k);
  }
  if (!(p->connector_k_pa_m >= 0) || !isfinite(p->connector_k_pa_m))
    return fail(err, es, EB_EINPUT, "connector stiffness must be >= 0 (got %g Pa/m)",
                p->connector_k_pa_m);
  if (p->contact == INPLANE_FRICTION && (!(p->friction_coeff >= 0) || !(p->preload_pa >= 0)))
    return fail(err, es, EB_EINPUT, "friction needs mu >= 0 and a preload >= 0");
  return EB_OK;
}

static int alloc_solution(const InplaneProblem *p, InplaneSolution *o, size_t nn, size_t nc) {
  for (int pl = 0; pl < INPLANE_PLATES; pl++) {
    if (!p->plate[pl].present) continue;
    o->u[pl][0] = calloc(nn, sizeof(double));
    o->u[pl][1] = calloc(nn, sizeof(double));
    o->sxx[pl] = calloc(nc, sizeof(double));
    o->syy[pl] = calloc(nc, sizeof(double));
    o->sxy[pl] = calloc(nc, sizeof(double));
    if (!o->u[pl][0] || !o->u[pl][1] || !o->sxx[pl] || !o->syy[pl] || !o->sxy[pl]) return 1;
  }
  return 0;
}

/* Cell-centre stress of each plate (the Q1 element's superconvergent point). */
static void stresses(const InplaneProblem *p, InplaneSolution *o) {
  const int NX = p->nx + 1;
  for (int pl = 0; pl < INPLANE_PLATES; pl++) {
    const InplanePlate *P = &p->plate[pl];
    if (!P->present) continue;
    double D[3][3], B[3][8];
    dmat(P->e_pa, P->nu, D);
    for (int j = 0; j < p->ny; j++)
      for (int i = 0; i < p->nx; i++) {
        const size_t cell = (size_t)i + (size_t)p->nx * j;
        bmat(p->x_m[i + 1] - p->x_m[i], p->y_m[j + 1] - p->y_m[j], 0.0, 0.0, B);
        const size_t nd[4] = {(size_t)i + (size_t)NX * j, (size_t)i + 1 + (size_t)NX * j,
                              (size_t)i + 1 + (size_t)NX * (j + 1), (size_t)i + (size_t)NX * (j + 1)};
        double u[8];
        for (int n = 0; n < 4; n++) {
          u[2 * n] = o->u[pl][0][nd[n]];
          u[2 * n + 1] = o->u[pl][1][nd[n]];
        }
        const double eth = P->alpha_per_k * (t_of(P, cell) - tref_of(p, P, cell));
        double eps[3] = {-eth, -eth, 0.0};
        for (int r = 0; r < 3; r++)
          for (int c = 0; c < 8; c++) eps[r] += B[r][c] * u[c];
        o->sxx[pl][cell] = D[0][0] * eps[0] + D[0][1] * eps[1];
        o->syy[pl][cell] = D[1][0] * eps[0] + D[1][1] * eps[1];
        o->sxy[pl][cell] = D[2][2] * eps[2];
      }
  }
}

/* FNV-1a over bytes, chained. */
static uint64_t fnv(uint64_t h, const void *data, size_t n) {
  const unsigned char *c = data;
  for (size_t i = 0; i < n; i++) h = (h ^ c[i]) * 1099511628211ull;
  return h;
}

/* What a body's matrix depends on: the grid, its plates' stiffness, the
 * connector. Temperatures and CTEs load the right-hand side only. */
static uint64_t body_key(const InplaneProblem *p, const int member[INPLANE_PLATES]) {
  uint64_t h = 14695981039346656037ull;
  h = fnv(h, &p->nx, sizeof p->nx);
  h = fnv(h, &p->ny, sizeof p->ny);
  h = fnv(h, p->x_m, (size_t)(p->nx + 1) * sizeof(double));
  h = fnv(h, p->y_m, (size_t)(p->ny + 1) * sizeof(double));
  h = fnv(h, member, INPLANE_PLATES * sizeof(int));
  for (int pl = 0; pl < INPLANE_PLATES; pl++) {
    if (!member[pl]) continue;
    const double k[3] = {p->plate[pl].h_m, p->plate[pl].e_pa, p->plate[pl].nu};
    h = fnv(h, k, sizeof k);
  }
  if (member[PLATE_WAFER] && member[PLATE_PCB])
    h = fnv(h, &p->connector_k_pa_m, sizeof p->connector_k_pa_m);
  return h;
}

/* y = A x on the assembled matrix (node arrays per variable). */
static int apply_matrix(Sys *s, double *const *x, double *const *y, char *err, size_t es) {
  int lo[2] = {0, 0}, hi[2] = {s->nx, s->ny};
  HYPRE_ClearAllErrors();
  for (int v = 0; v < s->nvars; v++)
    if (HY(HYPRE_SStructVectorSetBoxValues, s->x, 0, lo, hi, v, x[v])) return EB_EFAIL;
  HYPRE_ParCSRMatrix pa = NULL;
  HYPRE_ParVector pb = NULL, px = NULL;
  if (HY(HYPRE_SStructVectorAssemble, s->x) || HY(HYPRE_SStructVectorAssemble, s->b) ||
      HY(HYPRE_SStructMatrixGetObject, s->A, (void **)&pa) ||
      HY(HYPRE_SStructVectorGetObject, s->b, (void **)&pb) ||
      HY(HYPRE_SStructVectorGetObject, s->x, (void **)&px) ||
      HY(HYPRE_ParCSRMatrixMatvec, 1.0, pa, px, 0.0, pb) || HY(HYPRE_SStructVectorGather, s->b))
    return EB_EFAIL;
  for (int v = 0; v < s->nvars; v++)
    if (HY(HYPRE_SStructVectorGetBoxValues, s->b, 0, lo, hi, v, y[v])) return EB_EFAIL;
  return EB_OK;
}

static double dot(const Sys *s, double *const *a, double *const *b) {
  double d = 0.0;
  for (int v = 0; v < s->nvars; v++)
    for (size_t n = 0; n < s->nn; n++) d += a[v][n] * b[v][n];
  return d;
}

/* The start x from the kept answers a_i of this matrix A: the combination
 * sum c_i a_i nearest the new answer in A's energy norm, i.e. the Galerkin
 * projection G c = r with G_ij = a_i . A a_j and r_i = a_i . b (Fischer,
 * "Projection techniques for iterative solution of Ax = b with successive
 * right-hand sides", Comput. Methods Appl. Mech. Eng. 163 (1998) 193-204).
 * PCG then starts from a residual that is what the answers do not span.
 * Measured on the CS-3 power sweep of make bench (1 kW steps, 0.5 mm
 * cells): 19-20 PCG iterations and 0.15 s per warm point, against 41 and
 * 0.23 s from the last answer alone. */
static int project_start(Sys *s, double *const *x, char *err, size_t es) {
  const int m = s->n_answers;
  double *a[INPLANE_ANSWERS][2 * INPLANE_PLATES];
  for (int v = 0; v < s->nvars; v++) {
    a[0][v] = s->last[v];
    for (int h = 1; h < m; h++) a[h][v] = s->older[h - 1][v];
  }
  double *ay[2 * INPLANE_PLATES] = {0};
  int rc = EB_OK;
  for (int v = 0; v < s->nvars && rc == EB_OK; v++)
    if (!(ay[v] = malloc(s->nn * sizeof(double))))
      rc = fail(err, es, EB_EFAIL, "out of memory for %zu nodes", s->nn);
  double G[INPLANE_ANSWERS][INPLANE_ANSWERS], r[INPLANE_ANSWERS];
  for (int j = 0; j < m && rc == EB_OK; j++) {
    rc = apply_matrix(s, a[j], ay, err, es);
    for (int i = 0; rc == EB_OK && i < m; i++) G[i][j] = dot(s, a[i], ay);
  }
  for (int v = 0; v < s->nvars; v++) free(ay[v]);
  if (rc != EB_OK) return rc;
  for (int i = 0; i < m; i++) r[i] = dot(s, a[i], s->rhs);
  /* Cholesky of the symmetric part, newest answer first; an answer the
   * others already span (a pivot below 1e-12 of its diagonal) is left out */
  double L[INPLANE_ANSWERS][INPLANE_ANSWERS] = {{0}}, c[INPLANE_ANSWERS] = {0}, z[INPLANE_ANSWERS];
  int use[INPLANE_ANSWERS] = {0};
  for (int k = 0; k < m; k++) {
    double d = G[k][k];
    for (int j = 0; j < k; j++) d -= use[j] ? L[k][j] * L[k][j] : 0.0;
    if (!(G[k][k] > 0.0) || !(d > 1e-12 * G[k][k])) continue;
    use[k] = 1;
    L[k][k] = sqrt(d);
    for (int i = k + 1; i < m; i++) {
      double e = 0.5 * (G[i][k] + G[k][i]);
      for (int j = 0; j < k; j++) e -= use[j] ? L[i][j] * L[k][j] : 0.0;
      L[i][k] = e / L[k][k];
    }
  }
  for (int i = 0; i < m; i++) { /* L z = r, then L^T c = z, over the used answers */
    if (!use[i]) continue;
    double e = r[i];
    for (int j = 0; j < i; j++) e -= use[j] ? L[i][j] * z[j] : 0.0;
    z[i] = e / L[i][i];
  }
  for (int i = m - 1; i >= 0; i--) {
    if (!use[i]) continue;
    double e = z[i];
    for (int j = i + 1; j < m; j++) e -= use[j] ? L[j][i] * c[j] : 0.0;
    c[i] = e / L[i][i];
  }
  for (int v = 0; v < s->nvars; v++)
    for (size_t n = 0; n < s->nn; n++) {
      double e = 0.0;
      for (int i = 0; i < m; i++) e += c[i] * a[i][v][n];
      x[v][n] = e;
    }
  return EB_OK;
}

/* This answer as the newest kept one; the oldest's buffers take it. No
 * memory for another slot only shortens the history. */
static void keep_answer(Sys *s, double *const *x) {
  int m = s->n_answers < INPLANE_ANSWERS ? s->n_answers : INPLANE_ANSWERS - 1;
  double *spare[2 * INPLANE_PLATES] = {0};
  int ok = 1;
  for (int v = 0; v < s->nvars && m > 0; v++)
    if (!(spare[v] = s->older[m - 1][v]) && !(spare[v] = malloc(s->nn * sizeof(double)))) ok = 0;
  if (!ok) { /* keep the last answer alone */
    for (int v = 0; v < s->nvars; v++)
      if (spare[v] != s->older[m - 1][v]) free(spare[v]);
    m = 0;
  }
  for (int v = 0; v < s->nvars; v++) {
    if (m > 0) {
      for (int h = m - 1; h > 0; h--) s->older[h][v] = s->older[h - 1][v];
      s->older[0][v] = s->last[v];
      s->last[v] = spare[v];
    }
    memcpy(s->last[v], x[v], s->nn * sizeof(double));
  }
  s->n_answers = m + 1;
}

/* Solve one coupled body (with the friction passes when it holds the cold
 * plate and the wafer). Without friction the body's matrix and AMG are kept
 * for the next solve of the same key, which starts from this answer. */
static int solve_body(Sys *s, const InplaneProblem *p, const int member[INPLANE_PLATES],
                      InplaneSolution *o, char *err, size_t es) {
  const int friction = member[PLATE_COLD] && member[PLATE_WAFER];
  const uint64_t key = body_key(p, member);
  const int reuse = !friction && s->ready && s->key == key;
  int rc = EB_OK;
  if (!reuse) {
    sys_free(s);
    *s = (Sys){.p = p, .nx = p->nx, .ny = p->ny, .NX = p->nx + 1, .NY = p->ny + 1};
    memcpy(s->member, member, sizeof s->member);
    s->nn = (size_t)s->NX * s->NY;
    rc = setup(s, err, es);
  }
  s->p = p;
  double *x[2 * INPLANE_PLATES] = {0};
  for (int v = 0; rc == EB_OK && v < s->nvars; v++) {
    x[v] = o->u[s->plate_of[v]][s->comp_of[v]];
    memcpy(x[v], s->last[v], s->nn * sizeof(double));
  }
  const double mup = p->friction_coeff * p->preload_pa;
  const double s_stick = p->stick_slip_m > 0 ? p->stick_slip_m : 1e-8;
  const int max_pass = p->max_contact_iters > 0 ? p->max_contact_iters : 200;
  /* friction: iteratively reweighted springs, k = mu p / max(|slip|, s_stick)
   * (each pass minimises a quadratic bound of the Huber-regularised friction
   * energy, so the energy falls pass by pass); start stuck everywhere */
  for (size_t n = 0; rc == EB_OK && friction && n < s->nn; n++) s->k_contact[n] = mup / s_stick;
  for (int pass = 0; rc == EB_OK && pass < (friction ? max_pass : 1); pass++) {
    if (assemble(s, !reuse) != EB_OK) rc = fail(err, es, EB_EFAIL, "out of memory");
    if (rc == EB_OK && !reuse) rc = build_solver(s, err, es);
    if (rc == EB_OK && reuse && s->n_answers > 0) rc = project_start(s, x, err, es);
    if (rc == EB_OK) rc = solve_linear(s, x, &o->linear_iters, &o->rel_residual, err, es);
    if (friction) o->contact_iters = pass + 1;
    if (rc != EB_OK || !friction) break;
    double change = 0.0, smax = 0.0, excess = 0.0;
    int stuck = 0;
    for (size_t n = 0; n < s->nn; n++) {
      const double sx = o->u[PLATE_COLD][0][n] - o->u[PLATE_WAFER][0][n];
      const double sy = o->u[PLATE_COLD][1][n] - o->u[PLATE_WAFER][1][n];
      const double mag = hypot(sx, sy);
      const double k_new = mup / fmax(mag, s_stick);
      /* the contact's state as a length: the slip the old and the new
       * spring stand for */
      change = fmax(change, fabs(mup / s->k_contact[n] - mup / k_new));
      /* the traction this pass put there, against Coulomb's mu p: above it
       * anywhere, or below it where the contact slips */
      const double t = s->k_contact[n] * mag / mup;
      excess = fmax(excess, mag > s_stick ? fabs(t - 1.0) : t - 1.0);
      smax = fmax(smax, mag);
      stuck += mag <= s_stick;
      s->k_contact[n] = k_new;
    }
    o->stuck_nodes = stuck;
    o->contact_change = change / fmax(smax, s_stick);
    /* settled: the contact state still moves by < 1e-3 of the largest
     * slip, and every traction is within 0.5 % of Coulomb's law */
    if (o->contact_change < 1e-3 && excess < 5e-3) break;
    if (pass == max_pass - 1)
      rc = fail(err, es, EB_EFAIL,
                "the friction contact did not settle in %d passes (slip still changing by %.2g "
                "of its largest value, tractions off Coulomb's law by %.2g)",
                max_pass, o->contact_change, excess);
  }
  if (rc == EB_OK && !friction) {
    s->key = key;
    keep_answer(s, x);
  } else {
    sys_free(s); /* friction rebuilds every pass; a failure keeps nothing */
  }
  return rc;
}

int InplaneSolver_create(InplaneSolver **out) {
  *out = calloc(1, sizeof **out);
  return *out ? EB_OK : EB_EFAIL;
}

void InplaneSolver_destroy(InplaneSolver *S) {
  if (!S) return;
  for (int b = 0; b < INPLANE_PLATES; b++) sys_free(&S->body[b]);
  free(S);
}

int InplaneSolver_solve(InplaneSolver *S, const InplaneProblem *p, InplaneSolution *o, char *err,
                        size_t es) {
  memset(o, 0, sizeof *o);
  int rc = check(p, err, es);
  if (rc != EB_OK) return rc;
  o->nx = p->nx;
  o->ny = p->ny;
  const size_t nn = (size_t)(p->nx + 1) * (p->ny + 1);
  if (alloc_solution(p, o, nn, (size_t)p->nx * p->ny)) {
    InplaneSolution_free(o);
    return fail(err, es, EB_EFAIL, "out of memory for the in-plane solution");
  }
  /* the bodies: the wafer with what is tied to it; the others alone (a
   * frictionless cold plate is solved on its own) */
  int done[INPLANE_PLATES] = {0}, used[INPLANE_PLATES] = {0};
  for (int first = 0; rc == EB_OK && first < INPLANE_PLATES; first++) {
    if (!p->plate[first].present || done[first]) continue;
    int member[INPLANE_PLATES] = {0};
    member[first] = 1;
    for (int q = 0; q < INPLANE_PLATES; q++)
      if (first == PLATE_WAFER && joined(p, PLATE_WAFER, q)) member[q] = 1;
    for (int q = 0; q < INPLANE_PLATES; q++) done[q] |= member[q];
    used[first] = 1;
    rc = solve_body(&S->body[first], p, member, o, err, es);
  }
  for (int b = 0; b < INPLANE_PLATES; b++)
    if (!used[b]) sys_free(&S->body[b]); /* a body that is no longer one */
  if (rc == EB_OK) stresses(p, o);
  else InplaneSolution_free(o);
  return rc;
}

int Inplane_solve(const InplaneProblem *p, InplaneSolution *o, char *err, size_t es) {
  InplaneSolver *S = NULL;
  memset(o, 0, sizeof *o);
  if (InplaneSolver_create(&S) != EB_OK) return fail(err, es, EB_EFAIL, "out of memory");
  int rc = InplaneSolver_solve(S, p, o, err, es);
  InplaneSolver_destroy(S);
  return rc;
}

void InplaneSolution_free(InplaneSolution *s) {
  for (int pl = 0; pl < INPLANE_PLATES; pl++) {
    free(s->u[pl][0]);
    free(s->u[pl][1]);
    free(s->sxx[pl]);
    free(s->syy[pl]);
    free(s->sxy[pl]);
  }
  memset(s, 0, sizeof *s);
}

double Inplane_von_mises(double sxx, double syy, double sxy) {
  return sqrt(fmax(0.0, sxx * sxx - sxx * syy + syy * syy + 3.0 * sxy * sxy));
}

void Inplane_principal(double sxx, double syy, double sxy, double *s1, double *s2) {
  const double m = 0.5 * (sxx + syy), r = hypot(0.5 * (sxx - syy), sxy);
  *s1 = m + r;
  *s2 = m - r;
}

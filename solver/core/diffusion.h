/* diffusion.h - the one cell-centred diffusion operator of ebsim, on the
 * rectilinear Grid, solved with hypre Struct PCG preconditioned by one PFMG
 * V-cycle. Temperature, the duct cross-section, the PCB sheet voltage and
 * the transient (M - gamma J) all use it; it is the only PCG/PFMG set-up in
 * the code base.
 *
 *   sum_faces G_f (u_N - u_P) - sum_sides G_b (u_P - u_amb)
 *     - shift_scale shift_P u_P + S_P = 0
 *
 * G_f = A / (d_P/(2 k_P) + r + d_N/(2 k_N)): harmonic mean of the two
 * half-cells plus any zero-thickness resistance r on a z face, so layered 1D
 * problems are exact. k_P along an axis is mat_k[mat_P][axis] times the
 * cell's plane factor. Boundary faces: G_b = A / (d_P/(2 k_P) + 1/h); h = 0
 * is insulated, h = INFINITY holds u at the face (Dirichlet). Void cells are
 * decoupled identity rows; the solution there is NaN. The matrix is
 * symmetric (SPD with any Robin/Dirichlet face or a positive shift) and
 * stored with hypre's symmetric storage.
 *
 * MPI: the ranks of opt.comm share the grid's rows j (split evenly, all x
 * and z: Grid_rank_rows); the Grid and every array of the problem are
 * full-size on every rank, and Diffusion_solve returns the whole solution
 * on every rank, so callers stay serial code, unless opt.own_rows asks for
 * each rank's own rows alone. Every function taking a Diffusion is collective
 * over its comm, and every rank returns the same status and message.
 *
 * A grid of one plane (nz = 1) is solved as a 2D problem (5-point stencil).
 *
 * The problem's arrays are read during Diffusion_assemble / _update / _solve
 * only; the Grid must outlive the Diffusion.
 */
#ifndef EBSIM_DIFFUSION_H
#define EBSIM_DIFFUSION_H

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

#include "../../geometry/grid.h"

typedef struct Diffusion Diffusion;

enum { DIFF_XLO = 0, DIFF_XHI, DIFF_YLO, DIFF_YHI, DIFF_ZLO, DIFF_ZHI, DIFF_SIDES };
#define DIFF_VOID 255 /* a cell that does not exist: identity row, solution NaN */

typedef struct {
  MPI_Comm comm;  /* ranks that share the rows of the grid (MPI_COMM_WORLD, or
                     MPI_COMM_SELF for a private solve) */
  double rel_tol; /* PCG: ||r|| / ||b||, in (0, 1) */
  int max_iters;  /* >= 1 */
  /* 1: Diffusion_solve's x (guess in, solution out) and rhs, and both
   * vectors of Diffusion_apply and Diffusion_precondition hold this rank's
   * rows only, rows_j0..j1-1 of comm's split (Grid_rank_rows), the planes
   * nx*(j1-j0) apart: nothing is gathered (the steady field, the
   * transient's state, the power path's sheet). 0: they are whole on every
   * rank. */
  int own_rows;
} DiffusionOptions;

/* A boundary side: all zero = insulated. Face arrays: z sides nx*ny
 * (i + nx*j), y sides nx*nz (i + nx*k), x sides ny*nz (j + ny*k). */
typedef struct {
  const double *h;     /* per face of the side (NULL: h_all), >= 0 */
  const double *t;     /* ambient value per face (NULL: t_all) */
  double h_all, t_all; /* h = INFINITY: Dirichlet, the value held at the face itself */
} DiffusionRobin;

/* Amount per column (nx*ny, i + nx*j) made in cell (i, j, k). */
typedef struct {
  int k;
  const double *w;
} DiffusionPlaneSource;

typedef struct {
  /* nz planes (i + nx*j): each cell's material index, or DIFF_VOID (a
   * Grid's solid_of_k: planes may be shared) */
  const uint8_t *const *mat;
  const double (*mat_k)[3]; /* per material used: coefficient along x, y, z (>= 0, finite) */
  /* NULL, or nz pointers (NULL entry: 1) to nx*ny per-cell multipliers of
   * that plane (k(T), sigma(T)); > 0 and finite */
  const double *const *factor;
  /* NULL or nz+1 zero-thickness resistances: entry k on the face between
   * cells k-1 and k (contact, m^2K/W); entries 0 and nz (outer faces) unused */
  const double *r_face_z;
  /* NULL or per cell (Grid_index order): zero-thickness resistance on the
   * cell's +x (+y) face, >= 0; INFINITY cuts the face (separate islands) */
  const double *r_face_x, *r_face_y;
  DiffusionRobin robin[DIFF_SIDES];
  int n_plane_src; /* any number of source planes */
  const DiffusionPlaneSource *plane_src;
  const double *src_cell; /* NULL or per cell, added too */
  /* NULL or per cell: shift_scale * shift added to the diagonal (M/gamma of
   * a time step, a reaction term); >= 0 */
  const double *shift;
  double shift_scale;
  /* The z sides' Robin arrays, the source planes, shift and src_cell hold
   * the columns from col_lo on (the rows a rank holds: col_lo = nx j0); 0:
   * whole planes. The operator reads only the rows of its rank. */
  size_t col_lo;
  /* shift and src_cell: plane k starts at k * cell_plane (0: nx*ny) */
  size_t cell_plane;
  /* The coefficients (the factor planes, r_face_x and r_face_y) hold the
   * columns from coef_lo on: a rank's rows and one ghost row either side
   * (coef_lo = nx max(j0 - 1, 0)), enough for every face of its rows; 0:
   * whole planes. r_face_x, r_face_y: plane k starts at k * coef_plane (0:
   * nx*ny). */
  size_t coef_lo, coef_plane;
} DiffusionProblem;

typedef struct {
  int iters;
  double rel_res;
  int hit_max; /* stopped at max_iters */
  int vcycles; /* PFMG V-cycles applied: iters when converged (the last residual is
                  tested before it would be cycled), iters + 1 when stopped at max_iters */
} DiffusionStats;

/* EB_OK; EB_EINPUT for a bad grid or options (more ranks than rows);
 * EB_EFAIL (MPI not initialised, out of memory, a hypre call). */
int Diffusion_create(const Grid *g, const DiffusionOptions *opt, Diffusion **out, char *err,
                     size_t err_size);
void Diffusion_destroy(Diffusion *d);

/* Full assembly of matrix and right-hand side. The PFMG hierarchy is built
 * at the first assembly and reused afterwards (PCG stays exact with the new
 * matrix, only the preconditioner lags) unless rebuild is 1. EB_EINPUT names
 * the first bad input (cell, face or material); after a failed assembly or
 * update the operator is half set, and Diffusion_solve refuses until an
 * assembly succeeds. */
int Diffusion_assemble(Diffusion *d, const DiffusionProblem *p, int rebuild, char *err,
                       size_t err_size);

/* Re-set planes k_first..k_last only (clamped to the grid), e.g. after a
 * Robin face or the k(T) planes changed; equal to a full assembly when
 * nothing else changed. The preconditioner is kept. Before any assembly it
 * assembles everything. */
int Diffusion_update(Diffusion *d, const DiffusionProblem *p, int k_first, int k_last, char *err,
                     size_t err_size);

/* Tolerance and iteration limit of the next solves (checked there). */
void Diffusion_set_tolerance(Diffusion *d, double rel_tol, int max_iters);

/* x (nx*ny*nz): initial guess in (non-finite entries read as 0), solution
 * out on every rank of comm (void cells NaN). rhs NULL: the assembled
 * right-hand side; else a per-cell right-hand side (preconditioner solves;
 * void cells ignored). st may be NULL. EB_EFAIL when PCG does not reach the
 * tolerance: x then holds the last iterate and st says how far it got and
 * whether max_iters was hit (the caller adds its own advice). */
int Diffusion_solve(Diffusion *d, const double *rhs, double *x, DiffusionStats *st, char *err,
                    size_t err_size);

/* y = A x with the assembled matrix (shift included), on every rank of
 * comm; void cells give NaN, non-finite x reads as 0. A transient's
 * right-hand side: the flux balance of a state without a solve. */
int Diffusion_apply(Diffusion *d, const double *x, double *y, char *err, size_t err_size);

/* x = one PFMG V-cycle on rhs from zero (the hierarchy of the last
 * assembly that built one): a fixed linear approximation of A^-1, the
 * cheapest preconditioner for an outer Krylov method. Void cells NaN. */
int Diffusion_precondition(Diffusion *d, const double *rhs, double *x, char *err,
                           size_t err_size);

/* W/K between (i,j,k) and its +axis neighbour (axis 0, 1, 2), as assembled;
 * 0 past the grid's edge or next to a void cell. */
double Diffusion_face_g(const Grid *g, const DiffusionProblem *p, int i, int j, int k, int axis);
/* W/K from cell (i,j,k), which lies on the side, to that side's ambient
 * (half cell + 1/h), as assembled; 0 for an insulated face or a void cell. */
double Diffusion_boundary_g(const Grid *g, const DiffusionProblem *p, int side, int i, int j,
                            int k);

#endif

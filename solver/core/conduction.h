/* conduction.h - the finite-volume conduction operator on a Grid, solved
 * with hypre Struct PCG preconditioned by PFMG multigrid.
 *
 *   sum_faces G_f (T_nb - T_P) - sum_robin G_r (T_P - T_inf) + S_P = 0
 *
 * G_f = A / (d_P/(2 k_P) + r_c + d_N/(2 k_N)): harmonic mean of the two
 * half-cells plus any zero-thickness contact resistance r_c on the face, so
 * layered 1D problems are exact. Robin faces (the coolant and brick cold
 * plate) include the half-cell: G_r = A / (d_P/(2 k_P) + 1/h). Conductivity
 * per cell is the cell's solid at the cell's temperature (k(T)). Void cells
 * are decoupled identity rows. The matrix is symmetric (SPD with any Robin
 * face), stored with hypre's symmetric storage.
 *
 * MPI: on N ranks each rank assembles and solves the rows j of its block
 * (the grid's rows split evenly, all x and z); the Grid and every field
 * passed in are full-size on every rank, and Conduction_solve returns the
 * whole solution on every rank (gathered), so callers stay serial code.
 */
#ifndef EBSIM_CONDUCTION_H
#define EBSIM_CONDUCTION_H

#include <stddef.h>

#include "../../geometry/grid.h"

typedef struct Conduction Conduction;

typedef struct {
  double rel_tol; /* PCG: ||r|| / ||b|| */
  int max_iters;
} ConductionOptions;

/* Boundary and source data for one assembly. Arrays are per column
 * (nx*ny, index i + nx*j) unless said otherwise; NULL means none. */
typedef struct {
  const double *h_lo, *t_lo; /* Robin on the z = z[0] face, W/m^2K and K */
  const double *h_hi, *t_hi; /* Robin on the z = z[nz] face */
  const double *src_col_w;   /* watts per column, made in cell k_src */
  int k_src;
  const double *src_cell_w;  /* watts per cell (nx*ny*nz), added as well */
  const double *rc_face_z;   /* nz+1 contact resistances on z faces, m^2K/W */
  const double *t_prop_k;    /* cell temperatures for k(T); NULL: k at T_ref */
} ConductionProblem;

int Conduction_create(const Grid *g, const ConductionOptions *opt, Conduction **out, char *err,
                      size_t err_size);
void Conduction_destroy(Conduction *c);

/* Set matrix and right-hand side. The multigrid hierarchy is built at the
 * first assembly and reused afterwards (PCG stays exact with the new
 * matrix; only the preconditioner lags) unless rebuild is 1. */
int Conduction_assemble(Conduction *c, const ConductionProblem *p, int rebuild, char *err,
                        size_t err_size);

/* Re-set only the planes k_first..k_last (clamped to the grid) after a
 * change confined to them (a Robin face, a k(T) layer); the preconditioner
 * is kept. Equivalent to a full assembly when nothing else changed. */
int Conduction_update(Conduction *c, const ConductionProblem *p, int k_first, int k_last,
                      char *err, size_t err_size);

/* Solve with t_k (nx*ny*nz) as the initial guess; the solution is written
 * back (void cells get NAN). EB_EFAIL if PCG does not reach the tolerance. */
int Conduction_solve(Conduction *c, double *t_k, int *iters, double *rel_res, char *err,
                     size_t err_size);

/* Change the PCG tolerance for the next solves (inexact early iterations). */
void Conduction_set_tolerance(Conduction *c, double rel_tol);

/* Conductance (W/K) between cells P and N across one face, as assembled;
 * used for heat-flux maps. axis 0/1/2, N = P + 1 along axis. */
double Conduction_face_g(const Grid *g, const ConductionProblem *p, int i, int j, int k, int axis);
/* Robin conductance of cell (i,j,k) to its outer z face (k = 0 or nz - 1). */
double Conduction_robin_g(const Grid *g, const ConductionProblem *p, int i, int j, int k,
                          double h_w_m2k);

#endif

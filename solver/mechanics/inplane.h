/* inplane.h - CTE-mismatch membrane problem of stacked plates on the lateral
 * grid: the in-plane displacements of up to three plates (wafer, PCB, cold
 * plate), each loaded by alpha (T - T_ref), coupled by interface springs.
 *
 * Each plate is a plane-stress membrane of thickness h discretised with
 * bilinear (Q1) finite elements: one element per lateral cell, nodes on the
 * cell corners, element-wise E, nu, alpha and temperature (the layer's
 * thickness mean in that cell). Edges are free. The connector joins wafer and
 * PCB with a shear spring of G/h per unit area (lumped at the nodes). The
 * cold plate touches the wafer only through the contact law: frictionless
 * slip (no tangential force), or Coulomb friction, traction <= mu p, solved
 * by iteratively reweighted springs (each pass a linear solve; a stuck node
 * has the contact's tangential stiffness). The symmetric system of the six
 * displacement components is solved by hypre PCG preconditioned with SysPFMG.
 *
 * Rigid-body motion: each free body is located as a dowel pin and a slot
 * would: at the node nearest the wafer centre (no translation) and, on the
 * same grid row at the right edge, no y motion (no rotation). Three
 * constraints on a body with three rigid modes carry no force: the strains
 * are those of a free body. The PCB is pinned only when no connector holds
 * it; the cold plate only when it slides freely.
 *
 * Units SI. Arrays are x fastest: cells nx * ny, nodes (nx+1) * (ny+1). */
#ifndef EBSIM_INPLANE_H
#define EBSIM_INPLANE_H

#include <stddef.h>

enum { PLATE_WAFER = 0, PLATE_PCB = 1, PLATE_COLD = 2, INPLANE_PLATES = 3 };
typedef enum { INPLANE_SLIP = 0, INPLANE_FRICTION = 1 } InplaneContact;

typedef struct {
  int present;        /* 0: the stack has no such plate */
  double h_m;         /* thickness carrying membrane force */
  double e_pa, nu;    /* in-plane Young's modulus and Poisson ratio */
  double alpha_per_k; /* in-plane CTE */
  const double *t_k;  /* per cell, thickness-mean temperature; NULL: t_uniform_k */
  double t_uniform_k;
  const double *t_ref_k; /* per cell reference (stress-free) temperature; NULL: problem t_ref_k */
} InplanePlate;

typedef struct {
  int nx, ny;
  const double *x_m, *y_m; /* cell faces: nx + 1, ny + 1 values */
  double t_ref_k;          /* stress-free temperature */
  InplanePlate plate[INPLANE_PLATES];
  double connector_k_pa_m; /* connector shear stiffness G/h per area, Pa/m; 0: none */
  int contact;             /* InplaneContact, cold plate on wafer */
  double friction_coeff;   /* INPLANE_FRICTION */
  double preload_pa;       /* INPLANE_FRICTION: normal pressure */
  double stick_slip_m;     /* friction: tangential compliance of a stuck contact, the slip at
                              which mu p is reached; 0 -> 1e-8 m */
  double rel_tol;          /* PCG relative residual; 0 -> 1e-9 */
  int max_contact_iters;   /* friction passes; 0 -> 200 */
} InplaneProblem;

typedef struct {
  int nx, ny;
  double *u[INPLANE_PLATES][2]; /* node displacement, x and y; NULL for an absent plate */
  /* cell-centre membrane stress, Pa (sigma = N / h): xx, yy, xy */
  double *sxx[INPLANE_PLATES], *syy[INPLANE_PLATES], *sxy[INPLANE_PLATES];
  int linear_iters;   /* PCG iterations, all passes */
  int contact_iters;  /* passes (1 without friction) */
  double contact_change; /* friction: last pass's largest slip change / largest slip */
  int stuck_nodes;    /* friction: nodes below mu p at the end */
  double rel_residual;
} InplaneSolution;

/* A solver kept across solves (a study's points): each free body keeps its
 * matrix and AMG hierarchy while the grid, its plates' stiffness and the
 * connector stay the same (temperatures and CTEs only move the right-hand
 * side), and starts from its last answer. Friction is rebuilt each pass. */
typedef struct InplaneSolver InplaneSolver;
int InplaneSolver_create(InplaneSolver **out); /* EB_OK or EB_EFAIL (memory) */
void InplaneSolver_destroy(InplaneSolver *s);
/* As Inplane_solve, on the kept solver. */
int InplaneSolver_solve(InplaneSolver *s, const InplaneProblem *p, InplaneSolution *o, char *err,
                        size_t err_size);

/* Solve once. EB_OK, EB_EINPUT for a problem that cannot be posed (a plate with
 * no stiffness, a grid of fewer than 2 x 2 cells), EB_EFAIL when hypre fails
 * or friction does not settle; the message says which. */
int Inplane_solve(const InplaneProblem *p, InplaneSolution *s, char *err, size_t err_size);
void InplaneSolution_free(InplaneSolution *s);

/* Plane-stress helpers on a stress state: von Mises and the principal
 * stresses (s1 >= s2). */
double Inplane_von_mises(double sxx, double syy, double sxy);
void Inplane_principal(double sxx, double syy, double sxy, double *s1, double *s2);

#endif

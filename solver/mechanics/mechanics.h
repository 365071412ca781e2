/* mechanics.h - CTE-mismatch mechanics of the engine block from the computed
 * temperatures (case section `mechanics`).
 *
 * Wafer, PCB and cold plate are membranes loaded by alpha (T - T_ref) with
 * each layer's thickness-mean temperature (inplane.h); the connector shears
 * between wafer and PCB; the cold plate slides on the wafer, or holds by
 * Coulomb friction. The in-plane problem is solved on a mechanics grid of
 * whole blocks of the thermal grid's lateral cells (mechanics.dx_mm); maps
 * come back on the thermal grid. Bending (warpage) of the wafer / connector
 * / PCB stack comes from the membrane forces the connector transfers, capped
 * by the bonded laminate (laminate.h). Outputs go through the registry
 * (Mechanics_outputs). */
#ifndef EBSIM_MECHANICS_H
#define EBSIM_MECHANICS_H

#include <stddef.h>

#include "../../cases/case.h"
#include "../../geometry/grid.h"
#include "../core/registry.h"
#include "../core/rows.h"
#include "inplane.h"

#define MECH_TEXT_LEN 96

typedef struct {
  double pos_m, x_m, y_m; /* perimeter position, counter-clockwise from (0, 0) */
  double slip_m;          /* |cold plate - wafer| */
  double strain;          /* connector shear strain */
} MechEdgePoint;

typedef struct {
  /* summary, SI */
  char reference[MECH_TEXT_LEN]; /* what the strains are measured from */
  char contact[16];              /* "slip" or "friction" */
  double wafer_t_mean_k, pcb_t_mean_k, cold_t_mean_k;
  double strain_max, strain_x_m, strain_y_m;
  double wafer_vm_max_pa, wafer_vm_x_m, wafer_vm_y_m;
  double wafer_tension_max_pa; /* largest principal stress (tension +) */
  double pcb_vm_max_pa, pcb_vm_x_m, pcb_vm_y_m;
  double slip_max_m, slip_x_m, slip_y_m; /* on the perimeter */
  double curvature_per_m;  /* the stack's (coupled) curvature */
  double warpage_m;        /* centre-to-corner bow of the wafer */
  double warpage_bonded_m; /* the bonded laminate's bow (upper bound) */
  char warpage_shape[MECH_TEXT_LEN];
  double flatten_pa;       /* pressure that flattens the bow */
  double preload_pa;
  int cells_x, cells_y;    /* mechanics grid */
  int linear_iters, contact_passes;
  double seconds;
  /* maps on the thermal lateral grid, ny x nx, SI */
  int nx, ny;
  double *strain, *wafer_vm, *wafer_s1, *wafer_s2, *pcb_vm, *pcb_s1, *pcb_s2, *slip_x, *slip_y;
  /* the perimeter of the mechanics grid */
  int n_edge;
  MechEdgePoint *edge;
} MechanicsResult;

/* Thickness-mean temperature of a stack layer in the lateral cells of rows
 * (out: nx*ny, K; the other rows untouched) from a 3D temperature field on
 * grid g held by those rows (Rows_at; NaN cells left out). */
void Mechanics_layer_mean(const Grid *g, GridRows rows, int layer, const double *t_k,
                          double *out);

/* Solve the mechanics of case c (mechanics.enabled) on the temperatures
 * t_k (3D, on g, the rows `rows` of every plane: each rank of comm its own,
 * or all of them with comm MPI_COMM_NULL; ref_t_k the same rows). The
 * plates' layer means are gathered; the in-plane solve itself is small and
 * repeated on every rank. ref_t_k: NULL for the stress-free state at
 * mechanics.reference_c, or another state's 3D temperatures on the same grid
 * (strain ranges between two states), described by ref_label. kept: a
 * solver kept across solves (a study's points: the matrices and AMG stay
 * while only temperatures change), or NULL for a fresh one. EB_OK,
 * EB_EINPUT (a case the model cannot pose), EB_EFAIL (solver). */
int Mechanics_solve(const Case *c, const Grid *g, const double *t_k, const double *ref_t_k,
                    GridRows rows, MPI_Comm comm, const char *ref_label, InplaneSolver *kept, MechanicsResult *r, char *err,
                    size_t err_size);
void MechanicsResult_free(MechanicsResult *r);

extern const ResultTable Mechanics_outputs;

#endif

/* sheet.h - the PCB's supply planes as a 2-D resistive sheet on the
 * lateral grid, one island per die (each die's core rail is its own plane
 * region behind it [E]: no current crosses a die boundary).
 *
 * In each island the brick feeds the sheet through its via field, spread
 * over the brick's footprint, and the die draws its current where it makes
 * its power. The sheet carries the supply and the mirrored return current:
 * its sheet resistance is the power planes' in series with the ground
 * planes' (power_parts.h), each rising with the PCB's temperature. Solved
 * with the diffusion operator (2-D, MPI_COMM_SELF):
 *   -div(sigma grad V) + g_via (V - V_brick) = -i_load
 * with sigma = 1 / R_sheet and g_via per footprint cell.
 *
 * Under MPI the sheet is held by rows as the block's field is
 * (Runtime_field_comm): each rank its rows of the solution and the losses,
 * its rows and a ghost row either side of the coefficients; the functions
 * below are collective over the run's ranks and reduce what is per die. */
#ifndef EBSIM_SHEET_H
#define EBSIM_SHEET_H

#include <stddef.h>

#include "../../cases/case.h"
#include "../../geometry/grid.h"

typedef struct Sheet Sheet;

typedef struct {
  /* per column, the rows held (whole in one process): column col at
   * [col - col_lo], col_lo <= col < col_lo + own */
  size_t col_lo, own;
  double *v_col;       /* sheet voltage (NaN outside the PCB) */
  double *u_col;       /* the drop from the brick, V_brick - V */
  double *loss_col;    /* Joule heat of the planes and the brick vias, W (Sheet_losses) */
  double *brick_i;     /* per die: current the brick delivers, A */
  double *brick_via_w; /* per die: loss of the brick's via field, W */
  double plane_loss_w; /* the planes' Joule heat, all islands (Sheet_losses; NaN before) */
  int iters;
} SheetResult;

/* For case c (with power_delivery) on grid g: the geometry (the PCB layer's
 * cells, the bricks' footprints, the die islands). */
int Sheet_create(const Case *c, const Grid *g, Sheet **out, char *err, size_t err_size);
void Sheet_destroy(Sheet *s);

/* At the PCB's temperatures t_pcb (per column, K; NaN reads as 20 C) for
 * the path pd: the sheet's and the brick vias' conductances. Before the
 * solves at those temperatures. */
int Sheet_prepare(Sheet *s, const CasePowerDelivery *pd, const double *t_pcb, char *err,
                  size_t err_size);

/* v_brick: per die, the brick's output voltage; i_load: per column of the
 * rows held (as SheetResult's arrays), A drawn by the die there. Fills r
 * (arrays owned by the sheet; valid until the next solve; the brick
 * currents and via losses summed over the ranks). Each solve starts from
 * the last one's answer. */
int Sheet_solve(Sheet *s, const double *v_brick, const double *i_load, SheetResult *r, char *err,
                size_t err_size);

/* The Joule heat of the last solve: per column (the planes' faces half to
 * either cell, the brick vias where they are) and the planes' total (over
 * the ranks), into r. EB_EFAIL only for a failed MPI call. */
int Sheet_losses(Sheet *s, SheetResult *r, char *err, size_t err_size);

#endif

/* duct.h - fully developed laminar flow and heat transfer in a rectangular
 * duct, computed on its cross-section, for wall heating the correlations do
 * not cover (a micro-channel whose cover is adiabatic: three heated walls).
 *
 * Nondimensional problems on the w x h cross-section (finite volumes, cell
 * centred, hypre Struct PCG + PFMG on MPI_COMM_SELF):
 *   velocity  lap u = -1,           u = 0 on every wall (no slip)
 *   energy    lap phi = u / u_mean, phi = 0 on the heated walls,
 *                                   d phi / dn = 0 on the adiabatic ones
 * which is the H1 condition (axially uniform heat input, peripherally
 * uniform temperature on the heated walls; Shah & London 1978, ch. 2). Then
 *   f Re = D_h^2 / (2 u_mean),  Nu = (A / P_heated) D_h / (-phi_bulk),
 * with D_h = 4 A / P over the whole perimeter and h per heated area (as the
 * fin model uses it). Two grids and Richardson extrapolation (the scheme is
 * second order) give about five digits; tests/test_duct.c checks the
 * four-wall values against Shah & London's fits.
 */
#ifndef EBSIM_DUCT_H
#define EBSIM_DUCT_H

#include <stddef.h>

/* Heated walls, as a bit mask. The cross-section has its width along x
 * (bottom and top walls) and its height along y (left and right walls). */
enum { DUCT_BOTTOM = 1, DUCT_TOP = 2, DUCT_LEFT = 4, DUCT_RIGHT = 8, DUCT_ALL = 15 };

typedef struct {
  double fre;   /* Fanning f times Re, fully developed */
  double nu_h1; /* Nusselt number, H1, per heated area, on D_h */
} DuctResult;

/* Solve for a duct of width w and height h (any unit; only the ratio
 * matters) with the walls of heated_mask heated (at least one). n_short
 * cells across the shorter side (>= 8; 48 gives about 1e-5 after
 * extrapolation). EB_OK, or EB_EINPUT / EB_EFAIL with a message. */
int Duct_solve(double w, double h, unsigned heated_mask, int n_short, DuctResult *out,
               char *err, size_t err_size);

#endif

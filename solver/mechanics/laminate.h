/* laminate.h - bending of a free, bonded stack of isotropic layers under a
 * uniform temperature change: classical laminate theory, equibiaxial.
 *
 * Each layer i (thickness h, E, nu, alpha, temperature change dt from the
 * stress-free state) has biaxial modulus E' = E / (1 - nu). With z measured
 * from the bottom face and zbar_i a layer's mid-plane,
 *   A = sum E'h, B = sum E'h zbar, D = sum E'(h^3/12 + h zbar^2),
 *   N_T = sum E' alpha dt h, M_T = sum E' alpha dt h zbar,
 *   A eps0 + B kappa = N_T,  B eps0 + D kappa = M_T.
 * The strain is eps0 + kappa z: kappa > 0 makes the +z face (layer n-1's)
 * the longer one, a dome towards +z whose centre stands above its edges. For two layers it is
 * Timoshenko's (1925) bimetal curvature (physics.md 8.1). */
#ifndef EBSIM_LAMINATE_H
#define EBSIM_LAMINATE_H

typedef struct {
  double h_m, e_pa, nu, alpha_per_k, dt_k;
} LaminateLayer;

typedef struct {
  double kappa_per_m; /* equibiaxial curvature */
  double eps0;        /* in-plane strain at z = 0 */
  double d_nm;        /* biaxial bending stiffness about the neutral plane, N m
                         (moment per width per curvature, D - B^2 / A) */
  double z_neutral_m; /* B / A */
} LaminateResult;

/* EB_OK, or EB_EINPUT when n < 1 or a layer has h <= 0 or E <= 0. */
int Laminate_bend(int n, const LaminateLayer *layers, LaminateResult *out);

/* Centre-to-corner bow (m) of a square plate of side a bent to curvature
 * kappa: kappa r^2 / 2 with r = a / sqrt(2). */
double Laminate_bow(double kappa_per_m, double side_m);

/* Uniform pressure (Pa) that takes a bow out of a plate of biaxial bending
 * stiffness d_nm (M per unit width and curvature, E' h^3 / 12) and
 * Poisson ratio nu: a simply supported circular plate of radius a under
 * pressure q deflects w0 = q a^4 (5 + nu) / (64 D (1 + nu)) at its centre
 * (Timoshenko & Woinowsky-Krieger, Theory of Plates and Shells, 2nd ed.,
 * section 16), D (1 + nu) = d_nm; equating w0 with the curvature's sag
 * kappa a^2 / 2 gives q = 32 d_nm kappa / ((5 + nu) a^2). */
double Laminate_flatten_pressure(double kappa_per_m, double d_nm, double nu, double radius_m);

#endif

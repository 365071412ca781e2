/* test_mechanics_case.c - the mechanics on the shipped CS-3 case, against
 * closed forms built from the run's own plate temperatures. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "../cases/case.h"
#include "../solver/core/runtime.h"
#include "../solver/model.h"

static void up(void) { cr_assert_eq(Runtime_init(NULL, NULL), 0); }
static void down(void) { Runtime_finalize(); }
TestSuite(mechanics_case, .init = up, .fini = down);

/* The connector's corner strain against the DNP strain (physics.md 8.3)
 * of the area-mean plate temperatures: gamma = (a_pcb dT_pcb - a_si dT_si)
 * DNP / h. A compliant connector transfers some force, which lowers the
 * strain by at most (beta R)^2 (shear-lag parameter: beta^2 = (G/h)
 * (1/(E'h)_wafer + 1/(E'h)_pcb), R = DNP): 0.31 here; the temperatures vary
 * over the wafer by a few K around their means, so the bound is widened by
 * 5 % on both sides. The largest strain sits at a corner. */
Test(mechanics_case, cs3_connector_strain_is_the_dnp_strain) {
  static Case c;
  ModelResult r;
  char err[EB_ERRLEN];
  const char *sets[] = {"grid.dx_mm=4"};
  cr_assert_eq(Case_read("cases/cs3.yaml", 1, sets, &c, err, sizeof err), EB_OK, "%s", err);
  cr_assert(c.mech.enabled);
  cr_assert_eq(Model_solve_once(&c, NULL, &r, err, sizeof err), EB_OK, "%s", err);
  cr_assert(r.has_mechanics);
  const MechanicsResult *m = &r.mechanics;
  const Solid *si = Case_solid(&c, "silicon"), *pcb = Case_solid(&c, "pcb_laminate");
  const Solid *conn = Case_solid(&c, "elastomer_connector");
  const double tref = c.mech.t_ref_k, h = 1.0e-3, dnp = c.wafer_size_m / sqrt(2.0);
  const double dnp_strain = (pcb->alpha_per_k * (m->pcb_t_mean_k - tref) -
                             si->alpha_per_k * (m->wafer_t_mean_k - tref)) * dnp / h;
  const double lambda = (1 - si->nu) / (si->e_pa * 0.775e-3) + (1 - pcb->nu) / (pcb->e_pa * 3.2e-3);
  const double br2 = conn->g_pa / h * lambda * dnp * dnp;
  cr_log_info("cs3: strain %.5f, DNP %.5f, (beta R)^2 %.3f", m->strain_max, dnp_strain, br2);
  cr_expect(m->strain_max <= 1.05 * dnp_strain && m->strain_max >= 0.95 * (1 - br2) * dnp_strain,
            "strain %.5f outside [%.5f, %.5f]", m->strain_max, 0.95 * (1 - br2) * dnp_strain,
            1.05 * dnp_strain);
  const double side = c.wafer_size_m;
  cr_expect((fabs(m->strain_x_m) < 1e-9 || fabs(m->strain_x_m - side) < 1e-9) &&
                (fabs(m->strain_y_m) < 1e-9 || fabs(m->strain_y_m - side) < 1e-9),
            "largest strain at (%g, %g) m, not a corner", m->strain_x_m, m->strain_y_m);
  /* the PCB expands more than the wafer: its side of the stack is longer */
  cr_expect(m->curvature_per_m > 0 && m->warpage_m <= m->warpage_bonded_m + 1e-12);
  /* the limits see the mechanics */
  int found = 0;
  for (int i = 0; i < r.limits.n; i++)
    if (!strcmp(r.limits.checks[i].name, "connector_shear_strain_max")) {
      found = 1;
      cr_expect_float_eq(r.limits.checks[i].value, m->strain_max, 1e-12);
    }
  cr_expect(found);
  ModelResult_free(&r);
}

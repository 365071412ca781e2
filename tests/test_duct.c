/* test_duct.c - the duct cross-section solver (solver/duct.c) against
 * Shah & London (1978) and the classic parallel-plate results.
 * [S] read in a source (physics.md 6.1); [R] recalled textbook values. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "cases/case.h"
#include "solver/coolant/duct.h"
#include "solver/core/runtime.h"
#include "solver/coolant/channel.h"

static void up(void) { cr_assert_eq(Runtime_init(NULL, NULL), 0); }
static void down(void) { Runtime_finalize(); }
TestSuite(duct, .init = up, .fini = down, .timeout = 60);

static DuctResult solve(double w, double h, unsigned mask) {
  DuctResult r;
  char err[256];
  cr_assert_eq(Duct_solve(w, h, mask, 32, &r, err, sizeof err), EB_OK, "%s", err);
  return r;
}

/* Four heated walls: f Re and Nu_H1 against Shah & London's fits
 * (physics.md 6.1 [S]; the fits reproduce their tables to about 0.05 % in
 * f Re and 0.1-0.3 % in Nu, which sets the tolerances: 0.2 % and 0.5 %). Both
 * orientations give the same numbers. */
Test(duct, four_walls_match_shah_london) {
  const double alphas[] = {0.125, 0.25, 0.5, 1.0};
  for (size_t i = 0; i < sizeof alphas / sizeof alphas[0]; i++) {
    double a = alphas[i];
    DuctResult r = solve(1.0, a, DUCT_ALL), t = solve(a, 1.0, DUCT_ALL);
    cr_log_info("alpha %.3f: f Re %.5f (fit %.5f), Nu_H1 %.5f (fit %.5f)", a, r.fre,
                Channel_fre(a), r.nu_h1, Channel_nu_h1(a));
    cr_expect(fabs(r.fre / Channel_fre(a) - 1.0) < 2e-3, "alpha %g: f Re %.5f vs %.5f", a, r.fre,
              Channel_fre(a));
    cr_expect(fabs(r.nu_h1 / Channel_nu_h1(a) - 1.0) < 5e-3, "alpha %g: Nu %.5f vs %.5f", a,
              r.nu_h1, Channel_nu_h1(a));
    cr_expect(fabs(t.fre / r.fre - 1.0) < 1e-9 && fabs(t.nu_h1 / r.nu_h1 - 1.0) < 1e-9,
              "orientation changed the answer: %.9f/%.9f vs %.9f/%.9f", t.fre, t.nu_h1, r.fre,
              r.nu_h1);
  }
}

/* The square duct: exact series values f Re = 14.227 and Nu_H1 = 3.608
 * (Shah & London table [R], also the alpha = 1 end of the fits): 0.1 %. */
Test(duct, square_duct_exact_values) {
  DuctResult r = solve(1.0, 1.0, DUCT_ALL);
  cr_expect(fabs(r.fre / 14.227 - 1.0) < 1e-3, "f Re %.5f", r.fre);
  cr_expect(fabs(r.nu_h1 / 3.608 - 1.0) < 1e-3, "Nu %.5f", r.nu_h1);
}

/* Parallel plates are the alpha -> 0 limit: both plates heated, Nu = 8.235;
 * one plate heated and the other adiabatic, Nu = 5.385 (Shah & London,
 * Kays & Crawford [R]), f Re = 24. At alpha = 1/40 the short side walls
 * still cost a few per cent, and the same fraction in both cases, so the
 * test takes the ratio: 5.385 / 8.235 = 0.6539 to 1 %. */
Test(duct, parallel_plate_limit_one_side_heated) {
  DuctResult both = solve(40.0, 1.0, DUCT_BOTTOM | DUCT_TOP);
  DuctResult one = solve(40.0, 1.0, DUCT_BOTTOM);
  cr_log_info("alpha 1/40: f Re %.4f, Nu both %.4f, one %.4f", both.fre, both.nu_h1, one.nu_h1);
  cr_expect(fabs(one.nu_h1 / both.nu_h1 / (5.385 / 8.235) - 1.0) < 1e-2, "ratio %.4f",
            one.nu_h1 / both.nu_h1);
  cr_expect(fabs(both.nu_h1 / 8.235 - 1.0) < 0.05 && both.nu_h1 < 8.235, "Nu %.4f", both.nu_h1);
  cr_expect(fabs(both.fre / 24.0 - 1.0) < 0.05 && both.fre < 24.0, "f Re %.4f", both.fre);
}

/* A micro-channel with an adiabatic cover (base and both fins heated). Per
 * heated area h can rise (the cover's share of the heat moves to walls that
 * carry it better), but the channel's whole conductance per length, h times
 * the heated perimeter, must fall: a wall held at the wall temperature was
 * taken away. It tends to the four-wall value as the channel gets tall and
 * thin (the cover is then a small part of the perimeter), and the velocity,
 * so f Re, does not see the heating at all. */
Test(duct, adiabatic_cover_lowers_the_conductance) {
  const double heights[] = {1.0, 2.0, 6.0, 20.0}; /* channel height / width */
  double prev_ratio = 0.0;
  for (size_t i = 0; i < sizeof heights / sizeof heights[0]; i++) {
    double h = heights[i];
    DuctResult three = solve(1.0, h, DUCT_BOTTOM | DUCT_LEFT | DUCT_RIGHT);
    DuctResult four = solve(1.0, h, DUCT_ALL);
    double ratio = three.nu_h1 * (1.0 + 2.0 * h) / (four.nu_h1 * (2.0 + 2.0 * h));
    cr_log_info("H/w %4.1f: Nu per heated area 3 walls %.4f, 4 walls %.4f; conductance ratio "
                "%.4f",
                h, three.nu_h1, four.nu_h1, ratio);
    cr_expect(ratio < 1.0, "H/w %g: conductance ratio %.4f", h, ratio);
    cr_expect(ratio > prev_ratio, "H/w %g: ratio %.4f not above %.4f", h, ratio, prev_ratio);
    cr_expect(fabs(three.fre / four.fre - 1.0) < 1e-12, "friction does not see heating");
    prev_ratio = ratio;
  }
  cr_expect(prev_ratio > 0.99, "tall channel: %.4f", prev_ratio);
}

Test(duct, bad_input_is_an_error) {
  DuctResult r;
  char err[256];
  cr_expect_eq(Duct_solve(1.0, 1.0, 0, 32, &r, err, sizeof err), EB_EINPUT);
  cr_expect_eq(Duct_solve(-1.0, 1.0, DUCT_ALL, 32, &r, err, sizeof err), EB_EINPUT);
  cr_expect_eq(Duct_solve(1.0, 1.0, DUCT_ALL, 4, &r, err, sizeof err), EB_EINPUT);
}

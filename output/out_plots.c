/* out_plots.c - line plots of the coolant loop (placeholder until drawn). */
#include "output.h"

int Output_write_loop_figures(const Case *c, const ThermalResult *r, const char *dir, char *err,
                              size_t err_size) {
  (void)c;
  (void)r;
  (void)dir;
  (void)err;
  (void)err_size;
  return EB_OK;
}

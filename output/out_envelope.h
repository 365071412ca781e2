/* out_envelope.h - what `ebsim envelope` writes. */
#ifndef EBSIM_OUT_ENVELOPE_H
#define EBSIM_OUT_ENVELOPE_H

#include <stddef.h>

#include "../solver/studies/envelope.h"
#include "output.h"

/* envelope.csv, envelope_min_flow.csv and (unless FIGURES_NONE) the
 * envelope figure in dir, via temporary names. */
int Output_write_envelope(const EnvelopeTable *t, const char *dir, FigureFormat figures,
                          char *err, size_t err_size);

#endif

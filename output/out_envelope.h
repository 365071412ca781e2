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

/* Why point p has no inlet, in a few words, for the table, the CSV and the
 * figure: a limit set by the flow alone (the loop's velocity) is said as
 * the flow's, the others as broken down to the coldest inlet tried. */
void Output_envelope_reason(const EnvelopePoint *p, char *buf, size_t size);

#endif

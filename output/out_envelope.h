/* out_envelope.h - what `ebsim envelope` writes. */
#ifndef EBSIM_OUT_ENVELOPE_H
#define EBSIM_OUT_ENVELOPE_H

#include <stddef.h>

#include "output.h"

typedef struct {
  double power_kw, flow_lpm;
  double inlet_max_c; /* NAN when the search failed */
  int found;          /* 0: no limit binds up to the fluid's range end */
  char binding[64];
  char note[256];
} EnvelopePoint;

/* The least flow for an inlet temperature, read off a power's curve. */
typedef struct {
  double power_kw, inlet_c, flow_lpm; /* NAN when the inlet is beyond the curve */
} EnvelopeMinFlow;

typedef struct {
  int n;
  EnvelopePoint *pts; /* grouped by power, flows rising */
  int n_min;
  EnvelopeMinFlow *min_flow;
  double case_lpm_per_kw, case_inlet_c; /* the case's own operating point */
  char case_label[96];
  double ref_lpm_per_kw, ref_inlet_c;   /* facility reference: 1.5 L/min/kW, 45 C */
} EnvelopeTable;

/* envelope.csv, envelope_min_flow.csv and (unless FIGURES_NONE) the
 * envelope figure in dir, via temporary names. */
int Output_write_envelope(const EnvelopeTable *t, const char *dir, FigureFormat figures,
                          char *err, size_t err_size);

#endif

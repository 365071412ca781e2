/* envelope.h - the operating envelope: for each power and each flow per
 * kW, the warmest coolant inlet for which every limit holds (a limit search
 * on coolant.inlet_c), and the same curves read the other way: the least
 * flow for a given inlet temperature. */
#ifndef EBSIM_ENVELOPE_H
#define EBSIM_ENVELOPE_H

#include <stddef.h>

#include "../../cases/case.h"
#include "../model.h"

typedef struct {
  double power_kw, flow_lpm;
  double inlet_max_c; /* NAN when the search failed */
  int found;          /* 0: no limit binds up to the fluid's range end */
  char binding[64];
  char note[256];     /* why a search failed */
  int computed;       /* searched by this process (a rank group's share: its points only) */
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
  char limits_overridden[160]; /* the case's limits changed by --set ("" none): the
                                  envelope is not the case's, and CS-3's point is not
                                  read against it */
} EnvelopeTable;

/* Called after each point's search (for the console table and progress). */
typedef void (*EnvelopeProgress)(int done, int total, const EnvelopePoint *p, void *user);

/* Asked before each power's row of searches (index: the power's), in
 * order: 1 to search the row here, 0 to leave it (another rank group's),
 * negative to stop. A row is claimed whole: each search in it starts from
 * the previous flow's answer, so every point's start, and with it the
 * answer, is the same however the rows are shared. */
typedef int (*EnvelopeClaim)(int index, void *user);

/* The searches for powers x flows-per-kW (t->pts gets np * nf points,
 * allocated here, with t->min_flow for the inlets; EnvelopeTable_free).
 * claim NULL: every point. A failed search is a point with a note, not a
 * failure of the whole. */
int Envelope_run(const Case *base, const double *powers_kw, int np, const double *lpm_per_kw,
                 int nf, const double *inlets_c, int ni, EnvelopeClaim claim, void *claim_user,
                 EnvelopeProgress progress, void *user, EnvelopeTable *t, char *err,
                 size_t err_size);
/* t->min_flow again from t->pts (after a rank group's points are gathered). */
void Envelope_least_flows(EnvelopeTable *t, int nf, const double *inlets_c, int ni);
void EnvelopeTable_free(EnvelopeTable *t);

/* The least flow for inlet temperature t_in along one power's searched
 * points (n, flows rising): the warmest allowed inlet rises with flow and
 * the coolant's rise goes as 1/flow, so the flow is interpolated linearly
 * in 1/flow between the two points whose inlets bracket t_in. NAN when no
 * two neighbouring points bracket it. */
double Envelope_least_flow(const EnvelopePoint *pts, int n, double t_in);

#endif

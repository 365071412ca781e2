/* out_console.h - what the study commands print on the terminal: progress,
 * the limit search's answer with every margin, the envelope's table. */
#ifndef EBSIM_OUT_CONSOLE_H
#define EBSIM_OUT_CONSOLE_H

#include <stddef.h>
#include <stdio.h>

#include "../solver/scenario.h"
#include "../solver/studies/envelope.h"
#include "../solver/studies/limit_search.h"

/* "[=====     ] 12/16 on 2 workers" over the current terminal line. */
void Output_progress_bar(FILE *f, size_t done, size_t total, int workers);
/* Clear the current terminal line. */
void Output_progress_clear(FILE *f);

/* The answer of a limit search: the value with its unit, where a limit
 * breaks, the binding limit, every limit's margin at the answer. */
void Output_limits_report(FILE *f, const char *version, const char *case_name,
                          const LimitSearchOptions *o, const LimitSearchResult *r);

/* The envelope's table: a header, one row per searched point, and the least
 * flows read off the curves. */
void Output_envelope_header(FILE *f, const char *version, const char *case_name);
void Output_envelope_row(FILE *f, const EnvelopePoint *p);
void Output_envelope_min_flow(FILE *f, const EnvelopeTable *t);

/* A transient run: how it started, the integrator's work, when each limit
 * was first reached (or its peak), the energy check, the output files. */
void Output_transient_report(FILE *f, const char *version, const char *case_name,
                             const ScenarioResult *r, const char *dir, int figures);

#endif

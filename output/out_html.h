/* out_html.h - report.html: one self-contained HTML page for a finished
 * output directory (a run, a limits search, a transient, a sweep or an
 * envelope), figures embedded as data URIs, no script and no external
 * reference, so that it opens offline, forwards as one file and prints to
 * PDF. It is made from the directory's files alone (result.h5 through
 * Output_read_result, summary.json, sweep.h5/sweep.csv, the envelope's
 * CSVs, the figures its manifest lists), every value named, united and
 * described by the result registry. */
#ifndef EBSIM_OUT_HTML_H
#define EBSIM_OUT_HTML_H

#include <stddef.h>

#include "output.h"

#define REPORT_FILE "report.html"
enum { REPORT_TOP_DEFAULT = 10 };

typedef enum {
  REPORT_RUN = 1,   /* result.h5 of a steady run */
  REPORT_LIMITS,    /* result.h5 of `limits`: the run at the answer, with /search */
  REPORT_TRANSIENT, /* result.h5 of `transient`, with /transient */
  REPORT_SWEEP,     /* sweep.h5 and sweep.csv */
  REPORT_ENVELOPE   /* envelope.csv and envelope_min_flow.csv */
} ReportKind;

typedef struct {
  int top; /* dies in the hottest-dies table (<= 0: REPORT_TOP_DEFAULT) */
} ReportOptions;

/* "run", "limits search", "transient", "sweep", "envelope". */
const char *Output_report_kind_name(ReportKind k);

/* What dir holds, judged by its files, and that they are one complete set
 * (Output_set_check on each file the report reads): EB_OK with *kind, or
 * EB_EINPUT with a message saying what was found and what a report needs. */
int Output_report_check(const char *dir, ReportKind *kind, char *err, size_t err_size);

/* Write out_dir/report.html (through report.html.tmp and out_commit) for
 * the output in dir (out_dir may be dir). Nothing else is written; the
 * caller ends out_dir's output set (Output_set_finish: OUTPUT_SET_ADD when
 * out_dir is dir). EB_EINPUT when dir is not a complete ebsim output,
 * EB_EFAIL when the page cannot be written. */
int Output_write_report(const Registry *reg, const char *dir, const char *out_dir,
                        const ReportOptions *o, char *err, size_t err_size);

/* An engineering assumption of a case file: a key whose line carries a
 * comment marked [E] (continued on the comment lines below it aligned
 * with it). path is the dotted key `--set` takes (stack items by name),
 * value its text in the file (a scalar, or the flow or block text of a
 * list or mapping), note the comment without the mark. */
typedef struct {
  int line; /* 1-based */
  char path[256];
  char *value;
  int scalar; /* value is one scalar */
  char *note;
} CaseAssumption;

/* Every [E] assumption of the YAML text, in file order, into a new array
 * *out (free with Output_assumptions_free): their number, or -1 when the
 * text is not YAML libyaml reads (nothing allocated). */
int Output_case_assumptions(const char *yaml, CaseAssumption **out);
void Output_assumptions_free(CaseAssumption *a, int n);

#endif

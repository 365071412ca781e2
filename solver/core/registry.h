/* registry.h - the result registry: the one list of what ebsim reports.
 *
 * Every reported quantity is declared once, in the table of the module that
 * computes it: its output name (with the unit in the name, as case keys
 * have), unit, one-line meaning, kind, and where its value lives in the
 * module's result struct (offsetof, like the case schema). summary.json,
 * result.h5, the sweep tables, the console report, the plot reader, the
 * limits and docs/output-reference.md are all driven by these tables; a
 * module adds outputs by adding entries, never by editing the writers.
 *
 * Values live in SI inside the result structs; an entry converts them to
 * its output unit: output = SI * scale + shift (scale 0 reads as 1).
 *
 * A Result is a view of one run's result: one pointer per module part (a
 * part that did not run is NULL and its entries are left out). */
#ifndef EBSIM_REGISTRY_H
#define EBSIM_REGISTRY_H

#include <stddef.h>

/* The module parts of a result. A new physics module adds its part here
 * and registers its table (solver/model.c). */
typedef enum {
  RESULT_RUN = 0, /* the run: case name, warnings, what a study asked */
  RESULT_THERMAL, /* temperatures and heat paths (solver/thermal) */
  RESULT_COOLANT, /* cold plate and loop: flow, h, pressure, pumps (solver/coolant) */
  RESULT_POWER,   /* the power path and the dies' electrical state (solver/power) */
  RESULT_MECHANICS, /* CTE-mismatch strain, stress, slip, bow (solver/mechanics) */
  RESULT_TRANSIENT, /* a scenario in time: time to each limit, series (solver/scenario) */
  RESULT_LIMITS,  /* the case's limits checked against the above (solver/core/limits) */
  RESULT_PARTS
} ResultPart;

typedef enum {
  RES_SCALAR, /* double (SI), converted to the output unit */
  RES_COUNT,  /* int, stored as a 64-bit integer */
  RES_FLAG,   /* int 0/1, stored as a boolean */
  RES_TEXT,   /* char[stride] at off, UTF-8 */
  RES_TEXTS,  /* a list of strings: char[n][stride] at off, count (int) at n_off */
  RES_COLUMN, /* a column of a table: rows at the pointer at off, count (int) at n_off,
                 value (double, or int when is_int) at field_off inside each row of
                 stride bytes (sizeof(double) for a plain array) */
  RES_MAP,    /* double * at off: ny x nx, x fastest (SI) */
  RES_FIELD   /* double * at off: nz x ny x nx, x fastest (SI), NaN in void cells */
} ResultKind;

/* Entry flags. */
enum {
  RES_NO_REPORT = 1u, /* left out of the console report (solver statistics, positions) */
  RES_OPTIONAL = 2u,  /* written only when the int at when_off is non-zero */
  RES_STUDY = 4u,     /* a study's answer (a limit search): not a column of sweep tables */
  RES_MAP_ONLY = 8u,  /* a design map's own column: in map tables only (ebsim map) */
  RES_POINT_ONLY = 16u /* a solved point's own (a place, a solver check): a design map
                          leaves it empty between its solved points */
};

typedef struct {
  const char *name;  /* output key, unit in the name: "t_max_c" */
  const char *unit;  /* output unit: "C", "kPa", "1" for a pure number */
  const char *desc;  /* one line: what it is */
  ResultKind kind;
  ResultPart part;
  const char *group; /* HDF5 group and docs section: "summary", "dies", "maps", ... */
  size_t off;        /* the value, or the pointer to the rows / the data */
  size_t n_off;      /* RES_TEXTS, RES_COLUMN: int row count */
  size_t stride;     /* RES_COLUMN: bytes per row; RES_TEXTS: bytes per string */
  size_t field_off;  /* RES_COLUMN: value inside a row */
  int is_int;        /* RES_COLUMN: the value is an int */
  double scale, shift;
  unsigned flags;
  size_t when_off;   /* RES_OPTIONAL: int that says the value exists */
  size_t unit_off;   /* non-zero: the unit is the char[] at this offset (a study's key unit) */
  int max_rows;      /* RES_TEXTS: capacity of the list */
} ResultEntry;

/* Conversions for entries, SI to the output unit. */
#define RES_TO_C .scale = 1.0, .shift = -273.15
#define RES_TO_MM .scale = 1e3
#define RES_TO_KPA .scale = 1e-3
#define RES_TO_LPM .scale = 60000.0
#define RES_TO_W_CM2 .scale = 1e-4

/* One module's entries, all of one part, with its struct size (the plot
 * reader allocates parts from it). */
typedef struct {
  ResultPart part;
  size_t part_size;
  const ResultEntry *entries;
  int n;
} ResultTable;

typedef struct {
  const ResultTable *const *tables;
  int n_tables;
} Registry;

/* A view of one result: the parts, NULL where a module did not run. */
typedef struct {
  const void *part[RESULT_PARTS];
} Result;

/* All entries in registration order: for (i = 0; i < Registry_size(reg); i++) */
int Registry_size(const Registry *reg);
const ResultEntry *Registry_at(const Registry *reg, int i);
/* The entry of that name, NULL if none. */
const ResultEntry *Registry_find(const Registry *reg, const char *name);
/* Self-check of the tables (unique names, units, descriptions, kinds that
 * fit their fields); 0, or -1 with the first problem in err. */
int Registry_check(const Registry *reg, char *err, size_t err_size);
/* "scalar", "count", "flag", "text", "text list", "table column", "map", "3D field" */
const char *Registry_kind_name(ResultKind k);
/* 1 for the kinds that are one value per run (scalar, count, flag, text). */
int Registry_is_single(const ResultEntry *e);

/* The entry exists in this result (its part ran, an optional value is set). */
int Result_has(const Result *r, const ResultEntry *e);
/* Output unit of the entry in this result. */
const char *Result_unit(const Result *r, const ResultEntry *e);
/* SI -> output unit and back. */
double Result_to_output(const ResultEntry *e, double si);
double Result_to_si(const ResultEntry *e, double out);
/* RES_SCALAR (converted), RES_COUNT, RES_FLAG as a number in output units. */
double Result_number(const Result *r, const ResultEntry *e);
/* RES_TEXT */
const char *Result_text(const Result *r, const ResultEntry *e);
/* RES_TEXTS, RES_COLUMN: number of rows; row i */
int Result_rows(const Result *r, const ResultEntry *e);
const char *Result_texts_row(const Result *r, const ResultEntry *e, int i);
double Result_cell(const Result *r, const ResultEntry *e, int row); /* converted */
/* RES_MAP, RES_FIELD: the SI array (NULL if absent) */
const double *Result_array(const Result *r, const ResultEntry *e);

/* By name (the report, limits, figures): the entry must exist in reg;
 * NaN / NULL when the name is unknown or the part absent. */
double Result_get(const Registry *reg, const Result *r, const char *name);
const double *Result_get_array(const Registry *reg, const Result *r, const char *name);

/* Writing into a part (the plot reader). part is the writable struct of
 * the entry's part. */
void Result_put_number(void *part, const ResultEntry *e, double out_value);
void Result_put_text(void *part, const ResultEntry *e, const char *text);

#endif

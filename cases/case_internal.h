/* case_internal.h - private to cases/ (and tests): the schema tables that
 * describe every case key, and the validator engine that walks a libyaml
 * document against them.
 *
 * One table entry per key carries its type, range, unit and where its SI
 * value lives, so reading (case_check.c), --set navigation (case.c), the
 * dump (case_dump.c) and the reference test of docs/case-reference.md all
 * use the same description and cannot drift apart. */
#ifndef EBSIM_CASE_INTERNAL_H
#define EBSIM_CASE_INTERNAL_H

#include <stddef.h>
#include <stdio.h>
#include <yaml.h>

#include "case.h"

/* ---- units: SI = value * mul / div + add -------------------------------- */
typedef enum {
  U_NONE = 0,
  U_MM,   /* mm -> m */
  U_C,    /* Celsius -> K */
  U_KW,   /* kW -> W */
  U_LPM,  /* L/min -> m^3/s */
  U_WCM2, /* W/cm^2 -> W/m^2 */
  U_WM2K, /* W/m^2K, unchanged */
  U_WMK,  /* W/mK, unchanged */
  U_K,    /* kelvin, unchanged */
  U_KGM3, /* kg/m^3, unchanged */
  U_JKGK, /* J/kgK, unchanged */
  U_KPA,  /* kPa -> Pa */
  U_MS,   /* m/s, unchanged */
  U_V,    /* volt, unchanged */
  U_A,    /* ampere, unchanged */
  U_W,    /* watt, unchanged */
  U_MOHM, /* milliohm -> ohm */
  U_UOHM, /* microohm -> ohm */
  U_GPA,  /* GPa -> Pa */
  U_MPA,  /* MPa -> Pa */
  U_PPMK, /* ppm/K -> 1/K */
  U_UM,   /* micrometre -> m */
  U_S,    /* second, unchanged */
  U_COUNT
} Unit;

/* Label shown in messages ("L/min"), "" for U_NONE. */
const char *Unit_label(Unit u);
/* Engineering value -> SI, exactly the arithmetic the reader uses. */
double Unit_to_si(Unit u, double v);
/* SI -> engineering value v with Unit_to_si(u, v) == si bit for bit (a few
 * neighbours of the plain inverse are tried; the shortest decimal wins). */
double Unit_from_si(Unit u, double si);

/* ---- schema ----------------------------------------------------------- */
typedef enum {
  F_NUM,   /* double, converted to SI */
  F_INT,   /* int */
  F_BOOL,  /* int 0/1: true/false/yes/no */
  F_NAME,  /* char[cap], [A-Za-z0-9_.-] */
  F_WORD,  /* one of words(): stored as int index or as the first letter */
  F_SOLID, /* char[MAT_NAME_LEN], a solid known to the case */
  F_MAP,   /* a fixed-key mapping written into the same target struct */
  F_CUSTOM /* sequence or dictionary with its own check and dump */
} FieldType;

/* Ranges that depend on other values of the case: the fluid's property
 * table, the wafer, the die pitch; an index 0 .. dies.rows - 1 or
 * dies.columns - 1, 0 .. pumps.count, 0 .. power_delivery.psu.count - 1,
 * and a time 0 .. the until_s of the scenario being checked. */
typedef enum {
  R_FIXED = 0,
  R_FLUID,
  R_WAFER,
  R_PITCH_X,
  R_PITCH_Y,
  R_DIE_ROW,
  R_DIE_COL,
  R_PUMPS,
  R_PSUS,
  R_UNTIL
} RangeKind;

/* Layer kinds as bits, for keys that apply to some kinds only. */
#define K_SOLID (1u << LAYER_SOLID)
#define K_CHANNEL (1u << LAYER_MICROCHANNEL)
#define K_IFACE (1u << LAYER_INTERFACE)
#define K_BRICK (1u << LAYER_BRICK_TILES)
#define K_CONV (1u << LAYER_CONVECTIVE)
#define K_ALL (K_SOLID | K_CHANNEL | K_IFACE | K_BRICK | K_CONV)
/* Outside the stack every mapping validates with kind bit K_SOLID, so
 * `req = K_ALL` reads "required" and `kinds = K_ALL` "always applies". */

typedef struct Schema Schema;
typedef struct Field Field;
typedef struct Ctx Ctx;
typedef struct Nav Nav; /* Case_get / Case_set navigation (case_access.c) */

/* Custom value check: value_id is the node (never 0), key_id its key. */
typedef int (*CheckFn)(Ctx *x, const Field *f, int key_id, int value_id, void *base);
/* Custom dump of one key: writes "key: value" lines itself at `indent`
 * (or nothing, when the key must be absent, e.g. per_die_weights). */
typedef void (*DumpFn)(FILE *out, int indent, const Case *c, const void *base);
/* Cross-key rules once every key of a mapping is read. */
typedef int (*FinishFn)(Ctx *x, int map_id, int where_id, void *base);
/* Custom key for Case_get / Case_set: the value at segs[0..n) below it
 * (n >= 1), base as for check. */
typedef int (*GetFn)(Nav *nv, const Field *f, const void *base, char **segs, int n,
                     CaseValue *out);

struct Field {
  const char *key;
  FieldType type;
  unsigned kinds; /* layer kinds the key applies to */
  unsigned req;   /* layer kinds for which it is required (0: optional) */
  double min, max;
  int min_open; /* 1: value > min, else value >= min */
  int max_open; /* 1: value < max, else value <= max (Poisson ratio < 0.5) */
  RangeKind range;
  Unit unit;
  size_t off;                        /* target of the SI value in the struct being filled */
  double def;                        /* default in engineering units (word: index) */
  int zero_unset;                    /* the default 0 means "not set / automatic": dumped as ~ */
  const char *sdef;                  /* default string (F_SOLID) */
  size_t cap;                        /* buffer size (F_NAME, F_SOLID) */
  int path_part;                     /* F_NAME: also a directory name (out/<name>): not
                                        starting with '.' or '-' */
  const char *const *(*words)(void); /* F_WORD: allowed words */
  int store_char;                    /* F_WORD: store first letter in a char */
  const Schema *sub;                 /* shape of the value (F_MAP, F_CUSTOM) */
  CheckFn check;                     /* F_CUSTOM */
  DumpFn dump;                       /* F_CUSTOM */
  GetFn get;                         /* F_CUSTOM */
};

/* Shape of a value, for validation and for --set navigation. */
typedef enum { S_MAP, S_SEQ, S_DICT } ShapeKind;
struct Schema {
  ShapeKind kind;
  const Field *fields; /* S_MAP */
  int n_fields;
  const Schema *item; /* S_SEQ, S_DICT: element shape; NULL = scalars */
  int by_name;        /* S_SEQ: items may be addressed by their `name` */
  FinishFn finish;    /* S_MAP */
  const char *what;   /* "layer", "hotspot", ... for messages */
};

extern const Schema case_top_schema;
extern const Schema case_layer_schema;

/* ---- validator context ------------------------------------------------ */
struct Ctx {
  yaml_document_t *doc;
  const char *label; /* file name or string label */
  char *err;
  size_t err_size;
  const char *const *sets; /* --set strings */
  int *set_of;             /* node id -> index+1 of the --set that made it */
  int n_set_of;            /* size of set_of and refs */
  int *refs;               /* node id -> references to it (an alias adds one) */
  char path[512]; /* dotted key of the value being checked */
  Case *c;
  unsigned kbit; /* kind bit of the layer being checked */
  /* stands in for file:line:col when the text is not the user's file
   * (Case_set validates a dump whose positions mean nothing to them) */
  const char *where;
  /* the scenario being checked (its until_s bounds its times), or NULL */
  const CaseScenario *scenario;
};

/* Error at a node: "<where>: <path>: <message>", returns EB_EINPUT. The
 * <where> is file:line:col, or "--set <string>" if a --set made the node. */
int ck_error(Ctx *x, int node_id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Error for the --set number `set_index` (navigation, before validation). */
int ck_set_error(Ctx *x, int set_index, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Dotted-path bookkeeping: push returns the length to pop back to. */
size_t ck_push(Ctx *x, const char *segment);
size_t ck_push_index(Ctx *x, int index);
void ck_pop(Ctx *x, size_t len);

yaml_node_t *ck_node(const Ctx *x, int id);
/* Scalar text of a node, NULL if it is not a scalar. */
const char *ck_scalar(const Ctx *x, int id);
/* 1 if the node is a plain empty / ~ / null scalar (YAML null). */
int ck_is_null(const Ctx *x, int id);
/* "'text'", "a mapping", "a sequence", "an empty value" into buf. */
const char *ck_describe(const Ctx *x, int id, char *buf, size_t n);
/* Value of `key` in a mapping node, 0 if absent; *key_id gets the key. */
int ck_map_get(const Ctx *x, int map_id, const char *key, int *key_id);

/* Validate a fixed-key mapping against s, writing SI values into base.
 * where_id: node that names the mapping (its key) for "missing key". */
int ck_map(Ctx *x, int map_id, int where_id, const Schema *s, void *base);
/* Check a single value against a field and store it. */
int ck_field(Ctx *x, const Field *f, int key_id, int value_id, void *base);
/* Write every default of s (for kind bit kbit) into base. */
void ck_defaults(const Schema *s, void *base, unsigned kbit);
/* Field of s named key (any kind), NULL if none. */
const Field *ck_find_field(const Schema *s, const char *key);
/* Closest of n candidate words to `word` if close enough, else NULL. */
const char *ck_suggest(const char *word, const char *const *cands, int n);
/* Message tail for an unknown key among a schema's fields. */
void ck_unknown_key_hint(const Schema *s, unsigned kbit, const char *key, char *buf, size_t n);
/* "a number > 0 and <= 5000 (L/min)" etc., with the resolved range. */
void ck_expect(const Ctx *x, const Field *f, char *buf, size_t n);
/* Inside a scenario (x->scenario set): the table row of the case key at
 * a.b[.k] when a --set made or changed its value, else NULL. Scenario
 * ranges that follow such a key widen to the key's own range (the steady
 * run must not fail over a scenario written for the file); Case_scenario
 * checks the scenario against the case. */
const Field *ck_overridden(const Ctx *x, const char *a, const char *b, const char *k);
/* Resolved range of a numeric field in engineering units (dynamic ranges
 * use x->c); note gets "water property table range" etc. or "". */
void ck_range(const Ctx *x, const Field *f, double *min, double *max, char *note, size_t n);
/* Short type summary for "missing required key" ("number, kW"). */
void ck_brief(const Ctx *x, const Field *f, char *buf, size_t n);

/* Strict number parse: the whole string, finite, decimal only. */
int ck_parse_number(const char *s, double *v);
/* 1 if s is a valid name of at most max_len characters. */
int ck_valid_name(const char *s, size_t max_len);

/* The root of a loaded, overridden document -> a validated case. */
int case_validate(Ctx *x, int root_id);

/* Read YAML text with overrides, as Case_read_string; `where` (or NULL)
 * replaces file:line:col in messages about nodes no --set made. */
int case_read_text(const char *text, size_t len, const char *label, const char *where,
                   int n_sets, const char *const *sets, Case *c, char *err, size_t err_size);

/* ---- key paths (shared by --set and Case_get / Case_set) --------------- */

#define CASE_MAX_SEGS 32
/* Split "a.b.c=value": the key's segments go into keys[cap] and segs,
 * value points into set. EB_EINPUT with the reason in msg if malformed. */
int case_split_set(const char *set, char *keys, size_t cap, char **segs, int *n,
                   const char **value, char *msg, size_t msg_n);
/* 1 if s is a list index (digits only, short). */
int case_is_index(const char *s);
/* "a mapping" or "a sequence": what a key of shape s holds. */
const char *case_shape_word(const Schema *s);
/* Message for an item `seg` missing from a list of `count`; names: the
 * items' names ", "-joined when they may be addressed by name, else NULL. */
void case_no_item(char *buf, size_t n, const char *seg, int count, const char *names);
/* "solid", "solid, microchannel and brick_tiles" for kind bits. */
const char *ck_kind_names(unsigned kinds, char *buf, size_t n);

/* Message for a scenario `name` the case lacks ("no scenario 'x' in case
 * NAME; did you mean 'y'? The case has: ..."): Case_scenario and Case_get. */
void case_scenario_missing(const Case *c, const char *name, char *buf, size_t n);

/* ---- navigation on the struct (case_access.c), for GetFn hooks -------- */

/* Error at the path walked so far; returns EB_EINPUT. */
int nav_error(Nav *nv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t nav_push(Nav *nv, const char *segment);
/* 1 when resolving a key for Case_set: keys the struct cannot hold yet (a
 * new material, a key of another layer kind) are left to the validator,
 * which judges them as it judges --set on the file. */
int nav_for_set(const Nav *nv);
/* Case_set: stop here, the validator decides; returns EB_OK. */
int nav_defer(Nav *nv);
/* Item `seg` of a list of `count` (names: the items' names, or NULL if
 * they go by index only); pushes seg; -1 after an error. */
int nav_item(Nav *nv, const char *seg, int count, const char *const *names);
/* The key reached is a mapping or sequence of shape s, not one value. */
int nav_whole(Nav *nv, const Schema *s);
/* A single value was reached with n segments left: error unless n == 0. */
int nav_leaf(Nav *nv, int n);
/* Walk segs[0..n) (n >= 1) down a fixed-key mapping at base. */
int nav_map(Nav *nv, const Schema *s, const void *base, unsigned kbit, char **segs, int n,
            CaseValue *out);
/* Fill a value: a number in unit u (engineering), or a text. */
void nav_number(CaseValue *out, double v, Unit u);
void nav_text(CaseValue *out, const char *text);

/* Shortest decimal text that strtod reads back as exactly v. */
void case_fmt_double(char *buf, size_t n, double v);

/* Dump the fields of s that apply to kind bit kbit, one "key: value" per
 * line at `indent`; first_inline: the first line is already indented
 * (after a "- " sequence marker). */
void case_dump_map(FILE *o, int indent, const Schema *s, const void *base, unsigned kbit,
                   const Case *c, int first_inline);

/* The word an F_WORD field holds in base ("split", "x", ...). */
const char *case_word_of(const Field *f, const void *base);

/* A name as YAML text that reads back as the same string. */
const char *case_quote(const char *s, char *buf, size_t n);

/* Layer kind words ("solid", ...), indexed by LayerKind, NULL-terminated. */
const char *const *case_kind_words(void);
/* Hotspot rectangle edges from centre and size, in mm -> m; the one formula
 * the reader uses, so the dump can invert it exactly. */
void case_hotspot_edges(double centre_mm, double size_mm, double *lo_m, double *hi_m);
/* Centre and size (mm) that case_hotspot_edges maps back to lo_m, hi_m. */
void case_hotspot_centre(double lo_m, double hi_m, double *centre_mm, double *size_mm);

#endif

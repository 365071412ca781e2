/* case.h - the validated case: what the user asked ebsim to model.
 *
 * A case is read from YAML (libyaml) and checked against a schema: every
 * key, its type, range and unit. Values are stored in SI inside the struct
 * (metres, kelvin, watts, m^3/s); the YAML keys carry engineering units
 * (_mm, _c, _kw, _lpm, _w_m2k). Command-line overrides (`--set a.b=v`) are
 * applied to the YAML document before validation, so they are checked by
 * exactly the same rules.
 *
 * Status codes shared by every ebsim module (they are the process exit
 * codes too): */
#ifndef EBSIM_CASE_H
#define EBSIM_CASE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../materials/materials.h"

#define EB_OK 0
#define EB_EFAIL 1  /* internal or solver failure */
#define EB_EINPUT 2 /* bad input: the message says what to fix */
#define EB_ELIMIT 3 /* run completed, a limit is broken (exit code only) */
/* No steady state exists: a thermal runaway, a supply that collapses,
 * boiling coolant. A physical answer (a limit search treats it as beyond
 * every limit), reported like a solver failure (exit code 1). */
#define EB_ENOSTATE 4

#define EB_ERRLEN 1024
#define CASE_NAME_LEN 64
#define CASE_MAX_LAYERS 16
#define CASE_MAX_HOTSPOTS 64
#define CASE_MAX_MATERIALS 16
#define CASE_MAX_DIE_COLS 32
#define CASE_MAX_DIE_ROWS 32

#define CASE_LIST_MAX 32
/* A short list of numbers (SI), n = 0 when not given. */
typedef struct {
  int n;
  double v[CASE_LIST_MAX];
} CaseList;

typedef enum { MANIFOLD_SINGLE = 0, MANIFOLD_SPLIT } Manifold;
/* What closes the channels over the fin tips: a conducting lid (the duct
 * correlations for four heated walls) or an adiabatic one (glass, plastic:
 * base and fins heated, the cover not; Nu from solver/duct.c). */
typedef enum { COVER_CONDUCTING = 0, COVER_ADIABATIC } Cover;
/* How the fins carry their heat: folded into h_eff through the
 * adiabatic-tip fin efficiency (one face of the base, the default), or
 * resolved as a volume-averaged (porous-medium) solid layer of their own
 * with the fin-to-fluid exchange spread over their height, a conducting
 * cover joined to their tips (docs/validation.md, section 8). */
typedef enum { FIN_EFFICIENCY = 0, FIN_RESOLVED } FinModel;

/* The coolant behind a convective face: held at the ambient, or marched
 * along the face from the ambient as inlet (its rise from the energy
 * balance). */
typedef enum { FACE_FIXED = 0, FACE_MARCHED } FaceCoolant;

typedef enum {
  LAYER_SOLID = 0,   /* plain solid slab (wafer, connector, PCB) */
  LAYER_MICROCHANNEL, /* copper cold plate: base slab + micro-fin channels */
  LAYER_INTERFACE,   /* zero-thickness contact conductance */
  LAYER_BRICK_TILES, /* one brick behind each die, filler between, own cold plate */
  LAYER_CONVECTIVE   /* the stack's last face cooled by a plain h to an ambient (zero
                        thickness; h and ambient in cold_plate_h_w_m2k, cold_plate_t_k) */
} LayerKind;

typedef struct {
  char name[CASE_NAME_LEN];
  LayerKind kind;
  char material[MAT_NAME_LEN]; /* solid / microchannel (fins+base) / brick */
  double thickness_m;          /* solid, brick_tiles; microchannel: base */
  /* lateral extent, centred on the wafer; 0 = the whole domain (mask) */
  double size_x_m, size_y_m;
  int cells_z;     /* 0: from grid.dz_mm */
  int heat_source; /* 1: the wafer's active face makes the case power */
  /* interface */
  double conductance_w_m2k;
  /* microchannel: rectangular channels between straight fins */
  double channel_width_m, channel_height_m, fin_thickness_m;
  char flow_direction; /* 'x' or 'y' */
  int manifold;        /* Manifold: single pass or centre-inlet split */
  int cover;           /* Cover over the fin tips */
  int fin_model;       /* FinModel */
  double cover_thickness_m; /* the lid's thickness (fin_model resolved, conducting cover) */
  int fin_cells_z;     /* cells across the fin height (resolved); 0: automatic */
  CaseList flow_profile; /* relative flow per channel across the plate (weights) */
  /* microchannel: heat transfer imposed instead of the duct correlations
   * (from the user's CFD, a vendor's data, another tool's case). At most
   * one of: wall_h_w_m2k (on the channel walls; fin efficiency applies),
   * h_eff_w_m2k (per base area, fins included; NAN: unset), or a table of
   * either (wall_h_table / h_eff_table, W/m^2K) against h_table_flow (the
   * plate's flow, m^3/s) or h_table_position (distance from the flow path's
   * inlet, m), linear between its points. Case_h_model says which. */
  double wall_h_w_m2k, h_eff_w_m2k;
  CaseList wall_h_table, h_eff_table, h_table_flow, h_table_position;
  /* brick_tiles: a brick_x by brick_y tile centred on every die */
  char filler[MAT_NAME_LEN];
  double brick_x_m, brick_y_m;
  double cold_plate_h_w_m2k; /* brick cold plate on the far face; convective: its h */
  double cold_plate_t_k;     /* its coolant temperature; NAN: follows the
                                coolant inlet (read it with Case_brick_plate_t_k) */
  /* convective: FaceCoolant; marched: the face's coolant flow (m^3/s, the
   * case's fluid entering at cold_plate_t_k) along flow_direction */
  int face_coolant;
  double face_flow_m3_s;
} CaseLayer;

typedef struct {
  double x0_m, y0_m, x1_m, y1_m; /* wafer coordinates, lower-left origin */
  double flux_w_m2;              /* local flux replacing the background */
} CaseHotspot;

typedef enum { POWER_UNIFORM = 0, POWER_PER_DIE } PowerMap;
/* Die power: fixed by the map, or an electrical model (dynamic C V^2 f and
 * leakage rising with junction temperature and voltage). */
typedef enum { DIE_POWER_FIXED = 0, DIE_POWER_ELECTRICAL } DieModel;
typedef enum { PSU_FEED_SHARED = 0, PSU_FEED_PER_BOARD } PsuFeed;
typedef enum { BRICK_SET_POINT = 0, BRICK_RATIO } BrickMode;

/* The power path, `power_delivery` (SI): PSUs on a bus -> one distribution
 * board (PDB) per die column -> one brick per die -> PCB planes and vias ->
 * connector -> die. Copper resistances are given at copper_ref_k. */
typedef struct {
  int enabled; /* the case has a power_delivery section */
  int psu_count, psu_feed, psu_failed;
  double psu_rating_w, psu_bus_v;
  CaseList psu_eff_load, psu_eff; /* efficiency against the load fraction */
  double pdb_out_v, pdb_no_load_w, pdb_r_ohm;
  CaseList pdb_failed;             /* board numbers, 1-based */
  int brick_mode;
  double brick_set_v, brick_ratio, brick_no_load_w, brick_r_out_ohm, brick_rated_a;
  double brick_derate_start_k, brick_derate_end_k;
  char pcb_layer[CASE_NAME_LEN], connector_layer[CASE_NAME_LEN]; /* stack layers they are */
  int pcb_power_planes, pcb_ground_planes;
  double pcb_copper_oz, pcb_brick_via_ohm, pcb_die_via_ohm;
  double connector_ohm;
  double copper_ref_k;
  int require_all_dies;
} CasePowerDelivery;

/* Where the cold plate's heat-transfer coefficient comes from. */
typedef enum {
  H_CORRELATION = 0, /* duct correlations (Shah & London, developing flow) + fin efficiency */
  H_WALL,            /* imposed on the channel walls (value or table) + fin efficiency */
  H_EFF              /* imposed per base area, fins included (value or table) */
} HModel;
HModel Case_h_model(const CaseLayer *L);

/* Cold plate on wafer: free to slide (frictionless, the default), or
 * Coulomb friction under the preload. */
typedef enum { CONTACT_SLIP = 0, CONTACT_FRICTION } ContactModel;

/* Thermo-mechanics, `mechanics` (SI): CTE-mismatch strain of the wafer,
 * connector, PCB and cold plate from the computed temperatures. The four
 * layers are named stack layers; their materials give E, nu and alpha, and
 * the connector's g_pa and thickness give its shear stiffness. */
typedef struct {
  int enabled;                       /* the case has a mechanics section */
  double t_ref_k;                    /* stress-free (assembly) temperature */
  char wafer_layer[CASE_NAME_LEN], connector_layer[CASE_NAME_LEN];
  char pcb_layer[CASE_NAME_LEN], cold_plate_layer[CASE_NAME_LEN];
  int contact;                       /* ContactModel */
  double friction_coeff;             /* Coulomb coefficient (contact: friction) */
  double preload_pa;                 /* cold-plate preload pressure on the wafer */
  double dx_m;                       /* largest cell of the mechanics grid: blocks of the
                                        thermal grid's lateral cells */
} CaseMechanics;

/* A named material from the case's `materials:` section: either overrides
 * of a library solid (only the given fields change) or a new solid. */
typedef struct {
  Solid solid;
} CaseMaterial;

/* Transient scenarios (`scenarios:`): named time tables of what changes.
 * Each event sets some quantities at t_s, as a step (ramp_s = 0) or a
 * linear ramp from the value just before over ramp_s (a pump's
 * coast-down). Quantities an event leaves alone are NAN (ints: -1). The
 * events at t_s = 0 make the starting state. */
#define CASE_MAX_SCENARIOS 8
#define CASE_MAX_EVENTS 32
#define CASE_MAX_SNAPSHOTS 32
#define CASE_MAX_EVENT_DIES 16
typedef struct {
  double t_s;       /* when it starts, s after the scenario's start (>= 0) */
  double ramp_s;    /* 0: a step; > 0: linear over this time */
  double power_w;   /* total die power (the case's map keeps its shape) */
  double flow_m3_s; /* coolant flow, held */
  int pumps;        /* pumps running: flow where their curve meets the loop (0: none) */
  double inlet_t_k; /* facility inlet temperature */
  int psus_failed;  /* PSUs out of service (needs power_delivery) */
  double die_scale; /* multiplies the power of the listed dies (all when none listed) */
  int n_dies;
  int die_row[CASE_MAX_EVENT_DIES], die_col[CASE_MAX_EVENT_DIES]; /* 0-based */
} CaseEvent;
typedef struct {
  char name[CASE_NAME_LEN];
  char description[200];
  double until_s;    /* end of the run (ebsim transient --until overrides) */
  int start_uniform; /* 0: the steady solution at t = 0; 1: uniform at start_t_k */
  double start_t_k;  /* uniform start (NAN: the inlet temperature) */
  int n_events;
  CaseEvent events[CASE_MAX_EVENTS]; /* in time order */
  int n_snapshots;
  double snapshot_s[CASE_MAX_SNAPSHOTS]; /* field snapshots, increasing */
} CaseScenario;

typedef struct {
  char name[CASE_NAME_LEN];
  char path[512]; /* file the case came from (for messages) */

  /* wafer */
  double wafer_size_m; /* square wafer side, also the lateral domain */
  int die_columns, die_rows;

  /* power */
  double power_w;
  PowerMap power_map;
  double die_weight[CASE_MAX_DIE_ROWS][CASE_MAX_DIE_COLS]; /* [row][col] */
  int n_hotspots;
  CaseHotspot hotspots[CASE_MAX_HOTSPOTS];
  /* die electrical model (die_model: electrical); power_w is the die power
   * at clock 1, v_nominal_v and the leakage reference temperature */
  int die_model;
  double clock;
  double dynamic_share, v_nominal_v, leakage_ref_k, leakage_doubling_k, leakage_v_exponent;
  CaseList vf_clock, vf_v; /* optional V(f): set point against clock */

  CasePowerDelivery pd;
  CaseMechanics mech;

  /* stack, coolant side first */
  int n_layers;
  CaseLayer layers[CASE_MAX_LAYERS];

  /* materials: library solids after the case's overrides, plus new ones */
  int n_materials;
  CaseMaterial materials[CASE_MAX_MATERIALS];

  /* coolant */
  FluidKind fluid;
  double inlet_t_k;
  double flow_m3_s;
  int fluid_constant; /* 1: properties fixed at the inlet temperature */
  int flow_from_pumps; /* 1: flow from the pump operating point */

  /* loop hydraulics */
  double k_entry, k_exit;   /* manifold, at the channel velocity */
  double pipe_d_m;          /* supply/return bore */
  double k_fittings;        /* sum of fitting K at the pipe velocity */
  int n_qd;                 /* quick-disconnect couplings */
  double k_qd;              /* K of one coupling */

  /* pumps */
  int pump_count, pump_series;
  int pump_running; /* 0: all installed pumps (read it with Case_pumps_running) */
  double pump_efficiency;
  double pump_dp0_pa, pump_qmax_m3_s; /* quadratic curve */
  CaseList pump_curve_q, pump_curve_dp; /* table curve (m^3/s, Pa) */

  /* sweep declared in the case: --param texts ("key=list|start:stop:step") */
#define CASE_MAX_SWEEP 4
  int n_sweep;
  char sweep[CASE_MAX_SWEEP][256];

  /* limits: NAN when not set */
  double junction_max_k;
  double outlet_max_k;
  double dp_max_pa;
  double velocity_max_m_s;
  double psu_load_max_w;
  double brick_current_max_a;
  double brick_load_max;     /* fraction of the brick's derated current rating */
  double brick_temp_max_k;
  double die_voltage_min_v;  /* a lower bound */
  /* mechanics (need a mechanics section) */
  double connector_strain_max;  /* connector shear strain, 1 */
  double wafer_stress_max_pa;   /* wafer membrane stress, von Mises */
  double pcb_stress_max_pa;     /* PCB membrane stress, von Mises */
  double edge_slip_max_m;       /* wafer against cold plate */

  /* grid */
  double dx_m;
  double dz_m;

  /* solver */
  double linear_rel_tol;  /* PCG relative residual */
  double nonlinear_tol_k; /* fixed-point update, kelvin */
  int max_nonlinear_iters;
  int max_linear_iters;
  double transient_rel_tol;   /* CVODE's relative local error tolerance */
  double transient_abs_tol_k; /* CVODE's absolute tolerance, kelvin */

  /* transient scenarios, in the file's order */
  int n_scenarios;
  CaseScenario scenarios[CASE_MAX_SCENARIOS];
} Case;

/* Read a case file and apply `n_sets` overrides of the form "a.b.c=value"
 * (list items by index or, in `stack`, by layer name: stack.wafer.thickness_mm).
 * On failure returns EB_EINPUT and writes "file:line:col: key: message" to err.
 * The case is plain data: nothing to free. */
int Case_read(const char *path, int n_sets, const char *const *sets, Case *c, char *err,
              size_t err_size);

/* Same, from YAML text in memory (tests); `label` stands in for a file name. */
int Case_read_string(const char *text, const char *label, int n_sets, const char *const *sets,
                     Case *c, char *err, size_t err_size);

/* Write the resolved case (every value, defaults included, engineering units)
 * as YAML that Case_read accepts and that reproduces the same Case. */
int Case_dump(const Case *c, FILE *f);
/* The same as a malloc'ed string (free it), or NULL when out of memory. */
char *Case_dump_string(const Case *c);

/* The solid a layer (or brick filler) uses, after the case's overrides;
 * NULL if unknown (cannot happen for a validated case). */
const Solid *Case_solid(const Case *c, const char *name);

/* Derived defaults stay unresolved in the struct, so that changing the
 * value they follow (in memory or with --set) moves them too:
 * the brick cold plate's coolant temperature, K (the inlet when not given), */
double Case_brick_plate_t_k(const Case *c, const CaseLayer *L);
/* and the number of pumps running (all installed ones when not given). */
int Case_pumps_running(const Case *c);

/* ---- access by key ------------------------------------------------------
 * Keys are the dotted paths `--set` accepts: coolant.inlet_c,
 * stack.wafer.thickness_mm (or stack.2.thickness_mm), materials.silicon.k_w_mk,
 * power.hotspots.0.flux_w_cm2, power.per_die_weights.ROW.COL,
 * pumps.curve_flow_lpm.1, sweep.0, ... */
enum { CASE_VALUE_NUMBER = 0, CASE_VALUE_TEXT, CASE_VALUE_UNSET };
typedef struct {
  int kind;      /* CASE_VALUE_NUMBER, _TEXT (names, words, bools, sweep items) or _UNSET */
  double number; /* NUMBER: in the key's engineering unit, as the YAML holds it; else NAN */
  /* the value as Case_set accepts it back exactly: the shortest decimal
   * that reads back bit for bit, the word, "true"/"false", or "~" (unset) */
  char text[256];
  const char *unit; /* "C", "mm", ... ("" when none) */
} CaseValue;

/* One value of the parsed case (no file is read). Unset values (limits not
 * given, automatic cells_z, derived defaults) give CASE_VALUE_UNSET. A bad
 * key gives EB_EINPUT and "key: message" (the words of --set). */
int Case_get(const Case *c, const char *key, CaseValue *out, char *err, size_t err_size);

/* Change one value of a validated case in memory with exactly the checks
 * and messages of `--set key=value` on the file (ranges that depend on
 * other keys and cross-key rules included; a rule broken at another key
 * names the case and the set instead of a file position). On success *c
 * is a freshly validated case (c->path kept); on failure (EB_EINPUT, or
 * EB_EFAIL out of memory; message in err) *c is unchanged. The case's
 * dump (every default written out) stands for the file where the file's
 * words would depend on what it spells out (which key a changed layer
 * kind trips over first). */
int Case_set(Case *c, const char *key, const char *value, char *err, size_t err_size);

/* 64-bit FNV-1a of the struct's bytes. The reader (and Case_set) zero the
 * struct before filling it, so cases with the same values hash equal
 * (within one process: materials hold a pointer to their source text).
 * A consumer that depends on only part of the case hashes a copy with the
 * other fields blanked (Grid_case_fingerprint does so for the grid). */
uint64_t Case_fingerprint(const Case *c);

/* Index of the heat-source layer, or -1. */
int Case_source_layer(const Case *c);
/* Index of the microchannel layer, or -1. */
int Case_channel_layer(const Case *c);
/* Index of the brick_tiles layer, or -1. */
int Case_brick_layer(const Case *c);
/* Index of the layer of that name, or -1. */
int Case_layer_named(const Case *c, const char *name);
/* The scenario of that name, checked against the case as it stands (a
 * --set may have changed what it depends on: pumps.count, the PSUs, the
 * dies). NULL with the message in err when there is none ("did you mean"
 * and the case's list) or when it does not fit the case (which key). */
const CaseScenario *Case_scenario(const Case *c, const char *name, char *err, size_t err_size);

#endif

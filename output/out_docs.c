/* out_docs.c - docs/output-reference.md from the result registry. */
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "output_internal.h"

/* Where an entry of this kind is written. */
static const char *where_kind(const ResultEntry *e) {
  switch (e->kind) {
  case RES_SCALAR:
  case RES_COUNT:
  case RES_FLAG:
  case RES_TEXT:
  case RES_TEXTS: return "summary.json, result.h5, sweep.csv, sweep.h5";
  case RES_COLUMN: return strcmp(e->group, "dies") ? "result.h5" : "result.h5, dies.csv";
  case RES_MAP: return "result.h5, result.xdmf (wafer grid)";
  case RES_FIELD: return "result.h5, result.xdmf (volume grid)";
  }
  return "";
}

static const char *where(const ResultEntry *e, char *buf, size_t n) {
  if (e->flags & RES_STUDY) return "summary.json, result.h5 (limits runs only)";
  snprintf(buf, n, "%s%s", where_kind(e),
           e->flags & RES_OPTIONAL ? " (when the case has what it describes)" : "");
  return buf;
}

/* A markdown table cell: no '|' inside. */
static void cell(FILE *f, const char *s) {
  for (; *s; s++) fputs(*s == '|' ? "/" : (char[2]){*s, 0}, f);
}

int Output_reference_markdown(const Registry *reg, FILE *f) {
  fprintf(f,
          "# ebsim output reference\n\n"
          "Generated from the result registry (`ebsim outputs --markdown`); `make test` fails when\n"
          "this file and the registry disagree. Every reported quantity is declared once, in the\n"
          "table of the module that computes it, and every writer reads it from there.\n\n"
          "- `summary.json`: every single value below under its name, its unit in `units`, and\n"
          "  `limits` (each limit with the quantity it bounds, value, limit, margin, unit, ok).\n"
          "- `result.h5`: every quantity in the group named by its section, with `units` and\n"
          "  `description` attributes (UTF-8 text; h5py reads attributes as `str`, text datasets\n"
          "  with `.asstr()`); counts are 64-bit integers, flags booleans; also `/grid` (faces,\n"
          "  centres, `layer_of_z_cell` with `layer_names`), `/limits/<name>/`,\n"
          "  `/case/resolved_yaml` and `/case/source_yaml` (the case file as written, with\n"
          "  `/case/source_path`).\n"
          "- `sweep.csv` and `sweep.h5` `/table`: one row per point, a column per single value,\n"
          "  plus `point`, `status`, `error` and the swept values (`/table/swept/<key>`, numeric\n"
          "  where they are numbers).\n"
          "- `report.html` (`ebsim report DIR`, or `--report`): every single value below with\n"
          "  its unit and meaning, the limits, the figures and the case's [E] assumptions on\n"
          "  one self-contained page.\n\n"
          "Units: the unit is part of each name (`_c` degrees Celsius, `_kpa`, `_lpm` L/min,\n"
          "`_w_cm2`, ...); `1` marks a pure number, a count, a flag or text.\n");
  const char *done[64];
  int n_done = 0;
  for (int i = 0; i < Registry_size(reg); i++) {
    const char *group = Registry_at(reg, i)->group;
    int seen = 0;
    for (int k = 0; k < n_done; k++) seen |= !strcmp(done[k], group);
    if (seen || n_done == 64) continue;
    done[n_done++] = group;
    fprintf(f, "\n## %s (result.h5 `/%s`)\n\n", group, group);
    fprintf(f, "| name | unit | kind | meaning | written to |\n|---|---|---|---|---|\n");
    for (int j = i; j < Registry_size(reg); j++) {
      const ResultEntry *e = Registry_at(reg, j);
      if (strcmp(e->group, group)) continue;
      fprintf(f, "| `%s` | %s | %s | ", e->name, e->unit, Registry_kind_name(e->kind));
      cell(f, e->desc);
      char wb[160];
      fprintf(f, " | %s |\n", where(e, wb, sizeof wb));
    }
  }
  fprintf(f,
          "\n## limits (case section `limits:`)\n\n"
          "Each limit bounds one of the quantities above: a `_max_` limit holds while the quantity\n"
          "does not exceed it, a `_min_` limit while the quantity does not fall below it. A run\n"
          "exits with code 3 when one is broken.\n\n| case key | bounds | meaning |\n|---|---|---|\n");
  for (int i = 0; i < Limits_count(); i++) {
    const LimitInfo *l = Limits_info(i);
    fprintf(f, "| `limits.%s` | `%s` %s | %s |\n", l->name, l->quantity,
            l->lower ? "from below" : "from above", l->meaning);
  }
  return ferror(f) ? EB_EFAIL : EB_OK;
}

/* case_dump.c - write the resolved case back as YAML.
 *
 * Driven by the same schema tables as the reader, so every key appears
 * (defaults included) and reading the dump gives the same Case bit for bit:
 * numbers are written as the shortest decimal that strtod reads back
 * exactly, after inverting the unit conversion exactly (Unit_from_si). */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "case_internal.h"

const char *case_quote(const char *s, char *buf, size_t n) {
  /* Names are [A-Za-z0-9_.-]; only YAML's null words and a leading '-'
   * or '.' could read back as something else, so quote just those. */
  int risky = !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL") ||
              !(isalnum((unsigned char)s[0]) || s[0] == '_');
  snprintf(buf, n, risky ? "'%s'" : "%s", s);
  return buf;
}

static const void *at(const void *base, size_t off) { return (const char *)base + off; }

const char *case_word_of(const Field *f, const void *base) {
  const char *const *w = f->words();
  int i = 0;
  if (f->store_char) {
    char ch = *(const char *)at(base, f->off);
    while (w[i] && w[i][0] != ch)
      i++;
  } else {
    i = *(const int *)at(base, f->off);
  }
  return w[i] ? w[i] : "?";
}

static void dump_scalar(FILE *o, const Field *f, const void *base) {
  char buf[96];
  switch (f->type) {
  case F_NUM: {
    double v = *(const double *)at(base, f->off);
    if (isnan(v) || (f->zero_unset && v == 0)) {
      fprintf(o, " ~\n");
      return;
    }
    case_fmt_double(buf, sizeof buf, Unit_from_si(f->unit, v));
    fprintf(o, " %s\n", buf);
    return;
  }
  case F_INT: {
    int v = *(const int *)at(base, f->off);
    if (f->zero_unset && v == 0)
      fprintf(o, " ~\n");
    else
      fprintf(o, " %d\n", v);
    return;
  }
  case F_BOOL:
    fprintf(o, " %s\n", *(const int *)at(base, f->off) ? "true" : "false");
    return;
  case F_NAME:
  case F_SOLID:
    fprintf(o, " %s\n", case_quote((const char *)at(base, f->off), buf, sizeof buf));
    return;
  case F_WORD: {
    fprintf(o, " %s\n", case_word_of(f, base));
    return;
  }
  case F_MAP:
  case F_CUSTOM:
    return;
  }
}

void case_dump_map(FILE *o, int indent, const Schema *s, const void *base, unsigned kbit,
                   const Case *c, int first_inline) {
  int first = 1;
  for (int i = 0; i < s->n_fields; i++) {
    const Field *f = &s->fields[i];
    if (!(f->kinds & kbit))
      continue;
    int pad = first && first_inline ? 0 : indent;
    first = 0;
    if (f->type == F_CUSTOM) {
      if (pad == 0 && indent > 0)
        fprintf(o, "\n"); /* custom dumps indent themselves */
      f->dump(o, indent, c, base);
      continue;
    }
    fprintf(o, "%*s%s:", pad, "", f->key);
    if (f->type == F_MAP) {
      fprintf(o, "\n");
      case_dump_map(o, indent + 2, f->sub, base, kbit, c, 0);
    } else {
      dump_scalar(o, f, base);
    }
  }
}

int Case_dump(const Case *c, FILE *f) {
  fprintf(f, "# ebsim resolved case: every value, defaults included, engineering units.\n"
             "# ~ = not set (limits), automatic (cells_z), the whole domain (size_*_mm),\n"
             "# all installed pumps (pumps.running) or the coolant inlet (cold_plate_c,\n"
             "# a scenario's start_c).\n");
  case_dump_map(f, 0, &case_top_schema, c, K_SOLID, c, 0);
  return ferror(f) ? EB_EFAIL : EB_OK;
}

char *Case_dump_string(const Case *c) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f) return NULL;
  Case_dump(c, f);
  fclose(f);
  return buf;
}

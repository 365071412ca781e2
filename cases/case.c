/* case.c - public entry points: load the YAML document (libyaml document
 * API), apply the --set overrides to the document, then validate it
 * against the schema (case_check.c, case_schema.c).
 *
 * Overrides edit the document rather than the struct so that a value from
 * the command line passes exactly the same checks as one from the file;
 * the nodes they create or change are remembered so that messages about
 * them name the --set instead of a file position. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case_internal.h"

/* ---- loading ---------------------------------------------------------- */

/* 1-based line and column of a byte offset (reader errors give only that). */
static void offset_position(const char *text, size_t len, size_t off, size_t *line, size_t *col) {
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < off && i < len; i++) {
    if (text[i] == '\n') {
      (*line)++;
      *col = 1;
    } else {
      (*col)++;
    }
  }
}

static int syntax_error(Ctx *x, const yaml_parser_t *p, const char *text, size_t len) {
  if (!x->err || x->err_size == 0)
    return p->error == YAML_MEMORY_ERROR ? EB_EFAIL : EB_EINPUT;
  if (p->error == YAML_MEMORY_ERROR) {
    snprintf(x->err, x->err_size, "%s: out of memory while reading the case", x->label);
    return EB_EFAIL;
  }
  size_t line, col;
  if (p->error == YAML_READER_ERROR) {
    offset_position(text, len, p->problem_offset, &line, &col);
    snprintf(x->err, x->err_size, "%s:%zu:%zu: YAML syntax error: %s", x->label, line, col,
             p->problem ? p->problem : "unreadable input");
    return EB_EINPUT;
  }
  line = p->problem_mark.line + 1;
  col = p->problem_mark.column + 1;
  if (p->context)
    snprintf(x->err, x->err_size, "%s:%zu:%zu: YAML syntax error: %s (%s at line %zu)", x->label,
             line, col, p->problem ? p->problem : "?", p->context, p->context_mark.line + 1);
  else
    snprintf(x->err, x->err_size, "%s:%zu:%zu: YAML syntax error: %s", x->label, line, col,
             p->problem ? p->problem : "?");
  return EB_EINPUT;
}

/* A case is one document: a second one is more likely a mistake than
 * something to ignore silently. */
static int check_single_document(Ctx *x, yaml_parser_t *p, const char *text, size_t len) {
  yaml_document_t extra;
  if (!yaml_parser_load(p, &extra))
    return syntax_error(x, p, text, len);
  yaml_node_t *root = yaml_document_get_root_node(&extra);
  int rc = EB_OK;
  if (root && x->err && x->err_size)
    snprintf(x->err, x->err_size,
             "%s:%zu:%zu: a case file holds one YAML document; found a second one", x->label,
             root->start_mark.line + 1, root->start_mark.column + 1);
  if (root)
    rc = EB_EINPUT;
  yaml_document_delete(&extra);
  return rc;
}

/* ---- bounds on hostile input ------------------------------------------
 * libyaml has no limits of its own: its scanner re-checks every open flow
 * level for each token (time grows with the square of the nesting), its
 * loader looks anchors up in a list (time grows with anchors x aliases),
 * and every node costs some 100 bytes. The deepest case is 8 levels
 * (scenarios.NAME.events.I.dies.J.ROW) and the largest some 20000 nodes
 * (a 32 x 32 die map, 8 scenarios of 32 events), so these bounds stop a
 * wrong or hostile file long before time or memory run out and never
 * stand in a real case's way. */
enum { MAX_DEPTH = 64, MAX_NODES = 200000, MAX_ANCHORS = 1000 };
/* A case file is a few kB; 16 MiB leaves room for any comments and stops
 * a wrong file (a log, an image) before it is read into memory. */
#define CASE_MAX_BYTES ((size_t)16 << 20)

static int limit_error(Ctx *x, const yaml_mark_t *m, const char *what) {
  if (x->err && x->err_size)
    snprintf(x->err, x->err_size, "%s:%zu:%zu: %s; is this the right file?", x->label,
             m->line + 1, m->column + 1, what);
  return EB_EINPUT;
}

/* One event against the bounds: *depth, *nodes, *anchors counted so far. */
static int event_bounds(Ctx *x, const yaml_event_t *e, int *depth, long *nodes, int *anchors) {
  char msg[160];
  const yaml_char_t *anchor = e->type == YAML_SCALAR_EVENT ? e->data.scalar.anchor
                              : e->type == YAML_SEQUENCE_START_EVENT
                                  ? e->data.sequence_start.anchor
                              : e->type == YAML_MAPPING_START_EVENT ? e->data.mapping_start.anchor
                                                                    : NULL;
  if (e->type == YAML_SEQUENCE_START_EVENT || e->type == YAML_MAPPING_START_EVENT) ++*depth;
  if (e->type == YAML_SEQUENCE_END_EVENT || e->type == YAML_MAPPING_END_EVENT) --*depth;
  if (e->type == YAML_SCALAR_EVENT || e->type == YAML_ALIAS_EVENT ||
      e->type == YAML_SEQUENCE_START_EVENT || e->type == YAML_MAPPING_START_EVENT)
    ++*nodes;
  if (anchor) ++*anchors;
  if (*depth > MAX_DEPTH)
    snprintf(msg, sizeof msg,
             "lists and mappings nest more than %d deep here (a case nests 8 at most)", MAX_DEPTH);
  else if (*nodes > MAX_NODES)
    snprintf(msg, sizeof msg,
             "more than %d values, keys and lists (a case has some 20000 at most)", MAX_NODES);
  else if (*anchors > MAX_ANCHORS)
    snprintf(msg, sizeof msg, "more than %d YAML anchors (&name)", MAX_ANCHORS);
  else
    return EB_OK;
  return limit_error(x, &e->start_mark, msg);
}

/* Walk the events once, stopping at the first bound crossed, before the
 * loader builds anything. A syntax error is left to the loader to report
 * (it stops at the same place, with its context). */
static int check_bounds(Ctx *x, const char *text, size_t len) {
  yaml_parser_t p;
  if (!yaml_parser_initialize(&p)) return EB_OK; /* the loader reports it */
  yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
  int depth = 0, anchors = 0, rc = EB_OK;
  long nodes = 0;
  for (;;) {
    yaml_event_t e;
    if (!yaml_parser_parse(&p, &e)) break;
    int end = e.type == YAML_STREAM_END_EVENT;
    rc = event_bounds(x, &e, &depth, &nodes, &anchors);
    yaml_event_delete(&e);
    if (end || rc) break;
  }
  yaml_parser_delete(&p);
  return rc;
}

static int load_document(Ctx *x, yaml_document_t *doc, const char *text, size_t len) {
  int bound = check_bounds(x, text, len);
  if (bound) return bound;
  yaml_parser_t p;
  if (!yaml_parser_initialize(&p)) {
    if (x->err && x->err_size)
      snprintf(x->err, x->err_size, "%s: out of memory", x->label);
    return EB_EFAIL;
  }
  yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
  int rc = EB_OK;
  if (!yaml_parser_load(&p, doc)) {
    rc = syntax_error(x, &p, text, len);
  } else {
    rc = check_single_document(x, &p, text, len);
    if (rc)
      yaml_document_delete(doc);
  }
  yaml_parser_delete(&p);
  return rc;
}

/* ---- --set overrides -------------------------------------------------- */

/* An alias (*s) is the very node its anchor (&s) names: libyaml shares
 * it. An override changes one key, so a shared node on the way to the
 * value is copied first, and the copy takes its place at that key or item
 * only (flow_lpm: *s must not take size_mm: &s along). */

static void add_ref(Ctx *x, int id) {
  if (id > 0 && id < x->n_set_of) x->refs[id]++;
}

static void count_refs(Ctx *x) {
  for (yaml_node_t *n = x->doc->nodes.start; n < x->doc->nodes.top; n++) {
    if (n->type == YAML_MAPPING_NODE)
      for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        add_ref(x, p->key);
        add_ref(x, p->value);
      }
    if (n->type == YAML_SEQUENCE_NODE)
      for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++)
        add_ref(x, *i);
  }
}

/* A copy of node id at the same file position (messages about it point at
 * the anchor's text), its children shared; 0 when out of memory. */
static int copy_node(Ctx *x, int id) {
  const yaml_node_t n = *ck_node(x, id); /* by value: adding a node moves the nodes */
  int c = 0, ok = 1;
  if (n.type == YAML_SCALAR_NODE)
    c = yaml_document_add_scalar(x->doc, n.tag, n.data.scalar.value, (int)n.data.scalar.length,
                                 n.data.scalar.style);
  if (n.type == YAML_MAPPING_NODE) {
    c = yaml_document_add_mapping(x->doc, n.tag, n.data.mapping.style);
    for (yaml_node_pair_t *p = n.data.mapping.pairs.start; c && p < n.data.mapping.pairs.top; p++) {
      ok = ok && yaml_document_append_mapping_pair(x->doc, c, p->key, p->value);
      add_ref(x, p->key);
      add_ref(x, p->value);
    }
  }
  if (n.type == YAML_SEQUENCE_NODE) {
    c = yaml_document_add_sequence(x->doc, n.tag, n.data.sequence.style);
    for (yaml_node_item_t *i = n.data.sequence.items.start; c && i < n.data.sequence.items.top; i++) {
      ok = ok && yaml_document_append_sequence_item(x->doc, c, *i);
      add_ref(x, *i);
    }
  }
  if (!c || !ok) return 0;
  yaml_node_t *m = ck_node(x, c);
  m->start_mark = n.start_mark;
  m->end_mark = n.end_mark;
  add_ref(x, c);
  return c;
}

/* The node `id` at a slot of `parent` (the pair with key key_id in a
 * mapping, item `index` in a sequence), made the slot's own: copied when
 * it is shared. Returns the node now at the slot, 0 out of memory. */
static int unshare(Ctx *x, int parent, int key_id, int index, int id) {
  if (id <= 0 || id >= x->n_set_of || x->refs[id] < 2) return id;
  int c = copy_node(x, id);
  if (!c) return 0;
  x->refs[id]--;
  yaml_node_t *p = ck_node(x, parent); /* re-fetch: adding nodes moves them */
  if (p->type == YAML_SEQUENCE_NODE) p->data.sequence.items.start[index] = c;
  if (p->type == YAML_MAPPING_NODE)
    for (yaml_node_pair_t *q = p->data.mapping.pairs.start; q < p->data.mapping.pairs.top; q++)
      if (q->key == key_id) q->value = c;
  return c;
}

static void tag_node(Ctx *x, int id, int set_index) {
  if (id > 0 && id < x->n_set_of)
    x->set_of[id] = set_index + 1;
}

static int add_scalar(Ctx *x, int set_index, const char *text) {
  int id = yaml_document_add_scalar(x->doc, NULL, (yaml_char_t *)text, (int)strlen(text),
                                    YAML_PLAIN_SCALAR_STYLE);
  tag_node(x, id, set_index);
  return id;
}

/* New key -> value pair in a mapping; value_id 0 makes an empty mapping.
 * Returns the value's node id, 0 on failure (bad UTF-8, memory). */
static int add_pair(Ctx *x, int set_index, int map_id, const char *key, const char *value) {
  int key_id = add_scalar(x, set_index, key);
  int value_id = 0;
  if (value) {
    value_id = add_scalar(x, set_index, value);
  } else {
    value_id = yaml_document_add_mapping(x->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
    tag_node(x, value_id, set_index);
  }
  if (!key_id || !value_id || !yaml_document_append_mapping_pair(x->doc, map_id, key_id, value_id))
    return 0;
  return value_id;
}

/* Turn a null value (`limits:` with nothing under it) into an empty mapping. */
static int replace_null_with_mapping(Ctx *x, int set_index, int map_id, int key_id) {
  int id = yaml_document_add_mapping(x->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
  if (!id)
    return 0;
  tag_node(x, id, set_index);
  yaml_node_t *m = ck_node(x, map_id); /* re-fetch: adding nodes may move them */
  for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++)
    if (p->key == key_id)
      p->value = id;
  return id;
}

static int set_scalar(Ctx *x, int set_index, int id, const char *value) {
  yaml_node_t *n = ck_node(x, id);
  char *copy = strdup(value);
  if (!copy)
    return 0;
  free(n->data.scalar.value); /* libyaml allocates with malloc */
  n->data.scalar.value = (yaml_char_t *)copy;
  n->data.scalar.length = strlen(copy);
  n->data.scalar.style = YAML_PLAIN_SCALAR_STYLE;
  tag_node(x, id, set_index);
  return 1;
}

int case_is_index(const char *s) {
  if (!*s || strlen(s) > 6)
    return 0;
  for (; *s; s++)
    if (!isdigit((unsigned char)*s))
      return 0;
  return 1;
}

void case_no_item(char *buf, size_t n, const char *seg, int count, const char *names) {
  if (!names || case_is_index(seg))
    snprintf(buf, n, "no item %s: the list has %d (index 0 to %d)%s", seg, count, count - 1,
             names ? ", or use a layer name" : "");
  else
    snprintf(buf, n, "no layer of that name; layers: %s (or an index 0 to %d)", names, count - 1);
}

/* Item of a sequence named by `seg`: a layer name (stack) or an index;
 * *index gets its position. */
static int find_item(Ctx *x, int set_index, int seq_id, const Schema *s, const char *seg,
                     int *index) {
  yaml_node_t *n = ck_node(x, seq_id);
  int count = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
  for (int i = 0; s->by_name && i < count; i++) {
    const char *name = ck_scalar(x, ck_map_get(x, n->data.sequence.items.start[i], "name", NULL));
    if (name && !strcmp(name, seg))
      return n->data.sequence.items.start[*index = i];
  }
  if (case_is_index(seg) && atoi(seg) < count)
    return n->data.sequence.items.start[*index = atoi(seg)];
  char names[512] = "", msg[768];
  for (int i = 0; s->by_name && i < count; i++) {
    const char *name = ck_scalar(x, ck_map_get(x, n->data.sequence.items.start[i], "name", NULL));
    size_t len = strlen(names);
    snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "", name ? name : "?");
  }
  case_no_item(msg, sizeof msg, seg, count, s->by_name ? names : NULL);
  return -ck_set_error(x, set_index, "%s", msg);
}

const char *case_shape_word(const Schema *s) {
  return s->kind == S_SEQ ? "a sequence" : "a mapping";
}

typedef struct {
  int id;              /* node reached */
  const Schema *shape; /* its expected shape, NULL for a single value */
  int done;            /* the value was stored while creating the key */
} Step;

/* One path segment inside a mapping: find (or create) the key. */
static int step_map(Ctx *x, int si, Step *st, const char *seg, int last, const char *value) {
  const Schema *s = st->shape;
  const Schema *child = s->item;
  if (s->kind == S_MAP) {
    const Field *f = ck_find_field(s, seg);
    if (!f) {
      char hint[512];
      ck_unknown_key_hint(s, K_ALL, seg, hint, sizeof hint);
      ck_push(x, seg);
      return ck_set_error(x, si, "%s", hint);
    }
    child = f->type == F_MAP || f->type == F_CUSTOM ? f->sub : NULL;
  }
  ck_push(x, seg);
  int key_id = 0, id = ck_map_get(x, st->id, seg, &key_id);
  if (id && !(id = unshare(x, st->id, key_id, 0, id)))
    return ck_set_error(x, si, "out of memory");
  if (!last && !child)
    return ck_set_error(x, si, "this is a single value: it has no keys under it");
  if (id && !(child && ck_is_null(x, id))) {
    st->id = id;
    st->shape = child;
    return EB_OK;
  }
  /* absent (or null where a mapping belongs): create it if the schema allows */
  if (last && child)
    return ck_set_error(x, si, "only single values can be set; this is %s", case_shape_word(child));
  if (child && child->kind == S_SEQ)
    return ck_set_error(x, si,
                        "not in the case file, and --set cannot create a list: add it to "
                        "the file");
  if (id)
    id = replace_null_with_mapping(x, si, st->id, key_id);
  else
    id = add_pair(x, si, st->id, seg, last ? value : NULL);
  if (!id)
    return ck_set_error(x, si, "cannot store the value (not valid UTF-8?)");
  st->id = id;
  st->shape = child;
  st->done = last;
  return EB_OK;
}

static int step_seq(Ctx *x, int si, Step *st, const char *seg) {
  ck_push(x, seg);
  int index = 0, id = find_item(x, si, st->id, st->shape, seg, &index);
  if (id < 0)
    return -id;
  if (!(id = unshare(x, st->id, 0, index, id)))
    return ck_set_error(x, si, "out of memory");
  st->id = id;
  st->shape = st->shape->item;
  return EB_OK;
}

/* Offset of the first byte that is not well-formed UTF-8 (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), -1 if none.
 * libyaml checks what it parses and what it is given to add; an override
 * replacing a value in place must be checked here, or the case would take
 * text its own dump cannot be read back from. */
static long bad_utf8(const unsigned char *s) {
  for (const unsigned char *p = s; *p;) {
    int len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
                         : (*p & 0xF8) == 0xF0 ? 4 : 0;
    unsigned cp = len == 1 ? *p : len == 2 ? *p & 0x1Fu : len == 3 ? *p & 0x0Fu : *p & 0x07u;
    for (int i = 1; i < len; i++) {
      if ((p[i] & 0xC0) != 0x80) {
        len = 0;
        break;
      }
      cp = cp << 6 | (p[i] & 0x3Fu);
    }
    const unsigned min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (!len || cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return (long)(p - s);
    p += len;
  }
  return -1;
}

int case_split_set(const char *set, char *keys, size_t cap, char **segs, int *n,
                   const char **value, char *msg, size_t msg_n) {
  const long bad = set ? bad_utf8((const unsigned char *)set) : -1;
  if (bad >= 0) {
    snprintf(msg, msg_n,
             "malformed override: byte 0x%02X at position %ld is not valid UTF-8; overrides, "
             "like case files, are UTF-8 text",
             (unsigned char)set[bad], bad + 1);
    return EB_EINPUT;
  }
  const char *eq = set ? strchr(set, '=') : NULL;
  if (!eq || eq == set) {
    snprintf(msg, msg_n, "malformed override: expected key.path=value, e.g. coolant.inlet_c=30");
    return EB_EINPUT;
  }
  if ((size_t)(eq - set) >= cap) {
    snprintf(msg, msg_n, "malformed override: key path too long");
    return EB_EINPUT;
  }
  memcpy(keys, set, (size_t)(eq - set));
  keys[eq - set] = '\0';
  *value = eq + 1;
  *n = 0;
  for (char *p = keys;;) {
    char *dot = strchr(p, '.');
    if (dot)
      *dot = '\0';
    if (!*p || *n == CASE_MAX_SEGS) {
      snprintf(msg, msg_n, "malformed override: empty or too many key segments in '%.*s'",
               (int)(eq - set), set);
      return EB_EINPUT;
    }
    segs[(*n)++] = p;
    if (!dot)
      break;
    p = dot + 1;
  }
  return EB_OK;
}

static int apply_set(Ctx *x, int si) {
  char keys[400], *segs[CASE_MAX_SEGS], msg[512];
  int n = 0;
  const char *value = NULL;
  x->path[0] = '\0';
  int rc = case_split_set(x->sets[si], keys, sizeof keys, segs, &n, &value, msg, sizeof msg);
  if (rc)
    return ck_set_error(x, si, "%s", msg);
  Step st = {1, &case_top_schema, 0}; /* node 1 is the root */
  for (int i = 0; !rc && i < n; i++) {
    yaml_node_t *node = ck_node(x, st.id);
    char got[96];
    if (!st.shape)
      return ck_set_error(x, si, "this is a single value: it has no keys under it");
    int want_map = st.shape->kind != S_SEQ;
    if (node->type != (want_map ? YAML_MAPPING_NODE : YAML_SEQUENCE_NODE))
      return ck_set_error(x, si, "expected %s in the case file here, got %s; cannot set '%s'",
                          want_map ? "a mapping" : "a sequence",
                          ck_describe(x, st.id, got, sizeof got), segs[i]);
    rc =
        want_map ? step_map(x, si, &st, segs[i], i == n - 1, value) : step_seq(x, si, &st, segs[i]);
  }
  if (rc || st.done)
    return rc;
  char got[96];
  if (st.shape)
    return ck_set_error(x, si, "only single values can be set; this is %s",
                        case_shape_word(st.shape));
  if (ck_node(x, st.id)->type != YAML_SCALAR_NODE)
    return ck_set_error(x, si, "only single values can be set; the case file has %s here",
                        ck_describe(x, st.id, got, sizeof got));
  if (!set_scalar(x, si, st.id, value))
    return ck_set_error(x, si, "out of memory");
  return EB_OK;
}

/* ---- public ----------------------------------------------------------- */

int case_read_text(const char *text, size_t len, const char *label, const char *where,
                   int n_sets, const char *const *sets, Case *c, char *err, size_t err_size) {
  memset(c, 0, sizeof *c);
  snprintf(c->path, sizeof c->path, "%s", label);
  if (err && err_size)
    err[0] = '\0';
  if (!sets)
    n_sets = 0;
  Ctx x = {.label = label, .err = err, .err_size = err_size, .sets = sets, .c = c,
           .where = where};
  if (len > CASE_MAX_BYTES) {
    if (err && err_size)
      snprintf(err, err_size, "%s: the case is %zu bytes, more than the %zu MiB a case may be",
               label, len, CASE_MAX_BYTES >> 20);
    return EB_EINPUT;
  }
  yaml_document_t doc;
  int rc = load_document(&x, &doc, text, len);
  if (rc)
    return rc;
  x.doc = &doc;
  if (!yaml_document_get_root_node(&doc)) {
    yaml_document_delete(&doc);
    if (err && err_size)
      snprintf(err, err_size,
               "%s:1:1: the case is empty; expected a mapping with keys name, "
               "wafer, power, stack, coolant",
               label);
    return EB_EINPUT;
  }
  /* each override creates at most a key and a value per path segment, or
   * copies a shared node */
  size_t extra = 0;
  for (int i = 0; i < n_sets; i++)
    if (sets[i])
      extra += 3 * strlen(sets[i]) + 3;
  x.n_set_of = (int)(doc.nodes.top - doc.nodes.start) + 1 + (int)extra;
  x.set_of = calloc((size_t)x.n_set_of, sizeof *x.set_of);
  x.refs = calloc((size_t)x.n_set_of, sizeof *x.refs);
  if (x.refs)
    count_refs(&x);
  if (!x.set_of || !x.refs) {
    free(x.set_of);
    free(x.refs);
    yaml_document_delete(&doc);
    if (err && err_size)
      snprintf(err, err_size, "%s: out of memory", label);
    return EB_EFAIL;
  }
  for (int i = 0; !rc && i < n_sets; i++)
    rc = apply_set(&x, i);
  x.path[0] = '\0';
  if (!rc)
    rc = case_validate(&x, 1);
  free(x.set_of);
  free(x.refs);
  yaml_document_delete(&doc);
  return rc;
}

int Case_read_string(const char *text, const char *label, int n_sets, const char *const *sets,
                     Case *c, char *err, size_t err_size) {
  return case_read_text(text ? text : "", text ? strlen(text) : 0, label ? label : "<string>",
                        NULL, n_sets, sets, c, err, err_size);
}

static int read_error(const char *path, char *err, size_t err_size, const char *why) {
  if (err && err_size) snprintf(err, err_size, "%s: cannot read: %s", path, why);
  return EB_EINPUT;
}

/* Open for reading without blocking (a FIFO with no writer would wait
 * forever) and accept only a regular file of at most CASE_MAX_BYTES:
 * /dev/zero, a directory or a pipe never end or are not a case. */
static int open_case_file(const char *path, int *fd, char *err, size_t err_size) {
  *fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (*fd < 0) {
    if (err && err_size) snprintf(err, err_size, "%s: cannot open: %s", path, strerror(errno));
    return EB_EINPUT;
  }
  struct stat sb;
  char why[160];
  if (fstat(*fd, &sb) != 0)
    snprintf(why, sizeof why, "%s", strerror(errno));
  else if (!S_ISREG(sb.st_mode))
    snprintf(why, sizeof why, "not a regular file (a %s); a case is a YAML file",
             S_ISDIR(sb.st_mode) ? "directory" : S_ISFIFO(sb.st_mode) ? "pipe"
                                  : S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode) ? "device"
                                                                                : "socket");
  else if ((size_t)sb.st_size > CASE_MAX_BYTES)
    snprintf(why, sizeof why, "the file is %lld bytes, more than the %zu MiB a case may be",
             (long long)sb.st_size, CASE_MAX_BYTES >> 20);
  else
    return EB_OK;
  close(*fd);
  return read_error(path, err, err_size, why);
}

/* The whole file into a malloc'ed buffer; it may have grown since fstat,
 * so the bound holds while reading too. */
static int slurp_case(const char *path, int fd, char **text, size_t *len, char *err,
                      size_t err_size) {
  size_t cap = 1 << 16;
  char *buf = malloc(cap);
  *len = 0;
  while (buf) {
    ssize_t got = read(fd, buf + *len, cap - *len);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      int e = errno;
      free(buf);
      return read_error(path, err, err_size, strerror(e));
    }
    if (got == 0) break;
    *len += (size_t)got;
    if (*len > CASE_MAX_BYTES) {
      free(buf);
      char why[96];
      snprintf(why, sizeof why, "more than the %zu MiB a case may be", CASE_MAX_BYTES >> 20);
      return read_error(path, err, err_size, why);
    }
    if (*len == cap) {
      char *bigger = realloc(buf, cap * 2);
      if (!bigger) free(buf);
      buf = bigger;
      cap *= 2;
    }
  }
  if (!buf) {
    if (err && err_size) snprintf(err, err_size, "%s: cannot read: out of memory", path);
    return EB_EFAIL;
  }
  *text = buf;
  return EB_OK;
}

int Case_read(const char *path, int n_sets, const char *const *sets, Case *c, char *err,
              size_t err_size) {
  memset(c, 0, sizeof *c);
  int fd = -1;
  int rc = open_case_file(path, &fd, err, err_size);
  if (rc) return rc;
  char *buf = NULL;
  size_t len = 0;
  rc = slurp_case(path, fd, &buf, &len, err, err_size);
  close(fd);
  if (rc) return rc;
  rc = case_read_text(buf, len, path, NULL, n_sets, sets, c, err, err_size);
  free(buf);
  return rc;
}

const Solid *Case_solid(const Case *c, const char *name) {
  if (!name)
    return NULL;
  for (int i = 0; i < c->n_materials; i++)
    if (!strcmp(c->materials[i].solid.name, name))
      return &c->materials[i].solid;
  return Materials_solid(name);
}

HModel Case_h_model(const CaseLayer *L) {
  if (!isnan(L->wall_h_w_m2k) || L->wall_h_table.n > 0) return H_WALL;
  if (!isnan(L->h_eff_w_m2k) || L->h_eff_table.n > 0) return H_EFF;
  return H_CORRELATION;
}

double Case_brick_plate_t_k(const Case *c, const CaseLayer *L) {
  return isnan(L->cold_plate_t_k) ? c->inlet_t_k : L->cold_plate_t_k;
}

int Case_pumps_running(const Case *c) {
  return c->pump_running > 0 ? c->pump_running : c->pump_count;
}

uint64_t Case_fingerprint(const Case *c) {
  const unsigned char *p = (const unsigned char *)c;
  uint64_t h = 14695981039346656037ull; /* FNV-1a 64-bit offset basis and prime */
  for (size_t i = 0; i < sizeof *c; i++) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

int Case_source_layer(const Case *c) {
  for (int i = 0; i < c->n_layers; i++)
    if (c->layers[i].heat_source)
      return i;
  return -1;
}

int Case_channel_layer(const Case *c) {
  for (int i = 0; i < c->n_layers; i++)
    if (c->layers[i].kind == LAYER_MICROCHANNEL)
      return i;
  return -1;
}

int Case_brick_layer(const Case *c) {
  for (int i = 0; i < c->n_layers; i++)
    if (c->layers[i].kind == LAYER_BRICK_TILES)
      return i;
  return -1;
}

int Case_layer_named(const Case *c, const char *name) {
  for (int i = 0; i < c->n_layers; i++)
    if (!strcmp(c->layers[i].name, name))
      return i;
  return -1;
}

void case_scenario_missing(const Case *c, const char *name, char *buf, size_t n) {
  if (c->n_scenarios == 0) {
    snprintf(buf, n,
             "no scenario '%s' in case %s: the case has no scenarios; they are declared under "
             "`scenarios:` in the case file (see docs/case-reference.md)",
             name, c->name);
    return;
  }
  const char *names[CASE_MAX_SCENARIOS];
  char list[CASE_MAX_SCENARIOS * CASE_NAME_LEN + 16] = "";
  for (int i = 0; i < c->n_scenarios; i++) {
    names[i] = c->scenarios[i].name;
    size_t len = strlen(list);
    snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", names[i]);
  }
  const char *best = ck_suggest(name, names, c->n_scenarios);
  if (best)
    snprintf(buf, n, "no scenario '%s' in case %s; did you mean '%s'? The case has: %s", name,
             c->name, best, list);
  else
    snprintf(buf, n, "no scenario '%s' in case %s. The case has: %s", name, c->name, list);
}

/* The reader's range in C of the case's fluid, rounded as ck_range does. */
static void fluid_range_c(const Case *c, double *lo, double *hi) {
  Materials_fluid_range(c->fluid, lo, hi);
  *lo = round((*lo - 273.15) * 1e6) / 1e6;
  *hi = round((*hi - 273.15) * 1e6) / 1e6;
}

/* A temperature of the scenario outside the fluid's range: key and message. */
static int temp_out(const Case *c, double t_k, const char *k, char *key, size_t kn, char *msg,
                    size_t mn) {
  double lo, hi, v = Unit_from_si(U_C, t_k);
  fluid_range_c(c, &lo, &hi);
  if (isnan(t_k) || (v >= lo && v <= hi)) return 0;
  snprintf(key, kn, "%s", k);
  snprintf(msg, mn,
           "expected a number >= %.10g and <= %.10g (C) (%s property table range), got %.10g", lo,
           hi, Materials_fluid_names()[c->fluid], v);
  return 1;
}

/* One event against the case: key (below the scenario) and message of the
 * first misfit, 0 if none. */
static int event_misfit(const Case *c, const CaseEvent *e, int i, char *key, size_t kn, char *msg,
                        size_t mn) {
  char k[64];
  if (e->pumps > c->pump_count) {
    snprintf(key, kn, "events.%d.pumps", i);
    snprintf(msg, mn, "expected an integer >= 0 and <= %d (pumps.count), got %d", c->pump_count,
             e->pumps);
    return 1;
  }
  if (e->pumps > 0 && c->pump_curve_q.n == 0 && isnan(c->pump_dp0_pa)) {
    snprintf(key, kn, "events.%d.pumps", i);
    snprintf(msg, mn, "running pumps give the flow where their curve meets the loop, and the case "
                      "has no pump curve: add pumps.curve_flow_lpm + curve_dp_kpa, or "
                      "pumps.shutoff_kpa + max_flow_lpm (or set the flow with flow_lpm)");
    return 1;
  }
  if (e->psus_failed >= 0 && (!c->pd.enabled || e->psus_failed > c->pd.psu_count - 1)) {
    snprintf(key, kn, "events.%d.psus_failed", i);
    if (!c->pd.enabled)
      snprintf(msg, mn, "psus_failed takes PSUs out of the power path, and this case has none: "
                        "add a power_delivery section (see docs/case-reference.md), or remove "
                        "the key");
    else
      snprintf(msg, mn, "expected an integer >= 0 and <= %d (power_delivery.psu.count - 1), got %d",
               c->pd.psu_count - 1, e->psus_failed);
    return 1;
  }
  for (int j = 0; j < e->n_dies; j++) {
    int row = e->die_row[j] >= c->die_rows, col = e->die_col[j] >= c->die_columns;
    if (!row && !col) continue;
    snprintf(key, kn, "events.%d.dies.%d.%d", i, j, row ? 0 : 1);
    snprintf(msg, mn, "expected an integer >= 0 and <= %d (wafer.dies.%s - 1), got %d",
             (row ? c->die_rows : c->die_columns) - 1, row ? "rows" : "columns",
             row ? e->die_row[j] : e->die_col[j]);
    return 1;
  }
  snprintf(k, sizeof k, "events.%d.inlet_c", i);
  return temp_out(c, e->inlet_t_k, k, key, kn, msg, mn);
}

/* What the reader leaves to the scenario's use: the ranges that follow a
 * case key a --set changed (pumps.count, the die grid, the PSU count, the
 * fluid, the pump curve). The reader's words, keyed by the scenario's key
 * (the values may come from the file or a --set: no position). */
static int scenario_fits(const Case *c, const CaseScenario *s, char *err, size_t err_size) {
  char key[96] = "", msg[512] = "";
  int bad = temp_out(c, s->start_t_k, "start_c", key, sizeof key, msg, sizeof msg);
  for (int i = 0; !bad && i < s->n_events; i++)
    bad = event_misfit(c, &s->events[i], i, key, sizeof key, msg, sizeof msg);
  if (bad && err && err_size)
    snprintf(err, err_size, "case %s cannot run scenario '%s' as it stands: scenarios.%s.%s: %s",
             c->name, s->name, s->name, key, msg);
  return bad ? EB_EINPUT : EB_OK;
}

const CaseScenario *Case_scenario(const Case *c, const char *name, char *err, size_t err_size) {
  if (!name) name = "";
  for (int i = 0; i < c->n_scenarios; i++)
    if (!strcmp(c->scenarios[i].name, name))
      return scenario_fits(c, &c->scenarios[i], err, err_size) == EB_OK ? &c->scenarios[i] : NULL;
  if (err && err_size) case_scenario_missing(c, name, err, err_size);
  return NULL;
}

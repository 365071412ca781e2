/* out_set.c - a run's files as one set: manifest.json written last.
 *
 * One set is open per process at a time (a command writes one output
 * directory; the lock of Output_prepare_dir keeps other processes out).
 * The figure thread commits beside the data writer, hence the mutex. */
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output.h"
#include "output_internal.h"

#ifndef EBSIM_VERSION
#define EBSIM_VERSION "dev"
#endif

enum { SET_MAX_FILES = 4096 };

static struct {
  int open;
  char dir[1024];
  int n;
  char *names[SET_MAX_FILES];
  int n_old; /* the previous set's files (its manifest, read when this one opened) */
  char *old[SET_MAX_FILES];
} set;
static pthread_mutex_t set_lock = PTHREAD_MUTEX_INITIALIZER;

static void manifest_path(char *buf, size_t size, const char *dir) {
  snprintf(buf, size, "%s/" OUTPUT_MANIFEST, dir);
}

/* The files a manifest names (n_max at most); -1 if it is missing or unreadable. */
static int read_manifest(const char *dir, char **names, long long *bytes, int n_max) {
  char path[1100];
  manifest_path(path, sizeof path, dir);
  json_t *root = json_load_file(path, 0, NULL);
  json_t *files = root ? json_object_get(root, "files") : NULL;
  if (!json_is_array(files)) {
    json_decref(root);
    return -1;
  }
  int n = 0;
  for (size_t i = 0; i < json_array_size(files) && n < n_max; i++) {
    json_t *e = json_array_get(files, i);
    const char *name = json_string_value(json_object_get(e, "name"));
    if (!name) continue;
    if (names) names[n] = strdup(name);
    if (bytes) bytes[n] = json_integer_value(json_object_get(e, "bytes"));
    n++;
  }
  json_decref(root);
  return n;
}

static void clear(void) {
  for (int i = 0; i < set.n; i++) free(set.names[i]);
  for (int i = 0; i < set.n_old; i++) free(set.old[i]);
  memset(&set, 0, sizeof set);
}

static int listed(char *const *names, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (names[i] && !strcmp(names[i], name)) return 1;
  return 0;
}

void out_set_track(const char *dir, const char *name) {
  pthread_mutex_lock(&set_lock);
  if (!set.open) {
    /* the first file of a new set: from now on the directory is incomplete */
    set.open = 1;
    snprintf(set.dir, sizeof set.dir, "%s", dir);
    int n = read_manifest(dir, set.old, NULL, SET_MAX_FILES);
    set.n_old = n > 0 ? n : 0;
    char path[1100];
    manifest_path(path, sizeof path, dir);
    unlink(path);
  }
  if (!strcmp(set.dir, dir) && set.n < SET_MAX_FILES && !listed(set.names, set.n, name))
    set.names[set.n++] = strdup(name);
  pthread_mutex_unlock(&set_lock);
}

int Output_set_finish(const char *dir, OutputSetMode mode, char *err, size_t err_size) {
  pthread_mutex_lock(&set_lock);
  if (!set.open || strcmp(set.dir, dir)) {
    pthread_mutex_unlock(&set_lock);
    snprintf(err, err_size, "internal: no output set open for %s", dir);
    return EB_EFAIL;
  }
  /* a new set replaces the previous one: its files this run did not write
   * would otherwise stand beside this run's as if they belonged to it */
  for (int i = 0; i < set.n_old; i++) {
    if (listed(set.names, set.n, set.old[i])) continue;
    char path[1100];
    snprintf(path, sizeof path, "%s/%s", dir, set.old[i]);
    if (mode == OUTPUT_SET_NEW)
      unlink(path);
    else if (access(path, F_OK) == 0 && set.n < SET_MAX_FILES)
      set.names[set.n++] = strdup(set.old[i]);
  }
  json_t *root = json_object(), *files = json_array();
  json_object_set_new(root, "program", json_string("ebsim"));
  json_object_set_new(root, "version", json_string(EBSIM_VERSION));
  char when[32];
  time_t now = time(NULL);
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
  json_object_set_new(root, "written_utc", json_string(when));
  json_object_set_new(root, "complete", json_true());
  json_object_set_new(root, "note",
                      json_string("written last: every file of this run's set with its size; "
                                  "a directory without this file holds an incomplete run"));
  int rc = EB_OK;
  for (int i = 0; i < set.n && rc == EB_OK; i++) {
    char path[1100];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", dir, set.names[i]);
    if (stat(path, &sb) != 0) {
      snprintf(err, err_size, "%s vanished before the run's manifest was written: %s", path,
               strerror(errno));
      rc = EB_EFAIL;
      break;
    }
    json_t *e = json_object();
    json_object_set_new(e, "name", json_string(set.names[i]));
    json_object_set_new(e, "bytes", json_integer((json_int_t)sb.st_size));
    json_array_append_new(files, e);
  }
  json_object_set_new(root, "files", files);
  char *text = rc == EB_OK ? json_dumps(root, JSON_INDENT(2)) : NULL;
  json_decref(root);
  if (rc == EB_OK && !text) {
    snprintf(err, err_size, "out of memory writing %s/" OUTPUT_MANIFEST, dir);
    rc = EB_EFAIL;
  }
  char tmp[1100];
  out_path(tmp, sizeof tmp, dir, OUTPUT_MANIFEST, 1);
  if (rc == EB_OK) rc = out_write_bytes(tmp, text, strlen(text), err, err_size);
  if (rc == EB_OK) rc = out_commit_file(dir, OUTPUT_MANIFEST, err, err_size);
  free(text);
  clear();
  pthread_mutex_unlock(&set_lock);
  return rc;
}

int Output_set_check(const char *dir, const char *name, char *err, size_t err_size) {
  static char *names[SET_MAX_FILES];
  static long long bytes[SET_MAX_FILES];
  int n = read_manifest(dir, names, bytes, SET_MAX_FILES);
  char path[1100];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int rc = EB_OK;
  if (n < 0) {
    snprintf(err, err_size,
             "%s holds no complete run: its " OUTPUT_MANIFEST " (written last) is missing, so "
             "the run that wrote it stopped or failed before it finished (or an older ebsim "
             "wrote it); rerun that run",
             dir);
    return EB_EINPUT;
  }
  int at = -1;
  for (int i = 0; i < n; i++)
    if (!strcmp(names[i], name)) at = i;
  struct stat sb;
  if (at < 0) {
    snprintf(err, err_size, "%s is not part of the run recorded in %s/" OUTPUT_MANIFEST
             "; rerun the run that should have written it", path, dir);
    rc = EB_EINPUT;
  } else if (stat(path, &sb) != 0) {
    snprintf(err, err_size, "%s is missing, though %s/" OUTPUT_MANIFEST " lists it: %s; rerun "
             "that run", path, dir, strerror(errno));
    rc = EB_EINPUT;
  } else if ((long long)sb.st_size != bytes[at]) {
    snprintf(err, err_size, "%s is not the file its run wrote (%lld bytes, its manifest says "
             "%lld): the directory mixes two runs; rerun that run", path,
             (long long)sb.st_size, bytes[at]);
    rc = EB_EINPUT;
  }
  for (int i = 0; i < n; i++) free(names[i]);
  return rc;
}

int Output_set_check_path(const char *path, char *err, size_t err_size) {
  char dir[1100];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  const char *name = slash ? path + (slash - dir) + 1 : path;
  if (slash)
    *slash = '\0';
  else
    snprintf(dir, sizeof dir, ".");
  char m[1200];
  manifest_path(m, sizeof m, dir);
  char *up = strrchr(dir, '/');
  if (access(m, F_OK) != 0 && up) {
    /* one level up: the file is dir/<sub>/name there */
    char parent[1100];
    snprintf(parent, sizeof parent, "%.*s", (int)(up - dir), dir);
    manifest_path(m, sizeof m, parent);
    if (access(m, F_OK) == 0) return Output_set_check(parent, path + (up - dir) + 1, err, err_size);
  }
  return Output_set_check(dir, name, err, err_size);
}

/* out_files.c - directories and the write-to-temporary-then-rename rule. */
#include <errno.h>
#include <plplot.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "output.h"
#include "output_internal.h"

int Output_mkdir_p(const char *dir, char *err, size_t err_size) {
  char path[1024];
  if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
    snprintf(err, err_size, "output directory name too long: %s", dir);
    return EB_EINPUT;
  }
  for (char *p = path + 1;; p++) {
    int end = *p == '\0';
    if (*p == '/' || end) {
      *p = '\0';
      if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        snprintf(err, err_size, "cannot create output directory %s: %s", path, strerror(errno));
        return EB_EINPUT;
      }
      struct stat sb;
      if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        snprintf(err, err_size, "cannot create output directory %s: a file of that name exists",
                 path);
        return EB_EINPUT;
      }
      if (end) break;
      *p = '/';
    }
  }
  return EB_OK;
}

void out_path(char *buf, size_t size, const char *dir, const char *name, int tmp) {
  snprintf(buf, size, "%s/%s%s", dir, name, tmp ? ".tmp" : "");
}

int out_commit(const char *dir, const char *name, char *err, size_t err_size) {
  char tmp[1100], fin[1100];
  out_path(tmp, sizeof tmp, dir, name, 1);
  out_path(fin, sizeof fin, dir, name, 0);
  if (rename(tmp, fin) != 0) {
    snprintf(err, err_size, "cannot rename %s to %s: %s", tmp, fin, strerror(errno));
    remove(tmp);
    return EB_EFAIL;
  }
  return EB_OK;
}

void out_plot_begin(const char *path, const char *geometry) {
  plsdev("pngcairo");
  plsfnam(path);
  plsetopt("geometry", geometry);
  plscolbg(255, 255, 255);
  plscol0(1, 0, 0, 0);
  plscol0(2, 31, 119, 180);  /* blue */
  plscol0(3, 214, 39, 40);   /* red */
  plscol0(4, 44, 160, 44);   /* green */
  plscol0(5, 255, 127, 14);  /* orange */
  plscol0(6, 148, 103, 189); /* purple */
  plinit();
}

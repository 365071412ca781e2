/* out_files.c - directories and the write-to-temporary-then-rename rule. */
#include <errno.h>
#include <fcntl.h>
#include <plplot.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

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

/* One run writes into a directory at a time: an advisory lock on
 * DIR/.ebsim.lock, held (its descriptor open) until this process ends,
 * however it ends (the kernel drops a dead process's flock). The file keeps
 * the holder's process id for the next one's message. */
static int lock_dir(const char *dir, char *err, size_t err_size) {
  char path[1100];
  snprintf(path, sizeof path, "%s/.ebsim.lock", dir);
  /* a directory this process has locked already (a design map's anchors,
   * solved again at level 2): a second flock on a new descriptor would
   * refuse this very process */
  enum { HELD_MAX = 16 };
  static struct { dev_t dev; ino_t ino; } held[HELD_MAX];
  static int n_held;
  struct stat sb;
  if (stat(dir, &sb) == 0)
    for (int i = 0; i < n_held; i++)
      if (held[i].dev == sb.st_dev && held[i].ino == sb.st_ino) return EB_OK;
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    snprintf(err, err_size, "cannot create the lock %s: %s; choose another --out", path,
             strerror(errno));
    return EB_EINPUT;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = "";
    ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
    pid[n > 0 ? n : 0] = '\0';
    pid[strcspn(pid, "\n")] = '\0';
    close(fd);
    snprintf(err, err_size,
             "%s is being written by process %s (another ebsim); wait for it to finish or "
             "choose another --out",
             dir, pid[0] ? pid : "(unknown)");
    return EB_EINPUT;
  }
  char line[32];
  const int len = snprintf(line, sizeof line, "%ld\n", (long)getpid());
  if (ftruncate(fd, 0) != 0 || pwrite(fd, line, (size_t)len, 0) != len) {
    /* the lock holds without the note */
  }
  if (n_held < HELD_MAX && stat(dir, &sb) == 0) {
    held[n_held].dev = sb.st_dev;
    held[n_held++].ino = sb.st_ino;
  }
  return EB_OK; /* fd stays open: the lock lasts as long as this process */
}

int Output_prepare_dir(const char *dir, char *err, size_t err_size) {
  int rc = Output_mkdir_p(dir, err, err_size);
  if (rc != EB_OK) return rc;
  /* the only sure test of writability is a write: permissions, read-only
   * mounts, ACLs and quotas all answer here, before the solve */
  char probe[1100];
  snprintf(probe, sizeof probe, "%s/.ebsim-write-test-%ld", dir, (long)getpid());
  FILE *f = fopen(probe, "w");
  int e = f ? 0 : errno;
  if (f && (fputs("ebsim\n", f) < 0 || fflush(f) != 0)) e = errno ? errno : EIO;
  if (f && fclose(f) != 0 && !e) e = errno;
  remove(probe);
  if (e) {
    snprintf(err, err_size, "cannot write into the output directory %s: %s; choose another with --out",
             dir, strerror(e));
    return EB_EINPUT;
  }
  return lock_dir(dir, err, err_size);
}

void out_path(char *buf, size_t size, const char *dir, const char *name, int tmp) {
  snprintf(buf, size, "%s/%s%s", dir, name, tmp ? ".tmp" : "");
}

/* The end a complete file of this kind has (its last bytes hold it): a
 * writer that met a full disk may say nothing (PLplot's cairo drivers do
 * not), so the file itself is the proof. NULL: no marker to look for. */
static const char *end_marker(const char *name, size_t *len) {
  static const char png_iend[] = "IEND\xae\x42\x60\x82";
  const char *dot = strrchr(name, '.');
  if (!dot) return NULL;
  if (!strcmp(dot, ".png")) return *len = 8, png_iend;
  if (!strcmp(dot, ".svg")) return *len = 6, "</svg>";
  if (!strcmp(dot, ".pdf")) return *len = 5, "%%EOF";
  return NULL;
}

/* The file at path was written whole: on the disk (fsync), not empty, and
 * ending as its kind must. */
static int complete(const char *path, const char *name, char *why, size_t why_size) {
  int fd = open(path, O_RDONLY);
  struct stat sb;
  if (fd < 0 || fstat(fd, &sb) != 0) {
    snprintf(why, why_size, "%s", strerror(errno));
    if (fd >= 0) close(fd);
    return 0;
  }
  int ok = sb.st_size > 0;
  if (!ok) snprintf(why, why_size, "it is empty");
  if (ok && fsync(fd) != 0) {
    snprintf(why, why_size, "%s", strerror(errno));
    ok = 0;
  }
  size_t len = 0;
  const char *mark = end_marker(name, &len);
  if (ok && mark) {
    char tail[64] = {0};
    const off_t want = sb.st_size < 64 ? sb.st_size : 64;
    ok = 0;
    if (pread(fd, tail, (size_t)want, sb.st_size - want) == want)
      for (size_t i = 0; i + len <= (size_t)want && !ok; i++) ok = !memcmp(tail + i, mark, len);
    if (!ok) snprintf(why, why_size, "it is cut short (its end marker is missing)");
  }
  close(fd);
  return ok;
}

int out_commit_file(const char *dir, const char *name, char *err, size_t err_size) {
  char tmp[1100], fin[1100], why[256];
  out_path(tmp, sizeof tmp, dir, name, 1);
  out_path(fin, sizeof fin, dir, name, 0);
  if (!complete(tmp, name, why, sizeof why)) {
    /* a writer that says nothing of a full disk (PLplot's cairo) leaves
     * the proof on the disk: little or no room left */
    struct statvfs vs;
    const double free_mb = statvfs(dir, &vs) == 0
                               ? (double)vs.f_bavail * (double)vs.f_frsize / 1e6
                               : -1.0;
    if (free_mb >= 0.0 && free_mb < 1.0)
      snprintf(err, err_size,
               "cannot write %s: No space left on device (%.2f MB free there; %s). Nothing is "
               "left under its name; free space or choose another --out",
               fin, free_mb, why);
    else
      snprintf(err, err_size,
               "%s was not written completely (%s): is the disk full? Nothing is left under its "
               "name; free space or choose another --out",
               fin, why);
    remove(tmp);
    return EB_EFAIL;
  }
  if (rename(tmp, fin) != 0) {
    snprintf(err, err_size, "cannot rename %s to %s: %s", tmp, fin, strerror(errno));
    remove(tmp);
    return EB_EFAIL;
  }
  return EB_OK;
}

int out_commit(const char *dir, const char *name, char *err, size_t err_size) {
  /* counted before the rename: the old manifest goes before any of its files does */
  out_set_track(dir, name);
  return out_commit_file(dir, name, err, err_size);
}

int out_plot_has_device(const char *name) {
  enum { MAX_DEVICES = 128 };
  const char *menu[MAX_DEVICES], *devs[MAX_DEVICES];
  const char **pm = menu, **pd = devs;
  int n = MAX_DEVICES;
  plgFileDevs(&pm, &pd, &n);
  for (int i = 0; i < n; i++)
    if (devs[i] && !strcmp(devs[i], name)) return 1;
  return 0;
}

/* PLplot ends the process (plexit -> exit) on a fatal error. The user then
 * at least learns which figure and why; the data files of the run are
 * written through temporary names, so none is left half-written. */
static char plot_current[1100];
static int on_plot_exit(const char *msg) {
  fprintf(stderr, "ebsim: PLplot stopped the program while drawing %s: %s\n", plot_current,
          msg ? msg : "(no message)");
  return EB_EFAIL; /* the exit status */
}

const char *Output_figure_ext(FigureFormat f) {
  switch (f) {
  case FIGURES_PNG: return "png";
  case FIGURES_PDF: return "pdf";
  case FIGURES_SVG: return "svg";
  case FIGURES_NONE: break;
  }
  return "none";
}

int Output_figure_format(const char *word, FigureFormat *out) {
  const FigureFormat all[] = {FIGURES_NONE, FIGURES_PNG, FIGURES_PDF, FIGURES_SVG};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
    if (word && !strcmp(word, Output_figure_ext(all[i]))) {
      *out = all[i];
      return EB_OK;
    }
  return EB_EINPUT;
}

const char *out_plot_device(FigureFormat fmt) {
  return fmt == FIGURES_PDF ? "pdfcairo" : fmt == FIGURES_SVG ? "svgcairo" : "pngcairo";
}

void out_figure_name(char *buf, size_t size, const char *base, FigureFormat fmt) {
  snprintf(buf, size, "%s.%s", base, Output_figure_ext(fmt));
}

int out_plot_preflight(const char *path, FigureFormat fmt, char *err, size_t err_size) {
  snprintf(plot_current, sizeof plot_current, "%s", path);
  plsexit(on_plot_exit); /* before PLplot's first call: listing drivers may load them */
  const char *dev = out_plot_device(fmt);
  if (!out_plot_has_device(dev)) {
    snprintf(err, err_size,
             "cannot draw %s: PLplot's %s driver is not installed; install it with "
             "'apt-get install plplot-driver-cairo' or run with --no-figures",
             path, dev);
    return EB_EFAIL;
  }
  /* PLplot would ask on stdin for another name and then exit: try first */
  FILE *f = fopen(path, "wb");
  if (!f) {
    snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
    return EB_EFAIL;
  }
  fclose(f);
  return EB_OK;
}

/* PLplot reports recoverable errors through plabort: kept for out_plot_end. */
static char plot_error[256];
static void on_abort(PLCHAR_VECTOR msg) { snprintf(plot_error, sizeof plot_error, "%s", msg); }

void out_plot_watch(void) {
  plot_error[0] = '\0';
  plsabort(on_abort);
}

int out_plot_end(const char *path, char *err, size_t err_size) {
  plend1();
  if (!plot_error[0]) return EB_OK;
  snprintf(err, err_size, "PLplot failed on %s: %s", path, plot_error);
  remove(path);
  return EB_EFAIL;
}

int out_plot_begin(const char *path, const char *geometry, FigureFormat fmt, char *err,
                   size_t err_size) {
  int rc = out_plot_preflight(path, fmt, err, err_size);
  if (rc != EB_OK) return rc;
  out_plot_watch();
  plsdev(out_plot_device(fmt));
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
  return EB_OK;
}

int out_write_bytes(const char *path, const void *data, size_t size, char *err, size_t err_size) {
  FILE *f = fopen(path, "wb");
  int e = f ? 0 : errno;
  if (f && fwrite(data, 1, size, f) != size) e = errno ? errno : EIO;
  if (f && !e && fflush(f) != 0) e = errno ? errno : EIO;
  if (f && !e && fsync(fileno(f)) != 0) e = errno;
  if (f && fclose(f) != 0 && !e) e = errno ? errno : EIO;
  if (!e) return EB_OK;
  remove(path);
  /* a full disk: the user knows the file by its final name (an error about
   * the temporary file itself names that) */
  const size_t n = strlen(path);
  const int tmp = n > 4 && !strcmp(path + n - 4, ".tmp") && (e == ENOSPC || e == EDQUOT);
  snprintf(err, err_size, "cannot write %.*s (%.1f MB): %s%s", (int)(tmp ? n - 4 : n), path,
           (double)size / 1e6, strerror(e),
           e == ENOSPC ? "; free space or choose another --out" : "");
  return EB_EFAIL;
}

/* out_isolate.c - draw figures in a child process.
 *
 * PLplot ends the whole process on a fatal error: plexit() calls the user's
 * exit handler and then exit(). A failed figure must not take a finished
 * solve (and the HDF5 file being written on the other thread) with it, so
 * figures are drawn in a fork()ed child: plsexit's handler there reports the
 * message through a pipe and leaves with _exit() (no atexit handlers: the
 * parent's HDF5 and MPI state are not touched). A crash in the child (a
 * signal) is reported the same way. fork() copies pages only when written,
 * so the result arrays are shared, not copied. */
#include <errno.h>
#include <fcntl.h>
#include <plplot.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cases/case.h"
#include "output_internal.h"

enum { CHILD_PLEXIT = 99 };
static int child_fd = -1; /* the child's end of the pipe */

static void put_all(int fd, const char *s) {
  size_t n = strlen(s);
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;
    s += w;
    n -= (size_t)w;
  }
}

static char child_abort_msg[512]; /* first recoverable PLplot error */
static void child_plabort(PLCHAR_VECTOR msg) {
  if (!child_abort_msg[0]) snprintf(child_abort_msg, sizeof child_abort_msg, "%s", msg ? msg : "?");
}

static int child_plexit(PLCHAR_VECTOR msg) {
  put_all(child_fd, "PLplot stopped: ");
  put_all(child_fd, msg ? msg : "(no message)");
  _exit(CHILD_PLEXIT);
}

int out_isolated(out_draw_fn fn, void *arg, char *err, size_t err_size) {
  int fds[2];
  if (pipe(fds) != 0) return fn(arg, err, err_size); /* cannot isolate: draw here */
  fflush(NULL); /* nothing buffered is written twice */
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return fn(arg, err, err_size);
  }
  if (pid == 0) {
    close(fds[0]);
    child_fd = fds[1];
    /* PLplot asks on stdin for another file name when it cannot open one:
     * give it end-of-file so it stops instead of waiting for a user. */
    int nul = open("/dev/null", O_RDONLY);
    if (nul >= 0) {
      dup2(nul, STDIN_FILENO);
      close(nul);
    }
    plsexit(child_plexit);
    plsabort(child_plabort); /* fn may install its own */
    char msg[EB_ERRLEN] = "";
    int rc = fn(arg, msg, sizeof msg);
    if (rc == EB_OK && child_abort_msg[0]) {
      snprintf(msg, sizeof msg, "PLplot error: %s", child_abort_msg);
      rc = EB_EFAIL;
    }
    if (rc != EB_OK) put_all(child_fd, msg);
    _exit(rc == EB_OK ? 0 : rc == EB_EINPUT ? EB_EINPUT : EB_EFAIL);
  }
  close(fds[1]);
  char msg[EB_ERRLEN];
  size_t len = 0;
  for (;;) {
    ssize_t n = read(fds[0], msg + len, sizeof msg - 1 - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (size_t)n;
    if (len == sizeof msg - 1) break;
  }
  msg[len] = '\0';
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      snprintf(err, err_size, "figures: lost the drawing process: %s", strerror(errno));
      return EB_EFAIL;
    }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return EB_OK;
  if (WIFSIGNALED(status))
    snprintf(err, err_size, "figures: the drawing process crashed (signal %d)%s%s",
             WTERMSIG(status), msg[0] ? ": " : "", msg);
  else
    snprintf(err, err_size, "%s", msg[0] ? msg : "figures: drawing failed (no message)");
  return WIFEXITED(status) && WEXITSTATUS(status) == EB_EINPUT ? EB_EINPUT : EB_EFAIL;
}

/* out_h5err.c - keep the first HDF5 failure's reason for the user's message. */
#include <hdf5.h>
#include <stdio.h>

#include "output_internal.h"

/* HDF5's error stack runs from the API call down to the cause; the last
 * entry walked upward-first (n == 0) is the innermost one, the real reason. */
static herr_t innermost(unsigned n, const H5E_error2_t *e, void *data) {
  char *buf = data;
  if (n == 0 && e->desc && e->desc[0])
    snprintf(buf, OUT_H5_WHY, "%s (HDF5 %s)", e->desc, e->func_name ? e->func_name : "?");
  return 0;
}

static herr_t keep_first(hid_t stack, void *data) {
  char *buf = data;
  if (buf && !buf[0]) H5Ewalk2(stack, H5E_WALK_UPWARD, innermost, buf);
  return 0;
}

void out_h5_capture(char *buf) {
  if (buf) {
    buf[0] = '\0';
    H5Eset_auto2(H5E_DEFAULT, keep_first, buf);
  } else {
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  }
}

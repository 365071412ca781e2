#!/usr/bin/env bash
# fault_disk.sh EBSIM DIR - run inside a private mount namespace
# (bench/faults.sh): runs (one on 2 MPI ranks), a sweep and a transient
# into a 2 MB tmpfs. Each
# must exit 1 naming the full device, with no temporary file left and no
# manifest (the set is incomplete), every final file whole.
set -uo pipefail
EB=$1; D=$2
mkdir -p "$D" && mount -t tmpfs -o size=2m tmpfs "$D" || { echo "  cannot mount a tmpfs"; exit 1; }
fail=0
try() {
  local what=$1; shift
  rm -rf "${D:?}"/*
  ${RUNNER:-} "$EB" "$@" --out "$D/o" > "$D/../log" 2>&1; local rc=$?
  local tmps; tmps=$(find "$D/o" -name '*.tmp' 2>/dev/null | wc -l)
  if [ $rc -eq 1 ] && grep -q "No space left on device" "$D/../log" && [ "$tmps" = 0 ] &&
     [ ! -f "$D/o/manifest.json" ] && bash bench/check_set.sh "$D/o" any >/dev/null; then
    echo "  ok    $what: exit 1, \"$(grep -m1 -o 'cannot write [^ ]*' "$D/../log")\", no temporary file, set marked incomplete"
  else
    echo "  FAIL  $what: exit $rc, $tmps temporary files"; cat "$D/../log" | tail -3
    bash bench/check_set.sh "$D/o" any; fail=1
  fi
}
try "run with figures" run cases/cs3.yaml --set grid.dx_mm=2
try "run --no-figures" run cases/cs3.yaml --set grid.dx_mm=2 --no-figures
try "run, svg figures" run cases/cs3.yaml --set grid.dx_mm=4 --figures svg --set power.total_kw=20
try "sweep" sweep cases/cs3.yaml --set grid.dx_mm=2 --param power.total_kw=10:30:1 --quiet
try "transient" transient cases/cs3.yaml --scenario power-step --set grid.dx_mm=2 --quiet
# on 2 ranks result.h5's fields are written by both (parallel HDF5): rank 0
# reserves their room first
if command -v mpirun >/dev/null; then
  RUNNER="env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun -n 2" \
    try "run on 2 MPI ranks" run cases/cs3.yaml --set grid.dx_mm=2 --no-figures
fi
umount "$D"
exit $fail

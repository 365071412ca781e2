#!/bin/bash
# bench/cfd_reference.sh - regenerate ebsim's CFD reference (make verify).
#
# A laminar, steady, conjugate OpenFOAM computation of one channel pitch
# (half channel, half fin, base, lid; symmetry planes either side) for the
# shipped cold plate at 100 and 37.5 L/min and for Tuckerman & Pease's chip 3,
# each on two meshes (coarse, and 1.5 x finer in every direction). Writes
#   tests/reference/openfoam/<case>-<mesh>/   the cases, plain-text dictionaries
#   tests/reference/data/<case>-<mesh>.profile.csv, .summary.csv
# which tests/test_reference.c compares with ebsim's channel model (make test).
# The solver work happens in build/cfd/ (CFD_WORK), at most CFD_JOBS cases at
# a time (default 2, one core each). About 35 min on 2 otherwise idle cores
# (coarse 3.5-4 min, fine 9-17 min per case).
#
#   bash bench/cfd_reference.sh [CASE-MESH ...]     e.g. cs3-100-fine
#
# OpenFOAM: Debian 12's `openfoam` package (OpenFOAM v1912, openfoam.com). It
# puts the solvers in /usr/bin and its etc/ in /usr/share/openfoam/etc; the
# package's environment file is /usr/share/openfoam/etc/bashrc, but all the
# binaries need is WM_PROJECT_DIR=/usr/share/openfoam (blockMesh looks for
# etc/controlDict there), which this script exports. Installed here with
# apt-get when missing and run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
REF=$ROOT/tests/reference
WORK=${CFD_WORK:-$ROOT/build/cfd}
JOBS=${CFD_JOBS:-2}

if ! command -v chtMultiRegionSimpleFoam >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "cfd_reference: installing Debian's openfoam package"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openfoam
  else
    echo "cfd_reference: OpenFOAM is missing. Run: sudo apt-get install -y openfoam" >&2
    exit 1
  fi
fi
# Debian's package has no bin/foamEtcFile, so sourcing its etc/bashrc prints
# errors; the solvers need only WM_PROJECT_DIR (for their etc/ files).
export WM_PROJECT_DIR=${WM_PROJECT_DIR:-/usr/share/openfoam}

mkdir -p "$WORK" "$REF/data"
# ebsim's own property data (water table, silicon k(T), copper k)
cc -std=c11 -O2 -I. "$REF/props.c" materials/materials.c -lm -o "$WORK/props"
"$WORK/props" 285 390 >"$WORK/props.txt"
python3 "$REF/make_cases.py" "$WORK/props.txt" "$REF/openfoam" "$@"

run_case() {
  local tag=$1 dir=$WORK/$1
  rm -rf "$dir" && cp -r "$REF/openfoam/$tag" "$dir" && cd "$dir"
  blockMesh >log.blockMesh 2>&1
  splitMeshRegions -cellZonesOnly -overwrite >log.splitMeshRegions 2>&1
  rm -rf 0 && cp -r 0.orig 0
  local t0=$SECONDS
  chtMultiRegionSimpleFoam >log.chtMultiRegionSimpleFoam 2>&1
  for r in fluid solid; do
    postProcess -region $r -latestTime -funcs '(writeCellCentres writeCellVolumes)' \
      >log.postProcess.$r 2>&1
  done
  python3 "$REF/extract.py" "$dir" "$REF/data/$tag"
  echo "$tag: solved in $((SECONDS - t0)) s" | tee -a "$WORK/times.log"
}

if [ $# -gt 0 ]; then tags=("$@"); else
  tags=(cs3-100-coarse cs3-37.5-coarse tp3-coarse cs3-100-fine cs3-37.5-fine tp3-fine)
fi
fail=0
running=0
for tag in "${tags[@]}"; do
  (run_case "$tag" || { echo "cfd_reference: $tag failed, see $WORK/$tag/log.*" >&2; exit 1; }) &
  running=$((running + 1))
  if [ $running -ge "$JOBS" ]; then wait -n || fail=1; running=$((running - 1)); fi
done
wait || fail=1
[ $fail -eq 0 ] || exit 1
echo "cfd_reference: tests/reference/data/ written; make test compares ebsim with it"

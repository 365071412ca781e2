#!/usr/bin/env bash
# make bench: the CS-3 case at its default grid through the whole `ebsim run`
# (output included), beside the floor: one bare hypre PCG + PFMG solve
# (tolerance 1e-8) of a 7-point operator of the same size.
# Targets on a 2-core machine: run <= 2x floor, < 15 s, < 250 bytes/cell.
set -euo pipefail
cd "$(dirname "$0")/.."
CASE=${CASE:-cases/cs3.yaml}
OUT=build/bench-out
rm -rf "$OUT"

dims=$(./ebsim check "$CASE" | sed -n 's/.*grid \([0-9]*\) x \([0-9]*\) x \([0-9]*\) = .*/\1 \2 \3/p')
[ -n "$dims" ] || { echo "bench: could not read the grid size from 'ebsim check'"; exit 1; }

tfile=$(mktemp)
/usr/bin/time -f "%e %M" -o "$tfile" ./ebsim run "$CASE" --out "$OUT" --quiet >"$OUT.log" 2>&1 || {
  rc=$?; [ $rc -eq 3 ] || { cat "$OUT.log"; echo "bench: ebsim run failed ($rc)"; exit 1; }; }
read -r run_wall run_kb <"$tfile"
j() { sed -n "s/^ *\"$1\": *\([^,]*\),*$/\1/p" "$OUT/summary.json" | head -1; }
cells=$(j cells); nl=$(j nonlinear_iterations); lin=$(j linear_iterations); solve=$(j solve_seconds)
total_cells=$(( $(echo "$dims" | awk '{print $1*$2*$3}') ))

/usr/bin/time -f "%e %M" -o "$tfile" ./build/bench_floor $dims >"$OUT.floor" 2>&1
read -r floor_wall floor_kb <"$tfile"
rm -f "$tfile"
floor_its=$(sed -n 's/.*iterations \([0-9]*\).*/\1/p' "$OUT.floor")

awk -v c="$cells" -v tc="$total_cells" -v nl="$nl" -v lin="$lin" -v s="$solve" \
    -v rw="$run_wall" -v rk="$run_kb" -v fw="$floor_wall" -v fk="$floor_kb" -v fi="$floor_its" \
    -v dims="$dims" 'BEGIN {
  bpc = rk * 1024 / tc; ratio = rw / fw;
  printf "ebsim bench (%s)\n", dims
  printf "  ebsim run   : %d cells (%d solid), %d nonlinear / %d linear iterations\n", tc, c, nl, lin
  printf "                solve %.2f s, wall %.2f s (output included), peak RSS %.0f MB, %.0f bytes/cell\n", s, rw, rk/1024, bpc
  printf "  floor       : bare PCG+PFMG 1e-8, %d iterations, wall %.2f s, peak RSS %.0f MB, %.0f bytes/cell\n", fi, fw, fk/1024, fk*1024/tc
  printf "  ratio       : run / floor = %.2f\n", ratio
  printf "  targets     : ratio <= 2 %s | wall < 15 s %s | < 250 bytes/cell %s\n", \
    (ratio <= 2 ? "ok" : "MISSED"), (rw < 15 ? "ok" : "MISSED"), (bpc < 250 ? "ok" : "MISSED")
}'

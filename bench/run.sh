#!/usr/bin/env bash
# make bench: the CS-3 case through the whole `ebsim run` (output included)
# at three grid sizes, each beside the floor: one bare hypre PCG + PFMG solve
# (tolerance 1e-8) of a 7-point operator of the same size. Then a sweep,
# the run on 2 MPI ranks, a transient and a design map at the default grid.
# Targets (issue 13, 2-core machine): run <= 1.5x floor, flat linear
# iterations, <= 200 bytes/cell; the 16-point sweep <= 2x one run; the 60 s
# transient power step <= 20x one run; a 500-point map < 60 s.
set -euo pipefail
cd "$(dirname "$0")/.."
CASE=${CASE:-cases/cs3.yaml}

# --- one run against the floor at three grid sizes (four with BENCH_LARGE=1,
# `make bench-large`) ------------------------------------------------------
# Targets (issue 13): whole run (output included, figures not) at most 1.5x
# the floor at every size; total linear iterations within +-30 % of the
# default grid's from 3 M cells up, as issue 13 states it (on the run's own
# grid: the nested start's coarser grids show in its time; the 0.77 M grid's
# difference is printed, not judged: a band of +-30 % around 6 iterations
# is +-1.8, so one iteration more there was already 17 %); peak memory per
# cell. The default
# grid's run (0.5 mm) is the one the later sections compare with.
DXS="1 0.5 0.25"
[ "${BENCH_LARGE:-0}" = 1 ] && DXS="$DXS 0.12"
# The floor runs with the process settings ebsim gives itself: glibc's
# large blocks on transparent huge pages (resources.h; without them page
# faults took half the floor's 15 s at 12 M cells on the 2-core VM) and
# Open MPI's singleton without its daemon and with ob1 alone for messages
# (runtime.c).
FLOOR_ENV="env GLIBC_TUNABLES=glibc.malloc.hugetlb=1 OMPI_MCA_ess_singleton_isolated=1 OMPI_MCA_pml=ob1"
# is $1 faster than $2 (the best so far; empty: none yet)?
faster() { [ -z "$2" ] || awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
j() { sed -n "s/^ *\"$1\": *\([^,]*\),*$/\1/p" "$2/summary.json" | head -1; }
rows=$(mktemp)
for dx in $DXS; do
  o=build/bench-run-$dx
  rm -rf "$o"
  dims=$(./ebsim check "$CASE" --set grid.dx_mm=$dx | sed -n 's/.*grid \([0-9]*\) x \([0-9]*\) x \([0-9]*\) = .*/\1 \2 \3/p')
  [ -n "$dims" ] || { echo "bench: could not read the grid size from 'ebsim check'"; exit 1; }
  tfile=$(mktemp)
  # each the faster of two runs, ebsim and floor alternating: on the VM the
  # same run's wall time varied by up to 1.9x with how recently its memory
  # had been used (the first of a batch slowest)
  rw=; fw=
  for rep in 1 2; do
    rm -rf "$o.try"
    /usr/bin/time -f "%e %M" -o "$tfile" ./ebsim run "$CASE" --set grid.dx_mm=$dx --out "$o.try" \
      --quiet --no-figures >"$o.log" 2>&1 || {
      rc=$?; [ $rc -eq 3 ] || { cat "$o.log"; echo "bench: ebsim run failed ($rc)"; exit 1; }; }
    read -r w k <"$tfile"
    if faster "$w" "$rw"; then
      rw=$w; rk=$k; rm -rf "$o"; mv "$o.try" "$o"
    fi
    /usr/bin/time -f "%e %M" -o "$tfile" $FLOOR_ENV ./build/bench_floor $dims >"$o.floor.try" 2>&1
    read -r w k <"$tfile"
    if faster "$w" "$fw"; then
      fw=$w; fk=$k; mv "$o.floor.try" "$o.floor"
    fi
  done
  rm -rf "$tfile" "$o.try" "$o.floor.try"
  fi=$(sed -n 's/.*iterations \([0-9]*\).*/\1/p' "$o.floor")
  echo "$dx $(echo $dims | awk '{print $1*$2*$3}') $rw $rk $fw $fk $fi $(j nonlinear_iterations "$o") $(j linear_iterations "$o") $(j solve_seconds "$o") $(j mechanics_seconds "$o") $(j t_max_c "$o") $(j nested_start_seconds "$o") $(j nested_start_grids "$o")" >>"$rows"
  if [ "$dx" = 0.5 ]; then
    OUT=$o; run_wall=$rw; run_kb=$rk; total_cells=$(echo $dims | awk '{print $1*$2*$3}')
    solve=$(awk -v a="$(j solve_seconds "$o")" -v b="$(j nested_start_seconds "$o")" 'BEGIN { print a + b }')
    cells=$(j cells "$o")
  fi
done
awk 'BEGIN {
  printf "ebsim bench (CS-3, whole run with output, no figures; floor = bare hypre PCG+PFMG to 1e-8, same grid,\n"
  printf "  on huge pages as ebsim; each the faster of two runs)\n"
  printf "  solve: the nested start on coarser grids (its share in brackets) and the solve on the run'"'"'s grid, whose\n"
  printf "  linear iterations and fixed-point evaluations the next columns count\n"
  printf "  %-6s %10s %9s %16s %9s %7s %9s %10s %8s %9s %8s\n", "cell", "cells", "run (s)", "solve (s)", "floor (s)", "ratio", "lin. its", "nonlin.", "run MB", "B/cell", "floor B/c"
}
{ dx[NR] = $1; c[NR] = $2; rw[NR] = $3; rk[NR] = $4; fw[NR] = $5; fk[NR] = $6; fi[NR] = $7
  nl[NR] = $8; li[NR] = $9; so[NR] = $10; tm[NR] = $12; ns[NR] = $13; ng[NR] = $14
  if ($1 == 0.5) ref = $9 }
END {
  ok_ratio = 1; ok_its = 1
  for (r = 1; r <= NR; r++) {
    ratio = rw[r] / fw[r]; if (ratio > 1.5) ok_ratio = 0
    d = (li[r] - ref) / ref
    if (c[r] < 2.9e6) small = sprintf("%s%s %+.0f%%", small, (small == "" ? "" : ","), 100 * d)
    else if (d > 0.3 || d < -0.3) ok_its = 0
    printf "  %-6s %10d %9.2f %9.2f (%4.2f) %9.2f %7.2f %9d %10d %8.0f %9.0f %8.0f\n", dx[r] " mm", c[r], rw[r], so[r] + ns[r], ns[r], fw[r], ratio, li[r], nl[r], rk[r] / 1024, rk[r] * 1024 / c[r], fk[r] * 1024 / c[r]
  }
  printf "  t_max at each grid: "; for (r = 1; r <= NR; r++) printf "%s%.3f C", (r > 1 ? ", " : ""), tm[r]; printf "\n"
  printf "  targets     : run <= 1.5x floor at every size %s | linear iterations within +-30%% of the 0.5 mm grid from 3 M cells up %s (0.77 M:%s)\n", (ok_ratio ? "ok" : "MISSED"), (ok_its ? "ok" : "MISSED"), small
}' "$rows"
rm -f "$rows"
awk -v rk="$run_kb" -v tc="$total_cells" 'BEGIN { bpc = rk * 1024 / tc
  printf "  memory      : %.0f bytes/cell at the default grid: target 200 %s (the floor alone needs the last column)\n", bpc, (bpc <= 200 ? "ok" : "MISSED") }'
# BENCH_PART=runs: the table only
[ "${BENCH_PART:-}" = runs ] && exit 0

# --- the CS-4 style power sweep: 16 points on the same grid --------------------
# Target: at most 2x the wall time of one point (issue 13; 3x before), each point within 0.05 K of
# a cold, independent solve (checked here at the last point, 40 kW). The
# sweep runs at sweep accuracy, stated here: fixed point to 5 mK and linear
# solves to 1e-6, which the 0.05 K check below holds it to.
SWEEP_TOL="--set solver.nonlinear_tol_k=0.005 --set solver.linear_tol=1e-6"
tfile=$(mktemp)
/usr/bin/time -f "%e %M" -o "$tfile" ./ebsim sweep "$CASE" $SWEEP_TOL --param power.total_kw=25:40:1 \
  --out build/bench-sweep --quiet --no-figures >build/bench-sweep.log 2>&1 || {
  cat build/bench-sweep.log; echo "bench: sweep failed"; exit 1; }
read -r sweep_wall sweep_kb <"$tfile"
rm -f "$tfile"
# t_max_c by its header ("t_max_c (C)"), not by position
last=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "t_max_c (C)") c = i } END { print $c }' \
  build/bench-sweep/sweep.csv)
./ebsim run "$CASE" --set power.total_kw=40 --out build/bench-cold40 --quiet --no-figures >/dev/null || [ $? -eq 3 ]
cold=$(sed -n 's/^ *"t_max_c": *\([^,]*\),*$/\1/p' build/bench-cold40/summary.json | head -1)
awk -v sw="$sweep_wall" -v rw="$run_wall" -v last="$last" -v cold="$cold" -v kb="$sweep_kb" 'BEGIN {
  d = last - cold; if (d < 0) d = -d; ratio = sw / rw
  printf "  sweep       : 16 points (25..40 kW, 5 mK / 1e-6 tolerances), wall %.1f s = %.1f x one run, peak RSS %.0f MB\n", sw, ratio, kb/1024
  printf "                40 kW point t_max %.4f C, cold solve %.4f C, difference %.4f K\n", last, cold, d
  printf "  targets     : sweep <= 2x one run %s | within 0.05 K %s\n", (ratio <= 2 ? "ok" : "MISSED"), (d <= 0.05 ? "ok" : "MISSED")
}'

# --- the same run split over MPI ranks (mpirun -n 2: the lateral grid in two
# row blocks, the linear solves in parallel, the solution gathered) ----------
if command -v mpirun >/dev/null; then
  tfile=$(mktemp)
  OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 /usr/bin/time -f "%e %M" -o "$tfile" \
    mpirun -n 2 ./ebsim run "$CASE" --out build/bench-mpi2 --quiet >build/bench-mpi2.log 2>&1 || {
    rc=$?; [ $rc -eq 3 ] || { cat build/bench-mpi2.log; echo "bench: mpirun -n 2 failed ($rc)"; exit 1; }; }
  read -r mpi_wall mpi_kb <"$tfile"
  rm -f "$tfile"
  mpi_solve=$(sed -n 's/^ *"solve_seconds": *\([^,]*\),*$/\1/p' build/bench-mpi2/summary.json)
  t1=$(sed -n 's/^ *"t_max_c": *\([^,]*\),*$/\1/p' "$OUT/summary.json")
  t2=$(sed -n 's/^ *"t_max_c": *\([^,]*\),*$/\1/p' build/bench-mpi2/summary.json)
  awk -v w="$mpi_wall" -v s="$mpi_solve" -v rw="$run_wall" -v rs="$solve" -v t1="$t1" -v t2="$t2" \
      -v kb="$mpi_kb" 'BEGIN {
    d = t1 - t2; if (d < 0) d = -d
    printf "  mpirun -n 2 : solve %.2f s (%.2f x one rank), wall %.2f s with mpirun start-up, peak RSS %.0f MB per rank; t_max differs by %.1e K\n", s, rs / s, w, kb / 1024, d
  }'
fi

# --- a transient: the CS-3 power step (idle to full at t = 1 s), 60 s -----------
# Target: at most 20x the wall time of one steady run. Its steady start, the
# snapshots and the series are included; the figures are not (--no-figures).
tfile=$(mktemp)
/usr/bin/time -f "%e %M" -o "$tfile" ./ebsim transient "$CASE" --scenario power-step \
  --out build/bench-transient --quiet --no-figures >build/bench-transient.log 2>&1 || {
  rc=$?; [ $rc -eq 3 ] || { cat build/bench-transient.log; echo "bench: transient failed ($rc)"; exit 1; }; }
read -r tr_wall tr_kb <"$tfile"
rm -f "$tfile"
t() { sed -n "s/^ *\"$1\": *\([^,]*\),*$/\1/p" build/bench-transient/summary.json | head -1; }
awk -v w="$tr_wall" -v kb="$tr_kb" -v rw="$run_wall" -v s="$solve" -v tc="$total_cells" \
    -v steps="$(t cvode_steps)" -v newton="$(t cvode_newton_iterations)" \
    -v krylov="$(t cvode_krylov_iterations)" -v vc="$(t cvode_vcycles)" \
    -v setups="$(t cvode_preconditioner_setups)" -v st="$(t transient_start_seconds)" \
    -v su="$(t transient_setup_seconds)" -v ps="$(t transient_precondition_seconds)" \
    -v rh="$(t transient_rhs_seconds)" -v ee="$(t energy_balance_rel_error_run)" 'BEGIN {
  printf "  transient   : power step, 60 s, %d cells: %d steps, %d Newton, %d Krylov, %d V-cycles, %d set-ups\n", tc, steps, newton, krylov, vc, setups
  printf "                wall %.1f s = %.1f x one steady run (%.1f x its solve), peak RSS %.0f MB, %.0f bytes/cell\n", w, w / rw, w / s, kb / 1024, kb * 1024 / tc
  printf "                steady start %.1f s, set-ups %.1f s, preconditioner %.1f s, right-hand side %.1f s; energy closed to %.1e\n", st, su, ps, rh, ee
  printf "  targets     : transient <= 20x one run %s\n", (w / rw <= 20 ? "ok" : "MISSED")
}'

# --- a design map: 500 points of power x inlet x flow (ebsim map) ------------
# Target (issue 13): a 500-point CS-4 map under 60 s on 2 cores at the
# default grid, every point within 0.1 K of a full solve. The map measures
# its own error at 10 random points; the bench solves 5 more random points
# afresh (ebsim run, cold, at full accuracy) and compares every temperature
# column. CS-4 around its 35 kW, 60 L/min, 21 C design point.
MAP_CASE=${MAP_CASE:-cases/cs4.yaml}
MAP="--param coolant.flow_lpm=40,60,80,100,120 --param coolant.inlet_c=15:42:3 --param power.total_kw=24:42:2"
tfile=$(mktemp)
/usr/bin/time -f "%e %M" -o "$tfile" ./ebsim map "$MAP_CASE" $SWEEP_TOL $MAP --out build/bench-map --quiet \
  --no-figures >build/bench-map.log 2>&1 || { cat build/bench-map.log; echo "bench: map failed"; exit 1; }
read -r map_wall map_kb <"$tfile"
rm -f "$tfile"
solved=$(sed -n 's/.*Solved *\([0-9]*\) points for .*/\1/p' build/bench-map.log)
level=$(sed -n 's/.*Solved .*(level \([0-9]\)).*/\1/p' build/bench-map.log)
est=$(sed -n 's/.*largest miss at the checks \([0-9.]*\) K.*/\1/p' build/bench-map.log)
worst=0; nchk=0
for q in 37 118 256 391 463; do
  row=$(awk -F, -v q=$q '$1 == q' build/bench-map/map.csv)
  flow=$(echo "$row" | cut -d, -f2); inlet=$(echo "$row" | cut -d, -f3); kw=$(echo "$row" | cut -d, -f4)
  ./ebsim run "$MAP_CASE" --set coolant.flow_lpm="$flow" --set coolant.inlet_c="$inlet" \
    --set power.total_kw="$kw" --out build/bench-map-check --quiet --no-figures >/dev/null 2>&1 || [ $? -eq 3 ]
  d=$(/usr/bin/env python3 - "$q" <<'PY'
import csv, json, sys
q = sys.argv[1]
row = next(r for r in csv.DictReader(open("build/bench-map/map.csv")) if r["point"] == q)
s = json.load(open("build/bench-map-check/summary.json"))
print(max(abs(float(row[k]) - s[k[:-4]]) for k in row if k.endswith(" (C)") and row[k] and k[:-4] in s
          and isinstance(s[k[:-4]], (int, float))))
PY
)
  worst=$(awk -v a="$worst" -v b="$d" 'BEGIN { print (b > a ? b : a) }'); nchk=$((nchk + 1))
done
awk -v w="$map_wall" -v kb="$map_kb" -v s="$solved" -v l="$level" -v e="$est" -v worst="$worst" -v mc="$MAP_CASE" \
    -v n="$nchk" -v rw="$run_wall" 'BEGIN {
  printf "  map         : %s, 500 points (5 flows x 10 inlets x 10 powers), %d solved (level %d), wall %.1f s = %.1f x one run, peak RSS %.0f MB\n", mc, s, l, w, w / rw, kb / 1024
  printf "                largest miss at its own 10 checks %.4f K (estimate %.4f K); at %d fresh full solves %.4f K (every temperature column)\n", e, 2 * e, n, worst
  printf "  targets     : map < 60 s %s | within 0.1 K %s\n", (w < 60 ? "ok" : "MISSED"), (worst <= 0.1 && 2 * e <= 0.1 ? "ok" : "MISSED")
}'

#!/usr/bin/env bash
# make bench-mpi: ebsim under mpirun (issue 16, item 5).
#  1. The CS-3 run at 12 M cells (0.25 mm) on 1, 2 and 4 ranks (4 are
#     oversubscribed on a 2-core machine): peak memory per rank, solve time,
#     and the answer against one rank. Targets: at 4 ranks at most 0.35x the
#     single rank's memory per rank; the solve on 2 ranks at least 1.7x
#     faster than on one.
#  2. A 64-point power sweep at the default grid on 2 rank groups
#     (mpirun -n 2, --ranks-per-point 1) against the local pool of 2
#     workers: wall times and the two sweep.csv files compared.
#  3. A transient (CS-3 power step to 2 s at 1 mm, 0.77 M cells) on 1, 2
#     and 4 ranks: peak memory per rank (the state split by rows), wall time
#     and the peak junction against one rank.
# BENCH_MPI_DX sets the cell of part 1 (default 0.25 mm); BENCH_PART=runs
# stops after part 1, BENCH_PART=transient runs part 3 alone.
set -euo pipefail
cd "$(dirname "$0")/.."
CASE=${CASE:-cases/cs3.yaml}
DX=${BENCH_MPI_DX:-0.25}
command -v mpirun >/dev/null || { echo "bench-mpi: mpirun not found (apt-get install openmpi-bin)"; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
j() { sed -n "s/^ *\"$1\": *\([^,]*\),*$/\1/p" "$2/summary.json" | head -1; }

# --- 1. one run on 1, 2 and 4 ranks, each beside the floor on as many ---------
# /usr/bin/time's peak RSS of mpirun is its largest child's: the peak of the
# biggest rank (Open MPI starts the ranks of this node as mpirun's children).
# The floor (bench/floor.c, rows split as ebsim splits them) is what bare
# hypre PCG + PFMG gains from the ranks on this machine: the ceiling of the
# speed-up and the least memory per rank.
cells=$(./ebsim check "$CASE" --set grid.dx_mm=$DX | sed -n 's/.* = \([0-9]*\) cells.*/\1/p')
dims=$(./ebsim check "$CASE" --set grid.dx_mm=$DX | sed -n 's/.*grid \([0-9]*\) x \([0-9]*\) x \([0-9]*\) = .*/\1 \2 \3/p')
[ -n "$cells" ] && [ -n "$dims" ] || { echo "bench-mpi: could not read the grid size from 'ebsim check'"; exit 1; }
# mpirun -n N ./ebsim ARGS... --out DIR (its output in DIR.log): the wall
# time (s) and the biggest rank's peak RSS (KB) into $w and $kb. Exit code 3
# (a limit broken) is an answer, not a failure.
timed_ebsim() {
  local n=$1 o=$2 tfile rc=0
  shift 2
  rm -rf "$o"
  tfile=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$tfile" mpirun --oversubscribe -n "$n" ./ebsim "$@" --out "$o" \
    --quiet --no-figures >"$o.log" 2>&1 || rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
    cat "$o.log"; echo "bench-mpi: mpirun -n $n ebsim $1 failed ($rc)"; exit 1
  fi
  read -r w kb <"$tfile"
  rm -f "$tfile"
}

transient_part() {
  local rows n o
  rows=$(mktemp)
  for n in 1 2 4; do
    o=build/bench-mpi-transient-$n
    timed_ebsim $n "$o" transient "$CASE" --scenario power-step --until 2 --set grid.dx_mm=1
    echo "$n $w $kb $(j junction_peak_c "$o") $(j cvode_steps "$o")" >>"$rows"
  done
  awk 'BEGIN {
    printf "  transient   : CS-3 power step to 2 s at 1 mm (0.77 M cells, start included): the state split by rows\n"
    printf "  %-6s %9s %8s %13s %8s %8s %18s\n", "ranks", "wall (s)", "x 1 rank", "MB per rank", "x 1 rank", "steps", "peak Tj - 1 rank"
  }
  { n[NR] = $1; w[NR] = $2; kb[NR] = $3; tj[NR] = $4; st[NR] = $5 }
  END {
    for (r = 1; r <= NR; r++)
      printf "  %-6d %9.2f %8.2f %13.0f %8.2f %8d %18.1e\n", n[r], w[r], w[r] / w[1], kb[r] / 1024, kb[r] / kb[1], st[r], tj[r] - tj[1]
  }' "$rows"
  rm -f "$rows"
}
if [ "${BENCH_PART:-}" = transient ]; then transient_part; exit 0; fi

rows=$(mktemp)
for n in 1 2 4; do
  o=build/bench-mpi-run-$n
  timed_ebsim $n "$o" run "$CASE" --set grid.dx_mm=$DX
  mpirun --oversubscribe -n $n env GLIBC_TUNABLES=glibc.malloc.hugetlb=1 ./build/bench_floor $dims >"$o.floor" 2>&1 || {
    cat "$o.floor"; echo "bench-mpi: the floor on $n ranks failed"; exit 1; }
  fw=$(sed -n 's/.*wall \([0-9.]*\) s.*/\1/p' "$o.floor")
  fmb=$(sed -n 's/.*peak RSS \([0-9]*\) MB.*/\1/p' "$o.floor")
  solve=$(awk -v a="$(j solve_seconds "$o")" -v b="$(j nested_start_seconds "$o")" 'BEGIN { print a + b }')
  echo "$n $w $kb $solve $(j linear_iterations "$o") $(j t_max_c "$o") $fw $fmb" >>"$rows"
done
awk -v cells="$cells" -v dx="$DX" 'BEGIN {
  printf "ebsim bench-mpi (CS-3, %d cells at %s mm, whole run with output, no figures; 2 cores, 4 ranks oversubscribed)\n", cells, dx
  printf "  floor = bare hypre PCG+PFMG to 1e-8 on the same grid and ranks (bench/floor.c), on huge pages as ebsim; solve: the nested start included\n"
  printf "  %-6s %9s %10s %9s %10s %9s %9s %13s %8s %11s %8s %14s\n", "ranks", "wall (s)", "solve (s)", "speed-up", "floor (s)", "speed-up", "lin. its", "MB per rank", "x 1 rank", "floor MB/r", "x 1 rank", "t_max - 1 rank"
}
{ n[NR] = $1; w[NR] = $2; kb[NR] = $3; s[NR] = $4; it[NR] = $5; tm[NR] = $6; fw[NR] = $7; fm[NR] = $8 }
END {
  for (r = 1; r <= NR; r++) {
    d = tm[r] - tm[1]
    printf "  %-6d %9.2f %10.2f %9.2f %10.2f %9.2f %9d %13.0f %8.2f %11.0f %8.2f %14.1e\n", n[r], w[r], s[r], s[1] / s[r], fw[r], fw[1] / fw[r], it[r], kb[r] / 1024, kb[r] / kb[1], fm[r], fm[r] / fm[1], d
    if (n[r] == 2) { sp = s[1] / s[r]; fsp = fw[1] / fw[r] }
    if (n[r] == 4) { mem = kb[r] / kb[1]; fmem = fm[r] / fm[1] }
  }
  printf "  targets     : memory per rank at 4 ranks <= 0.35x one rank: %.2fx %s (the floor %.2fx) | solve on 2 ranks >= 1.7x: %.2fx %s (the floor %.2fx)\n", mem, (mem <= 0.35 ? "ok" : "MISSED"), fmem, sp, (sp >= 1.7 ? "ok" : "MISSED"), fsp
}' "$rows"
rm -f "$rows"
# BENCH_PART=runs: part 1 only
[ "${BENCH_PART:-}" = runs ] && exit 0

# --- 2. a 64-point sweep: 2 MPI rank groups against the local pool ----------------
SWEEP="--param power.total_kw=8.5:40:0.5 --set solver.nonlinear_tol_k=0.005 --set solver.linear_tol=1e-6"
npts=$(awk 'BEGIN { n = 0; for (p = 8.5; p <= 40.0001; p += 0.5) n++; print n }')
tfile=$(mktemp)
rm -rf build/bench-mpi-sweep-pool build/bench-mpi-sweep-ranks
/usr/bin/time -f "%e" -o "$tfile" ./ebsim sweep "$CASE" $SWEEP --jobs 2 --out build/bench-mpi-sweep-pool \
  --quiet --no-figures >build/bench-mpi-sweep-pool.log 2>&1 || {
  cat build/bench-mpi-sweep-pool.log; echo "bench-mpi: the local sweep failed"; exit 1; }
pool=$(cat "$tfile")
/usr/bin/time -f "%e" -o "$tfile" mpirun -n 2 ./ebsim sweep "$CASE" $SWEEP --ranks-per-point 1 \
  --out build/bench-mpi-sweep-ranks --quiet --no-figures >build/bench-mpi-sweep-ranks.log 2>&1 || {
  cat build/bench-mpi-sweep-ranks.log; echo "bench-mpi: the sweep on rank groups failed"; exit 1; }
ranks=$(cat "$tfile")
rm -f "$tfile"
# the largest difference of any temperature column (header "... (C)") between the two files
csv_diff() { python3 - "$@" <<'PY'
import csv, sys
a = list(csv.DictReader(open(sys.argv[1])))
b = list(csv.DictReader(open(sys.argv[2])))
assert len(a) == len(b), "row counts differ"
worst = 0.0
for x, y in zip(a, b):
    for k in x:
        if k.endswith("(C)") and x[k] and y[k]:
            worst = max(worst, abs(float(x[k]) - float(y[k])))
print(f"{worst:.1e}")
PY
}
diff_k=$(csv_diff build/bench-mpi-sweep-pool/sweep.csv build/bench-mpi-sweep-ranks/sweep.csv)
awk -v n="$npts" -v p="$pool" -v r="$ranks" -v d="$diff_k" 'BEGIN {
  printf "  sweep       : %d points (8.5..40 kW) at the default grid: local pool of 2 workers %.1f s, mpirun -n 2 rank groups %.1f s (%.2fx the pool)\n", n, p, r, r / p
  printf "                largest temperature difference between the two sweep.csv files: %s K (each point converged to 5 mK; the two walk the points in other orders)\n", d
}'

# --- 3. a transient on 1, 2 and 4 ranks ---------------------------------------------
transient_part

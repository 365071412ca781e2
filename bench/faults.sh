#!/usr/bin/env bash
# make verify, part 2: faults. A full disk (a 2 MB tmpfs), kill -9 during
# output and during a sweep, two runs into one directory. Each must end
# with a clear exit code, and every file under a final name must be whole,
# with manifest.json present only when it names exactly the files there
# (bench/check_set.sh). Issue 14; README "What survives a crash".
set -uo pipefail
cd "$(dirname "$0")/.."
EB=${EBSIM:-./ebsim}
T=$(mktemp -d /tmp/ebsim-faults-XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "  ok    $*"; }
no() { echo "  FAIL  $*"; fail=1; }
check() { bash bench/check_set.sh "$@" || no "set check of $1"; }

echo "faults: full disk"
if [ "$(id -u)" = 0 ]; then NS="unshare -m"; else NS="unshare -rm"; fi
if $NS true 2>/dev/null; then
  $NS bash bench/fault_disk.sh "$EB" "$T/disk" || fail=1
else
  echo "  skipped: no mount namespace here (unshare -m/-rm refused); run as root or enable user namespaces"
fi

echo "faults: kill -9 during output"
base="run cases/cs3.yaml --set grid.dx_mm=1"
$EB $base --out "$T/k" >/dev/null 2>&1; rc=$?
[ $rc -eq 0 ] && check "$T/k" complete && ok "a complete first set"
complete=0; incomplete=0
for delay in 0 0.02 0.05 0.1 0.2 0.3 0.5; do
  rm -f "$T"/k/*.tmp # a kill leaves its temporary files; they would look like output begun
  $EB $base --set power.total_kw=20 --out "$T/k" >/dev/null 2>&1 &
  pid=$!
  # the output begins with the first temporary file
  for _ in $(seq 1 3000); do
    ls "$T/k" 2>/dev/null | grep -q '\.tmp$' && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.01
  done
  sleep "$delay"; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
  if bash bench/check_set.sh "$T/k" any >/dev/null; then
    if [ -f "$T/k/manifest.json" ]; then complete=$((complete+1)); else incomplete=$((incomplete+1)); fi
  else
    no "killed $delay s into the output:"; bash bench/check_set.sh "$T/k" any
  fi
  # plot refuses an incomplete set, with exit 2
  if [ ! -f "$T/k/manifest.json" ]; then
    $EB plot "$T/k" --out "$T/kp" >/dev/null 2>&1; rc=$?
    [ $rc -eq 2 ] || no "plot of an incomplete set exited $rc, not 2"
  fi
done
ok "7 kills during output: $complete sets whole (killed before the first file or after the manifest), $incomplete marked incomplete, none mixed"

echo "faults: kill -9 during a sweep, then --resume"
sweep="sweep cases/cs3.yaml --set grid.dx_mm=2 --param power.total_kw=10:40:1 --no-figures --quiet"
$EB $sweep --out "$T/s" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 6000); do [ -f "$T/s/.sweep-points/point_000005.h5" ] && break; sleep 0.01; done
kill -9 $pid; wait $pid 2>/dev/null
sleep 0.3
if pgrep -f "out $T/s --quiet --worker [0-9]" >/dev/null; then no "sweep workers outlived their parent"; else ok "no worker outlived the killed sweep"; fi
check "$T/s" any
$EB $sweep --out "$T/s" --resume > "$T/s.log" 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -q "of them saved by the unfinished run" "$T/s.log" && check "$T/s" complete &&
   [ "$(grep -c '^[0-9]' "$T/s/sweep.csv")" = 31 ] && [ ! -d "$T/s/.sweep-points" ]; then
  ok "resumed: $(grep -o '[0-9]* of them saved' "$T/s.log") points kept, 31 rows, saved points removed"
else
  no "resume (exit $rc)"; cat "$T/s.log"
fi

echo "faults: two runs into one directory"
$EB run cases/cs3.yaml --set grid.dx_mm=1 --out "$T/c" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 500); do [ -f "$T/c/.ebsim.lock" ] && break; sleep 0.01; done
$EB run cases/cs3.yaml --set grid.dx_mm=2 --out "$T/c" > "$T/c.log" 2>&1; rc=$?
wait $pid; rc1=$?
if [ $rc -eq 2 ] && grep -q "is being written by process $pid" "$T/c.log" && [ $rc1 -eq 0 ]; then
  ok "the second run exits 2 naming process $pid; the first finishes"
else
  no "concurrent runs: first exit $rc1, second exit $rc: $(cat "$T/c.log")"
fi
check "$T/c" complete

[ $fail -eq 0 ] && echo "faults: all held" || echo "faults: FAILED"
exit $fail

#!/usr/bin/env bash
# make verify: grid convergence of the CS-3 baseline (lateral cell 2, 1,
# 0.5 mm; z cells halved with it, wafer cells 1, 2, 4) with the observed
# order and a Richardson estimate of the mean junction. Heavier than make test.
# Expect first order overall: the power is made in the volume of the wafer's
# source cell rather than on its face, which misplaces the downward heat path
# (about 2 % of the power) by half a cell; the changes are hundredths of a
# kelvin (measured: t_max 49.153, 49.103, 49.079 C at 2, 1, 0.5 mm).
set -euo pipefail
cd "$(dirname "$0")/.."
CASE=${CASE:-cases/cs3.yaml}
j() { sed -n "s/^ *\"$1\": *\([^,]*\),*$/\1/p" "$2" | head -1; }
declare -a tmax tmean
i=0
for dx in 2 1 0.5; do
  dz=$(awk -v d="$dx" 'BEGIN{print d*2}'); wz=$(awk -v d="$dx" 'BEGIN{print 2/d}')
  out=build/verify-$dx
  ./ebsim run "$CASE" --set grid.dx_mm="$dx" --set grid.dz_mm="$dz" --set stack.wafer.cells_z="$wz" \
    --out "$out" --quiet --no-figures >/dev/null || [ $? -eq 3 ]
  tmax[$i]=$(j t_max_c "$out/summary.json"); tmean[$i]=$(j t_mean_wafer_c "$out/summary.json")
  printf "dx %4s mm dz %4s mm: cells %9s  t_max %.4f C  t_mean %.4f C  energy balance %s\n" "$dx" "$dz" \
    "$(j cells "$out/summary.json")" "${tmax[$i]}" "${tmean[$i]}" "$(j energy_balance_rel_error "$out/summary.json")"
  i=$((i+1))
done
awk -v a="${tmean[0]}" -v b="${tmean[1]}" -v c="${tmean[2]}" -v ta="${tmax[0]}" -v tb="${tmax[1]}" -v tc="${tmax[2]}" 'BEGIN {
  p = log((a-b)/(b-c))/log(2);
  printf "observed order of t_mean: %.2f; Richardson t_mean %.4f C\n", p, c + (c-b)/(2^p-1)
  d1 = ta-tb; d2 = tb-tc
  printf "t_max changes %.4f K then %.4f K between grids\n", d1, d2
}'

# ParaView opens the XDMF with coordinates in metres (optional: needs pvbatch)
if command -v pvbatch >/dev/null 2>&1; then
  pvbatch --force-offscreen-rendering bench/check_xdmf.py build/verify-2 2>&1 | grep -v '^$'
else
  echo "pvbatch not installed: XDMF check skipped (apt-get install paraview python3-paraview)"
fi

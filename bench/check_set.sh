#!/usr/bin/env bash
# check_set.sh DIR [complete|any] - every file under a final name in DIR is
# whole, and manifest.json (if there) names exactly what is there, sizes
# included. "complete": the manifest must exist. Exit 0 when it all holds;
# otherwise each problem on a line and exit 1. Used by bench/faults.sh.
set -uo pipefail
dir=$1; want=${2:-any}
bad=0
say() { echo "  check_set $dir: $*"; bad=1; }
ends_with() { [ "$(tail -c "${#2}" "$1" 2>/dev/null | od -An -c | tr -d ' \n')" = "$(printf '%s' "$2" | od -An -c | tr -d ' \n')" ]; }
while IFS= read -r -d '' f; do
  name=${f#"$dir"/}
  case "$name" in *.tmp|.ebsim.lock|.sweep-points/*) continue ;; esac
  [ -s "$f" ] || { say "$name is empty"; continue; }
  case "$name" in
    *.png) tail -c 64 "$f" | grep -q "IEND" || say "$name: no PNG end chunk" ;;
    *.svg) tail -c 64 "$f" | grep -q "</svg>" || say "$name: no </svg> at its end" ;;
    *.pdf) tail -c 64 "$f" | grep -q "%%EOF" || say "$name: no %%EOF at its end" ;;
    *.h5) h5dump -H "$f" >/dev/null 2>&1 || say "$name: HDF5 cannot read it" ;;
    *.json) python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f" 2>/dev/null ||
              say "$name: not valid JSON" ;;
    *.csv) ends_with "$f" $'\n' || say "$name: its last line is cut" ;;
    *.xdmf) tail -c 64 "$f" | grep -q "</Xdmf>" || say "$name: no </Xdmf> at its end" ;;
  esac
done < <(find "$dir" -type f -print0)
man="$dir/manifest.json"
if [ -f "$man" ]; then
  # the manifest names every file with its size, and the files exist so
  python3 - "$dir" <<'PY' || bad=1
import json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json")))
ok = True
for e in m["files"]:
    p = os.path.join(d, e["name"])
    if not os.path.exists(p):
        print(f"  check_set {d}: manifest lists {e['name']}, which is missing"); ok = False
    elif os.path.getsize(p) != e["bytes"]:
        print(f"  check_set {d}: {e['name']} has {os.path.getsize(p)} bytes, the manifest says {e['bytes']}"); ok = False
sys.exit(0 if ok else 1)
PY
elif [ "$want" = complete ]; then
  say "no manifest.json"
fi
exit $bad

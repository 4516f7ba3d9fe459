#!/usr/bin/env bash
# The development half's small classification tables over 10 seeded splits (issue 16's choices are
# judged on these; the 3-split yardstick moves by about ±0.003 between equivalent models):
#   benchmarks/tabular/dev10.sh NAME MESA [mesa predict options...]
#   python3 benchmarks/tabular/paired.py runs/tabular-compare/dev10-BASE.csv runs/tabular-compare/dev10-NAME.csv [mesa_auc]
# Writes runs/tabular-compare/dev10-NAME.{csv,txt} (MESA_DEV10_DIR overrides the folder). The
# Python reference packages are installed if missing (benchmarks only); MESA is not built here.
# LIST=regression picks the development half's small regression tables instead. MESA_ONLY=1 runs
# Mesa alone on the same splits (benchmarks/tabular/mesa_splits.py: minutes instead of the
# baselines' half hour), for comparing Mesa candidates with paired.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
name="${1:?usage: benchmarks/tabular/dev10.sh NAME MESA [mesa predict options]}"
mesa="${2:?usage: benchmarks/tabular/dev10.sh NAME MESA [mesa predict options]}"
shift 2
[ -x "$mesa" ] || { echo "dev10.sh: $mesa is not an executable" >&2; exit 1; }
data="${MESA_TABULAR_DATA:-../shared/data/tabular}"
yardstick="${MESA_BENCH_DIR:-../shared/bench}/tabular_compare.py"
[ -f "$yardstick" ] || { echo "dev10.sh: $yardstick not found (set MESA_BENCH_DIR)" >&2; exit 1; }
if ! python3 -c "import sklearn, pandas, xgboost" >/dev/null 2>&1; then
    echo "dev10.sh: installing scikit-learn, pandas and xgboost (pip, benchmarks only)" >&2
    python3 -m pip install --quiet scikit-learn pandas xgboost
fi
out="${MESA_DEV10_DIR:-runs/tabular-compare}"
mkdir -p "$out"
task="${LIST:-classification}"
list="$out/dev-small-$task.txt"
python3 - "$data/manifest.json" benchmarks/tabular/dev.txt "$task" > "$list" <<'PY'
import json, sys
manifest = {d["id"]: d for d in json.load(open(sys.argv[1]))}
for tid in (l.strip() for l in open(sys.argv[2]) if l.strip()):
    d = manifest[tid]
    small = d["rows"] // 2 <= 1000 and d["features"] <= 100 and (d["task"] != "classification" or d["classes"] <= 10)
    if small and d["task"] == sys.argv[3]:
        print(tid)
PY
if [ "${MESA_ONLY:-0}" = 1 ]; then
    # Mesa alone on the same splits (the baselines do not change between Mesa candidates).
    python3 benchmarks/tabular/mesa_splits.py --mesa "$mesa" "$data" --tables "$list" --splits 10 \
        --out "$out/dev10-$name.csv" --mesa-args="$*" | tee "$out/dev10-$name.txt"
else
    python3 "$yardstick" --mesa "$mesa" "$data" --tables "$list" --splits 10 \
        --out "$out/dev10-$name.csv" --mesa-args="$*" | tee "$out/dev10-$name.txt"
fi

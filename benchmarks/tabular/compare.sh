#!/usr/bin/env bash
# mesa predict's accuracy beside scikit-learn and XGBoost on one half of the benchmark tables
# (issue 16's protocol): builds mesa in release mode, installs the Python reference packages if
# they are missing (benchmarks only), and runs ../shared/bench/tabular_compare.py.
#   benchmarks/tabular/compare.sh dev   [extra tabular_compare.py options, e.g. --splits 3 --mesa-args "--ensemble 8"]
#   benchmarks/tabular/compare.sh sealed
# Writes runs/tabular-compare/<half>.csv (every split) and .txt (the printed report).
set -euo pipefail
cd "$(dirname "$0")/../.."
half="${1:?usage: benchmarks/tabular/compare.sh dev|sealed [options]}"; shift
[ -f "benchmarks/tabular/$half.txt" ] || { echo "compare.sh: no benchmarks/tabular/$half.txt (dev or sealed)" >&2; exit 1; }
data="${MESA_TABULAR_DATA:-../shared/data/tabular}"
yardstick="${MESA_BENCH_DIR:-../shared/bench}/tabular_compare.py"
[ -f "$yardstick" ] || { echo "compare.sh: $yardstick not found (set MESA_BENCH_DIR)" >&2; exit 1; }
if ! python3 -c "import sklearn, pandas, xgboost" >/dev/null 2>&1; then
    echo "compare.sh: installing scikit-learn, pandas and xgboost (pip, benchmarks only)" >&2
    python3 -m pip install --quiet scikit-learn pandas xgboost \
        || python3 -m pip install --quiet --user --break-system-packages scikit-learn pandas xgboost
fi
scripts/setup
scripts/build-release
mkdir -p runs/tabular-compare
python3 "$yardstick" --mesa .build/release/mesa "$data" --tables "benchmarks/tabular/$half.txt" \
    --out "runs/tabular-compare/$half.csv" "$@" | tee "runs/tabular-compare/$half.txt"

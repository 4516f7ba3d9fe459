#!/usr/bin/env bash
# Mesa's active learning (the in-context learner with random, margin and entropy sampling) beside
# scikit-activeml's margin and random sampling with logistic regression and a random forest, on
# the same splits, initial sets and budgets. Builds mesa in release mode, runs
# `mesa benchmark-active-learning` on the tables of one half of the benchmark (dev by default; the
# sealed half is for final results only), then skactiveml_reference.py on the splits it wrote,
# then compare.py.
#   benchmarks/active-learning/compare.sh dev [mesa benchmark-active-learning options, e.g. --repetitions 3 --budget 30]
# Writes runs/active-learning-compare/<half>/ (Mesa's reports, skactiveml.csv, compare.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
half="${1:-dev}"; shift || true
[ -f "benchmarks/tabular/$half.txt" ] || { echo "compare.sh: no benchmarks/tabular/$half.txt (dev or sealed)" >&2; exit 1; }
data="${MESA_TABULAR_DATA:-../shared/data/tabular}"
out="runs/active-learning-compare/$half"
scripts/setup
scripts/build-release
.build/release/mesa benchmark-active-learning "$data" --tables "benchmarks/tabular/$half.txt" --output "$out" "$@"
python3 benchmarks/active-learning/skactiveml_reference.py --splits "$out/active-learning-splits.csv" --data "$data" --out "$out/skactiveml.csv"
python3 benchmarks/active-learning/compare.py "$out/active-learning-benchmark.csv" "$out/skactiveml.csv" | tee "$out/compare.txt"

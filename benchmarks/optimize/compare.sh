#!/usr/bin/env bash
# Mesa's Bayesian optimiser beside BoTorch's standard loop (SingleTaskGP with its default priors,
# LogExpectedImprovement, optimize_acqf with 10 restarts and 512 raw samples) on the same
# problems, seeds and initial designs, on this machine, in one invocation. Builds mesa in release
# mode, runs `mesa benchmark-bo` (which writes the designs), then botorch_reference.py (which reads
# them; it installs botorch with pip if it is missing: benchmarks only), then prints the combined
# report with the Mesa ÷ BoTorch ratios of regret and time per suggestion.
#   benchmarks/optimize/compare.sh [OUTPUT [mesa benchmark-bo options]]
#   benchmarks/optimize/compare.sh runs/bo-compare --seeds 3 --held-out 8     # a reduced run
# Default OUTPUT: runs/bo-compare; the full protocol (20 seeds, 50 held-out functions) takes hours
# on the BoTorch side.
set -euo pipefail
cd "$(dirname "$0")/../.."
output="${1:-runs/bo-compare}"
[ $# -gt 0 ] && shift
scripts/setup
scripts/build-release
mesa=.build/release/mesa
"$mesa" benchmark-bo --output "$output" "$@" >/dev/null
python3 benchmarks/optimize/botorch_reference.py --designs "$output/designs.json" --output "$output/botorch-traces.csv"
"$mesa" benchmark-bo --output "$output" --report-only --include "$output/botorch-traces.csv" | tee "$output/compare.md"

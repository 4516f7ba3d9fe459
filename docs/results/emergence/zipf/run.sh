#!/bin/sh
# Chan et al. 2022's claim 3 (Zipfian classes let in-context and in-weights learning coexist), past
# the in-context transition: the base (K = 1024, B = 4, alpha = 0, 12,000 steps) and the Zipf arms
# alpha = 0.5, 1, 1.5, seeds 0, 1, 2. Seeds 0 and 1 train in two processes at once (one thread each),
# then seed 2; every run is resumable. The same runs come from one process with
#   mesa experiment emergence --config docs/results/emergence/zipf/base.json --factors zipf --seeds 3 --threads 1 --output runs/zipf
# Usage: docs/results/emergence/zipf/run.sh [MESA] [GRID] (defaults .build/release/mesa, zipf);
# GRID zipf-long runs the 36,000-step configurations of ../zipf-long instead.
set -e
mesa=${1:-.build/release/mesa}
grid=${2:-zipf}
here=docs/results/emergence/$grid
seeds="0 1 2"
train() {  # seed → its four runs in runs/$grid-s$seed
  config=$here/base.json; [ "$1" != 0 ] && config=$here/base-seed$1.json
  nice -n 10 "$mesa" experiment emergence --config $config --factors zipf --seeds 1 --threads 1 --output runs/$grid-s$1 > /dev/null
}
train 0 & train 1; wait
train 2
mkdir -p runs/$grid
for seed in $seeds; do cp -R runs/$grid-s$seed/*-seed$seed runs/$grid/; done
"$mesa" experiment emergence --config $here/base.json --factors zipf --seeds 3 --threads 1 --output runs/$grid --analyse-finished
cp runs/$grid/emergence*.csv runs/$grid/emergence*.svg $here/

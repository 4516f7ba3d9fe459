#!/bin/sh
# Momentum attention (Dai et al. 2023) against standard attention on three in-context presets,
# paired by seed: the same initialisation and task stream, only learner.attentionMomentum differs.
# Usage: docs/results/emergence/momentum/run.sh [MESA] (default .build/release/mesa); then summary.csv.
set -e
mesa=${1:-.build/release/mesa}
here=docs/results/emergence/momentum
for preset in linear sparse-linear linear-classification; do for arm in "" -momentum; do for seed in 0 1; do
  folder=runs/momentum/$preset$arm-seed$seed
  if [ -f "$folder/checkpoint.safetensors" ]; then
    "$mesa" train --output "$folder" --threads 1 --resume > /dev/null       # continues, or does nothing when finished
  else
    "$mesa" train --config $here/$preset$arm.json --seed $seed --output "$folder" --threads 1 > /dev/null
  fi
done; done; done
# The last held-out evaluation of each run: loss over every prefix, and the metric at the last point
# (squared error ÷ d for regression, accuracy for classification).
echo "preset,seed,standard_loss,momentum_loss,loss_difference,standard_last_point,momentum_last_point,last_point_difference" > $here/summary.csv
for preset in linear sparse-linear linear-classification; do for seed in 0 1; do
  s=$(grep evaluationLoss runs/momentum/$preset-seed$seed/metrics.jsonl | tail -1)
  m=$(grep evaluationLoss runs/momentum/$preset-momentum-seed$seed/metrics.jsonl | tail -1)
  sl=$(echo "$s" | jq .evaluationLoss); ml=$(echo "$m" | jq .evaluationLoss)
  sp=$(echo "$s" | jq .lastPointMetric); mp=$(echo "$m" | jq .lastPointMetric)
  awk -v p=$preset -v s=$seed -v a=$sl -v b=$ml -v c=$sp -v d=$mp 'BEGIN { printf "%s,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f\n", p, s, a, b, b - a, c, d, d - c }' >> $here/summary.csv
done; done
cat $here/summary.csv

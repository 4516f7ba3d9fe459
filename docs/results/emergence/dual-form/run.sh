#!/bin/sh
# Dai et al. 2023's dual form measured on trained models: the identity on trained linear
# self-attention, and in-context learning against fine-tuning of the key/value projections on
# trained softmax Transformers (linear regression, linear classification; seeds 1 and 2), for two
# learning rates and two query-part sizes.
# Usage: docs/results/emergence/dual-form/run.sh [MESA] (default .build/release/mesa).
set -e
mesa=${1:-.build/release/mesa}
here=docs/results/emergence/dual-form
[ -f runs/dual-form/lsa/checkpoint.safetensors ] || "$mesa" train --preset lsa-gd-1 --output runs/dual-form/lsa --threads 1 > /dev/null
"$mesa" experiment dual-form --run runs/dual-form/lsa --prompts 256 --threads 1 --output $here/lsa > /dev/null
for preset in linear linear-classification; do for seed in 1 2; do
  run=runs/dual-form/$preset-seed$seed
  if [ -f $run/checkpoint.safetensors ]; then
    "$mesa" train --resume --output $run --threads 1 > /dev/null              # finishes an interrupted run, or does nothing
  else
    "$mesa" train --config $here/$preset.json --seed $seed --output $run --threads 1 > /dev/null
  fi
  for q in 1 3; do for lr in 0.01 0.1; do
    "$mesa" experiment dual-form --run $run --prompts 512 --query-points $q --learning-rate $lr --threads 1 \
        --output $here/$preset-seed$seed-q$q-lr$lr > /dev/null 2>&1
  done; done
done; done
cat $here/*/dual-form.md

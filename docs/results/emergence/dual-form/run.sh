#!/bin/sh
# Dai et al. 2023's dual form measured on trained models: the identity on trained linear
# self-attention, and in-context learning against fine-tuning of the key/value projections on two
# trained softmax Transformers (linear regression, linear classification), for two learning rates
# and two query-part sizes. Usage: docs/results/emergence/dual-form/run.sh [MESA] (default .build/release/mesa).
# The measured linear run was stopped by --time-limit 7.5 at step 12,856 of its 20,000 (shared
# machine); without a time limit this trains all 20,000 steps, so its numbers will differ a little.
set -e
mesa=${1:-.build/release/mesa}
here=docs/results/emergence/dual-form
[ -f runs/dual-form/lsa/checkpoint.safetensors ] || "$mesa" train --preset lsa-gd-1 --output runs/dual-form/lsa --threads 1 > /dev/null
for preset in linear linear-classification; do
  [ -f runs/dual-form/$preset/checkpoint.safetensors ] || "$mesa" train --config $here/$preset.json --seed 1 --output runs/dual-form/$preset --threads 1 > /dev/null
done
"$mesa" experiment dual-form --run runs/dual-form/lsa --prompts 256 --threads 1 --output $here/lsa > /dev/null
for preset in linear linear-classification; do for q in 1 3; do for lr in 0.01 0.1; do
  "$mesa" experiment dual-form --run runs/dual-form/$preset --prompts 512 --query-points $q --learning-rate $lr --threads 1 \
      --output $here/$preset-q$q-lr$lr > /dev/null
done; done; done
cat $here/*/dual-form.md

#!/usr/bin/env bash
# Lion against Adam on an in-context preset at two batch sizes (issue 21): the `demo` preset (linear
# regression, d = 3, a 2-layer Transformer of width 64), 1,500 steps, batch 64 and 512, one thread,
# held-out loss every 100 steps. Adam at the preset's learning rate 2e-3; Lion at a tenth of it,
# Chen et al.'s (2023) rule of thumb (3-10x smaller than AdamW's), not tuned here. Both with 100
# warm-up steps and cosine decay, gradient clipping at 1, no weight decay.
#   benchmarks/optimizers/lion_vs_adam.sh [MESA] [OUTPUT]   (defaults: .build/release/mesa, runs/lion-vs-adam)
# Wall time: a run's training seconds spread evenly over its steps (the runs are uniform).
set -euo pipefail
mesa="${1:-.build/release/mesa}"; out="${2:-runs/lion-vs-adam}"
mkdir -p "$out"
"$mesa" train --preset demo --print-config > "$out/demo.json"
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
base = json.load(open(f"{out}/demo.json"))
for algorithm, rate in [("adam", 2e-3), ("lion", 2e-4)]:
    for batch in [64, 512]:
        c = json.loads(json.dumps(base)); t = c["training"]
        t.update(batchSize=batch, steps=1500, evaluationInterval=100, checkpointInterval=500)
        t["optimizer"].update(algorithm=algorithm, learningRate=rate, warmUpSteps=100)
        c["name"] = f"{algorithm}-b{batch}"
        json.dump(c, open(f"{out}/{c['name']}.json", "w"), indent=2)
PY
for name in adam-b64 lion-b64 adam-b512 lion-b512; do
    rm -rf "$out/$name"
    "$mesa" train --config "$out/$name.json" --output "$out/$name" --threads 1 > "$out/$name.log" 2>&1
done
python3 - "$out" <<'PY'
import json, struct, sys
out = sys.argv[1]
def training_seconds(path):   # the checkpoint's safetensors metadata
    with open(path, "rb") as f:
        header = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))
    return float(header["__metadata__"]["mesa.trainingSeconds"])
print("| run | held-out loss at step 200 / 500 / 1000 / 1500 | training seconds | held-out loss after 15 s / 60 s of training |")
print("|---|---|---|---|")
for name in ["adam-b64", "lion-b64", "adam-b512", "lion-b512"]:
    rows = [json.loads(l) for l in open(f"{out}/{name}/metrics.jsonl")]
    evaluation = {int(r["step"]): r["evaluationLoss"] for r in rows if "evaluationLoss" in r}
    seconds = training_seconds(f"{out}/{name}/checkpoint.safetensors")
    per_step = seconds / 1500
    def at_time(t):
        steps = [s for s in sorted(evaluation) if s * per_step <= t]
        return f"{evaluation[steps[-1]]:.3f} (step {steps[-1]})" if steps else "–"
    losses = " / ".join(f"{evaluation.get(s, float('nan')):.3f}" for s in (200, 500, 1000, 1500))
    print(f"| {name} | {losses} | {seconds:.0f} | {at_time(15)} / {at_time(60)} |")
PY

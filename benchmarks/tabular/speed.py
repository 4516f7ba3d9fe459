#!/usr/bin/env python3
"""Wall time and peak memory of `mesa predict` on random tables (issue 16's speed targets).

    python3 benchmarks/tabular/speed.py --mesa .build/release/mesa [--repeats 3]

Two cases: 500 labelled rows x 20 features + 500 to predict (target <= 0.5 s), and 10,000 labelled
rows x 50 features + 1,000 to predict (target <= 5 s), binary classification with the default
ensemble, model load included. Each case runs --repeats times; the median wall time and the
largest peak resident memory (GNU time's "Maximum resident set size") are printed. State the
machine beside the numbers: they are absolute times.
"""
import argparse, os, re, statistics, subprocess, tempfile
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--mesa", required=True)
ap.add_argument("--repeats", type=int, default=3)
ap.add_argument("--mesa-args", default="")
a = ap.parse_args()
work = tempfile.mkdtemp(prefix="mesa-speed-")
rng = np.random.default_rng(0)

def table(n_train, n_test, f, name):
    x = rng.normal(size=(n_train + n_test, f))
    y = (x @ rng.normal(size=f) + 0.5 * rng.normal(size=n_train + n_test) > 0).astype(int)
    paths = []
    for part, rows in (("train", slice(0, n_train)), ("test", slice(n_train, None))):
        path = os.path.join(work, f"{name}-{part}.csv")
        with open(path, "w") as out:
            out.write(",".join([f"f{i}" for i in range(f)] + ["target"]) + "\n")
            for values, label in zip(x[rows], y[rows]):
                out.write(",".join(f"{v:.5f}" for v in values) + f",c{label}\n")
        paths.append(path)
    return paths

for name, (n_train, n_test, f, target) in {"500x20+500": (500, 500, 20, 0.5), "10000x50+1000": (10000, 1000, 50, 5.0)}.items():
    train, test = table(n_train, n_test, f, name)
    walls, memory = [], []
    for _ in range(a.repeats):
        command = ["/usr/bin/time", "-v", a.mesa, "predict", "--train", train, "--test", test,
                   "--output", os.path.join(work, "p.csv")] + a.mesa_args.split()
        run = subprocess.run(command, capture_output=True, text=True)
        if run.returncode != 0:
            raise SystemExit(f"{name}: mesa failed: {run.stderr[-500:]}")
        wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", run.stderr)
        walls.append((int(wall.group(1) or 0) * 3600) + int(wall.group(2)) * 60 + float(wall.group(3)))
        memory.append(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1)) / 1024)
    print(f"{name:16s} wall median {statistics.median(walls):.2f} s (runs {', '.join(f'{w:.2f}' for w in walls)}; target <= {target} s)  "
          f"peak memory {max(memory):.0f} MiB")

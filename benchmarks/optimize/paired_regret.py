#!/usr/bin/env python3
"""Pooled and paired log10 simple regret of `mesa benchmark-bo` runs against a baseline method.

Reads designs.json (the problems' minima and groups) and traces.csv from a benchmark-bo output
folder (more traces files may follow, from runs over the same problems and designs; LABEL=FILE
renames the file's methods to LABEL, for a method run twice with other settings) and prints, at the
given evaluation counts, for every method: the pooled median log10 regret [quartiles] over all
runs, the ratio of its median regret to the baseline's (10^(difference of the medians)) with a
90 % paired bootstrap interval (functions resampled with replacement, both methods' medians
recomputed on the same resample; --sample-size 50 resamples sets of the protocol's size) and the
share of resamples whose ratio is at most --target, the paired mean difference of log10 regret against the baseline
with its standard error (over the runs both completed), how many runs it is better on, and the
median per problem group (with the paired mean difference and its standard error).

    python3 benchmarks/optimize/paired_regret.py runs/bo-oracle --baseline mesa --at 25
    python3 benchmarks/optimize/paired_regret.py runs/bo-oracle gp-bayes-512=runs/bo-bayes-512/traces.csv --at 25
"""
import argparse
import csv
import json
import math
import os
import random
import statistics
from collections import defaultdict


def quantile(values, q):
    s = sorted(values)
    position = q * (len(s) - 1)
    low = math.floor(position)
    high = min(low + 1, len(s) - 1)
    return s[low] + (position - low) * (s[high] - s[low])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", help="a benchmark-bo output folder (designs.json, traces.csv)")
    parser.add_argument("traces", nargs="*", help="more traces files over the same problems")
    parser.add_argument("--baseline", default="mesa")
    parser.add_argument("--at", default="25", help="evaluation counts, comma-separated")
    parser.add_argument("--floor", type=float, default=1e-8, help="the regret floor (BenchmarkFunction.regretFloor)")
    parser.add_argument("--bootstrap", type=int, default=2000, help="bootstrap resamples of the ratio of medians (0: none)")
    parser.add_argument("--sample-size", type=int, default=0,
                        help="functions per bootstrap resample (default: all; 50 mimics the protocol's held-out set)")
    parser.add_argument("--target", type=float, default=0.7, help="the share of resamples whose ratio is at most this is printed")
    args = parser.parse_args()
    designs = json.load(open(os.path.join(args.folder, "designs.json")))
    minimum = {p["name"]: p["minimum"] for p in designs["problems"]}
    group = {p["name"]: p["group"] for p in designs["problems"]}
    best = defaultdict(dict)   # (method, problem, seed) -> evaluation -> best
    for item in [os.path.join(args.folder, "traces.csv")] + args.traces:
        label, _, path = item.rpartition("=") if "=" in item else ("", "", item)
        for row in csv.DictReader(open(path)):
            best[(label or row["method"], row["problem"], row["seed"])][int(row["evaluation"])] = float(row["best"])
    methods = list(dict.fromkeys(k[0] for k in best))
    for at in [int(a) for a in args.at.split(",")]:
        regret = defaultdict(dict)   # method -> (problem, seed) -> log10 regret
        for (method, problem, seed), values in best.items():
            if at in values:
                regret[method][(problem, seed)] = math.log10(max(values[at] - minimum[problem], args.floor))
        base = regret[args.baseline]
        print(f"@{at} (baseline {args.baseline}, {len(base)} runs)")
        groups = sorted({group[p] for m in methods for p, _ in regret[m]})
        for method in methods:
            r = regret[method]
            if not r:
                continue
            values = list(r.values())
            median = statistics.median(values)
            line = f"  {method:10s} median {median:+.3f} [{quantile(values, 0.25):+.2f}, {quantile(values, 0.75):+.2f}] ({len(values)} runs)"
            if method != args.baseline and base:
                keys = [k for k in r if k in base]
                diffs = [r[k] - base[k] for k in keys]
                mean = statistics.fmean(diffs)
                se = statistics.stdev(diffs) / math.sqrt(len(diffs)) if len(diffs) > 1 else float("nan")
                ratio = 10 ** (median - statistics.median(base[k] for k in keys))
                better = sum(d < 0 for d in diffs)
                interval = ""
                if args.bootstrap:
                    generator = random.Random(0)
                    draws = []
                    size = args.sample_size or len(keys)
                    for _ in range(args.bootstrap):
                        sample = [generator.choice(keys) for _ in range(size)]
                        draws.append(statistics.median(r[k] for k in sample) - statistics.median(base[k] for k in sample))
                    met = sum(10 ** d <= args.target for d in draws) / len(draws)
                    interval = (f" [{10 ** quantile(draws, 0.05):.2f}, {10 ** quantile(draws, 0.95):.2f}]"
                                f" (<= {args.target}x in {100 * met:.0f} % of {size}-function resamples)")
                line += (f"  ratio {ratio:.2f}x{interval}  paired {mean:+.3f} (se {se:.3f}) = {10 ** mean:.2f}x geometric-mean regret, "
                         f"better on {better}/{len(diffs)}")
            print(line)
            cells = []
            for g in groups:
                keys = [k for k in r if group[k[0]] == g]
                if not keys:
                    continue
                cell = f"{g} {statistics.median(r[k] for k in keys):+.2f}"
                paired = [r[k] - base[k] for k in keys if k in base]
                if method != args.baseline and len(paired) > 1:
                    cell += f" (paired {statistics.fmean(paired):+.2f} se {statistics.stdev(paired) / math.sqrt(len(paired)):.2f})"
                cells.append(cell)
            print("      by group: " + "  ".join(cells))


if __name__ == "__main__":
    main()

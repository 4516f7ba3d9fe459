#!/usr/bin/env python3
"""Checks a query strategy against issue 19's targets, paired over repetitions: reads one or more
active-learning-benchmark.csv files of `mesa benchmark-active-learning` on the same splits, and
prints per table the candidate's mean AUBC beside margin's and random's with the paired
differences (mean ± standard error over repetitions), then the targets: mean above margin's and
random's, at least margin's on two thirds of the tables, never below random by more than two
(paired) standard errors on any table.

    python3 benchmarks/active-learning/paired.py --candidate learned runs/al-margin/active-learning-benchmark.csv \
        runs/al-learned/active-learning-benchmark.csv

Rows of the same strategy in several files: the later file wins (so a candidate run under the name
`learned` can be compared with another file's `learned` by passing `--label NAME=FILE`).
"""
import argparse
import sys
import csv
import math
from collections import defaultdict


from compare import summary   # mean and standard error, as compare.py reports them


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidate", default="learned", help="the strategy (or label) checked")
    parser.add_argument("files", nargs="+", help="CSV files; LABEL=FILE renames the file's `learned` rows to LABEL")
    args = parser.parse_args()
    aubc = defaultdict(dict)   # strategy -> (dataset, repetition) -> aubc
    for item in args.files:
        label, _, path = item.rpartition("=") if "=" in item else ("", "", item)
        for row in csv.DictReader(open(path)):
            name = label if label and row["strategy"] == "learned" else row["strategy"]
            aubc[name][(row["dataset"], int(row["repetition"]))] = float(row["aubc"])
    cand = aubc[args.candidate]
    datasets = sorted({d for d, _ in cand})
    print(f"| table | random | margin | {args.candidate} | − margin (paired) | − random (paired) |")
    print("|---|---|---|---|---|---|")
    means = defaultdict(list)
    at_least_margin, below_random = 0, []
    for d in datasets:
        keys = sorted(k for k in cand if k[0] == d and k in aubc["margin"] and k in aubc["random"])
        if not keys:
            continue
        cells = []
        for s in ("random", "margin", args.candidate):
            m, se = summary([aubc[s][k] for k in keys])
            means[s].append((m, se))
            cells.append(f"{m:.3f} ± {se:.3f}")
        dm, sem = summary([cand[k] - aubc["margin"][k] for k in keys])
        dr, ser = summary([cand[k] - aubc["random"][k] for k in keys])
        at_least_margin += dm >= 0
        if dr < -2 * ser:
            below_random.append(d)
        print(f"| {d} | {' | '.join(cells)} | {dm:+.3f} ± {sem:.3f} | {dr:+.3f} ± {ser:.3f} |")
    t = len(means[args.candidate])
    if t == 0:
        missing = [s for s in ("random", "margin", args.candidate) if not aubc[s]]
        sys.exit(f"paired.py: no run of '{args.candidate}' shares its table and repetition with both a margin and a random run"
                 + (f" (no rows of {', '.join(missing)} in the files)" if missing else "")
                 + "; pass files holding all three, e.g. one made with --strategies random,margin")
    row = []
    for s in ("random", "margin", args.candidate):
        m = sum(x for x, _ in means[s]) / t
        se = math.sqrt(sum(e * e for _, e in means[s])) / t
        row.append((m, se))
    print(f"| **mean over {t} tables** | " + " | ".join(f"{m:.3f} ± {se:.3f}" for m, se in row) + " | | |")
    mr, mm, mc = (m for m, _ in row)
    print(f"\ntargets: mean above margin {mc:.4f} vs {mm:.4f}: {'met' if mc > mm else 'NOT met'}; "
          f"above random {mc:.4f} vs {mr:.4f}: {'met' if mc > mr else 'NOT met'}; "
          f"at least margin on {at_least_margin}/{t} tables (need {math.ceil(2 * t / 3)}): {'met' if 3 * at_least_margin >= 2 * t else 'NOT met'}; "
          f"below random by > 2 paired SE on {below_random or 'none'}: {'met' if not below_random else 'NOT met'}")


if __name__ == "__main__":
    main()

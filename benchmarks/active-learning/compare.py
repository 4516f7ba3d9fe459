#!/usr/bin/env python3
"""Prints Mesa's active-learning AUBC (active-learning-benchmark.csv) beside the scikit-activeml
reference's (skactiveml_reference.py's CSV), on the same splits: mean ± standard error over the
repetitions per table, and the mean over tables (standard error propagated from the tables').

    python3 benchmarks/active-learning/compare.py runs/active-learning-benchmark/active-learning-benchmark.csv \
        runs/active-learning-benchmark/skactiveml.csv
"""
import csv
import math
import sys
from collections import defaultdict


def summary(values):
    n = len(values)
    mean = sum(values) / n
    variance = sum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else 0.0
    return mean, math.sqrt(variance / n)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: compare.py MESA.csv SKACTIVEML.csv")
    scores = defaultdict(lambda: defaultdict(list))   # method -> dataset -> [aubc]
    for row in csv.DictReader(open(sys.argv[1])):
        scores[f"mesa {row['strategy']}"][row["dataset"]].append(float(row["aubc"]))
    for row in csv.DictReader(open(sys.argv[2])):
        learner = {"logistic": "logreg", "forest": "forest"}.get(row["learner"], row["learner"])
        scores[f"{learner} {row['strategy']}"][row["dataset"]].append(float(row["aubc"]))
    methods = list(scores)
    datasets = sorted(set(d for m in methods for d in scores[m]))
    width = max(len(d) for d in datasets + ["mean over tables"]) + 2
    column = max(17, max(len(m) for m in methods) + 2)
    print("AUBC (mean test accuracy over the budget), mean ± standard error over repetitions")
    print("dataset".ljust(width) + "".join(m.rjust(column) for m in methods))
    totals = defaultdict(list)
    for dataset in datasets:
        cells = []
        for m in methods:
            values = scores[m].get(dataset)
            if values:
                mean, se = summary(values)
                totals[m].append((mean, se))
                cells.append(f"{mean:.3f} ± {se:.3f}".rjust(column))
            else:
                cells.append("–".rjust(column))
        print(dataset.ljust(width) + "".join(cells))
    cells = []
    for m in methods:
        t = totals[m]
        mean = sum(v for v, _ in t) / len(t)
        se = math.sqrt(sum(s * s for _, s in t)) / len(t)
        cells.append(f"{mean:.3f} ± {se:.3f}".rjust(column))
    print(f"mean over {len(datasets)} tables".ljust(width) + "".join(cells))


if __name__ == "__main__":
    main()

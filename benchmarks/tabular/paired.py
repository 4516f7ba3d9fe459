#!/usr/bin/env python3
"""Paired difference of two runs of the accuracy yardstick on the same tables and splits.

    python3 benchmarks/tabular/paired.py BASELINE.csv CANDIDATE.csv [COLUMN]

BASELINE.csv and CANDIDATE.csv are `--out` files of ../shared/bench/tabular_compare.py run with the
same --tables and --splits (the splits are seeded, so split s is the same rows in both). COLUMN is
the score compared (default `mesa`: accuracy or R²; `mesa_auc` for ROC AUC). For every split s
the candidate's and the baseline's means over the tables both scored are taken; the printed
difference is the mean over splits of (candidate − baseline) ± its standard error over the
splits, so the table-to-table spread, which both share, does not enter. Per table, the mean
difference over splits is printed too. Needs only the standard library.
"""
import csv
import math
import sys
from collections import defaultdict


def scores(path, column):
    """(table, split) -> score, for the rows where Mesa ran and the column is filled."""
    out = {}
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            value = row.get(column, "")
            if value not in ("", "nan") and row.get("mesa_rc", "0") in ("0", "0.0"):
                out[(row["id"], int(row["split"]))] = float(value)
    return out


def mean_and_error(values):
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, float("nan")
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, math.sqrt(variance / n)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.split("\n\n")[1])
    column = sys.argv[3] if len(sys.argv) == 4 else "mesa"
    base, cand = scores(sys.argv[1], column), scores(sys.argv[2], column)
    shared = sorted(set(base) & set(cand))
    if not shared:
        sys.exit(f"paired.py: no (table, split) scored in both files for column '{column}'")
    splits = sorted({s for _, s in shared})
    tables = sorted({t for t, _ in shared})
    per_split = []
    for s in splits:
        keys = [k for k in shared if k[1] == s]
        per_split.append((sum(base[k] for k in keys) / len(keys), sum(cand[k] for k in keys) / len(keys)))
    for t in tables:
        keys = [k for k in shared if k[0] == t]
        d, e = mean_and_error([cand[k] - base[k] for k in keys])
        print(f"{t:28} {sum(base[k] for k in keys) / len(keys):.4f} -> {sum(cand[k] for k in keys) / len(keys):.4f}"
              f"  {d:+.4f} ± {e:.4f}")
    d, e = mean_and_error([c - b for b, c in per_split])
    b = sum(b for b, _ in per_split) / len(per_split)
    c = sum(c for _, c in per_split) / len(per_split)
    dropped = (len(set(base) | set(cand)) - len(shared))
    print(f"{column}: {len(tables)} tables × {len(splits)} splits: baseline {b:.4f}, candidate {c:.4f}, "
          f"candidate − baseline {d:+.4f} ± {e:.4f} (paired over splits)"
          + (f"; {dropped} (table, split) pairs scored in one file only, left out" if dropped else ""))


if __name__ == "__main__":
    main()

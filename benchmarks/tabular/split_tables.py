#!/usr/bin/env python3
"""The fixed development / sealed split of the benchmark tables (issue 16's honest protocol).

    python3 benchmarks/tabular/split_tables.py ../shared/data/tabular   # rewrites dev.txt and sealed.txt

Rule, fixed before any model was compared on either half: tables are grouped into strata (task x
small/large, "small" as in ../shared/bench/tabular_compare.py: training half <= 1,000 rows,
<= 100 features, <= 10 classes); within a stratum they are ordered by SHA-256 of
"mesa-tabular-split-v1:<id>" and dealt alternately, the first to dev. Every choice (prior,
architecture, preset, ensemble, hyperparameter) is made on dev.txt only; sealed.txt is evaluated
once per candidate model that is meant to ship, and reported beside the dev numbers.
"""
import hashlib, json, os, sys

folder = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/tabular"
manifest = json.load(open(os.path.join(folder, "manifest.json")))

def small(d):
    return d["rows"] // 2 <= 1000 and d["features"] <= 100 and (d["task"] != "classification" or d["classes"] <= 10)

def key(d):
    return hashlib.sha256(f"mesa-tabular-split-v1:{d['id']}".encode()).hexdigest()

dev, sealed = [], []
for stratum in sorted({(d["task"], small(d)) for d in manifest}):
    members = sorted((d for d in manifest if (d["task"], small(d)) == stratum), key=key)
    for index, d in enumerate(members):
        (dev if index % 2 == 0 else sealed).append(d["id"])

here = os.path.dirname(os.path.abspath(__file__))
for name, ids in [("dev.txt", dev), ("sealed.txt", sealed)]:
    with open(os.path.join(here, name), "w") as f:
        f.write("\n".join(sorted(ids)) + "\n")
for name, ids in [("dev", dev), ("sealed", sealed)]:
    chosen = [d for d in manifest if d["id"] in ids]
    print(f"{name}: {len(ids)} tables; small classification {sum(small(d) and d['task'] == 'classification' for d in chosen)}, "
          f"small regression {sum(small(d) and d['task'] == 'regression' for d in chosen)}, large {[d['id'] for d in chosen if not small(d)]}")

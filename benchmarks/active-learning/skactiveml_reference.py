#!/usr/bin/env python3
"""The reference for `mesa benchmark-active-learning` (benchmarks only): scikit-activeml's
uncertainty sampling (margin) and random sampling, with logistic regression and with a random
forest, on exactly Mesa's splits, initial sets and budgets (read from the
active-learning-splits.csv that Mesa writes).

    python3 benchmarks/active-learning/skactiveml_reference.py \
        --splits runs/active-learning-benchmark/active-learning-splits.csv \
        --data ../shared/data/tabular --out runs/active-learning-benchmark/skactiveml.csv

Installs scikit-activeml and scikit-learn with pip if they are missing. Features: one-hot
categorical columns (the manifest's, and any non-numeric column), numeric columns imputed with
the median and standardised, the transforms fitted on the pool (features only, no labels). The
score is Mesa's: test accuracy after each query, AUBC the trapezoidal mean over the budget.
Writes dataset,repetition,learner,strategy,budget,aubc,initial_accuracy,final_accuracy.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time


def ensure_packages():
    try:
        import skactiveml  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError:
        print("skactiveml_reference: installing scikit-activeml and scikit-learn (pip, benchmarks only)", file=sys.stderr)
        base = [sys.executable, "-m", "pip", "install", "--quiet", "scikit-activeml", "scikit-learn", "pandas"]
        if subprocess.call(base) != 0:
            subprocess.check_call(base + ["--user", "--break-system-packages"])


def aubc(curve):
    if len(curve) < 2:
        return curve[0]
    return sum((a + b) / 2 for a, b in zip(curve, curve[1:])) / (len(curve) - 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--splits", required=True, help="active-learning-splits.csv written by mesa benchmark-active-learning")
    parser.add_argument("--data", default="../shared/data/tabular", help="the folder of the tables (and manifest.json)")
    parser.add_argument("--out", required=True, help="where to write the per-run CSV")
    parser.add_argument("--learners", default="logistic,forest", help="logistic, forest or both")
    args = parser.parse_args()
    ensure_packages()

    import numpy as np
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from skactiveml.classifier import SklearnClassifier
    from skactiveml.pool import RandomSampling, UncertaintySampling
    from skactiveml.utils import MISSING_LABEL

    manifest_path = os.path.join(args.data, "manifest.json")
    manifest = {e["id"]: e for e in json.load(open(manifest_path))} if os.path.exists(manifest_path) else {}
    tables = {}
    learners = {
        "logistic": lambda seed: LogisticRegression(max_iter=1000),
        "forest": lambda seed: RandomForestClassifier(n_estimators=100, random_state=seed, n_jobs=1),
    }
    chosen = [name for name in args.learners.split(",") if name]
    rows = list(csv.DictReader(open(args.splits)))
    with open(args.out, "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["dataset", "repetition", "learner", "strategy", "budget", "aubc", "initial_accuracy", "final_accuracy", "seconds"])
        for index, split in enumerate(rows):
            name, repetition, budget = split["dataset"], int(split["repetition"]), int(split["budget"])
            if name not in tables:
                # Every cell as text first, so numbers are parsed the same way for every table.
                frame = pd.read_csv(os.path.join(args.data, name + ".csv"), dtype=str, keep_default_na=False)
                tables[name] = frame
            frame = tables[name]
            features, target = frame.columns[:-1], frame.columns[-1]
            declared = set(manifest.get(name, {}).get("categorical_columns", []))
            missing = {"", "NA", "N/A", "NaN", "nan", "-nan", "null", "None", "<NA>", "?"}
            X = frame[features].apply(lambda column: column.str.strip()).replace(list(missing), np.nan)
            numeric = [c for c in features if c not in declared and pd.to_numeric(X[c].dropna(), errors="coerce").notna().all()]
            categorical = [c for c in features if c not in numeric]
            for c in numeric:
                X[c] = pd.to_numeric(X[c])
            labels = frame[target].str.strip()
            classes = sorted(labels.unique())
            y_all = labels.map({c: i for i, c in enumerate(classes)}).to_numpy(dtype=float)
            initial = [int(v) for v in split["initial"].split()]
            pool = [int(v) for v in split["pool"].split()]
            test = [int(v) for v in split["test"].split()]
            candidates = initial + pool
            transformers = []
            if numeric:
                transformers.append(("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric))
            if categorical:
                transformers.append(("categorical", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                                                  OneHotEncoder(handle_unknown="ignore")), categorical))
            encoder = ColumnTransformer(transformers, sparse_threshold=0)
            X_pool = encoder.fit_transform(X.iloc[candidates])
            X_test = encoder.transform(X.iloc[test])
            y_true = y_all[candidates]
            y_test = y_all[test]
            for learner in chosen:
                for strategy in ["random", "margin"]:
                    start = time.time()
                    y = np.full(len(candidates), MISSING_LABEL)
                    y[: len(initial)] = y_true[: len(initial)]
                    clf = SklearnClassifier(learners[learner](repetition), classes=np.arange(len(classes)), random_state=repetition)
                    query = (UncertaintySampling(method="margin_sampling", random_state=repetition) if strategy == "margin"
                             else RandomSampling(random_state=repetition))
                    curve = []
                    for step in range(budget + 1):
                        clf.fit(X_pool, y)
                        curve.append(float(np.mean(clf.predict(X_test) == y_test)))
                        if step == budget:
                            break
                        if strategy == "margin":
                            chosen_row = query.query(X=X_pool, y=y, clf=clf, fit_clf=False)
                        else:
                            chosen_row = query.query(X=X_pool, y=y)
                        y[chosen_row] = y_true[chosen_row]
                    out.writerow([name, repetition, learner, strategy, budget, f"{aubc(curve):.6f}", f"{curve[0]:.6f}",
                                  f"{curve[-1]:.6f}", f"{time.time() - start:.2f}"])
                    handle.flush()
            print(f"skactiveml_reference: {index + 1}/{len(rows)} {name} repetition {repetition}", file=sys.stderr)


if __name__ == "__main__":
    main()

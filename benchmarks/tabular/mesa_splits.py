#!/usr/bin/env python3
"""Mesa alone on the accuracy yardstick's splits: the same seeded 50/50 splits, files, command and
scores as ../shared/bench/tabular_compare.py, without the scikit-learn and XGBoost baselines, so
that a candidate model can be compared with another (benchmarks/tabular/paired.py) in minutes.
The baselines do not change between Mesa candidates; run the full yardstick once for them.

    python3 benchmarks/tabular/mesa_splits.py --mesa MESA DIR --tables LIST --splits 10 --out OUT.csv [--mesa-args "..."]

Writes the yardstick's columns for Mesa (id, task, small, split, mesa_rc, mesa_s, mesa_error, mesa,
mesa_auc). `benchmarks/tabular/dev10.sh` checks that both give the same scores (MESA_ONLY=check).
Needs: pip install scikit-learn pandas.
"""
import argparse, json, os, subprocess, sys, tempfile, time
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.metrics import roc_auc_score, r2_score

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--mesa", required=True)
ap.add_argument("dir")
ap.add_argument("--tables", required=True)
ap.add_argument("--splits", type=int, default=3)
ap.add_argument("--out", required=True)
ap.add_argument("--mesa-args", default="")
a = ap.parse_args()

manifest = {d["id"]: d for d in json.load(open(os.path.join(a.dir, "manifest.json")))}
work = tempfile.mkdtemp(prefix="mesa-splits-")


def is_small(d):
    return d["rows"] // 2 <= 1000 and d["features"] <= 100 and (d["task"] != "classification" or d["classes"] <= 10)


rows = []
for tid in (l.strip() for l in open(a.tables) if l.strip()):
    d = manifest[tid]
    cls = d["task"] == "classification"
    path = os.path.join(a.dir, tid + ".csv")
    X = pd.read_csv(path); X.pop("target")
    y = pd.read_csv(path, usecols=["target"], dtype=str if cls else float, keep_default_na=not cls)["target"]
    if cls and y.value_counts().min() < 2:
        continue
    for s in range(a.splits):
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.5, random_state=s, stratify=y if cls else None)
        if len(Xtr) > 10000:
            Xtr, ytr = Xtr.iloc[:10000], ytr.iloc[:10000]
        folder = os.path.join(work, f"{tid}-{s}"); os.makedirs(folder, exist_ok=True)
        train_csv, test_csv, pred_csv = (os.path.join(folder, n) for n in ("train.csv", "test.csv", "pred.csv"))
        t = Xtr.copy(); t["target"] = ytr.values
        t.to_csv(train_csv, index=False); Xte.to_csv(test_csv, index=False)
        cmd = [a.mesa, "predict", "--train", train_csv, "--test", test_csv, "--output", pred_csv,
               "--task", "classification" if cls else "regression", "--seed", str(s)] + a.mesa_args.split()
        if cls and d["classes"] > 10: cmd.append("--many-classes")
        if len(X.columns) > 100: cmd.append("--subsample-features")
        t0 = time.time(); p = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
        r = {"id": tid, "task": d["task"], "small": is_small(d), "split": s, "mesa_rc": p.returncode,
             "mesa_s": time.time() - t0, "mesa_error": (p.stderr.strip().splitlines() or [""])[-1] if p.returncode else ""}
        classes = sorted(set(ytr))
        if p.returncode == 0 and os.path.exists(pred_csv):
            pr = pd.read_csv(pred_csv, keep_default_na=False)
            if cls:
                r["mesa"] = float((pr["prediction"].astype(str).values == yte.values).mean())
                pc = [f"p_{c}" for c in classes]
                if all(c in pr.columns for c in pc) and len(set(yte)) > 1:
                    P = pr[pc].values.astype(float); P = P / P.sum(1, keepdims=True)
                    try: r["mesa_auc"] = roc_auc_score(yte.values, P[:, 1] if len(classes) == 2 else P, multi_class="ovr", labels=classes)
                    except ValueError: pass
            else:
                col = next((c for c in ("prediction", "mean") if c in pr.columns), pr.columns[0])
                r["mesa"] = r2_score(yte.values, pr[col].astype(float).values)
        rows.append(r)
    T = pd.DataFrame([x for x in rows if x["id"] == tid])
    if not T.empty and "mesa" not in T:
        print(f"{tid:30} {d['task'][:5]} mesa failed: {T['mesa_error'].iloc[-1]}", flush=True)
    elif not T.empty:
        print(f"{tid:30} {d['task'][:5]} mesa {T['mesa'].mean():.4f}" + (f" auc {T['mesa_auc'].mean():.4f}" if "mesa_auc" in T else "")
              + f"  {T['mesa_s'].mean():.2f}s" + (f"  failed: {T['mesa_error'].iloc[-1]}" if T["mesa_rc"].max() else ""), flush=True)
T = pd.DataFrame(rows)
if T.empty: sys.exit("no table matched")
T.to_csv(a.out, index=False)
if "mesa" not in T: sys.exit("mesa failed on every split")
per = T.groupby("id").mean(numeric_only=True)
print(f"mean over {len(per)} tables: mesa {per['mesa'].mean():.4f}" + (f", mesa_auc {per['mesa_auc'].mean():.4f}" if "mesa_auc" in per else ""))

"""Trains the example churn classifier from data/churn.csv.

Run by `modelgate repro` (and by hand) from this folder:
    python3 train.py --model logreg --C 1.0 --buckets 0
Reads the seed from MODELGATE_SEED, the registry root from MODELGATE_REPO, writes
out/model.pkl and out/metrics.json (the metrics, and the per-region ones under "slices"). Deterministic: fixed seeds,
single-threaded estimators, pickle protocol 4, no timestamps in the artifact.
"""
import argparse
import json
import os
import pickle
from pathlib import Path

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, log_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

REGIONS = ["eu", "us", "apac"]


def load(path, buckets):
    rows = np.genfromtxt(path, delimiter=",", names=True, dtype=None, encoding="utf-8")
    region = np.array([REGIONS.index(r) for r in rows["region"]])
    columns = [rows["tenure"], rows["monthly_charges"], rows["support_tickets"], rows["contract"]]
    columns += [(region == i).astype(float) for i in range(len(REGIONS))]
    if buckets:
        columns += [(rows["tenure"] <= 12).astype(float), (rows["tenure"] > 48).astype(float)]
    return np.column_stack(columns).astype(float), rows["churned"].astype(int), region


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=["logreg", "forest"], default="logreg")
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument("--buckets", type=int, default=0)
    args = parser.parse_args()

    seed = int(os.environ.get("MODELGATE_SEED", "42"))
    root = Path(os.environ.get("MODELGATE_REPO", "../.."))
    x, y, region = load(root / "data" / "churn.csv", args.buckets)
    x_train, x_test, y_train, y_test, _, region_test = train_test_split(
        x, y, region, test_size=0.25, random_state=seed, stratify=y)

    if args.model == "logreg":
        model = make_pipeline(StandardScaler(), LogisticRegression(C=args.C, max_iter=1000, random_state=seed))
    else:
        model = RandomForestClassifier(n_estimators=args.trees, max_depth=6, random_state=seed, n_jobs=1)
    model.fit(x_train, y_train)

    proba = model.predict_proba(x_test)[:, 1]
    predicted = (proba >= 0.5).astype(int)
    metrics = {
        "auc": float(roc_auc_score(y_test, proba)),
        "accuracy": float(accuracy_score(y_test, predicted)),
        "f1": float(f1_score(y_test, predicted)),
        "log_loss": float(log_loss(y_test, proba)),
    }
    slices = {
        f"region={name}": {"auc": float(roc_auc_score(y_test[region_test == i], proba[region_test == i]))}
        for i, name in enumerate(REGIONS)
    }

    out = Path("out")
    out.mkdir(exist_ok=True)
    (out / "model.pkl").write_bytes(pickle.dumps(model, protocol=4))
    (out / "metrics.json").write_text(json.dumps({**metrics, "slices": slices}, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()

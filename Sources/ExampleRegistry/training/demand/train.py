"""Trains the example demand regressor from data/demand.csv.

Run by `modelgate repro` (and by hand) from this folder:
    python3 train.py --model ridge --alpha 1.0
Reads the seed from MODELGATE_SEED, the registry root from MODELGATE_REPO, writes
out/model.pkl and out/metrics.json. Deterministic: fixed seeds, pickle protocol 4.
"""
import argparse
import json
import math
import os
import pickle
from pathlib import Path

import numpy as np
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import train_test_split


def load(path, seasonal):
    rows = np.genfromtxt(path, delimiter=",", names=True, dtype=None, encoding="utf-8")
    columns = [rows["price"], rows["promo"], rows["temperature"]]
    if seasonal:
        angle = 2 * math.pi * rows["week"] / 52.0
        columns += [np.sin(angle), np.cos(angle)]
    else:
        columns += [rows["week"]]
    return np.column_stack(columns).astype(float), rows["units"].astype(float)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=["ridge", "boosting"], default="ridge")
    parser.add_argument("--alpha", type=float, default=1.0)
    parser.add_argument("--seasonal", type=int, default=0)
    args = parser.parse_args()

    seed = int(os.environ.get("MODELGATE_SEED", "7"))
    root = Path(os.environ.get("MODELGATE_REPO", "../.."))
    x, y = load(root / "data" / "demand.csv", args.seasonal)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=seed)

    if args.model == "ridge":
        model = Ridge(alpha=args.alpha)
    else:
        model = GradientBoostingRegressor(n_estimators=120, max_depth=3, random_state=seed)
    model.fit(x_train, y_train)

    predicted = model.predict(x_test)
    metrics = {
        "rmse": float(math.sqrt(mean_squared_error(y_test, predicted))),
        "mae": float(mean_absolute_error(y_test, predicted)),
        "r2": float(r2_score(y_test, predicted)),
    }

    out = Path("out")
    out.mkdir(exist_ok=True)
    (out / "model.pkl").write_bytes(pickle.dumps(model, protocol=4))
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()

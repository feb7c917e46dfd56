"""Generates CSV data with known shapes and computes its profile independently, with numpy and pandas.

  profile_reference.py make FILE SEED [SHIFT]   writes a CSV: numeric columns (one shifted by SHIFT), a
                                                categorical one (a new category when SHIFT), quoted fields
                                                with commas, quotes and line breaks, empty and nan cells
  profile_reference.py profile FILE             prints the profile as numpy and pandas compute it
  profile_reference.py measure PROFILE FILE M   prints each column's psi, l1 or ks of FILE against PROFILE
"""
import csv
import json
import sys

import numpy as np
import pandas as pd


def make(path, seed, shift):
    rng = np.random.default_rng(seed)
    rows = 5000
    with open(path, "w", newline="", encoding="utf-8") as handle:
        handle.write("\ufeff")
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["tenure", "charges", "region", "note"])
        for i in range(rows):
            tenure = rng.normal(30 + shift, 12)
            charges = "" if i % 97 == 0 else ("nan" if i % 131 == 0 else repr(float(rng.gamma(2.0, 35.0))))
            regions = ["eu", "us", "apac"] + (["latam"] if shift else [])
            region = regions[int(rng.integers(0, len(regions)))]
            note = ["ok", 'said "hi", left', "two\nlines"][i % 3]
            writer.writerow([repr(float(tenure)), charges, region, note])


def profile(path):
    frame = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    columns = {}
    for name in frame.columns:
        raw = frame[name]
        numbers = pd.to_numeric(raw.where(raw != ""), errors="coerce")
        non_empty = raw[raw != ""]
        if numbers[raw != ""].notna().all() or all(v.lower() in ("nan", "inf", "-inf") for v in non_empty[numbers[raw != ""].isna()]):
            values = numbers.to_numpy(dtype=float)
            finite = values[np.isfinite(values)]
            described = pd.Series(finite).describe()
            edges = np.quantile(finite, [i / 10 for i in range(1, 10)])
            counts = [int((finite <= edges[0]).sum())]
            counts += [int(((finite > edges[i - 1]) & (finite <= edges[i])).sum()) for i in range(1, 9)]
            counts.append(int((finite > edges[8]).sum()))
            columns[name] = {
                "type": "numeric", "count": int(described["count"]), "missing": int(len(values) - len(finite)),
                "mean": float(described["mean"]), "std": float(np.std(finite)), "min": float(described["min"]),
                "max": float(described["max"]), "bins": {"edges": [float(e) for e in edges], "counts": counts},
            }
        else:
            counts = non_empty.value_counts()
            columns[name] = {"type": "categorical", "count": int(len(non_empty)), "missing": int((raw == "").sum()),
                             "counts": {str(k): int(v) for k, v in counts.items()}}
    print(json.dumps({"rows": int(len(frame)), "columns": columns}))




def measure(profile_path, data_path, metric):
    """psi, l1 or ks per column, as numpy computes them from the reference profile and the raw data."""
    reference = json.load(open(profile_path))
    frame = pd.read_csv(data_path, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    result = {}
    for name, column in reference["columns"].items():
        raw = frame[name]
        if column["type"] == "numeric":
            values = pd.to_numeric(raw[raw != ""], errors="coerce").to_numpy(dtype=float)
            values = values[np.isfinite(values)]
            edges = np.array(column["bins"]["edges"])
            q = np.bincount(np.searchsorted(edges, values, side="left"), minlength=10).astype(float)
            p = np.array(column["bins"]["counts"], dtype=float)
        else:
            categories = [c for c in column["counts"] if c != "__other__"]
            values = raw[raw != ""]
            q = np.array([float((values == c).sum()) for c in categories] + [float((~values.isin(categories)).sum())])
            p = np.array([column["counts"][c] for c in categories] + [column["counts"].get("__other__", 0)], dtype=float)
        p = np.maximum(p / p.sum(), 1e-4)
        q = np.maximum(q / q.sum(), 1e-4)
        if metric == "l1":
            result[name] = float(np.abs(p - q).sum())
        elif metric == "psi":
            result[name] = float(((q - p) * np.log(q / p)).sum())
        else:
            result[name] = float(np.abs(np.cumsum(p) - np.cumsum(q)).max())
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]) if len(sys.argv) > 4 else 0.0)
    elif sys.argv[1] == "profile":
        profile(sys.argv[2])
    else:
        measure(sys.argv[2], sys.argv[3], sys.argv[4])

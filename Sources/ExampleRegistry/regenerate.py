"""Maintainer tool: retrains every example version and rewrites its manifest and artifact.

    python3 Sources/ExampleRegistry/regenerate.py

The data profiles under profiles/ are modelgate's (`modelgate record` writes them; `modelgate repro`
checks that the verified data still profile to them); a manifest records each one's sha256.

Not part of the example registry that `modelgate init --example` writes. Run it after changing
the data, a training script or the pinned packages, then rebuild modelgate (the example is
embedded in the binary), sign churn 1.3.0's attestation again (`modelgate repro churn@1.3.0 --base HEAD
--record --sign .modelgate/ci-repro.key` in a registry made by `modelgate init --example`, copied back
into attestations/) and run `make test`. Run it with a python3 whose packages are the lockfile's.
"""
import hashlib
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent

VERSIONS = [
    # model, version, created, description, argv tail, params, seed, parent
    ("churn", "1.0.0", "2026-09-01T09:00:00Z", "Baseline logistic regression on account features.",
     ["--model", "logreg", "--C", "0.1"], {"model": "logreg", "C": 0.1, "buckets": 0}, 42, None),
    ("churn", "1.1.0", "2026-09-15T09:00:00Z", "Weaker regularisation and tenure buckets.",
     ["--model", "logreg", "--C", "1.0", "--buckets", "1"], {"model": "logreg", "C": 1.0, "buckets": 1}, 42, "1.0.0"),
    ("churn", "1.2.0", "2026-10-20T09:00:00Z", "Random forest of 100 trees, depth 6.",
     ["--model", "forest", "--trees", "100", "--buckets", "1"], {"model": "forest", "trees": 100, "buckets": 1}, 42,
     "1.1.0"),
    ("churn", "1.3.0", "2026-11-18T09:00:00Z", "Logistic regression with C tuned to 0.3 on tenure buckets.",
     ["--model", "logreg", "--C", "0.3", "--buckets", "1"], {"model": "logreg", "C": 0.3, "buckets": 1}, 42, "1.1.0"),
    ("demand", "1.0.0", "2026-09-01T09:00:00Z", "Ridge regression on price, promotion, temperature and week.",
     ["--model", "ridge", "--alpha", "1.0"], {"model": "ridge", "alpha": 1.0, "seasonal": 0}, 7, None),
    ("demand", "1.1.0", "2026-09-15T09:00:00Z", "Seasonal features: the week as a sine and a cosine.",
     ["--model", "ridge", "--alpha", "1.0", "--seasonal", "1"], {"model": "ridge", "alpha": 1.0, "seasonal": 1}, 7,
     "1.0.0"),
    ("demand", "2.0.0", "2026-11-05T09:00:00Z", "Gradient boosting, 120 trees of depth 3, seasonal features.",
     ["--model", "boosting", "--seasonal", "1"], {"model": "boosting", "seasonal": 1}, 7, "1.1.0"),
]

# The commit every example version was trained from (`training.source`): the first commit of the history
# `modelgate init --example` writes, which holds training/ and data/ alone. After changing either, run
# `modelgate init --example` and put its first commit here (`git log --format=%H | tail -1`).
SOURCE = "32f279c9f3672e2f357072e64c9bc8c14e04209d"

# The label column each model predicts (`training.target`): `modelgate drift` leaves it out of traffic.
TARGETS = {"churn": "churned", "demand": "units"}

# The registry pins the instruction-set level (modelgate.yaml `reproducibility.cpu`): inside its sandbox
# modelgate sets these switches, so the example is trained under the same ones, whatever this machine's CPU.
CPU_LEVEL = "x86-64-v3"
CPU_PIN = {
    "OPENBLAS_CORETYPE": "Haswell",
    "MKL_CBWR": "AVX2",
    "MKL_ENABLE_INSTRUCTIONS": "AVX2",
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX AVX512_CLX AVX512_CNL "
                                "AVX512_ICL AVX512_SPR",
}

PROBES = {
    "python": ["python3", "-c", "import sys; print(sys.version.split()[0])"],
    "sklearn": ["python3", "-c", "import sklearn; print(sklearn.__version__)"],
    "numpy": ["python3", "-c", "import numpy; print(numpy.__version__)"],
}


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def facts(lockfile):
    result = {"os": "linux", "arch": platform.machine(), "libc": "glibc-" + platform.libc_ver()[1], "cpu": CPU_LEVEL}
    for key, argv in PROBES.items():
        result[key] = subprocess.run(argv, check=True, capture_output=True, text=True,
                                     env=dict(os.environ, **CPU_PIN)).stdout.strip()
    result["lockfile"] = sha256(lockfile)
    return result


def signature(values):
    lines = "".join(f"{k}={values[k]}\n" for k in sorted(values))
    return "sha256:" + hashlib.sha256(lines.encode()).hexdigest()


def flow(mapping):
    return "{" + ", ".join(f"{k}: {v}" for k, v in mapping.items()) + "}"


def main():
    for model, version, created, description, tail, params, seed, parent in VERSIONS:
        workdir = ROOT / "training" / model
        env = dict(os.environ, MODELGATE_SEED=str(seed), PYTHONHASHSEED=str(seed), MODELGATE_REPO=str(ROOT),
                   OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", TZ="UTC", LC_ALL="C",
                   **CPU_PIN)
        command = ["python3", "train.py"] + tail
        subprocess.run(command, cwd=workdir, env=env, check=True)
        artifact = ROOT / "artifacts" / model / version / "model.pkl"
        artifact.parent.mkdir(parents=True, exist_ok=True)
        artifact.write_bytes((workdir / "out" / "model.pkl").read_bytes())
        metrics = json.loads((workdir / "out" / "metrics.json").read_text())
        slices = metrics.pop("slices", {})
        lockfile = workdir / "requirements.lock"
        environment = facts(lockfile)
        lines = [
            "apiVersion: modelgate/v1",
            "kind: ModelVersion",
            f"model: {model}",
            f"version: {version}",
            f"created: {created}",
            f"description: {json.dumps(description)}",
            "artifact:",
            f"  uri: artifacts/{model}/{version}/model.pkl",
            f"  sha256: {sha256(artifact)}",
            f"  size: {artifact.stat().st_size}",
            "metrics:",
        ] + [f"  {k}: {metrics[k]!r}" for k in sorted(metrics)]
        if slices:
            lines.append("slices:")
            lines += [f"  {name}: {flow({k: repr(v) for k, v in sorted(slices[name].items())})}"
                      for name in sorted(slices)]
        lines += [
            "training:",
            "  command: [" + ", ".join(f'"{a}"' if a[0].isdigit() else a for a in command) + "]",
            f"  workdir: training/{model}",
            f"  source: {SOURCE}",
            f"  params: {flow(params)}",
            f"  seed: {seed}",
            f"  target: {TARGETS[model]}",
            "  data:",
            f"    - {{path: data/{model}.csv, sha256: {sha256(ROOT / 'data' / (model + '.csv'))}}}",
            "  outputs:",
            "    model: out/model.pkl",
            "    metrics: out/metrics.json",
            "  environment:",
            "    facts: " + flow({k: v for k, v in sorted(environment.items()) if k != "lockfile"}),
            f"    lockfile: {{path: training/{model}/requirements.lock, sha256: {environment['lockfile']}}}",
            f"    signature: {signature(environment)}",
        ]
        profile = ROOT / "profiles" / model / f"{version}.json"
        lines.append(f"profile: {{path: profiles/{model}/{version}.json, sha256: {sha256(profile)}}}")
        if parent:
            lines += ["lineage:", f"  parent: {parent}"]
        manifest = ROOT / "models" / model / "versions" / f"{version}.yaml"
        manifest.parent.mkdir(parents=True, exist_ok=True)
        manifest.write_text("\n".join(lines) + "\n")
        for name in ("model.pkl", "metrics.json", "slices.json"):
            (workdir / "out" / name).unlink(missing_ok=True)
        (workdir / "out").rmdir()
        print(f"{model}@{version}: {metrics}", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generates a large registry as a real Git repository, through `git fast-import`.

    bench/generate-registry.py DIR [--models 1000] [--versions 10] [--noise-commits 0] [--hot-commits 0]
                                   [--batch 1]

Each model gets one commit per version (the manifest plus a stages.yaml change), so the history is
long: 1,000 models x 10 versions is 10,000 commits. `--noise-commits N` adds N commits that touch
only an unrelated file, interleaved, for the history benchmark. `--batch N` puts N of those steps in one
commit: every commit rewrites the models folder's tree, so 10,000 models need batches to import quickly.
"""
import argparse
import hashlib
import subprocess
import sys
from pathlib import Path

SETTINGS = b"""apiVersion: modelgate/v1
kind: Registry
stages: [development, staging, production, archived]
"""

POLICY = b"""apiVersion: modelgate/v1
kind: Policy
name: production-gate
appliesTo:
  stages: [production]
  models: ["*"]
rules:
  - metric: auc
    min: 0.5
  - metric: auc
    baseline: production
    direction: higher
    maxRegression: 0.05
  - metric: accuracy
    baseline: production
    direction: higher
    maxRegressionPct: 5
  - slices: "*"
    metric: auc
    min: 0.4
  - require: artifactHash
  - require: dataHashes
"""


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def model_yaml(name):
    return f"""apiVersion: modelgate/v1
kind: Model
name: {name}
owner: team-{name}@example.com
description: Generated model {name}.
serving:
  runtime: sklearn
  port: 8080
  resources: {{cpu: 500m, memory: 512Mi}}
  replicas: {{min: 1, max: 3}}
""".encode()


def manifest(name, version, index):
    auc = 0.80 + index * 0.005
    return f"""apiVersion: modelgate/v1
kind: ModelVersion
model: {name}
version: {version}
created: 2026-01-{1 + index % 28:02d}T10:00:00Z
description: Generated version {version} of {name}.
artifact:
  uri: artifacts/{name}/{version}/model.pkl
  sha256: {sha(name + version)}
  size: {1000 + index}
metrics:
  auc: {auc:.4f}
  accuracy: {0.75 + index * 0.004:.4f}
  latency_p95_ms: {12.5 + index:.1f}
slices:
  region=eu: {{auc: {auc - 0.01:.4f}}}
  region=us: {{auc: {auc - 0.02:.4f}}}
training:
  command: [python3, train.py, --C, "1.0"]
  workdir: training/{name}
  params: {{C: 1.0, max_iter: 1000}}
  seed: 42
  data:
    - {{path: data/{name}-train.csv, sha256: {sha(name + "data")}}}
  outputs:
    model: out/model.bin
    metrics: out/metrics.json
  environment:
    facts: {{os: linux, arch: x86_64, python: 3.11.7, sklearn: 1.5.2}}
    signature: sha256:{sha("env")}
lineage:
  parent: {f"1.{index - 1}.0" if index else "0.9.0"}
""".encode()


def stages(name, production, staging):
    text = f"apiVersion: modelgate/v1\nkind: Stages\nmodel: {name}\nstages:\n"
    if staging is not None:
        text += f"  staging: {staging}\n"
    if production is not None:
        text += f"  production: {production}\n"
    return text.encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--noise-commits", type=int, default=0)
    parser.add_argument("--hot-commits", type=int, default=0,
                        help="extra commits that move model-0000's stages back and forth (for the history benchmark)")
    parser.add_argument("--batch", type=int, default=1, help="model versions per commit")
    args = parser.parse_args()

    root = Path(args.directory)
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    importer = subprocess.Popen(["git", "-C", str(root), "fast-import", "--quiet"], stdin=subprocess.PIPE)
    out = importer.stdin
    clock = 1_760_000_000
    mark = 0

    def commit(message, files, author="Bench Author <bench@example.com>"):
        nonlocal clock, mark
        clock += 60
        mark += 1
        out.write(f"commit refs/heads/main\nmark :{mark}\n".encode())
        out.write(f"author {author} {clock} +0000\ncommitter {author} {clock} +0000\n".encode())
        data = message.encode()
        out.write(f"data {len(data)}\n".encode() + data + b"\n")
        if mark > 1:
            out.write(f"from :{mark - 1}\n".encode())
        for path, content in files:
            out.write(f"M 100644 inline {path}\ndata {len(content)}\n".encode() + content + b"\n")
        out.write(b"\n")

    commit("Create registry", [("modelgate.yaml", SETTINGS), ("policies/production-gate.yaml", POLICY)])
    total = args.models * args.versions
    noise_every = max(1, total // args.noise_commits) if args.noise_commits else 0
    step = 0
    noise = 0
    pending = []
    for version_index in range(args.versions):
        for model_index in range(args.models):
            name = f"model-{model_index:04d}"
            version = f"1.{version_index}.0"
            files = [(f"models/{name}/versions/{version}.yaml", manifest(name, version, version_index))]
            if version_index == 0:
                files.append((f"models/{name}/model.yaml", model_yaml(name)))
            production = f"1.{version_index - 1}.0" if version_index else None
            files.append((f"models/{name}/stages.yaml", stages(name, production, version)))
            author = f"Author {model_index % 17} <a{model_index % 17}@example.com>"
            if args.batch > 1:
                pending.extend(files)
                if len(pending) >= 3 * args.batch or model_index == args.models - 1:
                    commit(f"Add version {version} of a batch of models", pending, author)
                    pending.clear()
            else:
                commit(f"Add {name} {version}", files, author)
            step += 1
            if noise_every and step % noise_every == 0 and noise < args.noise_commits:
                noise += 1
                commit(f"Unrelated change {noise}", [("notes/changelog.txt", f"entry {noise}\n".encode())])
    hot_every = max(1, args.noise_commits // args.hot_commits) if args.hot_commits else 0
    hot = 0
    while noise < args.noise_commits or hot < args.hot_commits:
        if hot_every and (noise % hot_every == 0 or noise >= args.noise_commits) and hot < args.hot_commits:
            hot += 1
            last = args.versions - 1
            production, staging = (f"1.{last}.0", f"1.{last - 1}.0") if hot % 2 else (f"1.{last - 1}.0", f"1.{last}.0")
            commit(f"Move model-0000 production to {production}",
                   [("models/model-0000/stages.yaml", stages("model-0000", production, staging))],
                   f"Releaser {hot % 5} <r{hot % 5}@example.com>")
        if noise >= args.noise_commits:
            continue
        noise += 1
        commit(f"Unrelated change {noise}", [("notes/changelog.txt", f"entry {noise}\n".encode())])
    out.close()
    if importer.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", str(root), "reset", "-q", "--hard", "main"], check=True)


if __name__ == "__main__":
    main()

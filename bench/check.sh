#!/usr/bin/env bash
# `modelgate check` on the 1,000-model x 10-version registry: a pull request that changes one stages.yaml
# (judged from the tree diff, reading a handful of files), and the audit of every assignment, each printed
# beside the Git floor of the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
MODELGATE=${MODELGATE:-$PWD/.build/release/modelgate}
WORK=${BENCH_DIR:-.build/bench}
REGISTRY=$WORK/registry-1000x10
RUNS=${RUNS:-5}

if [ ! -d "$REGISTRY/.git" ]; then
  python3 bench/generate-registry.py "$REGISTRY" --models 1000 --versions 10
fi
# The pull request: promote model-0500's staging version to production, on a branch.
git -C "$REGISTRY" checkout -q -B bench-pr main
python3 - "$REGISTRY/models/model-0500/stages.yaml" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
open(path, "w").write(text.replace("staging: 1.9.0\n  production: 1.8.0", "production: 1.9.0").replace("staging: 1.9.0\n", ""))
PY
git -C "$REGISTRY" commit -q -am "Promote model-0500 1.9.0" --allow-empty
git -C "$REGISTRY" checkout -q main

floor() { git -C "$REGISTRY" ls-tree -r main | awk '{print $3}' | git -C "$REGISTRY" cat-file --batch >/dev/null; }
diff_floor() { git -C "$REGISTRY" diff --name-only main bench-pr >/dev/null; }

t_pr=$(best "$MODELGATE" check --repo "$REGISTRY" --base main --head bench-pr)
t_diff=$(best diff_floor)
t_audit=$(best "$MODELGATE" check --repo "$REGISTRY" --head main)
t_floor=$(best floor)
python3 - "$t_pr" "$t_diff" "$t_audit" "$t_floor" <<'PY'
import sys
pr, diff, audit, floor = map(float, sys.argv[1:])
print(f"check --base (one-file PR):     {pr * 1000:8.1f} ms   (target < 50 ms; git diff --name-only: {diff * 1000:.1f} ms, ratio {pr / diff:.2f}x)")
print(f"check (audit, 10,000 versions): {audit * 1000:8.1f} ms   (git floor ls-tree + cat-file: {floor * 1000:.1f} ms, ratio {audit / floor:.2f}x, target <= 2x)")
PY

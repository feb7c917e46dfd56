#!/usr/bin/env bash
# `modelgate history` over 20,000+ commits of which a few hundred touch the model, beside
# `git log --first-parent` of the same file in the same repository, as a ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
MODELGATE=${MODELGATE:-$PWD/.build/release/modelgate}
WORK=${BENCH_DIR:-.build/bench}
REGISTRY=$WORK/registry-history
RUNS=${RUNS:-5}

if [ ! -d "$REGISTRY/.git" ]; then
  echo "generating $REGISTRY (100 models x 10 versions, 19,000 unrelated commits, 300 changes of model-0000)"
  python3 bench/generate-registry.py "$REGISTRY" --models 100 --versions 10 --noise-commits 19000 --hot-commits 300
  git -C "$REGISTRY" gc -q
fi
commits=$(git -C "$REGISTRY" rev-list --count --first-parent HEAD)
touching=$(git -C "$REGISTRY" rev-list --count --first-parent HEAD -- models/model-0000/stages.yaml)

t_git=$(best git -C "$REGISTRY" log --first-parent --format='%H %an %ae %aI %s' -- models/model-0000/stages.yaml)
t_mg=$(best "$MODELGATE" history model-0000 --repo "$REGISTRY")
python3 - "$commits" "$touching" "$t_git" "$t_mg" <<'PY'
import sys
commits, touching, git, mg = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print(f"history: {commits} first-parent commits, {touching} touch models/model-0000/stages.yaml")
print(f"git log --first-parent -- stages.yaml: {git * 1000:8.1f} ms")
print(f"modelgate history model-0000:          {mg * 1000:8.1f} ms")
print(f"ratio history / git log:               {mg / git:8.2f}x   (target <= 2x)")
PY

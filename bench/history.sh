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

history_registry "$REGISTRY"
commits=$(git -C "$REGISTRY" rev-list --count --first-parent HEAD)
touching=$(git -C "$REGISTRY" rev-list --count --first-parent HEAD -- models/model-0000/stages.yaml)

# once with the commit-graph file gc wrote (Git and modelgate both read it), once without.
graph=$REGISTRY/.git/objects/info/commit-graph
[ -f "$graph" ] || git -C "$REGISTRY" commit-graph write --reachable
t_git=$(best git -C "$REGISTRY" log --first-parent --format='%H %an %ae %aI %s' -- models/model-0000/stages.yaml)
t_mg=$(best "$MODELGATE" history model-0000 --repo "$REGISTRY")
mv "$graph" "$graph.away"
t_git_plain=$(best git -C "$REGISTRY" log --first-parent --format='%H %an %ae %aI %s' -- models/model-0000/stages.yaml)
t_mg_plain=$(best "$MODELGATE" history model-0000 --repo "$REGISTRY")
mv "$graph.away" "$graph"
python3 - "$commits" "$touching" "$t_git" "$t_mg" "$t_git_plain" "$t_mg_plain" <<'PY'
import sys
commits, touching = int(sys.argv[1]), int(sys.argv[2])
git, mg, git_plain, mg_plain = map(float, sys.argv[3:])
print(f"history: {commits} first-parent commits, {touching} touch models/model-0000/stages.yaml")
for label, g, m in (("with the commit-graph", git, mg), ("without it", git_plain, mg_plain)):
    print(f"{label:>22}: git log --first-parent {g * 1000:7.1f} ms, modelgate history {m * 1000:7.1f} ms, "
          f"ratio {m / g:5.2f}x   (target <= 1.0x)")
PY

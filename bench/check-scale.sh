#!/usr/bin/env bash
# `check --base` of a pull request that promotes one model, on 300 x 20 and on 10,000 x 20 registries
# (generated with fast-import, 100 versions a commit): the time must not grow with the registry. Prints both
# times, their ratio, the peak memory (max RSS) of the large one, and `git diff-tree` between the same two
# commits as the reference: Git's own cost of comparing the trees grows with the size of the models folder.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
MODELGATE=${MODELGATE:-$PWD/.build/release/modelgate}
WORK=${BENCH_DIR:-.build/bench}
RUNS=${RUNS:-5}

# prepare MODELS: the registry and a branch bench-pr promoting model-0150's staging version.
prepare() {
  local registry=$WORK/registry-$1x20
  if [ ! -d "$registry/.git" ]; then
    echo "generating $registry ($1 models x 20 versions)" >&2
    python3 bench/generate-registry.py "$registry" --models "$1" --versions 20 --batch 100 >&2
    git -C "$registry" gc -q  # packed as a long-lived registry is (fast-import leaves long delta chains)
  fi
  git -C "$registry" checkout -q -B bench-pr main
  python3 - "$registry/models/model-0150/stages.yaml" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
open(path, "w").write(text.replace("staging: 1.19.0\n  production: 1.18.0", "production: 1.19.0"))
PY
  git -C "$registry" commit -q -am "Promote model-0150 1.19.0" --allow-empty
  git -C "$registry" checkout -q main
  echo "$registry"
}
small=$(prepare 300)
large=$(prepare 10000)
diff_tree() { git -C "$1" diff-tree -r --name-only main bench-pr; }
t_small=$(best "$MODELGATE" check --repo "$small" --base main --head bench-pr)
t_large=$(best "$MODELGATE" check --repo "$large" --base main --head bench-pr)
g_small=$(best diff_tree "$small")
g_large=$(best diff_tree "$large")
m_large=$(peak_rss "$MODELGATE" check --repo "$large" --base main --head bench-pr)
python3 - "$t_small" "$t_large" "$g_small" "$g_large" "$m_large" <<'PY'
import sys
small, large, git_small, git_large = map(float, sys.argv[1:5])
rss = int(sys.argv[5])
print(f"check --base, one promotion, 300 x 20:    {small * 1000:8.1f} ms   git diff-tree of the same commits {git_small * 1000:.1f} ms")
print(f"check --base, one promotion, 10,000 x 20: {large * 1000:8.1f} ms   git diff-tree of the same commits {git_large * 1000:.1f} ms")
print(f"  (target <= 25 ms), max RSS {rss / 1024:.0f} MiB")
print(f"ratio 10,000 x 20 / 300 x 20:             {large / small:8.2f}x   (target 0.8x to 1.2x; git diff-tree: {git_large / git_small:.2f}x)")
print(f"ratio check / git diff-tree, 10,000 x 20: {large / git_large:8.2f}x")
PY

#!/usr/bin/env bash
# `modelgate validate` on a 1,000-model x 10-version registry beside two floors: Git's (reading every blob of
# the same commit with `git ls-tree -r` plus `git cat-file --batch`) and LibYAML's (bench/yaml-floor.c: the
# same blobs read through libgit2 and parsed into LibYAML events on two threads, nothing built from them;
# the least any reader on LibYAML can cost). Prints the times, the ratios and modelgate's peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
MODELGATE=${MODELGATE:-$PWD/.build/release/modelgate}
WORK=${BENCH_DIR:-.build/bench}
REGISTRY=$WORK/registry-1000x10
RUNS=${RUNS:-5}

if [ ! -d "$REGISTRY/.git" ]; then
  echo "generating $REGISTRY (1,000 models x 10 versions, 10,001 commits)"
  rm -rf "$REGISTRY"
  python3 bench/generate-registry.py "$REGISTRY" --models 1000 --versions 10
fi
git -C "$REGISTRY" gc -q --aggressive >/dev/null 2>&1 || true


YAML_FLOOR=$WORK/yaml-floor
if [ ! -x "$YAML_FLOOR" ] || [ bench/yaml-floor.c -nt "$YAML_FLOOR" ]; then
  cc -O2 -o "$YAML_FLOOR" bench/yaml-floor.c $(pkg-config --cflags --libs libgit2 yaml-0.1) -lpthread
fi

floor() {
  git -C "$REGISTRY" ls-tree -r HEAD | awk '{print $3}' | git -C "$REGISTRY" cat-file --batch >/dev/null
}

"$MODELGATE" validate --repo "$REGISTRY" --quiet
versions=$(git -C "$REGISTRY" ls-tree -r --name-only HEAD | grep -c '/versions/')
t_git=$(best floor)
t_yaml=$(best "$YAML_FLOOR" "$REGISTRY" 2)
t_mg=$(best "$MODELGATE" validate --repo "$REGISTRY" --quiet)
m_mg=$(peak_rss "$MODELGATE" validate --repo "$REGISTRY" --quiet)
python3 - "$versions" "$t_git" "$t_yaml" "$t_mg" "$m_mg" <<'PY'
import sys
versions, git, yaml, mg, rss = int(sys.argv[1]), *map(float, sys.argv[2:5]), int(sys.argv[5])
print(f"registry: {versions} versions")
print(f"git floor (ls-tree -r + cat-file --batch): {git * 1000:8.1f} ms")
print(f"LibYAML floor (libgit2 + events, 2 threads): {yaml * 1000:6.1f} ms   {yaml / git:.2f}x the git floor")
print(f"modelgate validate:                        {mg * 1000:8.1f} ms   max RSS {rss / 1024:.0f} MiB")
print(f"ratio validate / git floor:                {mg / git:8.2f}x   (target <= 1.5x)")
print(f"ratio validate / LibYAML floor:            {mg / yaml:8.2f}x")
PY

#!/usr/bin/env bash
# `modelgate site` of a 1,000-model x 10-version registry with 20 commits of history (500 versions per
# commit), against `modelgate validate` of the same registry in the same run. Target: site <= 3x validate.
# The site reads what validate reads and more (every model's stage history, every version judged for
# every stage, attestations, each policy's history) and writes 11,002 pages (about 100 MiB). They are
# written to /dev/shm where there is one: creating 11,000 files on a virtual machine's disk took from 0.2 s
# to 3 s here from one run to the next, which would measure the disk rather than modelgate.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
MODELGATE=${MODELGATE:-$PWD/.build/release/modelgate}
WORK=${BENCH_DIR:-$PWD/.build/bench}
REGISTRY=$WORK/registry-1000x10-20commits
OUT=$WORK/site-1000x10
if [ -d /dev/shm ] && [ -w /dev/shm ]; then OUT=/dev/shm/modelgate-bench-site; fi
RUNS=${RUNS:-5}

if [ ! -d "$REGISTRY/.git" ]; then
  echo "generating $REGISTRY (1,000 models x 10 versions in 20 commits)"
  rm -rf "$REGISTRY"
  python3 bench/generate-registry.py "$REGISTRY" --models 1000 --versions 10 --batch 500
fi
git -C "$REGISTRY" gc -q >/dev/null 2>&1 || true

"$MODELGATE" site --repo "$REGISTRY" --out "$OUT" --quiet
commits=$(git -C "$REGISTRY" rev-list --count HEAD)
pages=$(find "$OUT" -name '*.html' | wc -l)
bytes=$(du -sb "$OUT" | cut -f1)
# The two commands run in turn, each keeping its best time: a slow spell of a shared machine then slows
# both, rather than only the one that ran through it.
t_validate=999999
t_site=999999
for _ in $(seq "$RUNS"); do
  t_validate=$(python3 -c "print(min($t_validate, $(timed "$MODELGATE" validate --repo "$REGISTRY" --quiet)))")
  t_site=$(python3 -c "print(min($t_site, $(timed "$MODELGATE" site --repo "$REGISTRY" --out "$OUT" --quiet)))")
done
m_site=$(peak_rss "$MODELGATE" site --repo "$REGISTRY" --out "$OUT" --quiet)
python3 - "$commits" "$pages" "$bytes" "$t_validate" "$t_site" "$m_site" <<'PY'
import sys
commits, pages, size = map(int, sys.argv[1:4])
validate, site, rss = float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
print(f"registry: 1,000 models x 10 versions, {commits} commits; site: {pages} pages, {size / 2**20:.0f} MiB")
print(f"modelgate validate: {validate * 1000:8.1f} ms")
print(f"modelgate site:     {site * 1000:8.1f} ms   max RSS {rss / 1024:.0f} MiB")
print(f"ratio site / validate: {site / validate:5.2f}x   (target <= 3x)")
PY
rm -rf "$OUT"

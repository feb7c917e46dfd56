#!/usr/bin/env bash
# `modelgate render` of the 1,000 x 10 registry (production deployed: one holder per model)
# against `kubectl kustomize` of what it wrote, in one run: rendering must cost less than building it.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
MODELGATE=${MODELGATE:-$PWD/.build/release/modelgate}
WORK=${BENCH_DIR:-$PWD/.build/bench}
SOURCE=$WORK/registry-1000x10
REGISTRY=$WORK/render-1000x10
RUNS=${RUNS:-3}
command -v kubectl >/dev/null || { echo "bench/render.sh needs kubectl (make kubectl)" >&2; exit 1; }
if [ ! -d "$SOURCE/.git" ]; then
  echo "generating $SOURCE (1,000 models x 10 versions)"
  python3 bench/generate-registry.py "$SOURCE" --models 1000 --versions 10
fi
rm -rf "$REGISTRY" && git clone -q "$SOURCE" "$REGISTRY"
# The generated artifacts and data are hashes of nothing: drop the two rules that read their bytes.
sed -i '/require: artifactHash/d; /require: dataHashes/d' "$REGISTRY/policies/production-gate.yaml"
printf 'deploy:\n  stages: [production]\n' >> "$REGISTRY/modelgate.yaml"
git -C "$REGISTRY" -c user.name=bench -c user.email=bench@example.invalid commit -qam "bench: no byte checks"

"$MODELGATE" render --repo "$REGISTRY" --quiet
holders=$(find "$REGISTRY/deploy" -name deployment.yaml | wc -l)
t_render=$(BEFORE_EACH="rm -rf '$REGISTRY/deploy'" best "$MODELGATE" render --repo "$REGISTRY" --quiet)
"$MODELGATE" render --repo "$REGISTRY" --quiet
t_check=$(best "$MODELGATE" render --repo "$REGISTRY" --check --quiet)
build() { for stage in "$REGISTRY"/deploy/*/; do kubectl kustomize "$stage" >/dev/null; done; }
t_kustomize=$(best build)
python3 - "$holders" "$t_render" "$t_check" "$t_kustomize" <<'PY'
import sys
holders, render, check, kustomize = int(sys.argv[1]), *map(float, sys.argv[2:])
print(f"deploy folder: {holders} holders")
print(f"modelgate render (write):   {render * 1000:8.0f} ms")
print(f"modelgate render --check:   {check * 1000:8.0f} ms")
print(f"kubectl kustomize (stages): {kustomize * 1000:8.0f} ms")
print(f"ratio render / kustomize:   {render / kustomize:8.2f}x   (target < 1)")
PY

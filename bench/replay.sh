#!/usr/bin/env bash
# `check --policies-from HEAD --replay` over the 20,000-commit history of bench/history.sh (300 promotions of
# model-0000 among 19,000 unrelated commits, beside 100 models' first promotions), beside `history` of the
# same model over the same commits, as a ratio (target <= 3x).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
MODELGATE=${MODELGATE:-$PWD/.build/release/modelgate}
WORK=${BENCH_DIR:-.build/bench}
REGISTRY=$WORK/registry-history
RUNS=${RUNS:-3}

history_registry "$REGISTRY"
commits=$(git -C "$REGISTRY" rev-list --count --first-parent HEAD)
promotions=$("$MODELGATE" check --repo "$REGISTRY" --policies-from HEAD --replay --format json \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["replay"]["promotions"])' || true)
t_history=$(best "$MODELGATE" history model-0000 --repo "$REGISTRY")
t_replay=$(best "$MODELGATE" check --repo "$REGISTRY" --policies-from HEAD --replay --format json)
python3 - "$commits" "$promotions" "$t_history" "$t_replay" <<'PY'
import sys
commits, promotions = int(sys.argv[1]), sys.argv[2]
history, replay = map(float, sys.argv[3:])
print(f"replay: {commits} first-parent commits, {promotions} promotions replayed")
print(f"  modelgate history model-0000 {history * 1000:8.1f} ms, check --replay {replay * 1000:8.1f} ms, "
      f"ratio {replay / history:6.2f}x   (target <= 3.0x)")
PY

#!/usr/bin/env bash
# The overhead of repro and record: the example's churn training run by modelgate (data verification,
# environment probes in the sandbox, checkout, the bubblewrap sandbox, output comparison; for record the
# manifest and artifact written) against the same command run by hand in a checkout. Best of RUNS runs each; needs the example's training environment (`make demo-deps`).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
MODELGATE=${MODELGATE:-$PWD/.build/release/modelgate}
WORK=${BENCH_DIR:-$PWD/.build/bench}/repro
RUNS=${RUNS:-5}
PYTHON_BIN=${PYTHON_BIN:-$PWD/.build/demo-venv/bin}
[ -x "$PYTHON_BIN/python3" ] || { echo "bench/repro.sh needs $PYTHON_BIN/python3: run 'make demo-deps'" >&2; exit 1; }
mkdir -p "$WORK"
REGISTRY=$WORK/example
rm -rf "$REGISTRY" && "$MODELGATE" init "$REGISTRY" --example --quiet
# The example's churn training in a checkout, as repro runs it, under the switches its
# `reproducibility.cpu: x86-64-v3` sets; `by_hand unpinned` with the kernels this machine picks by itself.
PIN=(OPENBLAS_CORETYPE=Haswell MKL_CBWR=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2
  "NPY_DISABLE_CPU_FEATURES=X86_V4 AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR")
by_hand() {
  local pin=("${PIN[@]}")
  [ "${1:-}" = unpinned ] && pin=()
  (cd "$REGISTRY/training/churn" && env -u OPENBLAS_CORETYPE -u NPY_DISABLE_CPU_FEATURES -u MKL_CBWR \
    -u MKL_ENABLE_INSTRUCTIONS MODELGATE_SEED=42 MODELGATE_REPO="$REGISTRY" PYTHONHASHSEED=42 OMP_NUM_THREADS=1 \
    "${pin[@]}" python3 train.py --model logreg --C 0.3 --buckets 1 && rm -rf out)
}
t_hand=$(PATH="$PYTHON_BIN:$PATH" best by_hand)
t_unpinned=$(PATH="$PYTHON_BIN:$PATH" best by_hand unpinned)
t_repro=$(PATH="$PYTHON_BIN:$PATH" best "$MODELGATE" repro churn@1.3.0 --repo "$REGISTRY" --quiet)
t_open=$(PATH="$PYTHON_BIN:$PATH" best "$MODELGATE" repro churn@1.3.0 --repo "$REGISTRY" --quiet --no-sandbox)
t_record=$(PATH="$PYTHON_BIN:$PATH" BEFORE_EACH="rm -rf '$REGISTRY/models/churn/versions/1.4.0.yaml' '$REGISTRY/artifacts/churn/1.4.0'" \
  best "$MODELGATE" record churn@1.4.0 --repo "$REGISTRY" --like 1.3.0 --param C=0.5 --quiet)
python3 - "$t_repro" "$t_open" "$t_hand" "$t_record" "$t_unpinned" <<'PY'
import sys
repro, open_, hand, record, unpinned = map(float, sys.argv[1:])
print(f"churn@1.3.0 training, pinned x86-64-v3 {hand * 1000:8.0f} ms   unpinned {unpinned * 1000:8.0f} ms   ({hand / unpinned:.2f}x; reported)")
print(f"repro churn@1.3.0 (bubblewrap)  {repro * 1000:8.0f} ms   by hand {hand * 1000:8.0f} ms   overhead {(repro - hand) * 1000:+.0f} ms ({repro / hand:.2f}x; target < +500 ms)")
print(f"repro churn@1.3.0 --no-sandbox  {open_ * 1000:8.0f} ms   (the sandbox itself: {(repro - open_) * 1000:+.0f} ms)")
print(f"record churn@1.4.0               {record * 1000:8.0f} ms   by hand {hand * 1000:8.0f} ms   overhead {(record - hand) * 1000:+.0f} ms ({record / hand:.2f}x; target < +500 ms)")
PY

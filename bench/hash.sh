#!/usr/bin/env bash
# Data verification throughput: `modelgate hash` (the hashing `repro` does before it trains) beside
# `openssl dgst -sha256` (SHA extensions) and `cat > /dev/null` (the read ceiling), on one 2 GiB file,
# 1,000 files of 2 MiB and 10,000 files of 4 KiB, all from a warm page cache. Best of RUNS runs each.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
MODELGATE=${MODELGATE:-$PWD/.build/release/modelgate}
WORK=${BENCH_DIR:-$PWD/.build/bench}/hash
RUNS=${RUNS:-3}
PYTHON_BIN=${PYTHON_BIN:-$PWD/.build/demo-venv/bin}
mkdir -p "$WORK"

if [ ! -f "$WORK/big.bin" ]; then
  head -c $((2 << 30)) /dev/urandom > "$WORK/big.bin"
fi
if [ ! -d "$WORK/medium" ]; then
  mkdir -p "$WORK/medium.tmp"
  for i in $(seq -w 1 1000); do head -c $((2 << 20)) /dev/urandom > "$WORK/medium.tmp/$i.bin"; done
  mv "$WORK/medium.tmp" "$WORK/medium"
fi
if [ ! -d "$WORK/small" ]; then
  python3 - "$WORK/small.tmp" <<'PY'
import os, sys
root = sys.argv[1]
for i in range(10000):
    directory = os.path.join(root, f"{i // 1000:02d}")
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, f"{i:05d}.bin"), "wb") as f:
        f.write(os.urandom(4096))
PY
  mv "$WORK/small.tmp" "$WORK/small"
fi

files() { find "$1" -type f | LC_ALL=C sort; }
openssl_files() { files "$1" | xargs -d '\n' openssl dgst -sha256; }
cat_files() { files "$1" | xargs -d '\n' cat; }

cat "$WORK/big.bin" > /dev/null  # warm the cache
report() {  # name bytes modelgate openssl cat
  python3 - "$@" <<'PY'
import sys
name, size, mg, ossl, cat = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:])
gb = size / 1e9
print(f"{name:<22} modelgate {mg * 1000:8.0f} ms ({gb / mg:5.2f} GB/s)   openssl {ossl * 1000:8.0f} ms ({gb / ossl:5.2f} GB/s)"
      f"   cat {cat * 1000:7.0f} ms   modelgate/openssl speed {ossl / mg:4.2f}x (target >= 1x)   time vs cat {mg / cat:4.2f}x")
PY
}
report "1 file of 2 GiB" $((2 << 30)) \
  "$(best "$MODELGATE" hash "$WORK/big.bin")" "$(best openssl dgst -sha256 "$WORK/big.bin")" "$(best cat "$WORK/big.bin")"
report "1,000 files of 2 MiB" $((1000 * (2 << 20))) \
  "$(best "$MODELGATE" hash "$WORK/medium")" "$(best openssl_files "$WORK/medium")" "$(best cat_files "$WORK/medium")"
report "10,000 files of 4 KiB" $((10000 * 4096)) \
  "$(best "$MODELGATE" hash "$WORK/small")" "$(best openssl_files "$WORK/small")" "$(best cat_files "$WORK/small")"
echo "(the target: at least openssl's speed; one file is one SHA-256 stream, many files use every core)"
echo '(folders are hashed as `modelgate hash` lists them: the walk, the sort and the listing'"'"'s own hash are in modelgate'"'"'s time)'

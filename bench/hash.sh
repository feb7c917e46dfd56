#!/usr/bin/env bash
# Data verification throughput: `modelgate hash` (the hashing `repro` does before it trains) beside
# `openssl dgst -sha256` (SHA extensions) and `cat > /dev/null` (the read ceiling), on one 2 GiB file,
# 1,000 files of 2 MiB, 10,000 files of 4 KiB and 100,000 files of 1 KiB, all from a warm page cache. Best
# of RUNS runs each. BASELINE=path/to/an/older/modelgate adds its time beside (a regression shows there).
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
many_files() {  # folder count size
  [ -d "$WORK/$1" ] && return
  python3 - "$WORK/$1.tmp" "$2" "$3" <<'PY'
import os, sys
root, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(count):
    directory = os.path.join(root, f"{i // 1000:03d}")
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, f"{i:06d}.bin"), "wb") as f:
        f.write(os.urandom(size))
PY
  mv "$WORK/$1.tmp" "$WORK/$1"
}
many_files small 10000 4096
many_files tiny 100000 1024

files() { find "$1" -type f | LC_ALL=C sort; }
openssl_files() { files "$1" | xargs -d '\n' openssl dgst -sha256; }
cat_files() { files "$1" | xargs -d '\n' cat; }

cat "$WORK/big.bin" > /dev/null  # warm the cache
report() {  # name bytes cat-target modelgate openssl cat [baseline]
  python3 - "$@" <<'PY'
import sys
name, size, cat_target, mg, ossl, cat = sys.argv[1], int(sys.argv[2]), sys.argv[3], *map(float, sys.argv[4:7])
gb = size / 1e9
line = (f"{name:<23} modelgate {mg * 1000:7.0f} ms ({gb / mg:5.2f} GB/s)   openssl {ossl * 1000:7.0f} ms"
        f"   cat {cat * 1000:6.0f} ms   speed vs openssl {ossl / mg:4.2f}x (target >= 1x)"
        f"   time vs cat {mg / cat:4.2f}x" + (f" (target <= {cat_target}x)" if cat_target != "-" else ""))
if len(sys.argv) > 7:
    baseline = float(sys.argv[7])
    line += f"   baseline {baseline * 1000:7.0f} ms (new/old time {mg / baseline:4.2f}x)"
print(line)
PY
}
case_() {  # name bytes cat-target path (a file, or a folder hashed file by file by openssl and cat)
  local name=$1 size=$2 target=$3 path=$4 ossl cat
  if [ -d "$path" ]; then ossl=$(best openssl_files "$path"); cat=$(best cat_files "$path")
  else ossl=$(best openssl dgst -sha256 "$path"); cat=$(best cat "$path"); fi
  report "$name" "$size" "$target" "$(best "$MODELGATE" hash "$path")" "$ossl" "$cat" \
    ${BASELINE:+"$(best "$BASELINE" hash "$path")"}
}
case_ "1 file of 2 GiB" $((2 << 30)) - "$WORK/big.bin"
case_ "1,000 files of 2 MiB" $((1000 * (2 << 20))) - "$WORK/medium"
case_ "10,000 files of 4 KiB" $((10000 * 4096)) 1.3 "$WORK/small"
case_ "100,000 files of 1 KiB" $((100000 * 1024)) - "$WORK/tiny"
echo "(the target: at least openssl's speed; one file is one SHA-256 stream, many files use every core)"
echo '(folders are hashed as `modelgate hash` lists them: the walk, the sort and the listing'"'"'s own hash are in modelgate'"'"'s time)'

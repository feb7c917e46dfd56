#!/usr/bin/env bash
# `modelgate profile` of generated CSVs (10 numeric and 2 categorical columns) of 1,000 and 200 megabytes
# (MB="1000 200" by default) against pandas (read_csv, describe, quantile of the same columns), with the peak
# memory (max RSS) of each. Best of RUNS runs. BASELINE=path/to/an/older/modelgate adds its time and memory
# beside (a regression shows there). Then the choice of CSV reader: the two CSV packages modelgate could have
# used (SwiftCSV, CSV.swift; `bench/csv-readers`) only reading a 50 MB slice of the first file, against
# `modelgate profile` of the whole slice.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
MODELGATE=${MODELGATE:-$PWD/.build/release/modelgate}
WORK=${BENCH_DIR:-$PWD/.build/bench}/profile
RUNS=${RUNS:-1}
SIZES=${MB:-1000 200}
PYTHON=${PYTHON:-$PWD/.build/venv/bin/python3}
mkdir -p "$WORK"
generate() {  # path megabytes
  [ -f "$1" ] && return
  "$PYTHON" - "$1.tmp" "$2" <<'PY'
import sys
import numpy as np
path, megabytes = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(7)
with open(path, "w") as out:
    out.write(",".join([f"x{i}" for i in range(10)] + ["region", "plan"]) + "\n")
    while out.tell() < megabytes * 1_000_000:
        block = rng.normal(size=(100_000, 10)) * 50 + 100
        regions = rng.choice(["eu", "us", "apac", "latam"], 100_000)
        plans = rng.choice([f"plan-{i}" for i in range(150)], 100_000)
        lines = [",".join(f"{v:.6f}" for v in row) + f",{r},{p}" for row, r, p in zip(block, regions, plans)]
        out.write("\n".join(lines) + "\n")
PY
  mv "$1.tmp" "$1"
}
PANDAS='import sys, pandas as pd
frame = pd.read_csv(sys.argv[1])
numeric = frame.select_dtypes("number")
numeric.describe()
numeric.quantile([i / 10 for i in range(1, 10)])
for column in frame.select_dtypes(exclude="number"):
    frame[column].value_counts()'
for size in $SIZES; do
  DATA=$WORK/data-$size.csv
  generate "$DATA" "$size"
  t_ours=$(best "$MODELGATE" profile "$DATA" --out "$WORK/profile.json")
  t_pandas=$(best "$PYTHON" -c "$PANDAS" "$DATA")
  m_ours=$(peak_rss "$MODELGATE" profile "$DATA" --out "$WORK/profile.json")
  m_pandas=$(peak_rss "$PYTHON" -c "$PANDAS" "$DATA")
  t_base=-; m_base=-
  if [ -n "${BASELINE:-}" ]; then
    t_base=$(best "$BASELINE" profile "$DATA" --out "$WORK/baseline.json")
    m_base=$(peak_rss "$BASELINE" profile "$DATA" --out "$WORK/baseline.json")
  fi
  python3 - "$t_ours" "$t_pandas" "$m_ours" "$m_pandas" "$(du -m "$DATA" | cut -f1)" "$t_base" "$m_base" <<'PY'
import sys
ours, pandas = float(sys.argv[1]), float(sys.argv[2])
m_ours, m_pandas, size, t_base, m_base = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7]
line = (f"profile of a {size} MB CSV: modelgate {ours:.2f} s, max RSS {m_ours / 1024:.0f} MiB; "
        f"pandas {pandas:.2f} s, max RSS {m_pandas / 1024:.0f} MiB; time vs pandas {ours / pandas:.2f}x (target <= 0.8x)")
if t_base != "-":
    line += (f"; baseline {float(t_base):.2f} s, max RSS {int(m_base) / 1024:.0f} MiB "
             f"(new/old time {ours / float(t_base):.2f}x, memory {m_ours / int(m_base):.2f}x)")
print(line)
PY
done
DATA=$WORK/data-${SIZES%% *}.csv

# The reader, chosen by measurement.
SLICE=$WORK/slice-50.csv
[ -f "$SLICE" ] || head -c 50000000 "$DATA" | head -n -1 >"$SLICE"
swift build -c release --package-path bench/csv-readers >/dev/null
READERS=bench/csv-readers/.build/release/csv-readers
t_profile=$(best "$MODELGATE" profile "$SLICE" --out "$WORK/slice.json")
t_swiftcsv=$(best "$READERS" swiftcsv "$SLICE")
t_csvswift=$(best "$READERS" csv.swift "$SLICE")
python3 - "$t_profile" "$t_swiftcsv" "$t_csvswift" <<'PY'
import sys
ours, swiftcsv, csvswift = (float(v) for v in sys.argv[1:])
print(f"50 MB slice: modelgate profile (reading and statistics) {ours:.2f} s; reading alone with "
      f"SwiftCSV {swiftcsv:.2f} s ({swiftcsv / ours:.1f}x), CSV.swift {csvswift:.2f} s ({csvswift / ours:.1f}x)")
PY

#!/usr/bin/env bash
# `modelgate profile` of a generated CSV (10 numeric and 2 categorical columns, MB megabytes, 1,000 by
# default) against pandas (read_csv, describe, quantile of the same columns), with the peak memory (max RSS)
# of each. Best of RUNS runs. Then the choice of CSV reader: the two CSV packages modelgate could have used
# (SwiftCSV, CSV.swift; `bench/csv-readers`) only reading a 50 MB slice of the same file, against
# `modelgate profile` of the whole slice.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
MODELGATE=${MODELGATE:-$PWD/.build/release/modelgate}
WORK=${BENCH_DIR:-$PWD/.build/bench}/profile
RUNS=${RUNS:-1}
MB=${MB:-1000}
PYTHON=${PYTHON:-$PWD/.build/venv/bin/python3}
mkdir -p "$WORK"
DATA=$WORK/data-$MB.csv
if [ ! -f "$DATA" ]; then
  "$PYTHON" - "$DATA" "$MB" <<'PY'
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
fi
pandas_profile() {
  "$PYTHON" - "$DATA" <<'PY'
import sys
import pandas as pd
frame = pd.read_csv(sys.argv[1])
numeric = frame.select_dtypes("number")
numeric.describe()
numeric.quantile([i / 10 for i in range(1, 10)])
for column in frame.select_dtypes(exclude="number"):
    frame[column].value_counts()
PY
}
t_ours=$(best "$MODELGATE" profile "$DATA" --out "$WORK/profile.json")
t_pandas=$(best pandas_profile)
m_ours=$(peak_rss "$MODELGATE" profile "$DATA" --out "$WORK/profile.json")
m_pandas=$(peak_rss "$PYTHON" -c "import sys, pandas as pd; f = pd.read_csv(sys.argv[1]); n = f.select_dtypes('number'); n.describe(); n.quantile([i / 10 for i in range(1, 10)]); [f[c].value_counts() for c in f.select_dtypes(exclude='number')]" "$DATA")
python3 - "$t_ours" "$t_pandas" "$m_ours" "$m_pandas" "$(du -m "$DATA" | cut -f1)" <<'PY'
import sys
ours, pandas, m_ours, m_pandas, size = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
print(f"profile of a {size} MB CSV: modelgate {ours:.2f} s, max RSS {m_ours / 1024:.0f} MiB; "
      f"pandas {pandas:.2f} s, max RSS {m_pandas / 1024:.0f} MiB; ratio {ours / pandas:.2f}x (target < 1)")
PY

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

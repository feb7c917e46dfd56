#!/usr/bin/env bash
# Runs every fuzz target of ModelGateFuzzing for a bounded time (make fuzz; CI runs a short pass).
#   Tests/fuzz.sh FUZZER SECONDS_PER_TARGET [TARGET...]
# Seeds come from `modelgate-fuzz seed`; the corpus grows in .build-fuzz/corpus/<target>; an input that
# breaks a promise is saved as .build-fuzz/crashes/<target>/crash-* and the script exits 1. Copy it to
# Tests/ModelGateFuzzingTests/Regressions/<target>/ with a name that says what it found, and fix.
set -uo pipefail
fuzzer=$1
seconds=$2
shift 2
work=${FUZZ_WORK:-$PWD/.build-fuzz}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(settings policy spec stages manifest gate attestation template bundle-values path lockfile approval)
fi
# The fuzzer must exercise the LibYAML the release uses: the system's shared library, not a copy linked in.
if nm "$fuzzer" | grep -q ' T yaml_parser_parse$'; then
  echo "fuzz.sh: $fuzzer defines yaml_parser_parse itself instead of using the system's libyaml" >&2
  exit 1
fi
mkdir -p "$work/seeds" "$work/corpus" "$work/crashes"
"$fuzzer" seed "$work/seeds"
status=0
total=0
for target in "${targets[@]}"; do
  mkdir -p "$work/corpus/$target" "$work/crashes/$target"
  log="$work/crashes/$target/log.txt"
  MODELGATE_FUZZ_TARGET=$target ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no "$fuzzer" \
    -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$work/crashes/$target/" "$work/corpus/$target" "$work/seeds/$target" >"$log" 2>&1
  code=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  printf '%-14s %8s executions in %ss  %s\n' "$target" "${runs:-?}" "$seconds" "$coverage"
  total=$((total + ${runs:-0}))
  if [ $code -ne 0 ] || ls "$work/crashes/$target"/crash-* "$work/crashes/$target"/timeout-* "$work/crashes/$target"/oom-* >/dev/null 2>&1; then
    echo "  FOUND a broken promise; see $log and $work/crashes/$target/"
    grep -m3 -E 'fuzz oracle|ERROR: |Fatal error' "$log" | sed 's/^/  /'
    status=1
  fi
done
echo "fuzzing: $total executions over ${#targets[@]} targets"
exit $status

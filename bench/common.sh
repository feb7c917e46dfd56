# Shared by the bench/*.sh scripts (sourced, not run).

# best CMD...: the best wall time, in seconds, of RUNS runs of CMD (its output discarded). A command that
# exits non-zero still counts (`check` exits 1 on a failing gate); BEFORE_EACH, when set, runs first each time.
best() {
  local best=999999
  for _ in $(seq "${RUNS:-5}"); do
    if [ -n "${BEFORE_EACH:-}" ]; then eval "$BEFORE_EACH"; fi
    best=$(python3 -c "print(min($best, $(timed "$@")))")
  done
  echo "$best"
}

# timed CMD...: the wall time, in seconds, of one run of CMD (its output discarded; a non-zero exit counts).
timed() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}

# peak_rss CMD...: the peak resident memory of one run of CMD, in KiB (GNU time's %M).
peak_rss() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }

# history_registry DIR: the 20,000-commit registry of bench/history.sh and bench/replay.sh (100 models x 10
# versions, 19,000 unrelated commits, 300 changes of model-0000), generated once.
history_registry() {
  if [ ! -d "$1/.git" ]; then
    echo "generating $1 (100 models x 10 versions, 19,000 unrelated commits, 300 changes of model-0000)"
    python3 bench/generate-registry.py "$1" --models 100 --versions 10 --noise-commits 19000 --hot-commits 300
    git -C "$1" gc -q
  fi
}


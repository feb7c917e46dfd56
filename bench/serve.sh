#!/usr/bin/env bash
# The bundle's server against MLflow's own scoring server for the same artifact, on loopback, in one run:
# `gunicorn --config gunicorn.conf.py serve:app` (the Dockerfile's command, 2 workers) against
# `mlflow models serve --env-manager local --workers 2` of the same estimator saved as an MLflow model;
# 1-row and 100-row dataframe_split requests at concurrency 1 and 4, ROUNDS rounds (default 3) with the
# servers alternating: requests per second and p99, and the range of the ratios.
# Target: ahead of MLflow on all four. Needs the test environment (`make test-deps`: MLflow) and network
# to PyPI for the bundle's own virtual environment on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
MODELGATE=${MODELGATE:-$PWD/.build/release/modelgate}
PYTHON=${PYTHON:-$PWD/.build/venv/bin/python3}
WORK=${BENCH_DIR:-$PWD/.build/bench}/serve
REQUESTS=${REQUESTS:-2000}
[ -x "$PYTHON" ] || { echo "bench/serve.sh needs $PYTHON (MLflow): run 'make test-deps'" >&2; exit 1; }
rm -rf "$WORK" && mkdir -p "$WORK"
"$MODELGATE" init "$WORK/example" --example --quiet
"$MODELGATE" bundle churn@1.3.0 --repo "$WORK/example" --out "$WORK/bundle" --quiet
"$PYTHON" bench/serve_load.py "$WORK" "$PWD/.build/serving-venvs" "$REQUESTS"

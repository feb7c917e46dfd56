#!/usr/bin/env bash
# Rendering a deployment bundle: `modelgate bundle` of the example's production churn model beside MLflow's
# `mlflow models generate-dockerfile` on the same scikit-learn model (saved as an MLflow model), as a
# ratio from one run. MLflow is installed from PyPI into .build/bench-venv the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh
MODELGATE=${MODELGATE:-$PWD/.build/release/modelgate}
WORK=${BENCH_DIR:-$PWD/.build/bench}/bundle
RUNS=${RUNS:-5}
VENV=$PWD/.build/bench-venv
mkdir -p "$WORK"

if ! "$VENV/bin/python" -c 'import mlflow, pandas, sklearn' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check mlflow-skinny pandas \
    -r Sources/ExampleRegistry/training/churn/requirements.lock
fi
REGISTRY=$WORK/example
rm -rf "$REGISTRY" "$WORK/mlflow-model"
"$MODELGATE" init "$REGISTRY" --example --quiet
"$VENV/bin/python" - "$REGISTRY/artifacts/churn/1.3.0/model.pkl" "$WORK/mlflow-model" <<'PY' 2>/dev/null
import pickle, sys
import mlflow.sklearn
with open(sys.argv[1], "rb") as f:
    model = pickle.load(f)
mlflow.sklearn.save_model(model, sys.argv[2], serialization_format="pickle")
PY

BEFORE_EACH='rm -rf "$WORK/out"'
t_modelgate=$(best "$MODELGATE" bundle churn --stage production --repo "$REGISTRY" --out "$WORK/out")
t_mlflow=$(best "$VENV/bin/mlflow" models generate-dockerfile --model-uri "$WORK/mlflow-model" --output-directory "$WORK/out")
python3 - "$t_modelgate" "$t_mlflow" <<'PY'
import sys
mg, ml = map(float, sys.argv[1:])
print(f"modelgate bundle (Dockerfile, serve.py, manifests, bundle.json): {mg * 1000:7.1f} ms")
print(f"mlflow models generate-dockerfile (Dockerfile, model copy):      {ml * 1000:7.1f} ms")
print(f"ratio: modelgate is {ml / mg:.0f}x faster (target >= 50x)")
PY

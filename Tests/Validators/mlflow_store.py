"""Creates an MLflow tracking store with MLflow itself, and prints what MLflow's own client reports.

  mlflow_store.py sqlite|file FOLDER [--two-artifacts]

One run: two params, a metric logged at three steps, another at two, the git commit tag, and an artifact
file (two with --two-artifacts). Prints {"uri", "run", "params", "metrics", "tags", "artifact_uri"}.
"""
import json
import os
import sys

os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
import mlflow  # noqa: E402
from mlflow.tracking import MlflowClient  # noqa: E402

kind, folder = sys.argv[1], os.path.abspath(sys.argv[2])
os.makedirs(folder, exist_ok=True)
os.chdir(folder)
uri = "sqlite:///" + os.path.join(folder, "mlflow.db") if kind == "sqlite" else os.path.join(folder, "mlruns")
mlflow.set_tracking_uri(uri)
with mlflow.start_run() as run:
    mlflow.log_params({"C": 0.5, "model": "logreg"})
    for step, value in enumerate([0.70, 0.78, 0.8125]):
        mlflow.log_metric("auc", value, step=step)
    mlflow.log_metric("loss", 0.9, step=0)
    mlflow.log_metric("loss", 0.4, step=5)
    mlflow.set_tag("mlflow.source.git.commit", "0123456789abcdef0123456789abcdef01234567")
    with open("model.pkl", "wb") as handle:
        handle.write(b"the model's weights")
    mlflow.log_artifact("model.pkl")
    if "--two-artifacts" in sys.argv:
        with open("notes.txt", "w") as handle:
            handle.write("notes")
        mlflow.log_artifact("notes.txt")
result = MlflowClient(uri).get_run(run.info.run_id)
print(json.dumps({
    "uri": uri, "run": result.info.run_id, "params": result.data.params, "metrics": result.data.metrics,
    "tags": result.data.tags, "artifact_uri": result.info.artifact_uri,
}))

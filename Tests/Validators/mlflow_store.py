"""Creates an MLflow tracking store with MLflow itself, and prints what MLflow's own client reports.

  mlflow_store.py sqlite|file FOLDER [--two-artifacts]
  mlflow_store.py logged-model FOLDER

One run: two params, a metric logged at three steps, another at two, the git commit tag, and an artifact
file (two with --two-artifacts). Prints {"uri", "run", "params", "metrics", "tags", "artifact_uri"}.

logged-model: MLflow 3's usual way instead, in FOLDER/mlflow.db (the URI relative, as the docs write it):
a scikit-learn model logged with mlflow.sklearn.log_model and registered as "churn" (twice: versions 1 and
2, the champion alias on 1). Prints {"uri", "run", "params", "metrics", "versions": {"1": folder, ...}}.
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

if kind == "logged-model":
    import mlflow.sklearn  # noqa: E402
    from sklearn.linear_model import LogisticRegression  # noqa: E402

    uri = "sqlite:///mlflow.db"
    mlflow.set_tracking_uri(uri)
    runs = []
    for c in (1.0, 0.1):
        with mlflow.start_run() as run:
            model = LogisticRegression(C=c).fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
            mlflow.log_params({"C": c})
            mlflow.log_metric("auc", 0.9 if c == 1.0 else 0.8)
            mlflow.sklearn.log_model(model, name="model", registered_model_name="churn")
            runs.append(run.info.run_id)
    client = MlflowClient(uri)
    client.set_registered_model_alias("churn", "champion", "1")
    result = client.get_run(runs[0])
    print(json.dumps({
        "uri": uri, "run": runs[0], "params": result.data.params, "metrics": result.data.metrics,
        "versions": {v.version: client.get_model_version_download_uri("churn", v.version)
                     for v in client.search_model_versions("name='churn'")},
    }))
    sys.exit(0)
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

"""Bodies, methods, media types and routes: every refusal is JSON with a 4xx, and the server keeps serving."""

import hashlib
import io
import json
import pickle
from pathlib import Path

from conftest import Estimator, call, config

from modelgate_serve import create_app
from modelgate_serve.app import Application


def test_a_body_over_the_cap_is_drained_and_refused_with_413(app: Application) -> None:
    body = b"[" + b"1," * 4000 + b"1]"
    answer = call(app, "/invocations", body)
    assert answer.code == 413
    assert "at most 4096" in answer.json()["error"]


def test_a_chunked_body_is_refused_with_411(app: Application) -> None:
    answer = call(app, "/invocations", b"[]", headers={"Transfer-Encoding": "chunked"})
    assert answer.code == 411


def test_wrong_method_media_type_and_route(app: Application) -> None:
    assert call(app, "/invocations", method="GET").code == 405
    assert call(app, "/invocations", b"<x/>", content_type="application/xml").code == 415
    assert call(app, "/nowhere").json() == {"error": "no route '/nowhere'"}


def test_health_routes_answer_while_the_model_is_loaded(app: Application) -> None:
    assert call(app, "/ping").json() == {"status": "ok", "model": "churn", "version": "1.3.0"}
    assert call(app, "/v2/health/live").json() == {"live": True}
    assert call(app, "/v2/health/ready").json() == {"ready": True}
    assert call(app, "/v2").json()["version"] == "0.0.0-test"


def test_an_artifact_with_other_bytes_is_never_loaded(tmp_path: Path) -> None:
    artifact = tmp_path / "model" / "artifact"
    artifact.parent.mkdir()
    artifact.write_bytes(pickle.dumps({"not": "the approved one"}))
    app = create_app(config(), folder=str(tmp_path), environ={})
    answer = call(app, "/ping")
    assert answer.code == 503
    assert "does not match the manifest's" in answer.json()["error"]
    assert call(app, "/v2/health/live").code == 200


def test_the_environment_names_the_artifact_and_its_sha256(tmp_path: Path) -> None:
    data = pickle.dumps(Estimator())
    path = tmp_path / "elsewhere.pkl"
    path.write_bytes(data)
    environ = {"MODEL_PATH": str(path), "MODEL_SHA256": hashlib.sha256(data).hexdigest(), "MAX_BODY_BYTES": "64"}
    app = create_app(config(), folder="/nonexistent", environ=environ)
    assert call(app, "/ping").code == 200
    assert app.config.max_body_bytes == 64
    assert call(app, "/invocations", b"[[1, 2, 3]]").code == 200
    assert call(app, "/invocations", b"[" + b"[1, 2, 3], " * 10 + b"[1, 2, 3]]").code == 413


def test_metrics_count_requests_by_route_and_status(app: Application) -> None:
    call(app, "/nowhere")
    call(app, "/invocations", b"[[1, 2, 3]]")
    text = call(app, "/metrics").body.decode()
    assert 'modelgate_requests_total{route="other",status="404"}' in text
    assert 'modelgate_rows_predicted_total{model="churn",version="1.3.0"}' in text
    assert io.BytesIO(call(app, "/metrics", method="POST").body).read().startswith(b'{"error"')


def test_the_inference_service_name_is_an_alias_of_the_model(tmp_path: Path) -> None:
    data = pickle.dumps(Estimator())
    path = tmp_path / "model.pkl"
    path.write_bytes(data)
    environ = {
        "MODEL_PATH": str(path),
        "MODEL_SHA256": hashlib.sha256(data).hexdigest(),
        "INFERENCE_SERVICE_NAME": "churn-production",
    }
    app = create_app(config(), folder="/nonexistent", environ=environ)
    body = json.dumps({"instances": [[1, 2, 3]]}).encode()
    # KServe's route names the InferenceService; the model's own name answers too; any other is a 404.
    assert call(app, "/v1/models/churn-production:predict", body).json() == {"predictions": [6.0]}
    assert call(app, "/v1/models/churn:predict", body).json() == {"predictions": [6.0]}
    assert call(app, "/v1/models/churn-production").json()["ready"] is True
    assert call(app, "/v2/models/churn-production/ready").code == 200
    assert call(app, "/v1/models/other:predict", body).code == 404
    # Without the variable the InferenceService's name is unknown to the server.
    plain = create_app(
        config(), folder="/nonexistent", environ={k: v for k, v in environ.items() if k != "INFERENCE_SERVICE_NAME"}
    )
    assert call(plain, "/v1/models/churn-production:predict", body).code == 404

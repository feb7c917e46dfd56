"""A server over a stand-in estimator, and a WSGI client that calls it in-process."""

import io
import json
from dataclasses import dataclass, field
from typing import Any

import numpy
import pytest

from modelgate_serve import Config, create_app
from modelgate_serve.app import Application


class Estimator:
    """A fitted estimator's surface: predicts the sum of a row's values, and two class probabilities."""

    n_features_in_ = 3
    classes_ = numpy.array([0, 1])

    def predict(self, matrix: Any) -> Any:
        return numpy.asarray(matrix, dtype=float).sum(axis=1)

    def predict_proba(self, matrix: Any) -> Any:
        total = numpy.asarray(matrix, dtype=float).sum(axis=1)
        share = 1 / (1 + numpy.exp(-total))
        return numpy.stack([1 - share, share], axis=1)


def config(**changes: Any) -> Config:
    values: dict[str, Any] = {
        "model": "churn",
        "version": "1.3.0",
        "platform": "sklearn",
        "output": "predict",
        "inputs": (("tenure", "double"), ("charges", "double"), ("calls", "long")),
        "artifact_sha256": "0" * 64,
        "max_body_bytes": 4096,
        "port": 8080,
        "server_version": "0.0.0-test",
    }
    values.update(changes)
    return Config(**values)


@dataclass
class Answer:
    status: str
    headers: dict[str, str]
    body: bytes = field(repr=False)

    @property
    def code(self) -> int:
        return int(self.status.split(" ", 1)[0])

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    app: Application,
    path: str,
    body: bytes | None = None,
    method: str | None = None,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request through the WSGI interface, as gunicorn makes it."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method or ("POST" if body is not None else "GET"),
        "PATH_INFO": path,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)) if body is not None else "",
        "wsgi.input": io.BytesIO(body or b""),
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started.append((status, response_headers))
        return None

    data = b"".join(app(environ, start_response))
    status, response_headers = started[0]
    return Answer(status, dict(response_headers), data)


def post_json(app: Application, path: str, payload: Any) -> Answer:
    return call(app, path, json.dumps(payload).encode())


@pytest.fixture
def app() -> Application:
    return create_app(config(), environ={}, estimator=Estimator())

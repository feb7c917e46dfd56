"""The WSGI application: routes of the three protocols, answers as JSON (or binary tensors), metrics."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from modelgate_serve import metrics, oip
from modelgate_serve.bodies import media_type, parse_json, read_body
from modelgate_serve.config import Config
from modelgate_serve.errors import HTTPError, bad
from modelgate_serve.model import Model
from modelgate_serve.rows import RowReader

if TYPE_CHECKING:  # the WSGI types, new in Python 3.11; the server runs on 3.10 too
    from wsgiref.types import StartResponse, WSGIEnvironment

V1_MODEL = re.compile(r"^/v1/models/([^/:]+)$")
V1_PREDICT = re.compile(r"^/v1/models/([^/:]+):predict$")
V2_MODEL = re.compile(r"^/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?$")

Handler = Callable[[], Any]


class Application:
    """One model version's server: a WSGI callable."""

    def __init__(self, config: Config, model: Model) -> None:
        self.config = config
        self.model = model
        self.rows = RowReader(config.inputs, model.estimator)

    # -- the routes ----------------------------------------------------------------------------------------

    def body(self, environ: WSGIEnvironment) -> bytes:
        return read_body(environ, self.config.max_body_bytes, self.config.drain_limit)

    def json_body(self, environ: WSGIEnvironment) -> Any:
        kind = media_type(environ)
        if kind not in ("application/json", ""):
            raise HTTPError("415 Unsupported Media Type", f"send application/json, not {kind[:60]}")
        return parse_json(self.body(environ))

    def require_name(self, name: str, version: str | None = None) -> None:
        if not self.config.serves(name):
            raise HTTPError("404 Not Found", f"no model {name[:64]!r}; this server serves {self.config.model!r}")
        if version is not None and version != self.config.version:
            raise HTTPError(
                "404 Not Found",
                f"no version {version[:64]!r} of {self.config.model}; this server serves {self.config.version}",
            )

    def health(self) -> dict[str, Any]:
        self.model.require()
        return {"status": "ok", "model": self.config.model, "version": self.config.version}

    def ready(self) -> dict[str, Any]:
        self.model.require()
        return {"ready": True}

    def invocations(self, environ: WSGIEnvironment) -> dict[str, Any]:
        """MLflow's scoring protocol: JSON payloads or CSV."""
        require_method(environ, "POST")
        kind = media_type(environ)
        if kind in ("text/csv", "application/csv"):
            body = self.body(environ)
            self.model.require()
            rows = self.rows.from_csv(body)
        elif kind in ("application/json", ""):
            payload = parse_json(self.body(environ))
            self.model.require()
            rows = self.rows.from_json(payload)
        else:
            raise HTTPError("415 Unsupported Media Type", f"send application/json or text/csv, not {kind[:60]}")
        return {"predictions": self.model.predict(rows)}

    def v1_predict(self, environ: WSGIEnvironment, name: str) -> dict[str, Any]:
        require_method(environ, "POST")
        self.require_name(name)
        payload = self.json_body(environ)
        self.model.require()
        if not isinstance(payload, dict) or "instances" not in payload:
            raise bad('expected {"instances": [...]}')
        return {"predictions": self.model.predict(self.rows.from_list(payload["instances"]))}

    def v1_model(self, name: str) -> dict[str, Any]:
        self.require_name(name)
        return {"name": self.config.model, "ready": self.model.loaded}

    def v2_model(self, environ: WSGIEnvironment, name: str, version: str | None, action: str | None) -> Any:
        self.require_name(name, version)
        if action == "/ready":
            self.model.require()
            return {"name": self.config.model, "ready": True}
        if action == "/infer":
            require_method(environ, "POST")
            payload = oip.request(environ, self.config)
            self.model.require()
            binary = oip.wants_binary(payload, self.config.output) if isinstance(payload, dict) else False
            values = self.model.predict(oip.rows(payload, self.rows))
            answer: dict[str, Any] = {
                "model_name": self.config.model,
                "model_version": self.config.version,
                "outputs": [oip.output(self.config.output, values)],
            }
            if isinstance(payload.get("id"), str):
                answer["id"] = payload["id"]
            return oip.Binary(answer) if binary else answer
        self.model.require()
        return oip.metadata(self.config, self.model.estimator, self.rows.width())

    def route(self, environ: WSGIEnvironment) -> tuple[str, Handler | None]:
        """(metrics route label, handler) for the request's path."""
        path: str = environ.get("PATH_INFO", "")
        if path in ("/ping", "/health"):
            return path, self.health
        if path == "/invocations":
            return path, lambda: self.invocations(environ)
        if path == "/metrics":
            return path, None
        if path == "/v2/health/live":
            return path, lambda: {"live": True}
        if path == "/v2/health/ready":
            return path, self.ready
        if path == "/v2":
            return path, lambda: {
                "name": "modelgate-serve",
                "version": self.config.server_version,
                "extensions": ["binary_tensor_data"],
            }
        match = V1_PREDICT.match(path)
        if match:
            model = match.group(1)
            return "/v1/models/{model}:predict", lambda: self.v1_predict(environ, model)
        match = V1_MODEL.match(path)
        if match:
            model = match.group(1)
            return "/v1/models/{model}", lambda: self.v1_model(model)
        match = V2_MODEL.match(path)
        if match:
            name, version, action = match.groups()
            return "/v2/models/{model}" + (action or ""), lambda: self.v2_model(environ, name, version, action)
        return "other", None

    # -- answering -----------------------------------------------------------------------------------------

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        label, handler = self.route(environ)
        close = False
        body: Any
        try:
            if label == "/metrics":
                require_method(environ, "GET")
                data = metrics.body()
                start_response("200 OK", [("Content-Type", metrics.content_type()), ("Content-Length", str(len(data)))])
                return [data]
            if handler is None:
                raise HTTPError("404 Not Found", f"no route {environ.get('PATH_INFO', '')[:100]!r}")
            status, body = "200 OK", handler()
        except HTTPError as error:
            status, body, close = error.status, {"error": str(error)}, error.close
        except (ValueError, TypeError, OverflowError, IndexError, KeyError) as error:
            status, body = "400 Bad Request", {"error": f"the model cannot use these rows: {error}"[:500]}
        except RecursionError:
            status, body = "400 Bad Request", {"error": "the request is nested too deeply"}
        except MemoryError:
            status, body = "413 Content Too Large", {"error": "the request needs more memory than this server has"}
        except Exception as error:  # noqa: BLE001 - a bug of the server, reported as JSON
            status, body = "500 Internal Server Error", {"error": f"internal error: {type(error).__name__}"}
        metrics.observe(label, status, time.perf_counter() - started)
        return respond(start_response, status, body, close)


def require_method(environ: WSGIEnvironment, method: str) -> None:
    if environ.get("REQUEST_METHOD", "GET") != method:
        raise HTTPError("405 Method Not Allowed", f"use {method}")


def respond(start_response: StartResponse, status: str, body: Any, close: bool = False) -> list[bytes]:
    if isinstance(body, oip.Binary):
        headers = [
            ("Content-Type", "application/octet-stream"),
            ("Content-Length", str(len(body.data))),
            ("Inference-Header-Content-Length", str(len(body.header))),
        ]
        start_response(status, headers)
        return [body.data]
    data = json.dumps(body).encode("utf-8")
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    if close:
        headers.append(("Connection", "close"))
    start_response(status, headers)
    return [data]


def create_app(
    config: Config, folder: str = ".", environ: dict[str, str] | None = None, estimator: Any = None
) -> Application:
    """The server of `config`, its environment variables applied (`MODEL_PATH` and the model relative to
    `folder`, the bundle's), the model loaded and verified (or `estimator`, already loaded)."""
    import os

    resolved = config.from_environment(os.environ if environ is None else environ, folder)
    return Application(resolved, Model(resolved, estimator))

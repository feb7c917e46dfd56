"""The server of a modelgate bundle: one model version over MLflow's scoring protocol, KServe's v1 protocol and
the Open Inference Protocol (KServe v2, with its binary tensor data extension), with Prometheus metrics.

A bundle's `serve.py` holds only the version's configuration (a `Config`) and builds the WSGI application
from it with `create_app`; the image runs it under gunicorn (`gunicorn --config gunicorn.conf.py serve:app`).
The artifact's sha256 is verified before the pickled estimator is loaded. Every bad request gets a 4xx with a
JSON `{"error": ...}`; the server keeps serving.
"""

from modelgate_serve.app import create_app
from modelgate_serve.config import Config
from modelgate_serve.local import serve_forever

__all__ = ["Config", "create_app", "serve_forever"]

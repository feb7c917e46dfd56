"""A local run without gunicorn: `python serve.py` in a bundle folder."""

import os
from wsgiref.simple_server import make_server

from modelgate_serve.app import Application


def serve_forever(app: Application) -> None:
    """Serves `app` on `HOST` (default loopback) and `PORT` (default the configuration's) until interrupted."""
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", str(app.config.port)))
    with make_server(host, port, app) as server:
        print(f"serving {app.config.model} {app.config.version} on http://{host}:{server.server_port}", flush=True)
        server.serve_forever()

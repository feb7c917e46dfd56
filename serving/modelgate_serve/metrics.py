"""Prometheus metrics: requests, errors and latency by route, and the predictions' distribution.

Without `prometheus_client` installed (a local check of a bundle), nothing is counted and `/metrics` says so.
With `PROMETHEUS_MULTIPROC_DIR` set (gunicorn.conf.py sets it), the workers' counts are added up.
"""

import math
import os
from typing import Any

try:
    import prometheus_client
    from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
except ImportError:  # pragma: no cover - the image always has it
    prometheus_client = None  # type: ignore[assignment]

if prometheus_client is not None:
    # One set per process: a metric can be registered only once.
    REQUESTS = Counter("modelgate_requests", "HTTP requests by route and status.", ["route", "status"])
    ERRORS = Counter(
        "modelgate_request_errors", "Requests answered with a 4xx or 5xx, by route and status.", ["route", "status"]
    )
    LATENCY = Histogram(
        "modelgate_request_duration_seconds",
        "Time to answer a request, by route.",
        ["route"],
        buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    )
    ROWS = Counter("modelgate_rows_predicted", "Rows predicted.", ["model", "version"])
    PREDICTIONS = Histogram(
        "modelgate_prediction_value",
        "Distribution of the predictions (the last class probability with predict_proba).",
        ["model", "version"],
        buckets=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 2.0, 5.0, 10.0, 100.0, 1000.0),
    )


def content_type() -> str:
    """The media type of `/metrics`."""
    return str(prometheus_client.CONTENT_TYPE_LATEST) if prometheus_client is not None else "text/plain"


def body() -> bytes:
    """The exposition of every metric, the workers' added up when they share a folder."""
    if prometheus_client is None:
        return b"# prometheus_client is not installed\n"
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder and os.path.isdir(folder):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # prometheus_client leaves it untyped
        return generate_latest(registry)
    return generate_latest()


def observe(route: str, status: str, seconds: float) -> None:
    """Counts one answered request."""
    if prometheus_client is None:
        return
    code = status.split(" ", 1)[0]
    REQUESTS.labels(route, code).inc()
    if not code.startswith(("2", "3")):
        ERRORS.labels(route, code).inc()
    LATENCY.labels(route).observe(seconds)


def observe_predictions(model: str, version: str, values: list[Any]) -> None:
    """Counts the rows predicted and records each prediction (a probability row's last class)."""
    if prometheus_client is None:
        return
    ROWS.labels(model, version).inc(len(values))
    histogram = PREDICTIONS.labels(model, version)
    for value in values:
        if isinstance(value, list):
            value = value[-1] if value else None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            histogram.observe(value)

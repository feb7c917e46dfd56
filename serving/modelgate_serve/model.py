"""The estimator: loaded only when its bytes are the approved artifact, and asked for predictions."""

import hashlib
import pickle
from typing import Any

from modelgate_serve import metrics
from modelgate_serve.config import Config
from modelgate_serve.errors import HTTPError, bad


def load(path: str, expected_sha256: str) -> Any:
    """The pickled estimator at `path`, after its sha256 is checked against the manifest's."""
    with open(path, "rb") as handle:
        data = handle.read()
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected_sha256:
        raise RuntimeError(f"artifact sha256 {actual} does not match the manifest's {expected_sha256}")
    return pickle.loads(data)  # noqa: S301 - safe only because the bytes are the approved artifact


class Model:
    """The loaded estimator, or why it is not loaded (reported by the health routes, never a crash)."""

    def __init__(self, config: Config, estimator: Any = None) -> None:
        self.config = config
        self.estimator = estimator
        self.load_error: str | None = None
        if estimator is None:
            try:
                self.estimator = load(config.model_path, config.artifact_sha256)
            except Exception as error:  # noqa: BLE001 - any failure leaves the server up, answering 503
                self.load_error = f"the model is not loaded: {error}"

    @property
    def loaded(self) -> bool:
        return self.estimator is not None

    def require(self) -> None:
        """Refuses with a 503 while no model is loaded."""
        if self.estimator is None:
            raise HTTPError("503 Service Unavailable", self.load_error or "the model is not loaded")

    def predict(self, rows: list[list[Any]]) -> list[Any]:
        """The predictions (or class probabilities) for `rows`, as JSON values; `rows` is emptied on the way."""
        import numpy

        if any(kind == "string" for _, kind in self.config.inputs):
            matrix = numpy.asarray(rows, dtype=object)
        else:
            try:
                matrix = numpy.asarray(rows, dtype=float)
            except OverflowError:
                raise bad("a number is out of range") from None
            del rows[:]  # the parsed rows are no longer needed: free them before the model runs
            if not numpy.isfinite(matrix).all():
                raise bad("a number is out of range")
        if self.config.output == "predict_proba":
            values: list[Any] = self.estimator.predict_proba(matrix).tolist()
        else:
            result = self.estimator.predict(matrix)
            values = result.tolist() if hasattr(result, "tolist") else list(result)
        metrics.observe_predictions(self.config.model, self.config.version, values)
        return values

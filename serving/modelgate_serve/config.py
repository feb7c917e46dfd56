"""What a bundle's `serve.py` says about the version it serves, and what the environment may change."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass

# The input types of `serving.inputs` that are numbers on the wire.
NUMERIC = frozenset({"double", "float", "long", "integer", "boolean"})


@dataclass(frozen=True)
class Config:
    """One model version's serving configuration, as `modelgate bundle` renders it into `serve.py`."""

    model: str
    version: str
    #: `serving.runtime` (`sklearn`, `xgboost`, `lightgbm`): the Open Inference Protocol's `platform`.
    platform: str
    #: `predict` or `predict_proba`: what the server answers with, and the name of the v2 output tensor.
    output: str
    #: `serving.inputs`: `(name, type)` in column order; empty when the model declares no input schema.
    inputs: tuple[tuple[str, str], ...]
    #: The manifest's sha256 of the artifact (`MODEL_SHA256` overrides it).
    artifact_sha256: str
    #: The request body cap (`MAX_BODY_BYTES` overrides it).
    max_body_bytes: int
    #: The port of a local run (`PORT` overrides it).
    port: int
    #: The modelgate version that rendered the bundle: the Open Inference Protocol's server version.
    server_version: str
    #: The artifact's path (`MODEL_PATH` overrides it); `model/artifact` beside `serve.py` by default.
    model_path: str = "model/artifact"
    #: Other names the model answers to: KServe routes `/v1/models/<InferenceService name>:predict`, and
    #: gives the container that name as `INFERENCE_SERVICE_NAME`.
    aliases: tuple[str, ...] = ()

    def serves(self, name: str) -> bool:
        """Whether requests for model `name` are this model's: its own name, or an alias."""
        return name == self.model or name in self.aliases

    @property
    def has_strings(self) -> bool:
        """Whether a column takes strings (or booleans given as such), so rows are checked value by value."""
        return any(kind in ("string", "boolean") for _, kind in self.inputs)

    @property
    def drain_limit(self) -> int:
        """How much of a body over the cap is read and thrown away, so the client sees the 413, not a reset."""
        return max(4 * self.max_body_bytes, 64 * 1024 * 1024)

    def from_environment(self, environ: Mapping[str, str], folder: str) -> Config:
        """This configuration with `MODEL_PATH`, `MODEL_SHA256`, `MAX_BODY_BYTES` and `INFERENCE_SERVICE_NAME`
        (an alias of the model's name) applied, and the model's path resolved against `folder` (the bundle's)."""
        path = environ.get("MODEL_PATH", os.path.join(folder, self.model_path))
        service = environ.get("INFERENCE_SERVICE_NAME", "")
        aliases = self.aliases + ((service,) if service and service != self.model else ())
        return dataclasses.replace(
            self,
            aliases=aliases,
            model_path=path,
            artifact_sha256=environ.get("MODEL_SHA256", self.artifact_sha256),
            max_body_bytes=int(environ.get("MAX_BODY_BYTES", str(self.max_body_bytes))),
        )

"""modelgate from Python: a Git repository as the model registry and release gate.

Each function runs the ``modelgate`` binary this package carries with an argument list and returns its
JSON report as a dataclass (``modelgate_registry.reports``). A refusal (exit code 2: bad input, an unknown version, a
registry file that does not parse) raises `ModelGateError` with the exit code and the file, line and column
the binary named. A verdict that fails (a gate, a drift, a retraining) is a report, not an exception.
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from ._api import check, drift, history, holders, init, promote, record, repro, show, status, verify
from ._binary import binary
from .errors import ModelGateError
from .reports import (
    CheckReport,
    Diagnostic,
    DriftReport,
    History,
    Holders,
    ModelSummary,
    Recording,
    RegistryStatus,
    Replay,
    ReproReport,
    Verification,
    VersionDetail,
)

try:
    __version__ = _version("modelgate-registry")
except PackageNotFoundError:  # run from a source tree
    __version__ = "0+unknown"

__all__ = [
    "CheckReport",
    "Diagnostic",
    "DriftReport",
    "History",
    "Holders",
    "ModelGateError",
    "ModelSummary",
    "Recording",
    "RegistryStatus",
    "Replay",
    "ReproReport",
    "Verification",
    "VersionDetail",
    "binary",
    "check",
    "drift",
    "history",
    "holders",
    "init",
    "promote",
    "record",
    "repro",
    "show",
    "status",
    "verify",
]

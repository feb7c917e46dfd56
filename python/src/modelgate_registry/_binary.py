"""Where the ``modelgate`` binary this package carries is."""

from __future__ import annotations

import os
from pathlib import Path

#: Set to a binary's path to run that one instead (a development build, say).
OVERRIDE = "MODELGATE_BINARY"


def binary() -> Path:
    """The binary the API and the ``modelgate`` command run: ``$MODELGATE_BINARY``, else the wheel's own."""
    override = os.environ.get(OVERRIDE)
    path = Path(override) if override else Path(__file__).resolve().parent / "bin" / "modelgate"
    if not os.access(path, os.X_OK):
        raise FileNotFoundError(
            f"no modelgate binary at {path}: this package is the wheel's (pip install modelgate-registry), "
            f"or set {OVERRIDE}"
        )
    return path

"""Fixtures of the Python package's tests, which run against the wheel installed in a fresh virtual
environment (``make test-python``): the wheel itself, and example registries made through the API."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import modelgate_registry as modelgate


@pytest.fixture(scope="session")
def wheel() -> Path:
    """The wheel under test: ``$MODELGATE_WHEEL``, as ``make test-python`` sets it."""
    path = Path(os.environ["MODELGATE_WHEEL"])
    assert path.is_file(), f"no wheel at {path}"
    return path


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """A fresh copy of the example registry, made with the API (``init --example``)."""
    return modelgate.init(tmp_path / "registry", example=True)


@pytest.fixture
def training_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """``PATH`` with the Python that has the example's training packages (``$MODELGATE_TRAINING_PATH``)
    first, as a training job would have it."""
    folder = os.environ["MODELGATE_TRAINING_PATH"]
    assert Path(folder, "python3").exists(), f"no python3 in {folder}"
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")


def git(repository: Path, *arguments: str) -> str:
    """Runs the git CLI in `repository` (fixtures only: the product never runs git)."""
    executable = shutil.which("git")
    assert executable
    return subprocess.run(
        [executable, "-C", str(repository), *arguments], check=True, capture_output=True, text=True
    ).stdout

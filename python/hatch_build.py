"""The wheel's build hook: puts the staged release binary and its libraries into the package, and tags the
wheel for the platform they run on (``py3-none-manylinux_<glibc>_<arch>``: any Python 3, this glibc or newer).

``.ci/wheel.sh`` stages ``bin/modelgate`` (RUNPATH ``$ORIGIN/../lib``) and ``lib/`` and names the folder in
``MODELGATE_WHEEL_STAGE``; they land as ``modelgate_registry/bin`` and ``modelgate_registry/lib``, the release
archive's layout.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def platform_tag() -> str:
    """``manylinux_<major>_<minor>_<arch>`` for the glibc this machine has, the floor of the binary built on it."""
    libc = os.confstr("CS_GNU_LIBC_VERSION") or ""
    name, _, version = libc.partition(" ")
    if name != "glibc":
        raise RuntimeError(f"the wheel is built on a glibc system (this one reports {libc!r})")
    major, minor = version.split(".")[:2]
    return f"manylinux_{major}_{minor}_{platform.machine()}"


class BinaryBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the staged binary and libraries to the wheel and marks it platform-specific."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        stage = Path(os.environ.get("MODELGATE_WHEEL_STAGE", "")).resolve()
        binary = stage / "bin" / "modelgate"
        if not os.environ.get("MODELGATE_WHEEL_STAGE") or not binary.is_file():
            raise RuntimeError("MODELGATE_WHEEL_STAGE names no staged bin/modelgate: build the wheel with `make wheel`")
        build_data["pure_python"] = False
        build_data["tag"] = f"py3-none-{platform_tag()}"
        build_data["force_include"][str(stage / "bin")] = "modelgate_registry/bin"
        build_data["force_include"][str(stage / "lib")] = "modelgate_registry/lib"

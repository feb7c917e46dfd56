"""The ``modelgate`` console command pip installs: it becomes the binary (exec, same process)."""

from __future__ import annotations

import os
import sys

from ._binary import binary


def main() -> None:
    """Replaces this process with the binary, so its exit code, signals and terminal are the binary's own."""
    path = binary()
    os.execv(path, ["modelgate", *sys.argv[1:]])  # noqa: S606 - an argument list, no shell


if __name__ == "__main__":
    main()

"""``python -m modelgate_registry``: the same as the ``modelgate`` command."""

from ._command import main

main()

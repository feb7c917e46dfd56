"""``python -m modelgate``: the same as the ``modelgate`` command."""

from ._command import main

main()

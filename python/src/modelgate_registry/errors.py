"""The exception the API raises when the binary refuses its input or cannot do what was asked."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from .reports import Diagnostic

# What the binary prints for a problem: `path:line:column: error: message`, or `error: message`.
_DIAGNOSTIC = re.compile(r"^(?:(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): )?error: (?P<message>.*)$")


class ModelGateError(Exception):
    """``modelgate`` exited with a code the call does not take as an answer (2: bad input or a refusal).

    ``path``, ``line`` and ``column`` are those of the first problem the binary reported (``None`` when it
    named no position); ``diagnostics`` holds every one of them, and ``stderr`` all it printed.
    """

    def __init__(
        self,
        exit_code: int,
        message: str,
        *,
        diagnostics: Sequence[Diagnostic] = (),
        stderr: str = "",
        arguments: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.message = message
        self.diagnostics = list(diagnostics)
        self.stderr = stderr
        self.arguments = list(arguments)
        first = self.diagnostics[0] if self.diagnostics else None
        self.path = first.path if first else None
        self.line = first.line if first else None
        self.column = first.column if first else None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}: " if self.path and self.line else ""
        return f"{where}{self.message} (modelgate exited with {self.exit_code})"

    @classmethod
    def from_process(cls, exit_code: int, stderr: str, arguments: Sequence[str], stdout: str = "") -> ModelGateError:
        """The error for a run that exited with `exit_code` after printing `stdout` and `stderr`.

        Under ``--format json`` the binary writes the error as one object on standard output,
        ``{"error": {"message", "exitCode", "file", "line", "column"}}``; that object is read when it is there,
        and the ``error:`` lines of standard error otherwise.
        """
        reported = _reported_error(stdout)
        if reported is not None:
            first = Diagnostic(
                message=str(reported.get("message", "")),
                path=reported.get("file"),
                line=reported.get("line"),
                column=reported.get("column"),
            )
            others = [
                Diagnostic(
                    message=item["message"], path=item.get("path"), line=item.get("line"), column=item.get("column")
                )
                for item in reported.get("diagnostics", [])
            ]
            code = reported.get("exitCode", exit_code)
            return cls(int(code), first.message, diagnostics=others or [first], stderr=stderr, arguments=arguments)
        diagnostics = [parsed for parsed in map(parse_diagnostic, stderr.splitlines()) if parsed]
        lines = [line for line in stderr.splitlines() if line.strip()]
        message = diagnostics[0].message if diagnostics else (lines[-1] if lines else "no message")
        return cls(exit_code, message, diagnostics=diagnostics, stderr=stderr, arguments=arguments)


def _reported_error(stdout: str) -> dict[str, Any] | None:
    """The ``error`` object of a JSON error on standard output, or None when there is none."""
    try:
        value = json.loads(stdout)
    except (json.JSONDecodeError, ValueError):
        return None
    error = value.get("error") if isinstance(value, dict) else None
    if isinstance(error, dict) and "message" in error:
        return error
    return None


def parse_diagnostic(line: str) -> Diagnostic | None:
    """The problem an ``error:`` line of the binary's standard error names, with its position if any."""
    match = _DIAGNOSTIC.match(line)
    if not match:
        return None
    number = match.group("line")
    column = match.group("column")
    return Diagnostic(
        message=match.group("message"),
        path=match.group("path"),
        line=int(number) if number else None,
        column=int(column) if column else None,
    )

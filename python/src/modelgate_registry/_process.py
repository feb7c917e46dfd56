"""Runs the binary with an argument list (never a shell) and decodes what it prints."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Collection, Sequence
from typing import TypeVar

from ._binary import binary
from ._decode import decode
from .errors import ModelGateError

T = TypeVar("T")
PathLike = str | os.PathLike[str]


def run(arguments: Sequence[str], *, answers: Collection[int] = (0,), cwd: PathLike | None = None) -> str:
    """Runs ``modelgate ARGUMENTS`` and returns its standard output.

    An exit code in `answers` is an answer (1 is one for the commands whose verdict can fail); any other
    raises `ModelGateError` with the problems the binary printed.
    """
    command = [str(binary()), *arguments]
    process = subprocess.run(command, capture_output=True, text=True, check=False, cwd=cwd)
    if process.returncode not in answers:
        raise ModelGateError.from_process(process.returncode, process.stderr, arguments, process.stdout)
    return process.stdout


def report(cls: type[T], arguments: Sequence[str], *, answers: Collection[int] = (0,)) -> T:
    """Runs ``modelgate ARGUMENTS --format json`` and decodes its output as `cls`."""
    output = run([*arguments, "--format", "json", "--no-color"], answers=answers)
    try:
        value = json.loads(output)
    except json.JSONDecodeError as error:
        raise ModelGateError(0, f"modelgate printed no JSON: {error}", arguments=arguments) from error
    return decode(cls, value)


def repository(repo: PathLike | None) -> list[str]:
    """``--repo PATH`` when a repository is named, else nothing (the binary searches from the working folder)."""
    return ["--repo", os.fspath(repo)] if repo is not None else []


def option(name: str, value: object | None) -> list[str]:
    """``--NAME VALUE`` when the value is given."""
    return (
        [f"--{name}", os.fspath(value) if isinstance(value, os.PathLike) else str(value)] if value is not None else []
    )


def flag(name: str, value: bool) -> list[str]:
    """``--NAME`` when set."""
    return [f"--{name}"] if value else []

"""The API: one function per command, each running the binary and returning its JSON report as a dataclass."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import overload

from ._process import PathLike, flag, option, report, repository, run
from .reports import (
    CheckReport,
    DriftReport,
    History,
    Holders,
    ModelSummary,
    Recording,
    RegistryStatus,
    ReproReport,
    Verification,
    VersionDetail,
)

#: Exit codes that are answers for the commands whose verdict can fail (0 pass, 1 fail).
VERDICTS = (0, 1)


def init(directory: PathLike, *, example: bool = False) -> Path:
    """Creates a registry in `directory` (a Git repository, made if needed); the example one with `example`."""
    run(["init", os.fspath(directory), *flag("example", example), "--quiet"])
    return Path(directory).resolve()


def check(
    base: str | None = None,
    head: str = "HEAD",
    *,
    fail_on_warn: bool = False,
    policies_from: str | None = None,
    replay: bool = False,
    since: str | None = None,
    repo: PathLike | None = None,
) -> CheckReport:
    """The gate: the change from `base` to `head` judged by the rules at `base` (or at `policies_from`), or
    every assignment at `head` when no base is given. With `replay`, every promotion of the history of
    `base` (default HEAD) judged under the rules at `policies_from` (since the day `since`, YYYY-MM-DD):
    each evaluation carries its ``commit`` and ``passed_then``. A failing verdict is a report with
    ``passed`` false, not an exception."""
    arguments = [
        "check",
        *option("base", base),
        *([] if replay else ["--head", head]),
        *flag("fail-on-warn", fail_on_warn),
        *option("policies-from", policies_from),
        *flag("replay", replay),
        *option("since", since),
    ]
    return report(CheckReport, [*arguments, *repository(repo)], answers=VERDICTS)


def status(*, ref: str | None = None, worktree: bool = False, repo: PathLike | None = None) -> RegistryStatus:
    """Every stage assignment at `ref` (default HEAD), or in the working tree."""
    arguments = ["status", *option("ref", ref), *flag("worktree", worktree)]
    return report(RegistryStatus, [*arguments, *repository(repo)])


@overload
def show(model: str, version: None = None, *, ref: str | None = None, repo: PathLike | None = None) -> ModelSummary: ...
@overload
def show(model: str, version: str, *, ref: str | None = None, repo: PathLike | None = None) -> VersionDetail: ...
def show(
    model: str, version: str | None = None, *, ref: str | None = None, repo: PathLike | None = None
) -> ModelSummary | VersionDetail:
    """A model (its stages and versions), or one version with its verdict for every stage."""
    arguments = [*option("ref", ref), *repository(repo)]
    if version is None:
        return report(ModelSummary, ["show", model, *arguments])
    return report(VersionDetail, ["show", f"{model}@{version}", *arguments])


def history(model: str, *, stage: str | None = None, ref: str | None = None, repo: PathLike | None = None) -> History:
    """The changes of the model's stage holders (of one stage with `stage`), newest first."""
    arguments = ["history", model, *option("stage", stage), *option("ref", ref)]
    return report(History, [*arguments, *repository(repo)])


def holders(model: str, at: str, *, stage: str | None = None, repo: PathLike | None = None) -> Holders:
    """Who held each stage of the model at commit `at`, and since which change."""
    arguments = ["history", model, "--at", at, *option("stage", stage)]
    return report(Holders, [*arguments, *repository(repo)])


def record(
    model: str,
    version: str,
    *,
    like: str | None = None,
    params: Mapping[str, object] | None = None,
    seed: int | None = None,
    command: Sequence[str] | None = None,
    description: str | None = None,
    commit: bool = False,
    branch: str | None = None,
    base: str | None = None,
    timeout: float | None = None,
    sandbox: bool = True,
    repo: PathLike | None = None,
) -> Recording:
    """Trains `model@version` in the sandbox, as ``repro`` will retrain it, and writes its manifest and
    artifact (committed with `commit`, on a new `branch` if named)."""
    arguments = ["record", f"{model}@{version}", *option("like", like)]
    for name, value in (params or {}).items():
        arguments += ["--param", f"{name}={value}"]
    arguments += [*option("seed", seed), *option("description", description), *flag("commit", commit)]
    arguments += [*option("branch", branch), *option("base", base), *option("timeout", timeout)]
    arguments += [*flag("no-sandbox", not sandbox), *repository(repo)]
    if command is not None:
        arguments += ["--", *command]
    return report(Recording, arguments)


def promote(
    model: str,
    version: str,
    to: str,
    *,
    branch: str | None = None,
    message: str | None = None,
    force: bool = False,
    repo: PathLike | None = None,
) -> CheckReport:
    """Assigns `model@version` to stage `to` in a commit (on a new `branch` if named), if the gate passes,
    and returns the gate's report; a refused promotion commits nothing and reports ``passed`` false."""
    arguments = ["promote", f"{model}@{version}", "--to", to, *option("branch", branch), *option("message", message)]
    return report(CheckReport, [*arguments, *flag("force", force), *repository(repo)], answers=VERDICTS)


def repro(
    model: str,
    version: str,
    *,
    base: str | None = None,
    ref: str | None = None,
    tolerance: Mapping[str, str | float] | None = None,
    record: bool = False,
    sign: PathLike | None = None,
    timeout: float | None = None,
    sandbox: bool = True,
    repo: PathLike | None = None,
) -> ReproReport:
    """Retrains `model@version` in the sandbox with the settings of the trusted `base` and compares the
    result with the manifest; with `record`, writes the attestation (signed with the key file `sign`)."""
    arguments = ["repro", f"{model}@{version}", *option("base", base), *option("ref", ref)]
    for metric, allowed in (tolerance or {}).items():
        arguments += ["--tolerance", f"{metric}={allowed}"]
    arguments += [*flag("record", record), *option("sign", sign), *option("timeout", timeout)]
    arguments += [*flag("no-sandbox", not sandbox), "--quiet", *repository(repo)]
    return report(ReproReport, arguments, answers=VERDICTS)


def verify(
    model: str, version: str, *, base: str | None = None, ref: str | None = None, repo: PathLike | None = None
) -> Verification:
    """The version's attestation as the gate judges it, against the attestors trusted at `base`."""
    arguments = ["verify", f"{model}@{version}", *option("base", base), *option("ref", ref)]
    return report(Verification, [*arguments, *repository(repo)], answers=VERDICTS)


def drift(
    model: str,
    version: str,
    data: PathLike,
    *,
    metric: str | None = None,
    max: float | None = None,
    ref: str | None = None,
    repo: PathLike | None = None,
) -> DriftReport:
    """How far `data` (a CSV file) has moved from the version's training data, column by column."""
    arguments = ["drift", f"{model}@{version}", "--data", os.fspath(data), *option("metric", metric)]
    arguments += [*option("max", max), *option("ref", ref), *repository(repo)]
    return report(DriftReport, arguments, answers=VERDICTS)

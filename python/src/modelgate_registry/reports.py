"""The reports the API returns: dataclasses that mirror the JSON the binary prints with ``--format json``.

Each field is the JSON key of the same name in snake_case (``fromVersion`` is ``from_version``). A value
the binary may leave out of a report (a version without a creation date, a rule without a baseline) is
``None``. The tests decode every report of the example registry strictly, so a key the binary prints that
these classes do not carry fails them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Diagnostic:
    """A problem with a position: a file of the registry, its line and column (1-based) when known."""

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class RuleResult:
    """One rule of one policy, applied to one version for one stage."""

    policy: str
    rule: str
    status: str  # pass, fail, warn, waived or skip
    message: str
    metric: str | None = None
    actual: float | None = None
    bound: float | None = None
    baseline_version: str | None = None
    baseline_value: float | None = None


@dataclass(frozen=True)
class Evaluation:
    """The rules a version meets or not for the stage it enters (or holds)."""

    model: str
    version: str
    stage: str
    results: list[RuleResult]
    from_version: str | None = None
    # In a replay (``check(policies_from=..., replay=True)``): the commit that made the promotion, its date,
    # and whether it passed the rules of its own time.
    commit: str | None = None
    date: str | None = None
    passed_then: bool | None = None


@dataclass(frozen=True)
class RuleChange:
    """A change the pull request makes to the registry's own rules, and how the gate judges it."""

    path: str
    rule: str
    status: str
    message: str


@dataclass(frozen=True)
class Replay:
    """What a replay judged: the commit whose rules judged the history, and how many promotions."""

    rules: str
    promotions: int
    limited: bool


@dataclass(frozen=True)
class CheckReport:
    """``modelgate check``: the gate's verdict on a change (``base`` set) or on every assignment."""

    verdict: str  # pass or fail
    head: str
    evaluations: list[Evaluation]
    rule_changes: list[RuleChange]
    errors: list[Diagnostic]
    base: str | None = None
    replay: Replay | None = None

    @property
    def passed(self) -> bool:
        """Whether the gate lets the change in."""
        return self.verdict == "pass"


@dataclass(frozen=True)
class Assignment:
    """A stage and the version that holds it, with that version's metrics."""

    model: str
    stage: str
    version: str
    metrics: dict[str, float]


@dataclass(frozen=True)
class RegistryStatus:
    """``modelgate status``: every stage assignment at a commit."""

    commit: str
    assignments: list[Assignment]


@dataclass(frozen=True)
class VersionSummary:
    """A version as ``show MODEL`` lists it."""

    version: str
    metrics: dict[str, float | None]
    stage: str | None = None
    created: str | None = None


@dataclass(frozen=True)
class ModelSummary:
    """``modelgate show MODEL``: a model, its stages and its versions, newest first."""

    model: str
    stages: dict[str, str]
    versions: list[VersionSummary]
    owner: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Artifact:
    """Where a version's artifact is, and its sha256 when recorded."""

    uri: str
    sha256: str | None = None


@dataclass(frozen=True)
class StageVerdict:
    """What the rules of a stage say about a version (``held``: the version holds that stage)."""

    stage: str
    held: bool
    verdict: str
    results: list[RuleResult]


@dataclass(frozen=True)
class Approval:
    """A named approval of a version's entry into a stage, and whether the gate counts it (or why not)."""

    stage: str
    name: str
    path: str
    counts: bool
    problem: str | None = None


@dataclass(frozen=True)
class VersionDetail:
    """``modelgate show MODEL@VERSION``: a version's manifest and its verdict for every stage."""

    model: str
    version: str
    artifact: Artifact
    metrics: dict[str, float | None]
    verdicts: list[StageVerdict]
    stage: str | None = None
    created: str | None = None
    description: str | None = None
    approvals: list[Approval] = field(default_factory=list)


@dataclass(frozen=True)
class Person:
    """A commit's author."""

    name: str
    email: str


@dataclass(frozen=True)
class StageChange:
    """One change of a stage's holder: the commit, its author and the versions before and after."""

    date: str
    commit: str
    author: Person
    stage: str
    subject: str
    from_version: str | None = None
    to_version: str | None = None


@dataclass(frozen=True)
class History:
    """``modelgate history MODEL``: the stage changes, newest first."""

    model: str
    changes: list[StageChange]


@dataclass(frozen=True)
class Holding:
    """Who held a stage at a commit, and since which change."""

    stage: str
    version: str
    since: StageChange | None = None


@dataclass(frozen=True)
class Holders:
    """``modelgate history MODEL --at REF``: who held each stage at that commit."""

    model: str
    at: str
    holders: list[Holding]


@dataclass(frozen=True)
class BoundFile:
    """A registry file an attestation is bound to, by path and Git blob id."""

    path: str
    blob: str | None = None


@dataclass(frozen=True)
class TrainingBinding:
    """The training folder an attestation is bound to, by path and Git tree id."""

    workdir: str
    tree: str | None = None


@dataclass(frozen=True)
class ProfileBinding:
    """The training data's profile an attestation is bound to, by path and sha256."""

    path: str
    sha256: str | None = None


@dataclass(frozen=True)
class Verification:
    """``modelgate verify``: a version's attestation as the gate judges it."""

    target: str
    attestation: str
    valid: bool
    signers: list[str]
    manifest: BoundFile
    training: TrainingBinding
    attestors_at: str
    verdict: str | None = None
    problem: str | None = None
    profile: ProfileBinding | None = None
    source: str | None = None
    """The commit the version was trained from (``training.source``); None for a version without one."""
    closure: str | None = None
    """``sha256:`` of what the training read at its source, as the attestation must bind it."""
    approvals: list[Approval] = field(default_factory=list)


@dataclass(frozen=True)
class ColumnDrift:
    """How far one column of the new data moved from the training data."""

    column: str
    status: str  # pass, fail or skip
    type: str | None = None
    value: float | None = None


@dataclass(frozen=True)
class DriftReport:
    """``modelgate drift``: new data against a version's training data, column by column."""

    model: str
    version: str
    data: str
    metric: str
    verdict: str
    columns: list[ColumnDrift]
    max: float | None = None

    @property
    def passed(self) -> bool:
        """Whether no column moved beyond the bound."""
        return self.verdict == "pass"


@dataclass(frozen=True)
class Subject:
    """What an in-toto statement is about: the artifact, by digest."""

    name: str
    digest: dict[str, str]


@dataclass(frozen=True)
class Environment:
    """The environment facts a training ran with, and their signature."""

    facts: dict[str, str]
    signature: str | None = None


@dataclass(frozen=True)
class EnvironmentComparison:
    """The environment the version recorded and the one it was retrained in."""

    recorded: Environment
    current: Environment


@dataclass(frozen=True)
class Tolerance:
    """How far a reproduced metric may be from the recorded one."""

    abs: float
    rel: float


@dataclass(frozen=True)
class MetricCheck:
    """A recorded metric against its reproduced value."""

    name: str
    recorded: float
    tolerance: Tolerance
    ok: bool
    actual: float | None = None


@dataclass(frozen=True)
class ArtifactComparison:
    """The artifact's recorded sha256 and the retrained one's."""

    recorded: str | None = None
    reproduced: str | None = None


@dataclass(frozen=True)
class DataCheck:
    """A training data file and whether its sha256 matched the manifest."""

    path: str
    verified: bool
    sha256: str | None = None


@dataclass(frozen=True)
class ReproPredicate:
    """What ``repro`` found: verdict, reasons, environments, metrics, artifact and data."""

    model: str
    version: str
    manifest: BoundFile
    registry_commit: str
    training: TrainingBinding
    verdict: str  # reproduced, reproduced-within-tolerance or failed
    reasons: list[str]
    environment: EnvironmentComparison
    metrics: list[MetricCheck]
    artifact: ArtifactComparison
    data: list[DataCheck]
    sandbox: bool
    duration_seconds: float
    modelgate_version: str
    profile: ProfileBinding | None = None


@dataclass(frozen=True)
class ReproReport:
    """``modelgate repro``: the in-toto statement the retraining produced (what ``--sign`` signs)."""

    type: str = field(metadata={"json": "_type"})
    subject: list[Subject]
    predicate_type: str
    predicate: ReproPredicate

    @property
    def reproduced(self) -> bool:
        """Whether the retraining reproduced the version (exactly, or within the tolerances)."""
        return self.predicate.verdict != "failed"


@dataclass(frozen=True)
class ProposedInput:
    """A serving input ``record`` proposes from the training data's columns."""

    name: str
    type: str


@dataclass(frozen=True)
class Recording:
    """``modelgate record``: the files written, the metrics, and the commit when ``commit=True``."""

    model: str
    version: str
    paths: list[str]
    metrics: dict[str, float]
    proposed_inputs: list[ProposedInput]
    commit: str | None = None
    branch: str | None = None

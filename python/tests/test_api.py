"""The API against the example registry: each call runs the wheel's binary and decodes its report."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import git

import modelgate_registry as modelgate
from modelgate_registry import _decode, _process, reports


def strict(cls: type[Any], arguments: list[str], answers: tuple[int, ...] = (0,)) -> Any:
    """Decodes the binary's JSON for `arguments` refusing any key the dataclass does not carry."""
    output = _process.run([*arguments, "--format", "json"], answers=answers)
    return _decode.decode(cls, json.loads(output), strict=True)


def test_the_package_is_the_installed_wheel() -> None:
    assert Path(modelgate.__file__).resolve().is_relative_to(Path(sys.prefix).resolve())
    assert modelgate.binary().is_relative_to(Path(modelgate.__file__).resolve().parent)
    assert modelgate.__version__ != "0+unknown"


def test_check_passes_the_example_promotion(registry: Path) -> None:
    report = modelgate.check(base="HEAD~1", repo=registry)
    assert report.passed and report.verdict == "pass"
    assert report.base is not None and len(report.base) == 40
    promoted = [e for e in report.evaluations if e.stage == "production"]
    assert [(e.model, e.version, e.from_version) for e in promoted] == [("churn", "1.3.0", "1.1.0")]
    auc = next(r for r in promoted[0].results if r.rule == "auc.min")
    assert (auc.status, auc.metric, auc.bound) == ("pass", "auc", 0.75)
    assert auc.actual is not None and auc.actual > 0.75
    assert report.errors == []


def test_a_failing_gate_is_a_report_not_an_exception(registry: Path) -> None:
    git(registry, "checkout", "-q", "-b", "lower-the-bar", "HEAD~1")
    policy = registry / "policies" / "churn-quality.yaml"
    policy.write_text(policy.read_text().replace("min: 0.75", "min: 0.0"))
    git(registry, "commit", "-qam", "Relax churn-quality")
    git(registry, "merge", "-q", "--no-edit", "main")
    report = modelgate.check(base="HEAD~2", repo=registry)
    assert not report.passed
    assert any(change.status == "fail" for change in report.rule_changes)


def test_status_show_and_history(registry: Path) -> None:
    status = modelgate.status(repo=registry)
    holders = {(row.model, row.stage): row.version for row in status.assignments}
    assert holders[("churn", "production")] == "1.3.0"
    assert status.assignments[0].metrics

    model = modelgate.show("churn", repo=registry)
    assert isinstance(model, reports.ModelSummary)
    assert model.stages["production"] == "1.3.0"
    assert [v.version for v in model.versions][:1] == ["1.3.0"]

    version = modelgate.show("churn", "1.3.0", repo=registry)
    assert isinstance(version, reports.VersionDetail)
    assert version.stage == "production" and version.artifact.sha256
    assert {verdict.stage for verdict in version.verdicts} >= {"production"}

    history = modelgate.history("churn", repo=registry)
    assert history.changes[0].to_version is not None and history.changes[0].author.email
    at = modelgate.holders("churn", at="HEAD~1", repo=registry)
    assert {holding.stage: holding.version for holding in at.holders}["production"] == "1.1.0"


def test_verify_and_drift(registry: Path, tmp_path: Path) -> None:
    verification = modelgate.verify("churn", "1.3.0", base="HEAD", repo=registry)
    assert verification.valid and verification.verdict == "reproduced" and verification.signers
    traffic = tmp_path / "traffic.csv"
    traffic.write_text("tenure,monthly_charges\n" + "".join(f"{70 + i % 3},{20 + i % 5}\n" for i in range(200)))
    drift = modelgate.drift("churn", "1.3.0", traffic, repo=registry)
    assert not drift.passed
    assert {column.column: column.status for column in drift.columns}["tenure"] == "fail"


def test_every_report_has_exactly_the_dataclass_shape(registry: Path, tmp_path: Path) -> None:
    repo = ["--repo", str(registry)]
    strict(reports.CheckReport, ["check", "--base", "HEAD~1", *repo])
    strict(reports.CheckReport, ["check", *repo], answers=(0, 1))
    strict(reports.RegistryStatus, ["status", *repo])
    strict(reports.ModelSummary, ["show", "demand", *repo])
    strict(reports.VersionDetail, ["show", "demand@2.0.0", *repo])
    strict(reports.History, ["history", "demand", *repo])
    strict(reports.Holders, ["history", "demand", "--at", "HEAD", *repo])
    strict(reports.Verification, ["verify", "churn@1.3.0", *repo])
    strict(reports.Verification, ["verify", "demand@2.0.0", *repo], answers=(0, 1))
    data = tmp_path / "demand.csv"
    data.write_text("day,temperature\n1,20\n2,21\n")
    strict(reports.DriftReport, ["drift", "churn@1.3.0", "--data", str(data), *repo], answers=(0, 1))


def test_refusals_raise_with_the_position(registry: Path) -> None:
    with pytest.raises(modelgate.ModelGateError) as unknown:
        modelgate.show("churn", "9.9.9", repo=registry)
    assert unknown.value.exit_code == 2 and "9.9.9" in unknown.value.message

    model_yaml = registry / "models" / "churn" / "model.yaml"
    model_yaml.write_text(model_yaml.read_text() + "owner: [\n")
    git(registry, "commit", "-qam", "Break model.yaml")
    with pytest.raises(modelgate.ModelGateError) as broken:
        modelgate.status(repo=registry)
    error = broken.value
    assert (error.exit_code, error.path) == (2, "models/churn/model.yaml")
    assert error.line is not None and error.line > 1 and error.column == 1
    assert "models/churn/model.yaml:" in str(error)


def test_a_policy_change_replayed_over_the_history(registry: Path) -> None:
    git(registry, "checkout", "-q", "-b", "stricter")
    policy = registry / "policies" / "churn-quality.yaml"
    policy.write_text(policy.read_text().replace("    min: 0.75\n", "    min: 0.7974\n"))
    git(registry, "commit", "-qam", "Raise churn's auc floor")
    git(registry, "checkout", "-q", "main")
    replayed = modelgate.check(policies_from="stricter", replay=True, repo=registry)
    assert not replayed.passed and replayed.replay is not None and replayed.replay.promotions == 7
    stopped = [
        (e.model, e.version)
        for e in replayed.evaluations
        if e.passed_then and any(result.status == "fail" for result in e.results)
    ]
    assert stopped == [("churn", "1.1.0")]
    assert all(e.commit is not None and len(e.commit) == 40 for e in replayed.evaluations)
    arguments = ["check", "--policies-from", "stricter", "--replay", "--repo", str(registry)]
    assert strict(reports.CheckReport, arguments, answers=(0, 1)).replay == replayed.replay
    recent = modelgate.check(policies_from="stricter", replay=True, since="2026-11-19", repo=registry)
    # One commit since that day: 1.3.0 into production, 1.1.0 into archived.
    assert recent.passed and recent.replay is not None and recent.replay.promotions == 1
    assert {(e.version, e.stage) for e in recent.evaluations} == {("1.3.0", "production"), ("1.1.0", "archived")}


@pytest.mark.usefixtures("training_path")
def test_record_promote_check_and_repro(registry: Path) -> None:
    recording = modelgate.record(
        "churn", "1.4.0", like="1.3.0", params={"C": 0.5}, commit=True, branch="record-churn-1.4.0", repo=registry
    )
    assert recording.commit is not None and recording.branch == "record-churn-1.4.0"
    assert "models/churn/versions/1.4.0.yaml" in recording.paths
    assert set(recording.metrics) >= {"auc", "accuracy"}
    assert strict(reports.VersionDetail, ["show", "churn@1.4.0", "--repo", str(registry)]).version == "1.4.0"

    promotion = modelgate.promote("churn", "1.4.0", "staging", branch="promote-churn-1.4.0", repo=registry)
    assert promotion.passed
    gate = modelgate.check(base="main", head="promote-churn-1.4.0", repo=registry)
    assert gate.passed and [(e.version, e.stage) for e in gate.evaluations] == [("1.4.0", "staging")]

    repro = modelgate.repro("churn", "1.4.0", base="main", repo=registry)
    assert repro.reproduced and repro.predicate.verdict == "reproduced"
    assert repro.predicate.artifact.reproduced == repro.predicate.artifact.recorded
    assert repro.subject[0].name == recording.paths[1]

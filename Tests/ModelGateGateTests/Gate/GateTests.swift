import Foundation
import ModelGateRegistry
import ModelGateSupport
import Testing

@testable import ModelGateGate

@Suite("Gate: fail-closed stages and waivers")
struct GateTests {
    func gate(_ policies: [Policy], ungated: [String] = []) throws -> (Gate, ModelVersion) {
        let manifest = try Parsed.manifest("1.0.0", metrics: "{auc: 0.5}")
        var head = Parsed.registry([manifest], stages: ["staging": "1.0.0"], policies: policies)
        head.settings.ungated = ungated
        return (Gate.judging(head, base: Parsed.registry([], stages: [:]), policies: policies), manifest)
    }

    @Test(
        arguments: [
            ("development", [], RuleResult.Status.skip), ("archived", [], .skip), ("staging", [], .fail),
            ("production", [], .fail), ("staging", ["staging"], .skip),
        ] as [(String, [String], RuleResult.Status)])
    func ungovernedStagesFailClosed(_ stage: String, _ ungated: [String], _ expected: RuleResult.Status) throws {
        let (gate, _) = try gate([], ungated: ungated)
        let report = gate.evaluate([Gate.Candidate(model: "churn", version: "1.0.0", stage: stage)])
        #expect(report.evaluations[0].results.map(\.status) == [expected])
        #expect(report.evaluations[0].results[0].name == "modelgate/stage.governed")
        #expect(report.verdict == (expected == .fail ? .fail : .pass))
    }

    @Test func aVersionIsJudgedAtItsSourceOrSaysWhyNot() throws {
        let policy = try Parsed.policy("  - require: dataHashes", name: "data", stages: "[staging]")
        func judge(_ manifest: ModelVersion, evidence: StaticEvidence) -> [String] {
            let head = Parsed.registry([manifest], stages: ["staging": "1.0.0"], policies: [policy])
            var gate = Gate.judging(head, base: Parsed.registry([], stages: [:]), policies: [policy])
            gate.evidence = evidence
            return gate.evaluate([Gate.Candidate(model: "churn", version: "1.0.0", stage: "staging")]).evaluations[0]
                .results.map { "\($0.name) \($0.status)" }
        }
        let recorded = StaticEvidence(contents: ["d.csv": .tracked(sha256: String(repeating: "1", count: 64), size: 1)])
        let edited = StaticEvidence(contents: ["d.csv": .tracked(sha256: String(repeating: "2", count: 64), size: 1)])
        var headEdited = edited
        headEdited.sources[Parsed.source] = recorded
        // Data edited at head for the next version: the version is judged at its source, and passes.
        let sourced = try Parsed.manifest("1.0.0", metrics: "{auc: 0.5}")
        #expect(judge(sourced, evidence: headEdited) == ["data/require.dataHashes pass"])
        // A version without a source is judged at head, with a warning, and fails there.
        let legacy = try Parsed.manifest("1.0.0", metrics: "{auc: 0.5}", source: false)
        #expect(
            judge(legacy, evidence: headEdited) == ["data/require.dataHashes fail", "modelgate/source.missing warn"])
        // A source head's history does not hold fails.
        #expect(judge(sourced, evidence: edited).last == "modelgate/source.unreachable fail")
    }

    @Test func policiesApplyByStageAndModelGlob() throws {
        let other = try Parsed.policy("  - metric: auc\n    min: 0.9", name: "other", stages: "[staging]")
        let matching = try Parsed.policy("  - metric: auc\n    min: 0.1", name: "mine", stages: "[staging]")
        var scoped = other
        scoped.models = ["fraud-*"]
        let (gate, _) = try gate([scoped, matching])
        let report = gate.evaluate([Gate.Candidate(model: "churn", version: "1.0.0", stage: "staging")])
        #expect(report.evaluations[0].results.map(\.name) == ["mine/auc.min"])
    }

    /// The gate on a manifest carrying `waivers`; `merged` waivers are those of the same manifest at base.
    func waiverGate(_ waivers: String, merged: String? = nil, maxDays: Int = 90, now: String = "2026-11-23T12:00:00Z")
        throws
        -> GateReport
    {
        let policy = try Parsed.policy(
            "  - metric: auc\n    min: 0.9\n  - metric: f1\n    min: 0.9", stages: "[production]")
        let manifest = try Parsed.manifest("1.0.0", metrics: "{auc: 0.5, f1: 0.95}", extra: waivers)
        let atBase = try Parsed.manifest("1.0.0", metrics: "{auc: 0.5, f1: 0.95}", extra: merged ?? waivers)
        var head = Parsed.registry([manifest], stages: ["production": "1.0.0"], policies: [policy])
        head.settings.waiverMaxDays = maxDays
        var gate = Gate.judging(head, base: Parsed.registry([atBase], stages: [:]), policies: [policy])
        gate.now = Dates.parseTimestamp(now)!
        return gate.evaluate([Gate.Candidate(model: "churn", version: "1.0.0", stage: "production")])
    }

    @Test func validWaiverTurnsAFailureIntoWaived() throws {
        let report = try waiverGate(
            """
            waivers:
              - {rule: gate/auc.min, reason: New pool, owner: jane@example.com, expires: 2026-11-23}
            """)
        #expect(report.evaluations[0].results.map(\.status) == [.waived, .pass])
        #expect(report.verdict == .pass)
        #expect(report.count(.waived) == 1)
        #expect(report.errors.isEmpty)
        #expect(
            report.evaluations[0].results[0].message.hasSuffix("waived until 2026-11-23 by jane@example.com: New pool"))
    }

    @Test func expiredWaiverIsAnErrorAndExcusesNothing() throws {
        let report = try waiverGate(
            """
            waivers:
              - {rule: gate/auc.min, reason: Old, owner: jane, expires: 2026-11-22}
            """)
        #expect(report.evaluations[0].results.map(\.status) == [.fail, .pass])
        #expect(report.errors.map(\.message) == ["waiver for gate/auc.min expired on 2026-11-22"])
        #expect(report.errors[0].location?.line == 15)
        #expect(report.verdict == .fail)
    }

    @Test func waiverAddedByTheChangeItselfDoesNotApply() throws {
        let waiver = """
            waivers:
              - {rule: gate/auc.min, reason: New pool, owner: jane@example.com, expires: 2026-11-30}
            """
        let added = try waiverGate(waiver, merged: "")
        #expect(added.evaluations[0].results[0].status == .fail)
        #expect(added.evaluations[0].results[0].message.contains("applies once merged"))
        #expect(added.verdict == .fail)
        // Edited in the change (a later expiry): not the merged waiver, so it does not apply either.
        let edited = try waiverGate(waiver, merged: waiver.replacingOccurrences(of: "2026-11-30", with: "2026-11-24"))
        #expect(edited.evaluations[0].results[0].status == .fail)
        // The same waiver, already merged: applies.
        #expect(try waiverGate(waiver).evaluations[0].results[0].status == .waived)
    }

    @Test func waiverBeyondMaxDaysIsAnErrorAndExcusesNothing() throws {
        let waiver = """
            waivers:
              - {rule: gate/auc.min, reason: Forever, owner: jane, expires: 2999-12-31}
            """
        let report = try waiverGate(waiver)
        #expect(report.evaluations[0].results[0].status == .fail)
        #expect(
            report.errors.map(\.message) == [
                "waiver for gate/auc.min expires on 2999-12-31, more than waivers.maxDays (90) days after today (2026-11-23)"
            ])
        #expect(report.verdict == .fail)
        let within = waiver.replacingOccurrences(of: "2999-12-31", with: "2026-11-30")
        #expect(try waiverGate(within, maxDays: 7).evaluations[0].results[0].status == .waived)
        #expect(try waiverGate(within, maxDays: 6).evaluations[0].results[0].status == .fail)
    }

    @Test func danglingWaiverIsAnError() throws {
        let report = try waiverGate(
            """
            waivers:
              - {rule: gate/typo.min, reason: x, owner: y, expires: 2099-01-01}
            """)
        #expect(report.errors.map(\.message) == ["waiver names 'gate/typo.min', which is no rule of any policy"])
        #expect(report.verdict == .fail)
    }

    @Test func failOnWarnMakesWarningsFail() throws {
        let policy = try Parsed.policy("  - metric: auc\n    min: 0.9\n    severity: warning")
        let manifest = try Parsed.manifest("1.0.0", metrics: "{auc: 0.5}")
        var gate = Gate.judging(
            Parsed.registry([manifest], stages: ["production": "1.0.0"], policies: [policy]), base: nil,
            policies: [policy])
        let candidate = [Gate.Candidate(model: "churn", version: "1.0.0", stage: "production")]
        #expect(gate.evaluate(candidate).verdict == .pass)
        gate.failOnWarn = true
        #expect(gate.evaluate(candidate).verdict == .fail)
    }
}

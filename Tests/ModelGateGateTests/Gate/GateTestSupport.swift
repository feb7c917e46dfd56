import Foundation
import ModelGateGit
import ModelGateSupport
import ModelGateYAML
import Testing

@testable import ModelGateGate
@testable import ModelGateRegistry

/// In-memory registries for gate tests: manifests and policies parsed from YAML text, no Git.
enum Parsed {
    static func node(_ text: String, path: String) throws -> YAMLNode {
        try YAMLLoader().load(Data(text.utf8), path: path)
    }

    /// The commit every parsed manifest names as its `training.source`; `Gate.judging` reads it where head
    /// is read (the tests judge one tree).
    static let source = ObjectID(hex: String(repeating: "5", count: 40))!

    /// A manifest; with `source` false, one recorded before `training.source` existed.
    static func manifest(
        _ version: String, metrics: String, slices: String = "", extra: String = "", source: Bool = true
    ) throws -> ModelVersion {
        let text = """
            apiVersion: modelgate/v1
            kind: ModelVersion
            model: churn
            version: \(version)
            artifact: {uri: a.bin, sha256: \(String(repeating: "0", count: 64))}
            metrics: \(metrics)
            \(slices.isEmpty ? "" : "slices: \(slices)")
            training:
              command: [python3, train.py]
              workdir: training/churn
            \(source ? "  source: \(Self.source.hex)" : "")
              data:
                - {path: d.csv, sha256: \(String(repeating: "1", count: 64))}
            \(extra)
            """
        let reader = SchemaReader()
        let path = "models/churn/versions/\(version).yaml"
        let manifest = ModelVersion.read(
            try node(text, path: path), folder: "churn", fileVersion: version, reader: reader)
        #expect(reader.bag.diagnostics.isEmpty, "\(reader.bag.diagnostics)")
        return try #require(manifest)
    }

    static func policy(_ rules: String, name: String = "gate", stages: String = "[production]") throws -> Policy {
        let text = """
            apiVersion: modelgate/v1
            kind: Policy
            name: \(name)
            appliesTo: {stages: \(stages)}
            rules:
            \(rules)
            """
        let reader = SchemaReader()
        let policy = Policy.read(
            try node(text, path: "policies/\(name).yaml"), fileName: name, ladder: RegistrySettings.defaultStages,
            reader: reader)
        #expect(reader.bag.diagnostics.isEmpty, "\(reader.bag.diagnostics)")
        return try #require(policy)
    }

    static let commit = ObjectID(hex: String(repeating: "c", count: 40))!

    /// A registry holding `versions` of churn with `stages`.
    static func registry(_ versions: [ModelVersion], stages: [String: String], policies: [Policy] = []) -> Registry {
        let assignments = StageAssignments(
            model: "churn",
            stages: stages.mapValues {
                StageAssignments.Entry(version: $0, location: SourceLocation(path: "models/churn/stages.yaml"))
            },
            location: SourceLocation(path: "models/churn/stages.yaml"))
        var model = Registry.Model(name: "churn", spec: nil, versions: [:], stages: assignments)
        for version in versions { model.versions[version.version.description] = version }
        return Registry(
            commit: commit, settings: RegistrySettings(), models: ["churn": model], policies: policies, diagnostics: [])
    }

    /// Judges `candidate` entering `stage` under `policy`, with `baseline` holding production at base.
    static func judge(
        _ policy: Policy, candidate: ModelVersion, stage: String = "production", baseline: ModelVersion? = nil,
        fromStage: String? = "staging", now: Date = Date(), evidence: StaticEvidence = StaticEvidence()
    ) -> Evaluation {
        let head = registry(
            [candidate] + (baseline.map { [$0] } ?? []), stages: [stage: candidate.version.description],
            policies: [policy])
        let base = registry(
            baseline.map { [$0] } ?? [], stages: baseline.map { ["production": $0.version.description] } ?? [:])
        var gate = Gate.judging(head, base: base, policies: [policy], evidence: evidence)
        gate.now = now
        let report = gate.evaluate([
            Gate.Candidate(
                model: "churn", version: candidate.version.description, stage: stage,
                fromVersion: baseline?.version.description, fromStage: fromStage)
        ])
        return report.evaluations[0]
    }
}

extension Gate {
    /// A gate over in-memory registries, judging with `policies` under `head`'s settings and `attestors`.
    static func judging(
        _ head: Registry, base: Registry?, policies: [Policy], evidence: StaticEvidence = StaticEvidence(),
        attestors: [TrustedRules.Attestor] = []
    ) -> Gate {
        let rules = TrustedRules(
            commit: head.commit, settings: head.settings, policies: policies, attestors: attestors, diagnostics: [])
        var evidence = evidence
        evidence.sources[Parsed.source] = evidence
        return Gate(head: head, base: base, rules: rules, evidence: evidence)
    }
}

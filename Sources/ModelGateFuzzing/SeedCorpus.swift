import Foundation
import ModelGateKit

/// The inputs each fuzz target starts from: the real files modelgate ships (the example registry, the
/// starter policies, the built-in templates) and the hostile shapes the tests already know, so that the
/// fuzzer begins deep inside the grammar instead of at its first byte.
public enum SeedCorpus {
    /// Name -> bytes, for `target`.
    public static func seeds(for target: FuzzTarget) -> [(name: String, data: Data)] {
        var seeds: [(String, String)]
        switch target {
        case .settings: seeds = example { $0 == "modelgate.yaml" }
        case .policy:
            seeds =
                example { $0.hasPrefix("policies/") } + EmbeddedFiles.starterPolicies.map { ($0.path, text($0.data)) }
            seeds += [("quality", Fixtures.qualityPolicy), ("gate", Fixtures.gatePolicy)]
        case .spec: seeds = example { $0.hasSuffix("/model.yaml") } + [("fuzz", Fixtures.spec)]
        case .stages:
            seeds = [
                (
                    "two",
                    StageAssignments.render(
                        model: "fuzz", stages: ["staging": "2.0.0", "production": "1.0.0"],
                        ladder: RegistrySettings.defaultStages)
                ),
                (
                    "one",
                    StageAssignments.render(
                        model: "fuzz", stages: ["production": "1.0.0"], ladder: RegistrySettings.defaultStages)
                ),
            ]
        case .manifest: seeds = example { $0.contains("/versions/") }.map { ($0.0, renamed($0.1)) } + candidates
        case .gate: seeds = candidates
        case .attestation:
            seeds = [
                ("valid", AttestationOracle.envelope(verdict: "reproduced")),
                ("failed", AttestationOracle.envelope(verdict: "failed")),
                ("no-sandbox", AttestationOracle.envelope(verdict: "reproduced", sandbox: false)),
                ("unsigned", attestation(verdict: "reproduced")),
            ]
        case .template: seeds = EmbeddedFiles.builtInTemplates.map { ($0.path, text($0.data)) }
        case .bundleValues:
            seeds = [
                (
                    "ordinary",
                    [
                        "ghcr.io/acme/churn@sha256:" + String(repeating: "0", count: 64),
                        "https://models.example/a.pkl", "2", "1Gi", "torch==2.5.1", "python:3.12-slim", "ml", "demand",
                        "2.0.0-rc.1", "staging",
                    ].joined(separator: "\0")
                ),
                ("quote", "ghcr.io/acme/churn:1\"\nRUN curl evil"),
            ]
        case .path:
            seeds = [
                ("plain", "real/deep/model.pkl"), ("through-link", "out/config"), ("onto-link", "victim"),
                ("up-and-out", "real/up/out/victim"), ("loop", "real/deep/loop/x"), ("self", "real/self/self/x"),
                ("new-folders", "artifacts/churn/1.7.0/model.pkl"), ("dot-dot", "real/../out/x"),
            ]
        case .lockfile: seeds = LockfileOracle.seeds
        case .approval: seeds = ApprovalOracle.seeds
        }
        if target.isDocument { seeds += hostile }
        return seeds.map { (safeName($0.0), Data($0.1.utf8)) }
    }

    /// Writes every target's seeds into `folder/<target>/`.
    public static func write(into folder: URL) throws {
        for target in FuzzTarget.allCases {
            let directory = folder.appendingPathComponent(target.rawValue)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (name, data) in seeds(for: target) { try data.write(to: directory.appendingPathComponent(name)) }
        }
    }

    static func example(_ include: (String) -> Bool) -> [(String, String)] {
        EmbeddedFiles.exampleRegistry.filter { include($0.path) }.map { ($0.path, text($0.data)) }
    }

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    /// An example manifest as the fuzz model's 2.0.0, the path the document targets read.
    static func renamed(_ manifest: String) -> String {
        manifest.replacingOccurrences(of: #"(?m)^model: .*$"#, with: "model: fuzz", options: .regularExpression)
            .replacingOccurrences(of: #"(?m)^version: .*$"#, with: "version: 2.0.0", options: .regularExpression)
    }

    /// Candidates for the gate: the example's manifests as `fuzz@2.0.0`, and one with slices, waivers and data.
    static var candidates: [(String, String)] {
        example { $0.contains("/versions/") }.map { ("candidate-" + $0.0, renamed($0.1)) } + [
            (
                "candidate-full",
                """
                apiVersion: modelgate/v1
                kind: ModelVersion
                model: fuzz
                version: 2.0.0
                created: 2026-02-01T00:00:00Z
                artifact: {uri: artifacts/fuzz/2.0.0/model.pkl, sha256: \(String(repeating: "b", count: 64))}
                metrics: {auc: 0.79, log_loss: 0.61, f1: 0.5, latency_ms: 13}
                slices:
                  region=eu: {auc: 0.6}
                  region=us: {auc: .nan}
                training:
                  command: [python3, train.py]
                  seed: 7
                  data: [{path: data/a.csv, sha256: \(String(repeating: "c", count: 64))}]
                waivers:
                  - {rule: quality/log_loss.max, reason: known, owner: a@b.c, expires: 2099-01-01}
                  - {rule: quality/nothing, reason: stale, owner: a@b.c, expires: 2020-01-01}

                """
            )
        ]
    }

    /// Shapes every loader must refuse with a position: an alias bomb, deep nesting, a duplicate key, a tab,
    /// an unterminated string.
    static let hostile: [(String, String)] = [
        ("alias-bomb", aliasBomb),
        ("deep", String(repeating: "[", count: 5000)),
        ("duplicate", "apiVersion: modelgate/v1\nkind: Policy\nkind: Policy\n"),
        ("unterminated", "name: \"abc\n"),
    ]

    /// Nine levels of nine aliases each: 9^9 nodes once expanded.
    static var aliasBomb: String {
        var text = "l0: &l0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            text +=
                "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        return text
    }

    static func attestation(verdict: String) -> String {
        """
        {"_type": "\(AttestationCheck.statementType)", "predicateType": "\(AttestationCheck.predicateType)",
         "subject": [{"name": "artifacts/fuzz/2.0.0/model.pkl", "digest": {"sha256": "\(String(repeating: "b", count: 64))"}}],
         "predicate": {"manifest": {"path": "models/fuzz/versions/2.0.0.yaml", "blob": "\(AttestationOracle.manifestBlob.hex)"},
                       "verdict": "\(verdict)"}}
        """
    }

    static func safeName(_ path: String) -> String {
        String(path.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
    }
}

extension FuzzTarget {
    /// Whether the target reads one registry YAML file.
    var isDocument: Bool { [.settings, .policy, .spec, .stages, .manifest].contains(self) }
}

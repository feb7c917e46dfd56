import Foundation
import ModelGateGate
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// The in-toto Statement v1 `repro --record` writes to `attestations/<model>/<version>.json`.
public enum Attestation {
    /// The statement for a report, keys in a fixed order.
    ///
    /// Long on purpose: the in-toto statement field by field, in the order its predicate documents them.
    public static func statement(_ report: ReproReport) -> JSONValue {
        let recorded = report.recordedFacts
        let current = report.currentFacts
        return .object([
            ("_type", .string(AttestationCheck.statementType)),
            (
                "subject",
                .array([
                    .object([
                        ("name", .string(report.artifactURI)),
                        ("digest", .object([("sha256", .string(report.recordedArtifact))])),
                    ])
                ])
            ),
            ("predicateType", .string(AttestationCheck.predicateType)),
            (
                "predicate",
                .object([
                    ("model", .string(report.model)),
                    ("version", .string(report.version)),
                    (
                        "manifest",
                        .object([("path", .string(report.manifestPath)), ("blob", .string(report.manifestBlob?.hex))])
                    ),
                    ("registryCommit", .string(report.registryCommit.hex)),
                    ("source", .string(report.source?.hex)),
                    ("closure", .string(report.closure)),
                    (
                        "training",
                        .object([("workdir", .string(report.workdir)), ("tree", .string(report.trainingTree?.hex))])
                    ),
                    ("verdict", .string(report.verdict.rawValue)),
                    ("reasons", .array(report.reasons.map(JSONValue.string))),
                    (
                        "environment",
                        .object([
                            (
                                "recorded",
                                .object([
                                    ("facts", facts(recorded)),
                                    ("signature", .string(report.recordedSignature)),
                                ])
                            ),
                            (
                                "current",
                                .object([
                                    ("facts", facts(current.facts)),
                                    ("signature", .string(current.signature)),
                                ])
                            ),
                        ])
                    ),
                    (
                        "metrics",
                        .array(
                            report.metrics.map { check in
                                .object([
                                    ("name", .string(check.name)),
                                    ("recorded", .number(check.recorded)),
                                    ("actual", .number(check.actual)),
                                    (
                                        "tolerance",
                                        .object([
                                            ("abs", .number(check.tolerance.absolute)),
                                            ("rel", .number(check.tolerance.relative)),
                                        ])
                                    ),
                                    ("ok", .bool(check.ok)),
                                ])
                            })
                    ),
                    (
                        "artifact",
                        .object([
                            ("recorded", .string(report.recordedArtifact)),
                            ("reproduced", .string(report.reproducedArtifact)),
                        ])
                    ),
                    (
                        "data",
                        .array(
                            report.data.map { check in
                                .object([
                                    ("path", .string(check.path)), ("sha256", .string(check.actual)),
                                    ("verified", .bool(check.ok)),
                                ])
                            })
                    ),
                    (
                        "profile",
                        report.profile.map { .object([("path", .string($0.path)), ("sha256", .string($0.sha256))]) }
                            ?? .null
                    ),
                    ("sandbox", .bool(report.sandboxed)),
                    ("durationSeconds", .number((report.duration * 1000).rounded() / 1000)),
                    ("modelgateVersion", .string(ModelGateVersion.current)),
                ])
            ),
        ])
    }

    private static func facts(_ facts: [String: String]) -> JSONValue {
        .object(facts.keys.sorted().map { ($0, .string(facts[$0])) })
    }

    /// The statement in a DSSE envelope signed by `key`: what `repro --record --sign` writes.
    public static func envelope(_ report: ReproReport, signedBy key: SigningKey) throws -> JSONValue {
        var envelope = DSSEEnvelope(
            payloadType: DSSEEnvelope.inTotoPayloadType, payload: Data(statement(report).rendered().utf8))
        try key.sign(&envelope)
        return envelope.json
    }

    /// Writes the statement (signed by `key`, when given) into the working tree, atomically; returns its
    /// repository path.
    @discardableResult
    public static func record(_ report: ReproReport, in repository: Repository, signedBy key: SigningKey? = nil) throws
        -> String
    {
        guard let root = repository.workingDirectory else {
            throw ModelGateError.badInput("--record writes into the working tree, and this repository has none")
        }
        let path = AttestationCheck.path(model: report.model, version: report.version)
        try AtomicFile.write(
            try key.map { try envelope(report, signedBy: $0) }?.rendered() ?? statement(report).rendered(),
            to: root.appendingPathComponent(path), under: root)
        return path
    }
}

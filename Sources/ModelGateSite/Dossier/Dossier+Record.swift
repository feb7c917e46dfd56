import ModelGateGate
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// The dossier's facts as values, shared by `dossier.json` and its page: one holding per model and stage,
/// the policies in force, and each model's stage changes.
extension Dossier {
    /// A stage's holder with what held it there.
    struct Holding {
        var model: ModelFacts
        var stage: String
        var version: VersionFacts
        /// The change that put it there (nil: before the history's start).
        var since: StageChange?
        /// Its verdict for the stage as the gate audits it at the commit.
        var verdict: VersionFacts.Verdict?
    }

    /// Every stage holding, by model then the ladder's order.
    var holdings: [Holding] {
        models.flatMap { model -> [Holding] in
            facts.ladder.compactMap { stage in
                guard let version = model.holder(of: stage) else { return nil }
                return Holding(
                    model: model, stage: stage, version: version,
                    since: model.history.first { $0.stage == stage && $0.toVersion == version.version },
                    verdict: version.verdicts[stage])
            }
        }
    }

    /// The standards the evidence follows, by name (Annex IV, point 7).
    static let standards = [
        "modelgate policies: each stage's rules, read at the commit (thresholds, baselines, slices, drift, requirements)",
        "in-toto Statement v1 in a DSSE envelope (ECDSA P-256): reproducibility attestations",
        "OpenSSH signatures (SSHSIG, namespace modelgate-approval): named approvals",
        "SHA-256: artifacts, data files, lockfiles and this dossier's files",
    ]

    /// `dossier.json`.
    var record: JSONValue {
        .object([
            ("apiVersion", .string("modelgate/v1")),
            ("kind", .string("Dossier")),
            (
                "at",
                .object([
                    ("requested", .string(requested)), ("commit", .string(registry.commit.hex)),
                    ("date", .string(facts.commitDate.map(Dates.format))),
                ])
            ),
            ("generalDescription", .array(models.map(Self.description))),
            ("holders", .array(holdings.map(holding))),
            ("rulesInForce", .array(registry.policies.map(Self.policy))),
            (
                "lifecycleChanges",
                .array(models.flatMap { model in model.history.map { change(change: $0, of: model) } })
            ),
            ("standardsApplied", .array(Self.standards.map(JSONValue.string))),
        ])
    }

    private static func description(_ model: ModelFacts) -> JSONValue {
        .object([
            ("model", .string(model.name)),
            ("owner", .string(model.model.spec?.owner)),
            ("description", .string(model.model.spec?.description)),
            ("versions", .array(model.versions.map { .string($0.version) })),
        ])
    }

    private func holding(_ holding: Holding) -> JSONValue {
        let manifest = holding.version.manifest
        let training = manifest.training
        return .object([
            ("model", .string(holding.model.name)),
            ("stage", .string(holding.stage)),
            ("version", .string(holding.version.version)),
            ("since", holding.since.map { change(change: $0, of: holding.model) } ?? .null),
            ("manifest", .string(manifest.path)),
            (
                "artifact",
                .object([("uri", .string(manifest.artifact.uri)), ("sha256", .string(manifest.artifact.sha256))])
            ),
            (
                "training",
                training.map { training in
                    .object([
                        ("command", .array(training.command.map(JSONValue.string))),
                        ("source", .string(training.source?.hex)),
                        ("seed", training.seed.map { .number(Double($0)) } ?? .null),
                        ("params", .object(training.params.map { ($0.name, .string($0.value)) })),
                        (
                            "data",
                            .array(
                                training.data.map {
                                    .object([("path", .string($0.path)), ("sha256", .string($0.sha256))])
                                })
                        ),
                        ("environment", .string(training.signature)),
                    ])
                } ?? .null
            ),
            ("metrics", .object(manifest.metrics.keys.sorted().map { ($0, .number(manifest.metrics[$0]?.value)) })),
            (
                "slices",
                .object(
                    manifest.slices.keys.sorted().map { slice in
                        let metrics = manifest.slices[slice] ?? [:]
                        return (slice, .object(metrics.keys.sorted().map { ($0, .number(metrics[$0]?.value)) }))
                    })
            ),
            ("verdict", .string(holding.verdict?.verdict.rawValue ?? "ungoverned")),
            ("results", .array((holding.verdict?.evaluation.results ?? []).map(JSONReporter.result))),
            (
                "waivers",
                .array(
                    manifest.waivers.map { waiver in
                        .object([
                            ("rule", .string(waiver.rule)), ("reason", .string(waiver.reason)),
                            ("owner", .string(waiver.owner)), ("expires", .string(waiver.expiresText)),
                        ])
                    })
            ),
            (
                "approvals",
                .array(
                    holding.version.approvals.filter { $0.stage == holding.stage }.map { approval in
                        .object([
                            ("name", .string(approval.name)), ("path", .string(approval.path)),
                            ("counts", .bool(approval.counts)), ("problem", .string(approval.problem)),
                        ])
                    })
            ),
            ("attestation", Self.attestation(holding.version.attestation)),
        ])
    }

    /// Whether a present attestation verifies, and what it says or why not (nil: there is none).
    static func verification(_ attestation: VersionFacts.Attestation) -> (valid: Bool, detail: String)? {
        guard attestation.present else { return nil }
        switch attestation.check {
        case .valid(let said, let signers): return (true, "\(said), signed by \(signers.joined(separator: ", "))")
        case .problem(let why): return (false, why)
        }
    }

    static func attestation(_ attestation: VersionFacts.Attestation) -> JSONValue {
        guard let verification = verification(attestation) else {
            return .object([("path", .string(attestation.path)), ("present", .bool(false))])
        }
        return .object([
            ("path", .string(attestation.path)), ("present", .bool(true)), ("verifies", .bool(verification.valid)),
            ("detail", .string(verification.detail)),
        ])
    }

    static func policy(_ policy: Policy) -> JSONValue {
        .object([
            ("name", .string(policy.name)), ("path", .string(policy.path)),
            ("stages", .array(policy.stages.map(JSONValue.string))),
            ("models", .array(policy.models.map(JSONValue.string))),
            (
                "rules",
                .array(
                    policy.rules.map {
                        .object([("id", .string($0.id)), ("rule", .string(PolicyPage.describe($0.check)))])
                    })
            ),
        ])
    }

    /// A stage change with who authored and who committed it.
    func change(change: StageChange, of model: ModelFacts) -> JSONValue {
        let committer = committers[change.commit]
        return .object([
            ("model", .string(model.name)), ("stage", .string(change.stage)),
            ("from", .string(change.fromVersion)), ("to", .string(change.toVersion)),
            ("commit", .string(change.commit.hex)), ("date", .string(Dates.format(change.date))),
            ("author", .string("\(change.author.name) <\(change.author.email)>")),
            ("committer", .string(committer.map { "\($0.name) <\($0.email)>" })),
            ("committed", .string(committer.map { Dates.format($0.date) })),
            ("subject", .string(change.subject)),
        ])
    }
}

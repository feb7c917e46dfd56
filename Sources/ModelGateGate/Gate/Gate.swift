import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// Judges candidates against the trusted rules of the stages they enter: fail-closed.
///
/// Works on values: the registries at head (the candidates' manifests) and at base (baselines, merged
/// waivers), the `TrustedRules` read from a ref the change cannot touch, and the `Evidence` reachable at
/// head. `Gate.judging(_:base:rulesAt:in:)` is the one place that builds one from a repository.
public struct Gate {
    /// A version entering a stage.
    public struct Candidate: Sendable, Equatable {
        public var model: String
        public var version: String
        public var stage: String
        public var fromVersion: String?
        public var fromStage: String?
        /// The line of the stage in the `stages.yaml` the change edits: where results point.
        public var location: SourceLocation?

        public init(
            model: String, version: String, stage: String, fromVersion: String? = nil, fromStage: String? = nil,
            location: SourceLocation? = nil
        ) {
            self.model = model
            self.version = version
            self.stage = stage
            self.fromVersion = fromVersion
            self.fromStage = fromStage
            self.location = location
        }
    }

    /// The registry the candidates come from (their manifests).
    public var head: Registry
    /// The registry baselines and merged waivers are read from; nil in an audit (both then come from `head`).
    public var base: Registry?
    /// The rules that judge, read at the trusted ref.
    public var rules: TrustedRules
    /// What head holds beyond the registry files: attestations, artifact and data bytes, training trees.
    public var evidence: any Evidence
    /// The same at the base ref: where baseline holders' files (their data profiles) are read. Nil in an
    /// audit, or where the gate is built without a repository; `evidence` then stands in.
    public var baseEvidence: (any Evidence)?
    /// The change of the base's first-parent history that last put a version in a stage (model, stage,
    /// version), or nil where it never held it there: what makes a rollback pass `require: from`.
    public var pastHolding: (_ model: String, _ stage: String, _ version: String) -> StageChange? = { _, _, _ in nil }
    public var failOnWarn = false
    /// Today, for waiver expiry and `waivers.maxDays`.
    public var now = Date()

    public init(head: Registry, base: Registry?, rules: TrustedRules, evidence: any Evidence) {
        self.head = head
        self.base = base
        self.rules = rules
        self.evidence = evidence
    }

    /// Evaluates every candidate; invalid files at head or in the rules, and waiver problems, are errors.
    /// `attestations`: versions' attestations checked already, by manifest path, by `attestation(of:)` of a
    /// gate with the same head and rules (a reader that shows them as well then checks each once).
    public func evaluate(_ candidates: [Candidate], attestations checked: [String: AttestationCheck] = [:])
        -> GateReport
    {
        var bag = DiagnosticBag()
        bag.append(contentsOf: head.diagnostics)
        bag.append(contentsOf: rules.diagnostics)
        var evaluations: [Evaluation] = []
        // A model's metric history is the same for each of its candidates: built once per model; a version's
        // attestation is the same for every stage it enters: checked once per version (by manifest path).
        var histories: [String: [(version: String, metrics: [String: Double])]] = [:]
        var attestations = checked
        for candidate in candidates {
            guard let model = head.models[candidate.model], let manifest = model.versions[candidate.version] else {
                continue
            }
            let history =
                histories[candidate.model]
                ?? model.orderedVersions.map { ($0.version.description, $0.metrics.mapValues(\.value)) }
            histories[candidate.model] = history
            let attestation = attestations[manifest.path] ?? attestationCheck(candidate, manifest: manifest)
            attestations[manifest.path] = attestation
            var evaluation = evaluate(
                candidate, manifest: manifest, model: model, history: history, attestation: attestation)
            let merged = (base?.models ?? head.models)[candidate.model]?.versions[candidate.version]?.waivers ?? []
            bag.append(contentsOf: applyWaivers(manifest.waivers, merged: merged, to: &evaluation, candidate: manifest))
            if let location = candidate.location {
                Self.point(&evaluation.results, at: location, manifest: manifest.location)
            }
            evaluations.append(evaluation)
        }
        return GateReport(
            base: base?.commit, head: head.commit, evaluations: evaluations, errors: bag.sorted, failOnWarn: failOnWarn)
    }

    func evaluate(
        _ candidate: Candidate, manifest: ModelVersion, model: Registry.Model,
        history: [(version: String, metrics: [String: Double])], attestation: AttestationCheck
    ) -> Evaluation {
        let applicable = rules.policies.filter { $0.applies(toModel: candidate.model, stage: candidate.stage) }
        var results: [RuleResult] = []
        if applicable.isEmpty {
            results.append(ungoverned(candidate, manifest: manifest))
        }
        let (sourceResult, trainingEvidence) = source(of: manifest)
        // The model at the base ref (at head in an audit): the closure below holds it, not a whole registry.
        let baselineModel = (base?.models ?? head.models)[candidate.model]
        if let first = applicable.first, let firstRule = first.rules.first {
            // One context for the candidate, its policy and rule set as each rule is judged.
            var context = RuleContext(
                policy: first, rule: firstRule, candidate: manifest, stage: candidate.stage,
                fromStage: candidate.fromStage, isAudit: base == nil, ladder: rules.settings.stages,
                baselineHolder: { stage in baselineModel?.holder(of: stage) },
                pastHolding: { pastHolding(candidate.model, candidate.stage, candidate.version) },
                attestation: attestation, trustedAttestors: rules.attestors.map(\.name), approvers: rules.approvers,
                evidence: evidence,
                baselineEvidence: baseEvidence ?? evidence, trainingEvidence: trainingEvidence)
            for policy in applicable {
                context.policy = policy
                for rule in policy.rules {
                    context.rule = rule
                    results += Self.evaluate(rule, context)
                }
            }
        }
        // Where the version's training was read, after the rules that read it.
        if let sourceResult { results.append(sourceResult) }
        let keys = Self.keyMetrics(applicable, manifest: manifest)
        let baseline = candidate.fromVersion.flatMap { baselineModel?.versions[$0] }
        return Evaluation(
            model: candidate.model, version: candidate.version, stage: candidate.stage,
            fromVersion: candidate.fromVersion, fromStage: candidate.fromStage, results: results,
            manifestPath: manifest.path, candidateMetrics: manifest.metrics.mapValues(\.value),
            baselineMetrics: baseline?.metrics.mapValues(\.value) ?? [:],
            history: history,
            keyMetrics: keys, waivers: manifest.waivers, attestation: attestation)
    }

    /// The result that says where a version's closure is read, where it is not its source, and the evidence
    /// it is read from: `modelgate/source.missing` (warn) for a version recorded without `training.source`,
    /// judged from head as before; `modelgate/source.unreachable` (fail) for a source not in head's history
    /// (its closure then cannot be checked, and the data is looked for at head, where it fails or warns).
    func source(of manifest: ModelVersion) -> (RuleResult?, any Evidence) {
        guard let training = manifest.training, !training.command.isEmpty else { return (nil, evidence) }
        let name = "\(Escape.control(manifest.model)) \(manifest.version)"
        guard let source = training.source else {
            return (
                RuleResult(
                    policy: "modelgate", rule: "source.missing", status: .warn,
                    message:
                        "\(name) records no training.source (it was recorded before modelgate wrote one): its training code and data are read at head, where edits for later versions change them",
                    subjectLocation: training.location),
                evidence
            )
        }
        switch evidence.source(source) {
        case .found(let there): return (nil, there)
        case .unreachable(let why):
            return (
                RuleResult(
                    policy: "modelgate", rule: "source.unreachable", status: .fail,
                    message: "\(name): \(Escape.control(why))", subjectLocation: training.location),
                evidence
            )
        }
    }

    /// The candidate's attestation at head, checked against the trusted attestors and what head holds.
    func attestationCheck(_ candidate: Candidate, manifest: ModelVersion) -> AttestationCheck {
        attestation(of: manifest).check
    }

    /// A version's attestation at head, checked as `require: reproducible` checks it, with what it must
    /// be bound to there: what `modelgate verify` prints.
    public func attestation(of manifest: ModelVersion) -> (
        path: String, check: AttestationCheck, binding: AttestationCheck.Binding
    ) {
        let version = manifest.version.description
        let path = AttestationCheck.path(model: manifest.model, version: version)
        let workdir = manifest.training?.workdir ?? ""
        var binding = AttestationCheck.Binding(
            manifestBlob: manifest.blob, trainingTree: manifest.training == nil ? nil : evidence.treeID(at: workdir),
            workdir: workdir, profile: manifest.profile.map { ($0.path, evidence.content(at: $0.path)) })
        if let training = manifest.training, let source = training.source {
            binding.source = source
            binding.trainingTree = nil
            switch evidence.source(source) {
            case .found(let there):
                binding.trainingTree = there.treeID(at: workdir)
                switch there.closure(of: training) {
                case .success(let closure): binding.closure = closure.digest
                case .failure(let problem): binding.closureProblem = "the closure at \(source.short): \(problem)"
                }
            case .unreachable(let why): binding.closureProblem = why
            }
        }
        let check = AttestationCheck.check(
            evidence.file(path), path: path, binding: binding, attestors: rules.attestors,
            target: "\(manifest.model)@\(version)")
        return (path, check, binding)
    }

    static func evaluate(_ rule: Rule, _ context: RuleContext) -> [RuleResult] {
        switch rule.check {
        case .threshold(let metric, let min, let max):
            ThresholdRule.evaluate(metric: metric, min: min, max: max, context)
        case .baseline(let metric, let stage, let direction, let absolute, let relative):
            BaselineRule.evaluate(
                metric: metric, stage: stage, direction: direction, maxRegression: absolute, maxRegressionPct: relative,
                context)
        case .slices(let selector, let metric, let min, let max):
            SliceRule.evaluate(selector, metric: metric, min: min, max: max, context)
        case .require(.artifactHash): ArtifactHashRequirement.evaluate(context)
        case .require(.dataHashes): DataHashesRequirement.evaluate(context)
        case .require(.reproducible(let attestors)): ReproducibleRequirement.evaluate(attestors, context)
        case .require(.from(let stages)): FromStageRequirement.evaluate(stages, context)
        case .require(.approvals(let count, let names)):
            ApprovalsRequirement.evaluate(count: count, from: names, context)
        case .drift(let measure, let stage, let columns, let maximum):
            DriftRule.evaluate(measure, against: stage, columns: columns, max: maximum, context)
        }
    }

    /// A stage no policy governs: allowed for the first rung, `archived` and `ungated` stages of the trusted
    /// ladder; else a failure, as is a stage the trusted ladder does not have.
    func ungoverned(_ candidate: Candidate, manifest: ModelVersion) -> RuleResult {
        let settings = rules.settings
        let stage = Escape.control(candidate.stage)
        guard settings.stages.contains(candidate.stage) else {
            return RuleResult(
                policy: "modelgate", rule: "stage.governed", status: .fail,
                message: "'\(stage)' is not a stage of the trusted ladder (\(settings.stages.joined(separator: ", ")))",
                subjectLocation: manifest.location)
        }
        let exempt =
            candidate.stage == settings.stages.first || candidate.stage == "archived"
            || settings.ungated.contains(candidate.stage)
        let message =
            exempt
            ? "no policy governs '\(stage)', which may be entered ungoverned"
            : "no policy governs entering '\(stage)' for \(candidate.model): the gate fails closed; add a policy or list the stage under 'ungated' in modelgate.yaml"
        return RuleResult(
            policy: "modelgate", rule: "stage.governed", status: exempt ? .skip : .fail, message: message,
            subjectLocation: manifest.location)
    }

    /// The metrics the applicable rules read, in order; all of the candidate's when none does.
    static func keyMetrics(_ policies: [Policy], manifest: ModelVersion) -> [String] {
        var keys: [String] = []
        for rule in policies.flatMap(\.rules) {
            if case .slices = rule.check { continue }
            if let metric = rule.metric, !keys.contains(metric) { keys.append(metric) }
        }
        return keys.isEmpty ? manifest.metrics.keys.sorted() : keys
    }

    /// Results point at the promotion's line of `stages.yaml` (what a pull request's diff shows) and name the
    /// manifest line of the value they judged.
    static func point(_ results: inout [RuleResult], at location: SourceLocation, manifest: SourceLocation) {
        for index in results.indices {
            if let value = results[index].subjectLocation, value != location, value != manifest {
                results[index].message += " (\(Escape.control(value.description)))"
            }
            results[index].promotionLocation = location
        }
    }
}

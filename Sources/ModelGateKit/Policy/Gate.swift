import Foundation

/// Judges candidates against the policies of the stages they enter: SPEC §1's semantics, fail-closed.
///
/// Works on registry values, not on Git: `check` feeds it the registries at base and head, `promote` a
/// registry with the would-be `stages.yaml`.
public struct Gate {
    /// A version entering a stage.
    public struct Candidate: Sendable, Equatable {
        public var model: String
        public var version: String
        public var stage: String
        public var fromVersion: String?
        public var fromStage: String?

        public init(model: String, version: String, stage: String, fromVersion: String? = nil, fromStage: String? = nil) {
            self.model = model
            self.version = version
            self.stage = stage
            self.fromVersion = fromVersion
            self.fromStage = fromStage
        }
    }

    /// The registry the candidates come from (their manifests, settings, waivers).
    public var head: Registry
    /// The registry baselines are read from; nil in an audit (baselines then come from `head`).
    public var base: Registry?
    /// The policies that judge (head's, or another ref's with `--policies-from`).
    public var policies: [Policy]
    public var failOnWarn = false
    /// Today, for waiver expiry.
    public var now = Date()
    /// The bytes of a file at head (for attestations), or nil.
    public var readFile: (String) -> Data? = { _ in nil }

    public init(head: Registry, base: Registry?, policies: [Policy]) {
        self.head = head
        self.base = base
        self.policies = policies
    }

    /// Evaluates every candidate; head's diagnostics and waiver problems become the report's errors.
    public func evaluate(_ candidates: [Candidate]) -> GateReport {
        var errors = head.diagnostics
        var evaluations: [Evaluation] = []
        for candidate in candidates {
            guard let model = head.models[candidate.model], let manifest = model.versions[candidate.version] else { continue }
            var evaluation = evaluate(candidate, manifest: manifest, model: model)
            errors += applyWaivers(manifest.waivers, to: &evaluation, candidate: manifest)
            evaluations.append(evaluation)
        }
        return GateReport(base: base?.commit, head: head.commit, evaluations: evaluations, errors: errors, failOnWarn: failOnWarn)
    }

    func evaluate(_ candidate: Candidate, manifest: ModelVersion, model: Registry.Model) -> Evaluation {
        let settings = head.settings
        let applicable = policies.filter { $0.applies(toModel: candidate.model, stage: candidate.stage) }
        var results: [RuleResult] = []
        if applicable.isEmpty {
            results.append(ungoverned(candidate, manifest: manifest))
        }
        let baselineSource = base ?? head
        let attestationPath = AttestationCheck.path(model: candidate.model, version: candidate.version)
        let attestation = AttestationCheck.check(readFile(attestationPath), path: attestationPath, manifestBlob: manifest.blob)
        for policy in applicable {
            for rule in policy.rules {
                let context = RuleContext(
                    policy: policy, rule: rule, candidate: manifest, stage: candidate.stage,
                    fromStage: candidate.fromStage, isAudit: base == nil, ladder: settings.stages,
                    baselineHolder: { stage in baselineSource.models[candidate.model]?.holder(of: stage) },
                    attestation: attestation)
                results += Self.evaluate(rule, context)
            }
        }
        let keys = Self.keyMetrics(applicable, manifest: manifest)
        let baseline = candidate.fromVersion.flatMap { baselineSource.models[candidate.model]?.versions[$0] }
        return Evaluation(
            model: candidate.model, version: candidate.version, stage: candidate.stage,
            fromVersion: candidate.fromVersion, fromStage: candidate.fromStage, results: results,
            manifestPath: manifest.path, candidateMetrics: manifest.metrics.mapValues(\.value),
            baselineMetrics: baseline?.metrics.mapValues(\.value) ?? [:],
            history: model.orderedVersions.map { ($0.version.description, $0.metrics.mapValues(\.value)) },
            keyMetrics: keys, waivers: manifest.waivers, attestation: attestation)
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
        case .require(.reproducible): ReproducibleRequirement.evaluate(context)
        case .require(.from(let stages)): FromStageRequirement.evaluate(stages, context)
        }
    }

    /// A stage no policy governs: allowed for the first rung, `archived` and `ungated` stages; else a failure.
    func ungoverned(_ candidate: Candidate, manifest: ModelVersion) -> RuleResult {
        let settings = head.settings
        let exempt = candidate.stage == settings.stages.first || candidate.stage == "archived"
            || settings.ungated.contains(candidate.stage)
        let message =
            exempt
            ? "no policy governs '\(candidate.stage)', which may be entered ungoverned"
            : "no policy governs entering '\(candidate.stage)' for \(candidate.model): the gate fails closed; add a policy or list the stage under 'ungated' in modelgate.yaml"
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

    // MARK: - Waivers

    /// Turns excused failures into `waived`; returns an error for each expired or dangling waiver.
    func applyWaivers(_ waivers: [Waiver], to evaluation: inout Evaluation, candidate: ModelVersion) -> [Diagnostic] {
        var errors: [Diagnostic] = []
        let known = knownResultNames(for: candidate)
        for waiver in waivers {
            guard known.contains(waiver.rule) else {
                errors.append(Diagnostic(at: waiver.location, "waiver names \(Quoted(waiver.rule)), which is no rule of any policy"))
                continue
            }
            let expired = waiver.expires.map { now >= $0.addingTimeInterval(86_400) } ?? true
            if expired {
                errors.append(Diagnostic(at: waiver.location, "waiver for \(waiver.rule) expired on \(waiver.expiresText)"))
            }
            for index in evaluation.results.indices where evaluation.results[index].name == waiver.rule {
                let result = evaluation.results[index]
                guard result.status == .fail || result.status == .warn else { continue }
                if expired {
                    evaluation.results[index].message += " (its waiver expired on \(waiver.expiresText))"
                } else {
                    evaluation.results[index].status = .waived
                    evaluation.results[index].waiver = waiver
                    evaluation.results[index].message += " — waived until \(waiver.expiresText) by \(waiver.owner): \(waiver.reason)"
                }
            }
        }
        return errors
    }

    /// Every `<policy>/<rule>` a waiver of `candidate` may name.
    func knownResultNames(for candidate: ModelVersion) -> Set<String> {
        var names: Set<String> = []
        for policy in policies {
            for rule in policy.rules {
                names.insert("\(policy.name)/\(rule.id)")
                guard case .slices(let selector, _, _, _) = rule.check else { continue }
                let slices: [String]
                switch selector {
                case .all: slices = Array(candidate.slices.keys)
                case .named(let named): slices = named
                }
                for slice in slices { names.insert("\(policy.name)/\(rule.sliceResultID(slice))") }
            }
        }
        return names
    }
}

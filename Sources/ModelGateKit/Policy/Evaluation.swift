/// One candidate judged for one stage: a promotion in a pull request, or an assignment in an audit.
public struct Evaluation: Sendable {
    public var model: String
    public var version: String
    public var stage: String
    /// The version that held the stage at the base ref (nil: none, or an audit).
    public var fromVersion: String?
    /// The stage the candidate held at the base ref (nil: none, or an audit).
    public var fromStage: String?
    public var results: [RuleResult]
    /// The candidate's manifest path.
    public var manifestPath: String
    /// The candidate's metrics, and the baseline holder's, for reports that compare them.
    public var candidateMetrics: [String: Double]
    public var baselineMetrics: [String: Double]
    /// The model's versions in SemVer order with their metrics, for the history chart.
    public var history: [(version: String, metrics: [String: Double])]
    /// The metrics the rules read, in rule order.
    public var keyMetrics: [String]
    /// Waivers named in the manifest, for reports that list them.
    public var waivers: [Waiver]
    /// The candidate's reproducibility attestation, checked (shown to reviewers whatever the policies say).
    public var attestation: AttestationCheck

    /// `churn@1.3.0 → production`.
    public var title: String { "\(model)@\(version) → \(stage)" }

    public func count(_ status: RuleResult.Status) -> Int { results.filter { $0.status == status }.count }
}

/// The gate's answer for a whole check: every evaluation, every error, and the verdict.
public struct GateReport: Sendable {
    /// Pass or fail.
    public enum Verdict: String, Sendable {
        case pass
        case fail
    }

    public var base: ObjectID?
    public var head: ObjectID
    public var evaluations: [Evaluation]
    /// Invalid files, expired or dangling waivers: each fails the gate.
    public var errors: [Diagnostic]
    public var failOnWarn: Bool

    public init(base: ObjectID?, head: ObjectID, evaluations: [Evaluation], errors: [Diagnostic], failOnWarn: Bool) {
        self.base = base
        self.head = head
        self.evaluations = evaluations
        self.errors = errors
        self.failOnWarn = failOnWarn
    }

    public var verdict: Verdict {
        if !errors.filter({ $0.severity == .error }).isEmpty { return .fail }
        for result in evaluations.flatMap(\.results) {
            if result.status == .fail || (failOnWarn && result.status == .warn) { return .fail }
        }
        return .pass
    }

    public var allResults: [RuleResult] { evaluations.flatMap(\.results) }

    public func count(_ status: RuleResult.Status) -> Int { allResults.filter { $0.status == status }.count }
}

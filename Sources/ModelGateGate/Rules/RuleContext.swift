import ModelGateRegistry
import ModelGateSupport

/// What a rule is judged against: the candidate, the stage it enters, and the registry around it.
struct RuleContext {
    var policy: Policy
    var rule: Rule
    var candidate: ModelVersion
    var stage: String
    /// The stage the candidate held at the base ref; nil when it held none, or in an audit.
    var fromStage: String?
    /// Whether this is an audit (no base ref): there is no "coming from" to judge.
    var isAudit: Bool
    var ladder: [String]
    /// The version holding a stage at the base ref (at head in an audit).
    var baselineHolder: (String) -> ModelVersion?
    /// The change of the base's first-parent history that last put the candidate in this stage, if any.
    var pastHolding: () -> StageChange? = { nil }
    /// The candidate's attestation, read and checked, or why there is none.
    var attestation: AttestationCheck
    /// The names under `trust.attestors` at the trusted ref.
    var trustedAttestors: [String]
    /// `trust.approvers` at the trusted ref.
    var approvers: [TrustedRules.Approver]
    /// What the tree being judged holds beyond the registry files (the bytes behind hashes).
    var evidence: any Evidence
    /// The same at the base ref (at head in an audit): where a baseline holder's files are read, so the
    /// change being judged cannot rewrite them.
    var baselineEvidence: any Evidence
    /// Where the candidate's closure is read: its `training.source` (head for a version without one).
    var trainingEvidence: any Evidence

    /// A result of this rule, filled with the policy, rule id and rule location.
    func result(
        _ status: RuleResult.Status, _ message: String, rule id: String? = nil, metric: String? = nil,
        actual: Double? = nil, bound: Double? = nil, subject: SourceLocation? = nil
    ) -> RuleResult {
        RuleResult(
            policy: policy.name, rule: id ?? rule.id, status: status, metric: metric, actual: actual, bound: bound,
            message: message, ruleLocation: rule.location, subjectLocation: subject ?? candidate.location)
    }

    /// The failure status for this rule's severity: `fail`, or `warn` for a warning rule.
    var failing: RuleResult.Status { rule.severity == .warning ? .warn : .fail }
}

/// Why a metric cannot be judged: missing, NaN or infinite.
struct UnusableMetric: Error {
    var message: String
}

/// The metric `name` of `what`, when it is there and finite.
func usable(_ metric: Metric?, name: String, in what: String) -> Result<Metric, UnusableMetric> {
    guard let metric else { return .failure(UnusableMetric(message: "\(name) is missing from \(what)")) }
    if metric.value.isNaN { return .failure(UnusableMetric(message: "\(name) is NaN in \(what)")) }
    if metric.value.isInfinite { return .failure(UnusableMetric(message: "\(name) is infinite in \(what)")) }
    return .success(metric)
}

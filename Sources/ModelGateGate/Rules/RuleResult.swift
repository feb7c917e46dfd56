import ModelGateRegistry
import ModelGateSupport

/// The outcome of one rule for one candidate: the unit every report format shows.
public struct RuleResult: Sendable {
    /// How a rule came out.
    public enum Status: String, Sendable, CaseIterable {
        case pass
        case fail
        /// Failed, but the rule's severity is `warning`.
        case warn
        /// Not applicable (no baseline holder, nothing to compare); says why.
        case skip
        /// Failed, and a valid waiver in the manifest excuses it.
        case waived
    }

    public var policy: String
    /// The rule's id, or for slice rules the id of the slice's result (`region=eu/auc.min`).
    public var rule: String
    public var status: Status
    public var metric: String?
    public var actual: Double?
    public var bound: Double?
    public var baselineVersion: String?
    public var baselineValue: Double?
    public var message: String
    /// Where the rule is written in its policy.
    public var ruleLocation: SourceLocation?
    /// Where the value judged is written in the manifest, when it is.
    public var subjectLocation: SourceLocation?
    /// The line of the promotion's stage in the `stages.yaml` the change edits, where reports point.
    public var promotionLocation: SourceLocation?
    /// The waiver that excused a failure.
    public var waiver: Waiver?

    public init(
        policy: String, rule: String, status: Status, metric: String? = nil, actual: Double? = nil,
        bound: Double? = nil, baselineVersion: String? = nil, baselineValue: Double? = nil, message: String,
        ruleLocation: SourceLocation? = nil, subjectLocation: SourceLocation? = nil
    ) {
        self.policy = policy
        self.rule = rule
        self.status = status
        self.metric = metric
        self.actual = actual
        self.bound = bound
        self.baselineVersion = baselineVersion
        self.baselineValue = baselineValue
        self.message = message
        self.ruleLocation = ruleLocation
        self.subjectLocation = subjectLocation
    }

    /// `<policy>/<rule id>`: the name of the result in every report format and in waivers.
    public var name: String { "\(policy)/\(rule)" }

    /// The place a report points at: the promotion's line, else the value in the manifest, else the rule.
    public var location: SourceLocation? { promotionLocation ?? subjectLocation ?? ruleLocation }
}

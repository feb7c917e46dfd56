import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

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
    /// In a replay (`check --replay`): the commit of the history that made this promotion, and whether it
    /// passed the rules of its own time.
    public var replayed: (commit: ObjectID, date: Date, passedThen: Bool)?

    /// `churn@1.3.0 → production`, and in a replay ` at 1a2b3c4 (2026-03-05)`.
    public var title: String {
        let at = replayed.map { " at \($0.commit.short) (\(Dates.formatDay($0.date)))" } ?? ""
        return "\(model)@\(version) → \(stage)\(at)"
    }

    /// Whether the evaluation fails: a failing result, or a warning when warnings fail.
    public func fails(failOnWarn: Bool) -> Bool {
        results.contains { $0.status == .fail || (failOnWarn && $0.status == .warn) }
    }

    public func count(_ status: RuleResult.Status) -> Int { results.count { $0.status == status } }
}

/// A rule change's rules replayed over the promotions of the base's history: how many were replayed (and
/// whether older ones were left out), and the evaluations the new rules decide otherwise than the old.
public struct ChangeReplay: Sendable {
    public var promotions: Int
    public var limited: Bool
    public var differing: [Evaluation]

    public init(promotions: Int, limited: Bool, differing: [Evaluation]) {
        self.promotions = promotions
        self.limited = limited
        self.differing = differing
    }
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
    /// The rule files the change edits (`modelgate/rules.changed`): a warning, or a failure where the same
    /// change also makes a stage assignment.
    public var ruleChanges: [RuleChange] = []
    /// Invalid files, expired or dangling waivers: each fails the gate.
    public var errors: [Diagnostic]
    public var failOnWarn: Bool
    /// Set for `check --replay`: the commit whose rules judged the history, and how many promotions were
    /// replayed (the evaluations are theirs).
    public var replay: (rules: ObjectID, promotions: Int, limited: Bool)?
    /// For a change that edits the rules: its rules replayed over the base's history (`replay(from:rules:)`),
    /// which the Markdown comment shows under the verdict.
    public var changeReplay: ChangeReplay?

    public init(base: ObjectID?, head: ObjectID, evaluations: [Evaluation], errors: [Diagnostic], failOnWarn: Bool) {
        self.base = base
        self.head = head
        self.evaluations = evaluations
        self.errors = errors
        self.failOnWarn = failOnWarn
    }

    public var verdict: Verdict {
        if !errors.filter({ $0.severity == .error }).isEmpty { return .fail }
        if ruleChanges.contains(where: { $0.status == .fail || (failOnWarn && $0.status == .warn) }) { return .fail }
        return evaluations.contains { $0.fails(failOnWarn: failOnWarn) } ? .fail : .pass
    }

    public var allResults: [RuleResult] { evaluations.flatMap(\.results) }

    /// Counted in place: the summary asks for every status, and copying all results for each was most of
    /// the text report's time.
    public func count(_ status: RuleResult.Status) -> Int {
        var total = 0
        for evaluation in evaluations.indices {
            for result in evaluations[evaluation].results.indices
            where evaluations[evaluation].results[result].status == status {
                total += 1
            }
        }
        return total + ruleChanges.indices.count { ruleChanges[$0].status == status }
    }
}

/// A result of the change itself rather than of one promotion: a file the rules are read from that it
/// edits (`modelgate/rules.changed`: a policy, `modelgate.yaml`, a key file `trust` names, a manifest's
/// waivers; an error when the change also uses the rules), a version that exists at the base that it edits
/// (`modelgate/version.changed`), or a stage it leaves without a holder (`modelgate/stage.removed`).
public struct RuleChange: Sendable, Equatable {
    /// The result name of a rule change.
    public static let rule = "modelgate/rules.changed"

    public var path: String
    /// The result's name: `rule` (the default), or the version and stage results above.
    public var rule: String
    /// `warn`, or `fail` when the change also makes a stage assignment without `--allow-rule-change`.
    public var status: RuleResult.Status
    public var message: String

    public init(path: String, rule: String = RuleChange.rule, status: RuleResult.Status, message: String) {
        self.path = path
        self.rule = rule
        self.status = status
        self.message = message
    }

    /// The change's rule files, judged: failing where it also assigns stages, unless that is allowed.
    public static func judge(paths: [String], assigns: Bool, allowed: Bool) -> [RuleChange] {
        paths.map { path in
            let shown = Escape.control(path)
            if assigns && !allowed {
                return RuleChange(
                    path: path, status: .fail,
                    message:
                        "\(shown) changes the rules, and the same change makes a stage assignment: a change may edit the rules or use them, not both (split it, or pass --allow-rule-change; the rules are read at the base either way)"
                )
            }
            let note =
                assigns ? " (allowed with --allow-rule-change; this check judged with the rules at the base)" : ""
            return RuleChange(
                path: path, status: .warn, message: "\(shown) changes the rules; they count once merged\(note)")
        }
    }
}

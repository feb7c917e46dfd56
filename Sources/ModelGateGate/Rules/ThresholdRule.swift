import ModelGateGit
import ModelGateRegistry
import ModelGateSupport
import ModelGateYAML

/// `metric: auc` with `min` and/or `max`: the candidate's value within inclusive bounds.
enum ThresholdRule {
    static func evaluate(metric name: String, min: Double?, max: Double?, _ context: RuleContext) -> [RuleResult] {
        let recorded = context.candidate.metrics[name]
        switch usable(recorded, name: name, in: "the manifest") {
        case .failure(let problem):
            return [
                context.result(
                    context.failing, problem.message, metric: name, bound: min ?? max, subject: recorded?.location)
            ]
        case .success(let metric):
            return [check(metric.value, name: name, min: min, max: max, context, subject: metric.location)]
        }
    }

    /// Judges `value` against the bounds; shared with slice rules.
    static func check(
        _ value: Double, name: String, min: Double?, max: Double?, _ context: RuleContext, rule id: String? = nil,
        subject: SourceLocation
    ) -> RuleResult {
        let shown = NumberFormat.metric(value)
        if let min, value < min {
            return context.result(
                context.failing, "\(name) \(shown) is below the minimum \(NumberFormat.metric(min))", rule: id,
                metric: name, actual: value, bound: min, subject: subject)
        }
        if let max, value > max {
            return context.result(
                context.failing, "\(name) \(shown) is above the maximum \(NumberFormat.metric(max))", rule: id,
                metric: name, actual: value, bound: max, subject: subject)
        }
        let parts = [min.map { "≥ \(NumberFormat.metric($0))" }, max.map { "≤ \(NumberFormat.metric($0))" }].compactMap
        { $0 }
        return context.result(
            .pass, "\(name) \(shown) \(parts.joined(separator: " and "))", rule: id, metric: name, actual: value,
            bound: min ?? max, subject: subject)
    }
}

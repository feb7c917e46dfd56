import ModelGateGit
import ModelGateRegistry
import ModelGateYAML

/// `slices: "*"` (or a list) with `metric` and `min`/`max`: every slice holds its own bounds.
enum SliceRule {
    static func evaluate(
        _ selector: Rule.SliceSelector, metric name: String, min: Double?, max: Double?, _ context: RuleContext
    )
        -> [RuleResult]
    {
        let id = context.rule.sliceResultID
        let slices: [String]
        switch selector {
        case .all:
            slices = context.candidate.slices.keys.sorted()
            if slices.isEmpty {
                return [context.result(.skip, "the version reports no slices", metric: name)]
            }
        case .named(let names):
            slices = names
        }
        return slices.map { slice in
            guard let metrics = context.candidate.slices[slice] else {
                return context.result(
                    context.failing, "slice '\(slice)' is not reported", rule: id(slice), metric: name,
                    bound: min ?? max)
            }
            let metric: Metric
            switch usable(metrics[name], name: name, in: "slice '\(slice)'") {
            case .failure(let problem):
                return context.result(
                    context.failing, problem.message, rule: id(slice), metric: name, bound: min ?? max)
            case .success(let found): metric = found
            }
            var result = ThresholdRule.check(
                metric.value, name: name, min: min, max: max, context, rule: id(slice), subject: metric.location)
            result.message = "\(slice): \(result.message)"
            return result
        }
    }
}

extension SliceRule {
    /// The result names a waiver may give for `rule` of `policy` on `candidate`: one per slice.
    static func resultNames(_ rule: Rule, policy: String, candidate: ModelVersion) -> [String] {
        guard case .slices(let selector, _, _, _) = rule.check else { return [] }
        let slices: [String]
        switch selector {
        case .all: slices = Array(candidate.slices.keys)
        case .named(let named): slices = named
        }
        return slices.map { "\(policy)/\(rule.sliceResultID($0))" }
    }
}

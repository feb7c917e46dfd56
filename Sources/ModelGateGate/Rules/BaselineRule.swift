import ModelGateGit
import ModelGateRegistry
import ModelGateSupport
import ModelGateYAML

/// `baseline: production`: no worse than the version holding that stage at the base ref, by at most
/// `maxRegression` (absolute) or `maxRegressionPct` (percent of `|baseline|`).
enum BaselineRule {
    /// Below this magnitude a baseline value is zero, and a relative regression is undefined.
    static let zero = 1e-12

    static func evaluate(
        metric name: String, stage: String, direction: Rule.Direction, maxRegression: Double?,
        maxRegressionPct: Double?, _ context: RuleContext
    ) -> [RuleResult] {
        let metric = context.candidate.metrics[name]
        guard let holder = context.baselineHolder(stage) else {
            let when = context.isAudit ? "" : " at the base ref"
            return [
                context.result(
                    .skip, "no version holds \(stage)\(when): nothing to compare \(name) against", metric: name,
                    actual: metric?.value)
            ]
        }
        var result: RuleResult
        if holder.version == context.candidate.version {
            result = context.result(
                .skip, "\(context.candidate.version) holds \(stage) itself: nothing to compare against", metric: name,
                actual: metric?.value)
        } else {
            switch (
                usable(metric, name: name, in: "the manifest"),
                usable(holder.metrics[name], name: name, in: "baseline \(holder.version)")
            ) {
            case (.failure(let problem), _):
                result = context.result(context.failing, problem.message, metric: name, subject: metric?.location)
            case (.success(let candidate), .failure(let problem)):
                result = context.result(
                    context.failing, problem.message, metric: name, actual: candidate.value,
                    subject: candidate.location)
            case (.success(let candidate), .success(let baseline)):
                result = judge(
                    candidate: candidate.value, baseline: baseline.value, name: name, direction: direction,
                    absolute: maxRegression, relative: maxRegressionPct, holder: holder.version.description, context,
                    subject: candidate.location)
            }
        }
        result.baselineVersion = holder.version.description
        result.baselineValue = holder.metrics[name]?.value
        return [result]
    }

    static func judge(
        candidate: Double, baseline: Double, name: String, direction: Rule.Direction, absolute: Double?,
        relative: Double?, holder: String, _ context: RuleContext, subject: SourceLocation
    ) -> RuleResult {
        let regression = direction == .higher ? baseline - candidate : candidate - baseline
        let sign: Double = direction == .higher ? -1 : 1
        // Bounds are inclusive; a difference within floating-point rounding of the bound counts as on it
        // (0.90 - 0.89 is 0.010000000000000009 in binary).
        let noise = 1e-12 * max(1, abs(baseline), abs(candidate))
        let against = "\(name) \(NumberFormat.metric(candidate)) vs \(NumberFormat.metric(baseline)) in \(holder)"
        if let relative {
            guard abs(baseline) >= zero else {
                return context.result(
                    context.failing, "\(against): the baseline is zero, so a relative regression is undefined",
                    metric: name, actual: candidate, subject: subject)
            }
            let percent = regression / abs(baseline) * 100
            let allowed = abs(baseline) * relative / 100
            let bound = baseline + sign * allowed
            if regression > allowed + noise {
                return context.result(
                    context.failing,
                    "\(against): worse by \(format(percent))%, more than the allowed \(NumberFormat.metric(relative))%",
                    metric: name, actual: candidate, bound: bound, subject: subject)
            }
            return context.result(
                .pass,
                "\(against): \(describe(regression, percent: percent)) (allowed \(NumberFormat.metric(relative))%)",
                metric: name, actual: candidate, bound: bound, subject: subject)
        }
        let allowed = absolute ?? 0
        let bound = baseline + sign * allowed
        if regression > allowed + noise {
            return context.result(
                context.failing,
                "\(against): worse by \(NumberFormat.metric(regression)), more than the allowed \(NumberFormat.metric(allowed))",
                metric: name, actual: candidate, bound: bound, subject: subject)
        }
        return context.result(
            .pass, "\(against): \(describe(regression, percent: nil)) (allowed \(NumberFormat.metric(allowed)))",
            metric: name, actual: candidate, bound: bound, subject: subject)
    }

    private static func describe(_ regression: Double, percent: Double?) -> String {
        if regression <= 0 {
            return regression == 0
                ? "unchanged" : "better by \(percent.map { "\(format(-$0))%" } ?? NumberFormat.metric(-regression))"
        }
        return "worse by \(percent.map { "\(format($0))%" } ?? NumberFormat.metric(regression))"
    }

    private static func format(_ percent: Double) -> String { NumberFormat.metric((percent * 100).rounded() / 100) }
}

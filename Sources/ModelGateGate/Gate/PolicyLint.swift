import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// What `validate` warns about in policies that parse but cannot mean what their author wrote: a pattern
/// under `appliesTo.models` that matches no model, and a metric that no version of a governed model
/// reports (a typo there would fail every gate later, or govern nothing). Each with the nearest name.
public enum PolicyLint {
    public static func warnings(_ registry: Registry) -> [Diagnostic] {
        var warnings: [Diagnostic] = []
        let models = registry.modelNames
        for policy in registry.policies {
            for (pattern, location) in zip(policy.models, policy.modelLocations)
            where !models.contains(where: { Glob.matches(pattern, $0) }) {
                let hint = Suggestion.nearest(to: pattern, in: models).map { "; did you mean '\($0)'?" } ?? ""
                warnings.append(
                    Diagnostic(
                        .warning, at: location,
                        "appliesTo.models pattern \(Quoted(pattern)) matches no model, so it governs nothing\(hint)"))
            }
            let governed = models.filter { model in policy.models.contains { Glob.matches($0, model) } }
            let versions = governed.flatMap { registry.models[$0]?.versions.values.map { $0 } ?? [] }
            guard !versions.isEmpty else { continue }
            let reported = Set(versions.flatMap(\.metrics.keys))
            let sliced = Set(versions.flatMap { $0.slices.values.flatMap(\.keys) })
            for rule in policy.rules {
                guard let metric = rule.metric else { continue }
                var isSlice = false
                if case .slices = rule.check { isSlice = true }
                let known = isSlice ? sliced : reported
                guard !known.contains(metric) else { continue }
                let hint = Suggestion.nearest(to: metric, in: known).map { "; did you mean '\($0)'?" } ?? ""
                warnings.append(
                    Diagnostic(
                        .warning, at: rule.location,
                        "no version of \(governed.joined(separator: ", ")) reports \(Quoted(metric))\(isSlice ? " in a slice" : ""): this rule fails every candidate\(hint)"
                    ))
            }
        }
        return warnings
    }
}

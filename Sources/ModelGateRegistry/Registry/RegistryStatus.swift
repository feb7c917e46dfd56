import ModelGateGit
import ModelGateSupport

/// The registry's current assignments, one row per model and stage: what `status` prints.
public struct RegistryStatus: Sendable {
    /// One stage holder with its key metrics.
    public struct Row: Sendable {
        public var model: String
        public var stage: String
        public var version: String
        /// Metric name -> value, in the order of `keyMetrics`.
        public var metrics: [(name: String, value: Double?)]
    }

    public var commit: ObjectID
    public var rows: [Row]

    public init(_ registry: Registry) {
        commit = registry.commit
        var rows: [Row] = []
        let ladder = registry.settings.stages
        for model in registry.modelNames.compactMap({ registry.models[$0] }) {
            let name = model.name
            let keys = Self.keyMetrics(of: model, policies: registry.policies)
            let assigned = (model.stages?.stages ?? [:]).sorted {
                (ladder.firstIndex(of: $0.key) ?? .max) < (ladder.firstIndex(of: $1.key) ?? .max)
            }
            for (stage, entry) in assigned {
                let manifest = model.versions[entry.version]
                rows.append(
                    Row(
                        model: name, stage: stage, version: entry.version,
                        metrics: keys.map { ($0, manifest?.metrics[$0]?.value) }))
            }
        }
        self.rows = rows
    }

    /// The metrics the model's policies read, in rule order; else its first four metrics by name.
    public static func keyMetrics(of model: Registry.Model, policies: [Policy]) -> [String] {
        var keys: [String] = []
        for policy in policies where policy.models.contains(where: { Glob.matches($0, model.name) }) {
            for rule in policy.rules {
                if case .slices = rule.check { continue }
                if let metric = rule.metric, !keys.contains(metric) { keys.append(metric) }
            }
        }
        if keys.isEmpty {
            let all = Set(model.versions.values.flatMap { $0.metrics.keys })
            keys = Array(all.sorted().prefix(4))
        }
        return keys
    }
}

import ModelGateYAML

/// Two versions side by side: metrics and slices with deltas, and every other manifest field that differs.
public struct ManifestDiff: Sendable {
    /// One metric in both versions.
    public struct MetricRow: Sendable {
        public var slice: String?
        public var name: String
        public var a: Double?
        public var b: Double?
        public var delta: Double? { a.flatMap { a in b.map { $0 - a } } }
        /// `delta / |a|`, nil when `a` is zero or missing.
        public var relative: Double? {
            guard let a, let delta, abs(a) >= 1e-12 else { return nil }
            return delta / abs(a)
        }
    }

    /// One manifest field (a dotted path) whose value differs.
    public struct FieldRow: Sendable {
        public var path: String
        public var a: String?
        public var b: String?
    }

    public var a: ModelReference
    public var b: ModelReference
    public var metrics: [MetricRow]
    public var fields: [FieldRow]

    /// Compares two manifests, given their parsed values and raw YAML trees.
    public init(
        a: ModelReference, b: ModelReference, manifestA: ModelVersion, manifestB: ModelVersion, nodeA: YAMLNode,
        nodeB: YAMLNode
    ) {
        self.a = a
        self.b = b
        var rows: [MetricRow] = []
        for name in Set(manifestA.metrics.keys).union(manifestB.metrics.keys).sorted() {
            rows.append(
                MetricRow(slice: nil, name: name, a: manifestA.metrics[name]?.value, b: manifestB.metrics[name]?.value))
        }
        for slice in Set(manifestA.slices.keys).union(manifestB.slices.keys).sorted() {
            let left = manifestA.slices[slice] ?? [:]
            let right = manifestB.slices[slice] ?? [:]
            for name in Set(left.keys).union(right.keys).sorted() {
                rows.append(MetricRow(slice: slice, name: name, a: left[name]?.value, b: right[name]?.value))
            }
        }
        metrics = rows
        let flatA = Self.flatten(nodeA)
        let flatB = Self.flatten(nodeB)
        let skipped: Set<String> = ["version", "apiVersion", "kind"]
        fields = Set(flatA.keys).union(flatB.keys).sorted().compactMap { path in
            let root = String(path.prefix { $0 != "." && $0 != "[" })
            guard !skipped.contains(root), root != "metrics", root != "slices", flatA[path] != flatB[path] else {
                return nil
            }
            return FieldRow(path: path, a: flatA[path], b: flatB[path])
        }
    }

    /// Scalars by dotted path: `training.params.C`, `training.data[0].sha256`.
    static func flatten(_ node: YAMLNode, prefix: String = "") -> [String: String] {
        switch node.kind {
        case .scalar(let text, _): return [prefix: text]
        case .sequence(let items):
            var out: [String: String] = [:]
            for (index, item) in items.enumerated() { out.merge(flatten(item, prefix: "\(prefix)[\(index)]")) { $1 } }
            return out
        case .mapping(let pairs):
            var out: [String: String] = [:]
            for pair in pairs {
                out.merge(flatten(pair.value, prefix: prefix.isEmpty ? pair.key : "\(prefix).\(pair.key)")) { $1 }
            }
            return out
        }
    }
}

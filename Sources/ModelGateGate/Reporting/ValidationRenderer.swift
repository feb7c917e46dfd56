import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// `validate`'s output shapes: a one-line summary, or JSON with every problem.
public enum ValidationRenderer {
    /// `valid: 3 models, 12 versions, 2 policies at abc1234`, or `invalid: 2 errors at …`.
    public static func text(_ registry: Registry, place: String) -> String {
        let errors = errorCount(registry)
        guard errors == 0 else { return "invalid: \(errors) error\(errors == 1 ? "" : "s") \(place)\n" }
        return "valid: \(registry.models.count) models, \(versionCount(registry)) versions, "
            + "\(registry.policies.count) policies \(place)\n"
    }

    /// `{"valid", "commit", "models", "versions", "policies", "errors": [...]}`.
    public static func json(_ registry: Registry, commit: ObjectID) -> JSONValue {
        .object([
            ("valid", .bool(errorCount(registry) == 0)),
            ("commit", .string(commit.hex)),
            ("models", .number(Double(registry.models.count))),
            ("versions", .number(Double(versionCount(registry)))),
            ("policies", .number(Double(registry.policies.count))),
            ("errors", .array(registry.diagnostics.map(\.json))),
        ])
    }

    public static func errorCount(_ registry: Registry) -> Int {
        registry.diagnostics.filter { $0.severity == .error }.count
    }

    static func versionCount(_ registry: Registry) -> Int {
        registry.models.values.reduce(0) { $0 + $1.versions.count }
    }
}

/// What `validate` found: the registry with its diagnostics, and where it was read (a ref, or the working tree).
public struct ValidationReport: CommandReport {
    public var registry: Registry
    public var place: String

    public init(registry: Registry, place: String) {
        self.registry = registry
        self.place = place
    }

    public func rendered(as format: ReportFormat) -> String {
        format == .json
            ? ValidationRenderer.json(registry, commit: registry.commit).rendered()
            : ValidationRenderer.text(registry, place: place)
    }
}

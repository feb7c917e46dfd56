/// The report formats; each command accepts the subset it can produce.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text
    case json
    case markdown
    case junit
    case sarif
    case github
    /// `env` only: the `training.environment` block of a manifest.
    case yaml
    /// `drift` only: the Prometheus text exposition format.
    case prometheus

    /// The formats a gate report comes in (`check`).
    public static let gateFormats: [ReportFormat] = [.text, .json, .markdown, .junit, .sarif, .github]
}

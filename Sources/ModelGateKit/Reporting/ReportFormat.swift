/// The report formats; each command accepts the subset it can produce.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text
    case json
    case markdown
    case junit
    case sarif
    case github
}

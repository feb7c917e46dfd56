/// A report format for the gate's result: stateless, one small type per format.
public protocol GateReporter: Sendable {
    /// The `--format` value that selects it.
    static var format: ReportFormat { get }
    /// The whole report as text.
    static func render(_ report: GateReport, color: Bool) -> String
}

/// Every gate reporter, by format.
public enum GateReporters {
    public static let all: [any GateReporter.Type] = [
        TextReporter.self, JSONReporter.self, MarkdownReporter.self, JUnitReporter.self, SARIFReporter.self,
        GitHubReporter.self,
    ]

    public static func reporter(for format: ReportFormat) -> any GateReporter.Type {
        all.first { $0.format == format } ?? TextReporter.self
    }
}

extension GateReport {
    /// `3 promotions · 12 passed · 1 failed · 0 warnings · 2 skipped · 1 waived · 0 errors`.
    public var summary: String {
        let noun = base == nil ? "assignment" : "promotion"
        let count = evaluations.count
        let parts = [
            "\(count) \(noun)\(count == 1 ? "" : "s")", "\(self.count(.pass)) passed", "\(self.count(.fail)) failed",
            "\(self.count(.warn)) warning\(self.count(.warn) == 1 ? "" : "s")", "\(self.count(.skip)) skipped",
            "\(self.count(.waived)) waived", "\(errors.count) error\(errors.count == 1 ? "" : "s")",
        ]
        return parts.joined(separator: " · ")
    }
}

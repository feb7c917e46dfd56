/// A report for a terminal: the verdict, each evaluation with one line per rule, the errors, a summary.
public enum TextReporter: GateReporter {
    public static let format = ReportFormat.text

    public static func render(_ report: GateReport, color: Bool) -> String {
        func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        let verdict = report.verdict == .pass ? paint("PASS", "1;32") : paint("FAIL", "1;31")
        let range = report.base.map { "\($0.short)..\(report.head.short)" } ?? "audit of \(report.head.short)"
        var out = "\(verdict) modelgate check (\(range))\n"
        if report.evaluations.isEmpty { out += "\nnothing to judge: no stage assignment changes\n" }
        for evaluation in report.evaluations {
            var heading = evaluation.title
            if let from = evaluation.fromVersion { heading += " (replacing \(from))" }
            out += "\n\(heading)\n"
            let width = evaluation.results.map(\.name.count).max() ?? 0
            for result in evaluation.results {
                let (mark, code) = Self.mark(result.status)
                let status = result.status.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)
                out += "  \(paint("\(mark) \(status)", code)) \(result.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(result.message)\n"
            }
        }
        if !report.errors.isEmpty {
            out += "\nerrors:\n"
            for error in report.errors { out += "  \(error)\n" }
        }
        out += "\n\(report.summary)\n"
        return out
    }

    static func mark(_ status: RuleResult.Status) -> (String, String) {
        switch status {
        case .pass: ("✔", "32")
        case .fail: ("✘", "31")
        case .warn: ("!", "33")
        case .skip: ("-", "2")
        case .waived: ("~", "36")
        }
    }
}

import ModelGateSupport

/// GitHub Actions workflow commands: `::error` for failures and errors, `::warning` for warnings, `::notice`
/// for waived failures, each at its file and line, then the summary. (The CLI also appends the Markdown
/// report to `$GITHUB_STEP_SUMMARY` when that variable is set.)
public enum GitHubReporter: GateReporter {
    public static let format = ReportFormat.github

    public static func render(_ report: GateReport, color: Bool) -> String {
        var out = ""
        for evaluation in report.evaluations {
            for result in evaluation.results {
                let command: String
                switch result.status {
                case .fail: command = "error"
                case .warn: command = report.failOnWarn ? "error" : "warning"
                case .waived: command = "notice"
                case .pass, .skip: continue
                }
                out += line(
                    command, location: result.location, title: "\(evaluation.title): \(result.name)",
                    message: result.message)
            }
        }
        for change in report.ruleChanges where change.status != .pass {
            let command = change.status == .fail || report.failOnWarn ? "error" : "warning"
            out += line(
                command, location: SourceLocation(path: change.path), title: change.rule, message: change.message)
        }
        for error in report.errors {
            out += line("error", location: error.location, title: "invalid registry file", message: error.message)
        }
        out += "modelgate: \(report.verdict.rawValue) — \(report.summary)\n"
        return out
    }

    static func line(_ command: String, location: SourceLocation?, title: String, message: String) -> String {
        var properties: [String] = []
        if let location {
            properties += ["file=\(property(location.path))", "line=\(location.line)", "col=\(location.column)"]
        }
        properties.append("title=\(property(title))")
        return "::\(command) \(properties.joined(separator: ","))::\(data(message))\n"
    }

    /// Escaping of a workflow command's message: control characters written out (no registry text can
    /// start a line of its own), then the workflow-command encoding.
    static func data(_ text: String) -> String {
        Escape.control(text).replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Escaping of a workflow command's property value.
    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

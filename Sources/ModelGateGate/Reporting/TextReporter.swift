import ModelGateGit
import ModelGateSupport

/// A report for a terminal: the verdict, each evaluation with one line per rule, the errors, a summary.
public enum TextReporter: GateReporter {
    public static let format = ReportFormat.text

    public static func render(_ report: GateReport, color: Bool) -> String {
        render(report, color: color, quiet: false)
    }

    /// With `quiet`, errors only: nothing when the gate passes; when it fails, the verdict line, what failed
    /// (warnings too when they are what failed it, under `--fail-on-warn`) and the errors.
    public static func render(_ report: GateReport, color: Bool, quiet: Bool) -> String {
        func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        let verdict = report.verdict == .pass ? paint("PASS", "1;32") : paint("FAIL", "1;31")
        if quiet && report.verdict == .pass { return "" }
        let range =
            report.replay.map { replay in
                "replay of \(replay.promotions) promotions up to \(report.head.short) under the rules of \(replay.rules.short)"
            } ?? report.base.map { base in
                base == report.head ? "the proposed change on \(base.short)" : "\(base.short)..\(report.head.short)"
            } ?? "audit of \(report.head.short)"
        var out = "\(verdict) modelgate check (\(range))\n"
        if report.evaluations.isEmpty && report.ruleChanges.isEmpty && !quiet
            && (report.errors.isEmpty || report.base == nil)
        {
            out +=
                report.replay == nil
                ? "\nnothing to judge: no stage assignment changes\n"
                : "\nnothing to replay: no promotion in the history\n"
        }
        func line(_ status: RuleResult.Status, _ name: String, _ message: String, width: Int) -> String {
            let (mark, code) = Self.mark(status)
            let label = status.rawValue.padded(to: 6)
            let shown = Escape.control(name).padded(to: width)
            return "  \(paint("\(mark) \(label)", code)) \(shown)  \(Escape.control(message))\n"
        }
        let failed =
            report.evaluations.contains { $0.results.contains { $0.status == .fail } }
            || report.ruleChanges.contains { $0.status == .fail }
        func shown(_ status: RuleResult.Status) -> Bool { !quiet || status == .fail || (status == .warn && !failed) }
        var unchanged = 0
        for evaluation in report.evaluations {
            let results = evaluation.results.filter { shown($0.status) }
            if quiet && results.isEmpty { continue }
            var heading = Escape.control(evaluation.title)
            if let from = evaluation.fromVersion { heading += " (replacing \(Escape.control(from)))" }
            // A replay lists what these rules would have decided otherwise than the rules of the time did.
            if let replayed = evaluation.replayed {
                let failsNow = evaluation.fails(failOnWarn: report.failOnWarn)
                guard failsNow || !replayed.passedThen else {
                    unchanged += 1
                    continue
                }
                heading +=
                    failsNow
                    ? (replayed.passedThen ? ": would have failed (it passed then)" : ": fails, as it did then")
                    : ": would newly pass (it failed then)"
            }
            out += "\n\(heading)\n"
            let width = results.map(\.name.count).max() ?? 0
            for result in results { out += line(result.status, result.name, result.message, width: width) }
        }
        let changes = report.ruleChanges.filter { shown($0.status) }
        if !changes.isEmpty {
            out += "\nchanges to rules, versions and stages\n"
            let width = changes.map(\.rule.count).max() ?? 0
            for change in changes {
                out += line(change.status, change.rule, change.message, width: width)
            }
        }
        if !report.errors.isEmpty {
            out += "\nerrors:\n"
            for error in report.errors { out += "  \(error)\n" }
        }
        if unchanged > 0 && !quiet {
            out += "\n\(unchanged) replayed promotion\(unchanged == 1 ? "" : "s") passed then and would pass now\n"
        }
        if let replay = report.replay, replay.limited, !quiet {
            out += "\nonly the newest \(replay.promotions) promotions were replayed\n"
        }
        if !quiet { out += "\n\(report.summary)\n" }
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

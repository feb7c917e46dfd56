import ModelGateRegistry
import ModelGateSupport

/// A pull-request comment for reviewers: the verdict first, then per promotion the candidate against the
/// version it replaces with deltas, every rule, waivers, the reproducibility verdict and a metric-history chart.
public enum MarkdownReporter: GateReporter {
    public static let format = ReportFormat.markdown

    public static func render(_ report: GateReport, color: Bool) -> String {
        let icon = report.verdict == .pass ? "✅" : "❌"
        var out = "## \(icon) modelgate: \(report.verdict == .pass ? "pass" : "fail")\n\n"
        let range =
            report.replay.map {
                "replay of \($0.promotions) promotions up to `\(report.head.short)` under the rules of `\($0.rules.short)`"
            } ?? report.base.map { "base `\($0.short)` → head `\(report.head.short)`" }
            ?? "audit of `\(report.head.short)`"
        out += "\(range) · \(report.summary)\n"
        if report.evaluations.isEmpty && report.ruleChanges.isEmpty {
            out += "\nNo stage assignment changes: nothing to judge.\n"
        }
        for evaluation in report.evaluations { out += "\n" + section(evaluation) }
        if !report.ruleChanges.isEmpty {
            out +=
                "\n### Changes to rules, versions and stages\n\nRule files count once merged; a recorded version never changes; an emptied stage serves nothing.\n\n"
            out += "| | Result | File | Message |\n|---|---|---|---|\n"
            for change in report.ruleChanges {
                out +=
                    "| \(Self.icon(change.status)) | \(code(change.rule)) | \(code(change.path)) | \(cell(change.message)) |\n"
            }
        }
        if let replay = report.changeReplay { out += replaySection(replay) }
        if !report.errors.isEmpty {
            out += "\n### Errors\n\n"
            for error in report.errors {
                out += "- \(code(error.location?.description ?? "registry")) \(cell(error.message))\n"
            }
        }
        return out
    }

    /// What the change's rules would have decided otherwise over the base's past promotions.
    static func replaySection(_ replay: ChangeReplay) -> String {
        var out = "\n### These rules over past promotions\n\n"
        out +=
            "The \(replay.limited ? "newest " : "")\(replay.promotions) promotions of the base's history, judged again under the rules of this change"
        out += replay.limited ? " (older ones were left out; `check --replay` reaches further back).\n\n" : ".\n\n"
        guard !replay.differing.isEmpty else { return out + "None would be decided otherwise.\n" }
        for evaluation in replay.differing {
            let failing = evaluation.results.filter { $0.status == .fail }.map { code($0.name) }
            let at = evaluation.replayed.map { " at `\($0.commit.short)` (\(Dates.formatDay($0.date)))" } ?? ""
            out +=
                "- \(failing.isEmpty ? "✅" : "❌") \(cell(evaluation.model)) \(cell(evaluation.version)) → \(cell(evaluation.stage))\(at): "
            out +=
                failing.isEmpty
                ? "would newly pass (it failed then)\n"
                : "would have failed (it passed then): \(failing.joined(separator: ", "))\n"
        }
        return out
    }

    static func section(_ evaluation: Evaluation) -> String {
        let failed = evaluation.results.contains { $0.status == .fail }
        var out =
            "### \(failed ? "❌" : "✅") \(cell(evaluation.model)) \(cell(evaluation.version)) → \(cell(evaluation.stage))"
        if let from = evaluation.fromVersion { out += " (replacing \(cell(from)))" }
        if let replayed = evaluation.replayed {
            out +=
                " at `\(replayed.commit.short)` (\(Dates.formatDay(replayed.date))): \(replayed.passedThen ? "passed" : "failed") then"
        }
        out += "\n\n"
        out += comparison(evaluation)
        out += "\n| | Rule | Actual | Bound | Baseline | Message |\n|---|---|---|---|---|---|\n"
        for result in evaluation.results {
            let baseline = result.baselineVersion.map { "\($0): \(NumberFormat.metric(result.baselineValue))" } ?? ""
            out +=
                "| \(icon(result.status)) | \(code(result.name)) | \(result.actual.map { NumberFormat.metric($0) } ?? "") | \(result.bound.map { NumberFormat.metric($0) } ?? "") | \(cell(baseline)) | \(cell(result.message)) |\n"
        }
        let waivers = evaluation.waivers
        if !waivers.isEmpty {
            out += "\n**Waivers**\n\n"
            for waiver in waivers {
                out +=
                    "- \(code(waiver.rule)) — \(cell(waiver.owner)), until \(cell(waiver.expiresText)): \(cell(waiver.reason))\n"
            }
        }
        out += driftTable(evaluation)
        switch evaluation.attestation {
        case .valid(let verdict, let signers):
            out +=
                "\n**Reproducibility:** \(verdict) (attested for this manifest and training tree, signed by \(cell(signers.joined(separator: ", "))))\n"
        case .problem(let message): out += "\n**Reproducibility:** not attested — \(cell(message))\n"
        }
        out += chart(evaluation)
        return out
    }

    /// The most-drifted columns of the `drift` rules, largest measure first (at most five).
    static func driftTable(_ evaluation: Evaluation) -> String {
        let drifted = evaluation.results.compactMap { result in
            result.actual.map { (result: result, share: $0 / max(result.bound ?? 1, 1e-12)) }
        }.filter { ($0.result.metric ?? "").hasPrefix("drift.") }
            .sorted { ($0.share, $0.result.name) > ($1.share, $1.result.name) }.map(\.result)
        guard !drifted.isEmpty else { return "" }
        var out = "\n**Data drift** against the training data of the stage's holder (most drifted first)\n\n"
        out += "| | Column | Measure | Value | Max |\n|---|---|---|---|---|\n"
        for result in drifted.prefix(5) {
            let column = result.name.split(separator: "/").dropFirst().first.map(String.init) ?? result.name
            let measure = (result.metric ?? "").dropFirst("drift.".count)
            out +=
                "| \(icon(result.status)) | \(cell(column)) | \(measure) | \(NumberFormat.metric(result.actual)) | \(result.bound.map { NumberFormat.metric($0) } ?? "") |\n"
        }
        if drifted.count > 5 {
            out += "\n\(drifted.count - 5) more \(drifted.count == 6 ? "column" : "columns") in the rules above.\n"
        }
        return out
    }

    /// Candidate against the version it replaces, metric by metric, with deltas.
    static func comparison(_ evaluation: Evaluation) -> String {
        let keys = evaluation.keyMetrics
        guard !keys.isEmpty else { return "" }
        guard let from = evaluation.fromVersion, !evaluation.baselineMetrics.isEmpty else {
            var out = "| Metric | \(evaluation.version) |\n|---|---|\n"
            for key in keys { out += "| \(cell(key)) | \(NumberFormat.metric(evaluation.candidateMetrics[key])) |\n" }
            return out
        }
        var out =
            "| Metric | Candidate \(evaluation.version) | \(evaluation.stage.capitalized) \(from) | Δ | Δ % |\n|---|---|---|---|---|\n"
        for key in keys {
            let candidate = evaluation.candidateMetrics[key]
            let baseline = evaluation.baselineMetrics[key]
            var delta: Double?
            var relative: Double?
            if let candidate, let baseline {
                delta = candidate - baseline
                relative = abs(baseline) < 1e-12 ? nil : (candidate - baseline) / abs(baseline)
            }
            out +=
                "| \(cell(key)) | \(NumberFormat.metric(candidate)) | \(NumberFormat.metric(baseline)) | \(NumberFormat.delta(delta)) | \(NumberFormat.percent(relative)) |\n"
        }
        return out
    }

    /// A Mermaid `xychart-beta` of the first key metric over the model's versions.
    /// The key metric by version, with the policy's bound as a second line. The axis always holds the
    /// bound and the replaced version's value, so a small wobble is drawn at its true size; the candidate
    /// and the version it replaces are labelled. None for a move to `archived` (nothing is judged there).
    static func chart(_ evaluation: Evaluation) -> String {
        guard evaluation.stage != "archived", let metric = evaluation.keyMetrics.first else { return "" }
        let points = evaluation.history.compactMap { entry -> (String, Double)? in
            guard let value = entry.metrics[metric], value.isFinite else { return nil }
            return (entry.version, value)
        }
        guard points.count >= 2 else { return "" }
        let bound = evaluation.results.first { $0.metric == metric && $0.bound != nil && $0.baselineVersion == nil }?
            .bound
        var values = points.map(\.1)
        if let bound, bound.isFinite { values.append(bound) }
        if evaluation.fromVersion != nil, let value = evaluation.baselineMetrics[metric], value.isFinite {
            values.append(value)
        }
        let scale = ChartScale.range(values)
        func label(_ version: String) -> String {
            if version == evaluation.version { return "\(version) (candidate)" }
            if version == evaluation.fromVersion { return "\(version) (\(evaluation.stage))" }
            return version
        }
        var out = "\n```mermaid\nxychart-beta\n"
        out +=
            "    title \"\(evaluation.model): \(metric) by version\(bound.map { ", bound \(NumberFormat.metric($0))" } ?? "")\"\n"
        out += "    x-axis [\(points.map { "\"\(label($0.0))\"" }.joined(separator: ", "))]\n"
        out += "    y-axis \"\(metric)\" \(NumberFormat.metric(scale.low)) --> \(NumberFormat.metric(scale.high))\n"
        out += "    line [\(points.map { JSONValue.format($0.1) }.joined(separator: ", "))]\n"
        if let bound, bound.isFinite {
            out += "    line [\(points.map { _ in JSONValue.format(bound) }.joined(separator: ", "))]\n"
        }
        out += "```\n"
        if bound != nil { out += "\n_The flat line is the policy's bound on \(metric)._\n" }
        return out
    }

    static func icon(_ status: RuleResult.Status) -> String {
        switch status {
        case .pass: "✅"
        case .fail: "❌"
        case .warn: "⚠️"
        case .skip: "⏭️"
        case .waived: "🛡️"
        }
    }

    /// Registry text made inert in a table cell or a line: no column break, no line break, no HTML, no
    /// link or image (`[`, `]` and `<` escaped; `://`, `www.` and the `@` of an address broken by a
    /// zero-width space, so that nothing autolinks), no code span it could open or close, and no `@team`
    /// mention that would notify anyone.
    package static func cell(_ text: String) -> String {
        var out = ""
        var previous: Character?
        for character in Escape.control(text).unmentioned {
            switch character {
            case "\\", "`", "[", "]", "<", ">", "|", "*", "_", "~", "$":
                out += "\\"
                out.append(character)
            case "\n": out += " "
            case "/" where previous == ":" || previous == "/": out += "\u{200B}/"
            case "." where out.hasSuffix("www"): out += "\u{200B}."
            default: out.append(character)
            }
            if character == "@", previous.map({ $0.isLetter || $0.isNumber }) ?? false { out += "\u{200B}" }
            previous = character
        }
        return out
    }

    /// Registry text as a code span: the fence one backtick longer than the longest run of backticks in it
    /// (so that nothing in it can close the span), padded where it starts or ends with a backtick; pipes
    /// escaped for the table and line breaks made spaces. Inside a span nothing is a link, HTML or mention.
    package static func code(_ text: String) -> String {
        let inner = Escape.control(text).replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "|", with: "\\|")
        var longest = 0
        var run = 0
        for character in inner {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = inner.hasPrefix("`") || inner.hasSuffix("`") ? " \(inner) " : inner
        return fence + padded + fence
    }
}

extension String {
    /// The text with every `@` that starts a word (a GitHub mention: `@team`, `@org/team`) followed by a
    /// zero-width space, so that it notifies no one; `jane@acme.example` and `churn@1.3.0` stay as they are.
    fileprivate var unmentioned: String {
        var out = ""
        var previous: Character?
        for character in self {
            out.append(character)
            if character == "@", !(previous.map { $0.isLetter || $0.isNumber } ?? false) { out += "&#8203;" }
            previous = character
        }
        return out
    }
}

import ModelGateSupport

/// JUnit XML for CI test panels: one testsuite per promotion, one testcase per rule, one testsuite for
/// registry errors. `warn` passes (with its message in `system-out`) unless `--fail-on-warn`; `skip` and
/// `waived` are skipped testcases whose message says which.
public enum JUnitReporter: GateReporter {
    public static let format = ReportFormat.junit

    // Long on purpose: one JUnit document written top-down, nested as the format nests it.
    public static func render(_ report: GateReport, color: Bool) -> String {
        var suites: [String] = []
        var totals = (tests: 0, failures: 0, errors: 0, skipped: 0)
        for evaluation in report.evaluations {
            var cases = ""
            var counts = (tests: 0, failures: 0, skipped: 0)
            for result in evaluation.results {
                counts.tests += 1
                let classname = "\(evaluation.model).\(evaluation.stage)"
                cases +=
                    "    <testcase classname=\"\(XML.escape(classname))\" name=\"\(XML.escape(result.name))\" time=\"0\">\n"
                switch result.status {
                case .fail:
                    counts.failures += 1
                    cases +=
                        "      <failure type=\"fail\" message=\"\(XML.escape(result.message))\">\(XML.escape(detail(result)))</failure>\n"
                case .warn where report.failOnWarn:
                    counts.failures += 1
                    cases +=
                        "      <failure type=\"warn\" message=\"\(XML.escape(result.message))\">\(XML.escape(detail(result)))</failure>\n"
                case .warn:
                    cases += "      <system-out>warning: \(XML.escape(result.message))</system-out>\n"
                case .skip, .waived:
                    counts.skipped += 1
                    cases += "      <skipped message=\"\(result.status.rawValue): \(XML.escape(result.message))\"/>\n"
                case .pass:
                    cases += "      <system-out>\(XML.escape(result.message))</system-out>\n"
                }
                cases += "    </testcase>\n"
            }
            totals.tests += counts.tests
            totals.failures += counts.failures
            totals.skipped += counts.skipped
            suites.append(
                "  <testsuite name=\"\(XML.escape(evaluation.title))\" tests=\"\(counts.tests)\" failures=\"\(counts.failures)\" errors=\"0\" skipped=\"\(counts.skipped)\" time=\"0\">\n\(cases)  </testsuite>\n"
            )
        }
        if !report.ruleChanges.isEmpty {
            var cases = ""
            var failures = 0
            for change in report.ruleChanges {
                cases +=
                    "    <testcase classname=\"\(XML.escape(change.rule))\" name=\"\(XML.escape(change.path))\" time=\"0\">\n"
                if change.status == .fail || report.failOnWarn {
                    failures += 1
                    cases +=
                        "      <failure type=\"\(change.status.rawValue)\" message=\"\(XML.escape(change.message))\">\(XML.escape(change.message))</failure>\n"
                } else {
                    cases += "      <system-out>warning: \(XML.escape(change.message))</system-out>\n"
                }
                cases += "    </testcase>\n"
            }
            totals.tests += report.ruleChanges.count
            totals.failures += failures
            suites.append(
                "  <testsuite name=\"modelgate/change\" tests=\"\(report.ruleChanges.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"0\">\n\(cases)  </testsuite>\n"
            )
        }
        if !report.errors.isEmpty {
            var cases = ""
            for error in report.errors {
                let name = error.location?.description ?? "registry"
                cases += "    <testcase classname=\"registry\" name=\"\(XML.escape(name))\" time=\"0\">\n"
                cases +=
                    "      <error type=\"invalid\" message=\"\(XML.escape(error.message))\">\(XML.escape(error.description))</error>\n"
                cases += "    </testcase>\n"
            }
            totals.tests += report.errors.count
            totals.errors += report.errors.count
            suites.append(
                "  <testsuite name=\"registry\" tests=\"\(report.errors.count)\" failures=\"0\" errors=\"\(report.errors.count)\" skipped=\"0\" time=\"0\">\n\(cases)  </testsuite>\n"
            )
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"modelgate\" tests=\"\(totals.tests)\" failures=\"\(totals.failures)\" errors=\"\(totals.errors)\" skipped=\"\(totals.skipped)\" time=\"0\">\n"
            + suites.joined() + "</testsuites>\n"
    }

    static func detail(_ result: RuleResult) -> String {
        var lines = [result.message]
        if let location = result.location { lines.append("at \(location)") }
        if let actual = result.actual { lines.append("actual: \(NumberFormat.metric(actual))") }
        if let bound = result.bound { lines.append("bound: \(NumberFormat.metric(bound))") }
        if let version = result.baselineVersion {
            lines.append("baseline: \(version) = \(NumberFormat.metric(result.baselineValue))")
        }
        return lines.joined(separator: "\n")
    }
}

/// XML text and attribute escaping, dropping characters XML 1.0 cannot carry.
enum XML {
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

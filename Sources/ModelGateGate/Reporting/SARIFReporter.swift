import Crypto
import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// SARIF 2.1.0 for code-scanning panels: failures, warnings and waived failures (as suppressed results)
/// located at the manifest line of the value judged (or the policy line of the rule), and registry errors.
public enum SARIFReporter: GateReporter {
    public static let format = ReportFormat.sarif
    static let invalidFileRule = "modelgate/invalid-file"

    // Long on purpose: one SARIF document written top-down, nested as its schema nests it.
    public static func render(_ report: GateReport, color: Bool) -> String {
        var rules: [String: String] = [:]
        var results: [JSONValue] = []
        for evaluation in report.evaluations {
            for result in evaluation.results where [.fail, .warn, .waived].contains(result.status) {
                rules[result.name] = ruleDescription(result)
                let level = result.status == .warn && !report.failOnWarn ? "warning" : "error"
                var fields: [(String, JSONValue)] = [
                    ("ruleId", .string(result.name)),
                    ("level", .string(level)),
                    ("message", .object([("text", .string("\(evaluation.title): \(result.message)"))])),
                    ("locations", .array(result.location.map { [location($0)] } ?? [])),
                    (
                        "partialFingerprints",
                        .object([
                            (
                                "modelgate/v1",
                                .string(
                                    fingerprint([evaluation.model, evaluation.version, evaluation.stage, result.name]))
                            )
                        ])
                    ),
                    (
                        "properties",
                        .object([
                            ("model", .string(evaluation.model)), ("version", .string(evaluation.version)),
                            ("stage", .string(evaluation.stage)), ("status", .string(result.status.rawValue)),
                        ])
                    ),
                ]
                if result.promotionLocation != nil, let value = result.subjectLocation {
                    fields.append(("relatedLocations", .array([location(value)])))
                }
                if result.status == .waived, let waiver = result.waiver {
                    fields.append(
                        (
                            "suppressions",
                            .array([
                                .object([
                                    ("kind", .string("inSource")),
                                    ("status", .string("accepted")),
                                    (
                                        "justification",
                                        .string("\(waiver.reason) (\(waiver.owner), until \(waiver.expiresText))")
                                    ),
                                ])
                            ])
                        ))
                }
                results.append(.object(fields))
            }
        }
        for change in report.ruleChanges {
            rules[change.rule] =
                [
                    RuleChange.rule: "The change edits a file the gate reads its rules from",
                    VersionChanges.changedRule: "The change edits a version that exists at the base",
                    VersionChanges.removedRule: "The change leaves a stage without its holder",
                ][change.rule] ?? change.rule
            results.append(
                .object([
                    ("ruleId", .string(change.rule)),
                    ("level", .string(change.status == .fail || report.failOnWarn ? "error" : "warning")),
                    ("message", .object([("text", .string(change.message))])),
                    ("locations", .array([location(SourceLocation(path: change.path))])),
                    (
                        "partialFingerprints",
                        .object([("modelgate/v1", .string(fingerprint([change.rule, change.path, change.message])))])
                    ),
                ]))
        }
        for error in report.errors {
            rules[invalidFileRule] = "A registry file is invalid, or a waiver is expired or names no rule"
            results.append(
                .object([
                    ("ruleId", .string(invalidFileRule)),
                    ("level", .string("error")),
                    ("message", .object([("text", .string(error.message))])),
                    ("locations", .array(error.location.map { [location($0)] } ?? [])),
                    (
                        "partialFingerprints",
                        .object([
                            ("modelgate/v1", .string(fingerprint([error.location?.path ?? "", error.message])))
                        ])
                    ),
                ]))
        }
        let driver: JSONValue = .object([
            ("name", .string("modelgate")),
            ("version", .string(ModelGateVersion.current)),
            ("informationUri", .string("https://github.com/modelgate/modelgate")),
            (
                "rules",
                .array(
                    rules.sorted { $0.key < $1.key }.map { rule in
                        .object([
                            ("id", .string(rule.key)), ("shortDescription", .object([("text", .string(rule.value))])),
                        ])
                    })
            ),
        ])
        return JSONValue.object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            (
                "runs",
                .array([
                    .object([
                        ("tool", .object([("driver", driver)])),
                        ("automationDetails", .object([("id", .string("modelgate/check/"))])),
                        ("results", .array(results)),
                    ])
                ])
            ),
        ]).rendered()
    }

    static func location(_ location: SourceLocation) -> JSONValue {
        .object([
            (
                "physicalLocation",
                .object([
                    (
                        "artifactLocation",
                        .object([("uri", .string(location.path)), ("uriBaseId", .string("%SRCROOT%"))])
                    ),
                    (
                        "region",
                        .object([
                            ("startLine", .number(Double(location.line))),
                            ("startColumn", .number(Double(location.column))),
                        ])
                    ),
                ])
            )
        ])
    }

    static func ruleDescription(_ result: RuleResult) -> String {
        if let metric = result.metric { return "Policy \(result.policy): rule on \(metric) (\(result.rule))" }
        return "Policy \(result.policy): \(result.rule)"
    }

    /// A stable id of a finding across runs: the SHA-256 of its identifying fields.
    static func fingerprint(_ parts: [String]) -> String {
        String(Hex.encode(SHA256.hash(data: Data(parts.joined(separator: "\u{1F}").utf8))).prefix(32))
    }
}

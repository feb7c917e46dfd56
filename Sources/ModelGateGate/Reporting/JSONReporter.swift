import ModelGateSupport

/// The machine-readable report, keys in a stable order.
public enum JSONReporter: GateReporter {
    public static let format = ReportFormat.json

    public static func render(_ report: GateReport, color: Bool) -> String {
        JSONValue.object([
            ("verdict", .string(report.verdict.rawValue)),
            ("base", .string(report.base?.hex)),
            ("head", .string(report.head.hex)),
            ("evaluations", .array(report.evaluations.map(evaluation))),
            (
                "ruleChanges",
                .array(
                    report.ruleChanges.map { change in
                        .object([
                            ("path", .string(change.path)), ("rule", .string(change.rule)),
                            ("status", .string(change.status.rawValue)), ("message", .string(change.message)),
                        ])
                    })
            ),
            ("errors", .array(report.errors.map(\.json))),
        ]).rendered()
    }

    static func evaluation(_ evaluation: Evaluation) -> JSONValue {
        .object([
            ("model", .string(evaluation.model)),
            ("version", .string(evaluation.version)),
            ("stage", .string(evaluation.stage)),
            ("fromVersion", .string(evaluation.fromVersion)),
            ("results", .array(evaluation.results.map(result))),
        ])
    }

    static func result(_ result: RuleResult) -> JSONValue {
        .object([
            ("policy", .string(result.policy)),
            ("rule", .string(result.rule)),
            ("status", .string(result.status.rawValue)),
            ("metric", .string(result.metric)),
            ("actual", .number(result.actual)),
            ("bound", .number(result.bound)),
            ("baselineVersion", .string(result.baselineVersion)),
            ("baselineValue", .number(result.baselineValue)),
            ("message", .string(result.message)),
        ])
    }
}

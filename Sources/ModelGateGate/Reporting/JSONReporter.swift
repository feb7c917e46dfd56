import ModelGateSupport

/// The machine-readable report, keys in a stable order.
public enum JSONReporter: GateReporter {
    public static let format = ReportFormat.json

    public static func render(_ report: GateReport, color: Bool) -> String {
        let replay: [(String, JSONValue)] =
            report.replay.map { replay in
                [
                    (
                        "replay",
                        .object([
                            ("rules", .string(replay.rules.hex)),
                            ("promotions", .number(Double(replay.promotions))), ("limited", .bool(replay.limited)),
                        ])
                    )
                ]
            } ?? []
        return JSONValue.object(
            [
                ("verdict", .string(report.verdict.rawValue)),
                ("base", .string(report.base?.hex)),
                ("head", .string(report.head.hex)),
            ] + replay + [
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
            ]
        ).rendered()
    }

    static func evaluation(_ evaluation: Evaluation) -> JSONValue {
        let replayed: [(String, JSONValue)] =
            evaluation.replayed.map {
                [
                    ("commit", .string($0.commit.hex)), ("date", .string(Dates.format($0.date))),
                    ("passedThen", .bool($0.passedThen)),
                ]
            } ?? []
        return .object(
            [
                ("model", .string(evaluation.model)),
                ("version", .string(evaluation.version)),
                ("stage", .string(evaluation.stage)),
                ("fromVersion", .string(evaluation.fromVersion)),
            ] + replayed + [("results", .array(evaluation.results.map(result)))])
    }

    /// One rule's result as `check`'s JSON has it (the dossier's holders carry the same).
    public static func result(_ result: RuleResult) -> JSONValue {
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

import ModelGateGate
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// Renders `history`: the stage changes, or who held each stage at a point.
public enum HistoryRenderer {
    public static func text(_ changes: [StageChange]) -> String {
        guard !changes.isEmpty else { return "no stage changes\n" }
        var table = TextTable(header: ["DATE", "COMMIT", "AUTHOR", "STAGE", "FROM", "TO", "SUBJECT"])
        for change in changes {
            table.append([
                Dates.format(change.date), change.commit.short, change.author.name,
                change.stage, change.fromVersion ?? "—", change.toVersion ?? "—", change.subject,
            ])
        }
        return table.rendered()
    }

    public static func json(model: String, _ changes: [StageChange]) -> JSONValue {
        .object([
            ("model", .string(model)),
            ("changes", .array(changes.map(change))),
        ])
    }

    static func change(_ change: StageChange) -> JSONValue {
        .object([
            ("date", .string(Dates.format(change.date))),
            ("commit", .string(change.commit.hex)),
            ("author", .object([("name", .string(change.author.name)), ("email", .string(change.author.email))])),
            ("stage", .string(change.stage)),
            ("fromVersion", .string(change.fromVersion)),
            ("toVersion", .string(change.toVersion)),
            ("subject", .string(change.subject)),
        ])
    }

    public static func text(holdings: [StageHolding], at commit: ObjectID) -> String {
        guard !holdings.isEmpty else { return "no stage was held at \(commit.short)\n" }
        var table = TextTable(header: ["STAGE", "VERSION", "SINCE", "COMMIT", "BY"])
        for holding in holdings {
            table.append([
                holding.stage, holding.version, holding.since.map { Dates.format($0.date) } ?? "",
                holding.since?.commit.short ?? "", holding.since.map { $0.author.name } ?? "",
            ])
        }
        return "at \(commit.short):\n" + table.rendered()
    }

    public static func json(model: String, holdings: [StageHolding], at commit: ObjectID) -> JSONValue {
        .object([
            ("model", .string(model)),
            ("at", .string(commit.hex)),
            (
                "holders",
                .array(
                    holdings.map { holding in
                        .object([
                            ("stage", .string(holding.stage)),
                            ("version", .string(holding.version)),
                            ("since", holding.since.map(change) ?? .null),
                        ])
                    })
            ),
        ])
    }
}

/// What `history` found: the stage changes of a model, or who held which stage at one commit.
public enum HistoryReport: CommandReport {
    case changes(model: String, [StageChange])
    case holdings(model: String, [StageHolding], at: ObjectID)

    public func rendered(as format: ReportFormat) -> String {
        switch (self, format) {
        case (.changes(let model, let changes), .json): HistoryRenderer.json(model: model, changes).rendered()
        case (.changes(_, let changes), _): HistoryRenderer.text(changes)
        case (.holdings(let model, let holdings, let commit), .json):
            HistoryRenderer.json(model: model, holdings: holdings, at: commit).rendered()
        case (.holdings(_, let holdings, let commit), _): HistoryRenderer.text(holdings: holdings, at: commit)
        }
    }
}

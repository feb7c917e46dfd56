import ModelGateGate
import ModelGateGit
import ModelGateSupport

/// Renders what `record` did: the files it wrote, the metrics the training reported, the commit when it
/// committed, and the serving inputs it proposes.
public struct RecordRenderer {
    public var model: String
    public var version: String
    public var outcome: Recorder.Outcome
    /// The commit `--commit` made and the branch it is on; nil without `--commit`.
    public var commit: (id: ObjectID, branch: String, switchedHead: Bool)?

    public init(
        model: String, version: String, outcome: Recorder.Outcome,
        commit: (id: ObjectID, branch: String, switchedHead: Bool)?
    ) {
        self.model = model
        self.version = version
        self.outcome = outcome
        self.commit = commit
    }

    public var text: String {
        var out = "recorded \(model)@\(version): \(outcome.paths.joined(separator: ", "))\n"
        out +=
            "metrics: " + outcome.metrics.map { "\($0.name)=\(NumberFormat.metric($0.value))" }.joined(separator: " ")
        out += "\n"
        if let commit {
            out += "committed \(commit.id.short) on \(commit.branch)\(commit.switchedHead ? ", now checked out" : "")\n"
        }
        return out
    }

    public var json: JSONValue {
        .object([
            ("model", .string(model)),
            ("version", .string(version)),
            ("paths", .array(outcome.paths.map(JSONValue.string))),
            ("metrics", .object(outcome.metrics.map { ($0.name, JSONValue.number($0.value)) })),
            ("commit", .string(commit?.id.hex)),
            ("branch", .string(commit?.branch)),
            (
                "proposedInputs",
                .array(
                    outcome.proposedInputs.map { .object([("name", .string($0.name)), ("type", .string($0.type))]) })
            ),
        ])
    }
}

extension RecordRenderer: CommandReport {
    public func rendered(as format: ReportFormat) -> String { format == .json ? json.rendered() : text }
}

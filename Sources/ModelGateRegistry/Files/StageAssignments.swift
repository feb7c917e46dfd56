import ModelGateGit
import ModelGateSupport
import ModelGateYAML

/// `models/<model>/stages.yaml` (kind: Stages): which version holds each stage.
public struct StageAssignments: Sendable {
    /// One stage's holder and where it is written.
    public struct Entry: Sendable, Equatable {
        public var version: String
        public var location: SourceLocation

        package init(version: String, location: SourceLocation) {
            self.version = version
            self.location = location
        }
    }

    public var model: String
    /// Stage -> holder.
    public var stages: [String: Entry]
    public var location: SourceLocation

    public init(model: String, stages: [String: Entry], location: SourceLocation) {
        self.model = model
        self.stages = stages
        self.location = location
    }

    package static func path(_ model: String) -> String { RegistryLayout.stages(of: model) }

    /// The version holding `stage`, if any.
    public func holder(of stage: String) -> String? { stages[stage]?.version }

    /// The stage `version` holds, if any.
    public func stage(of version: String) -> String? { stages.first { $0.value.version == version }?.key }

    /// The file's text with stages in ladder order: what `init` and `promote` write.
    public static func render(model: String, stages: [String: String], ladder: [String]) -> String {
        var text = "apiVersion: modelgate/v1\nkind: Stages\nmodel: \(model)\nstages:"
        let ordered = stages.sorted {
            (ladder.firstIndex(of: $0.key) ?? .max, $0.key) < (ladder.firstIndex(of: $1.key) ?? .max, $1.key)
        }
        if ordered.isEmpty { text += " {}" }
        for (stage, version) in ordered { text += "\n  \(stage): \(version)" }
        return text + "\n"
    }

    static func read(_ node: YAMLNode, folder: String, ladder: [String], reader: SchemaReader) -> StageAssignments? {
        guard let fields = reader.fields(node, "stages.yaml") else { return nil }
        DocumentHeader.check(fields, kind: "Stages", reader: reader)
        if let model = fields.string("model", required: true), model != folder {
            reader.error(
                "model \(Quoted(model)) must equal its folder \(Quoted(folder))", at: fields.location(of: "model"))
        }
        var stages: [String: Entry] = [:]
        var holders: [String: String] = [:]
        if let stageFields = fields.fields("stages", required: true) {
            for pair in stageFields.entries {
                guard let version = reader.string(pair.value, "the version of stage \(Quoted(pair.key))") else {
                    continue
                }
                if !Names.isValid(pair.key) {
                    reader.error(Names.problem(pair.key, what: "stage"), at: pair.keyLocation)
                    continue
                }
                if !ladder.contains(pair.key) {
                    reader.error(RegistrySettings.stageProblem(pair.key, on: ladder), at: pair.keyLocation)
                    continue
                }
                if SemanticVersion(version) == nil {
                    reader.error(
                        "version \(Quoted(version)) of stage '\(pair.key)' is not a SemVer 2.0 version",
                        at: pair.value.location)
                    continue
                }
                if let other = holders[version] {
                    reader.error(
                        "version \(version) holds two stages ('\(other)' and '\(pair.key)')", at: pair.value.location)
                    continue
                }
                holders[version] = pair.key
                stages[pair.key] = Entry(version: version, location: pair.value.location)
            }
        }
        fields.finish(allowing: ["apiVersion", "kind", "model", "stages"])
        return StageAssignments(model: folder, stages: stages, location: node.location)
    }
}

import Foundation
import ModelGateGit
import ModelGateSupport
import ModelGateYAML

/// `policies/<name>.yaml` (kind: Policy): the rules a model must pass to enter some stages.
public struct Policy: Sendable {
    public var name: String
    /// The stages whose entry this policy governs.
    public var stages: [String]
    /// Glob patterns on model names.
    public var models: [String]
    /// Where each of `models` is written (empty where the default `*` applies).
    public var modelLocations: [SourceLocation] = []
    public var rules: [Rule]
    public var location: SourceLocation
    public var path: String { location.path }

    /// Whether the policy governs `model` entering `stage`.
    public func applies(toModel model: String, stage: String) -> Bool {
        stages.contains(stage) && models.contains { Glob.matches($0, model) }
    }

    static func read(_ node: YAMLNode, fileName: String, ladder: [String], reader: SchemaReader) -> Policy? {
        guard let fields = reader.fields(node, "the policy") else { return nil }
        DocumentHeader.check(fields, kind: "Policy", reader: reader)
        let name = reader.name(fields, "name", what: "policy name", required: true)
        if let name, name != fileName {
            reader.error(
                "policy name \(Quoted(name)) must equal its file name \(Quoted(fileName))",
                at: fields.location(of: "name")
            )
        }
        var stages: [String] = []
        var models = ["*"]
        var modelLocations: [SourceLocation] = []
        if let applies = fields.fields("appliesTo", required: true) {
            for (stage, location) in applies.strings("stages", required: true, single: true) ?? [] {
                if ladder.contains(stage) {
                    stages.append(stage)
                } else {
                    reader.error(RegistrySettings.stageProblem(stage, on: ladder), at: location)
                }
            }
            if let patterns = applies.strings("models", single: true) {
                models = patterns.map(\.0)
                modelLocations = patterns.map(\.1)
            }
            applies.finish(allowing: ["stages", "models"])
        }
        var rules: [Rule] = []
        if let list = fields.node("rules", required: true).flatMap({ reader.list($0, "'rules'") }) {
            if list.isEmpty { reader.error("a policy needs at least one rule", at: fields.location(of: "rules")) }
            var ids: [String: SourceLocation] = [:]
            for item in list {
                guard let rule = Rule.read(item, ladder: ladder, reader: reader) else { continue }
                if let first = ids[rule.id] {
                    reader.error(
                        "duplicate rule id '\(rule.id)' (first at line \(first.line)); give one of them an 'id'",
                        at: rule.location)
                    continue
                }
                ids[rule.id] = rule.location
                rules.append(rule)
            }
        }
        fields.finish(allowing: ["apiVersion", "kind", "name", "appliesTo", "rules"])
        return Policy(
            name: fileName, stages: stages, models: models, modelLocations: modelLocations, rules: rules,
            location: node.location)
    }
}

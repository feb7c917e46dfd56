import ModelGateGit
import ModelGateSupport
import ModelGateYAML

/// `models/<model>/model.yaml` (kind: Model): who owns a model and how it is served by default.
public struct ModelSpec: Sendable {
    public var name: String
    public var owner: String?
    public var description: String?
    public var serving: ServingConfig
    /// `training`: the defaults `modelgate record` starts from (a manifest never inherits them).
    public var training: Training?
    public var location: SourceLocation

    static func path(_ model: String) -> String { RegistryLayout.spec(of: model) }

    static func read(_ node: YAMLNode, folder: String, reader: SchemaReader) -> ModelSpec? {
        guard let fields = reader.fields(node, "model.yaml") else { return nil }
        DocumentHeader.check(fields, kind: "Model", reader: reader)
        let name = reader.name(fields, "name", what: "model name", required: true)
        if let name, name != folder {
            reader.error(
                "model name \(Quoted(name)) must equal its folder \(Quoted(folder))", at: fields.location(of: "name"))
        }
        let serving = fields.node("serving").map { ServingConfig.read($0, reader: reader) } ?? ServingConfig()
        let training = fields.fields("training").map { Training.readDefaults($0, reader: reader) }
        fields.finish(allowing: ["apiVersion", "kind", "name", "owner", "description", "serving", "training"])
        return ModelSpec(
            name: folder, owner: fields.string("owner"), description: fields.string("description"), serving: serving,
            training: training, location: node.location)
    }
}

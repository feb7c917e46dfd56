/// `models/<model>/model.yaml` (kind: Model): who owns a model and how it is served by default.
public struct ModelSpec: Sendable {
    public var name: String
    public var owner: String?
    public var description: String?
    public var serving: ServingConfig
    /// `training`: the defaults `modelgate record` starts from (a manifest never inherits them).
    public var training: Training?
    public var location: SourceLocation

    static func path(_ model: String) -> String { "models/\(model)/model.yaml" }

    static func read(_ node: YAMLNode, folder: String, reader: SchemaReader) -> ModelSpec? {
        guard let fields = reader.fields(node, "model.yaml") else { return nil }
        DocumentHeader.check(fields, kind: "Model", reader: reader)
        let name = reader.name(fields, "name", what: "model name", required: true)
        if let name, name != folder {
            reader.error("model name \(Quoted(name)) must equal its folder \(Quoted(folder))", at: fields["name"]!.location)
        }
        let serving = fields.node("serving").map { ServingConfig.read($0, reader: reader) } ?? ServingConfig()
        let training = fields.fields("training").map { Training.readDefaults($0, reader: reader) }
        fields.finish(allowing: ["apiVersion", "kind", "name", "owner", "description", "serving", "training"])
        return ModelSpec(
            name: folder, owner: fields.string("owner"), description: fields.string("description"), serving: serving,
            training: training, location: node.location)
    }
}

/// How a model is served; every key optional so a version can override any of them.
public struct ServingConfig: Sendable, Equatable {
    /// The serving runtimes bundles know.
    public static let runtimes = ["sklearn", "xgboost", "lightgbm", "onnx", "pytorch", "custom"]

    public var runtime: String?
    public var port: Int?
    public var cpu: String?
    public var memory: String?
    public var minReplicas: Int?
    public var maxReplicas: Int?

    public init() {}

    /// `self` with every key that `override` sets replaced.
    public func overridden(by override: ServingConfig?) -> ServingConfig {
        guard let override else { return self }
        var result = self
        result.runtime = override.runtime ?? runtime
        result.port = override.port ?? port
        result.cpu = override.cpu ?? cpu
        result.memory = override.memory ?? memory
        result.minReplicas = override.minReplicas ?? minReplicas
        result.maxReplicas = override.maxReplicas ?? maxReplicas
        return result
    }

    static func read(_ node: YAMLNode, reader: SchemaReader) -> ServingConfig {
        var config = ServingConfig()
        guard let fields = reader.fields(node, "'serving'") else { return config }
        if let runtime = fields.string("runtime") {
            if runtimes.contains(runtime) {
                config.runtime = runtime
            } else {
                reader.error(
                    "runtime \(Quoted(runtime)) must be one of \(runtimes.joined(separator: ", "))", at: fields["runtime"]!.location)
            }
        }
        if let port = fields.integer("port") {
            if (1...65535).contains(port) { config.port = port } else {
                reader.error("port \(port) must be between 1 and 65535", at: fields["port"]!.location)
            }
        }
        if let resources = fields.fields("resources") {
            config.cpu = quantity(resources, "cpu", reader: reader)
            config.memory = quantity(resources, "memory", reader: reader)
            resources.finish(allowing: ["cpu", "memory"])
        }
        if let replicas = fields.fields("replicas") {
            config.minReplicas = replicas.integer("min")
            config.maxReplicas = replicas.integer("max")
            if let low = config.minReplicas, low < 0 {
                reader.error("replicas min must not be negative", at: replicas["min"]!.location)
            }
            if let low = config.minReplicas, let high = config.maxReplicas, low > high {
                reader.error("replicas min \(low) is greater than max \(high)", at: replicas.location)
            }
            replicas.finish(allowing: ["min", "max"])
        }
        fields.finish(allowing: ["runtime", "port", "resources", "replicas"])
        return config
    }

    /// A Kubernetes quantity (`500m`, `512Mi`, `2`), kept as the string it is.
    private static func quantity(_ fields: SchemaReader.Fields, _ key: String, reader: SchemaReader) -> String? {
        guard let node = fields[key], case .scalar(let text, _) = node.kind else {
            if let node = fields[key] { reader.error("'\(key)' must be a quantity", at: node.location) }
            return nil
        }
        let suffixes = ["m", "k", "M", "G", "T", "Ki", "Mi", "Gi", "Ti", ""]
        let valid = suffixes.contains { suffix in
            guard text.hasSuffix(suffix) else { return false }
            let number = text.dropLast(suffix.count)
            return !number.isEmpty && number.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
                && number.filter { $0 == "." }.count <= 1
        }
        guard valid else {
            reader.error("'\(key)' \(Quoted(text)) is not a Kubernetes quantity (like 500m or 512Mi)", at: node.location)
            return nil
        }
        return text
    }
}

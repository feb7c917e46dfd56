import ModelGateSupport
import ModelGateYAML

/// How a model is served; every key optional so a version can override any of them.
public struct ServingConfig: Sendable, Equatable {
    /// The serving runtimes bundles know.
    public static let runtimes = ["sklearn", "xgboost", "lightgbm", "onnx", "pytorch", "custom"]
    /// What the server answers with: the estimator's `predict` or `predict_proba`.
    public static let outputs = ["predict", "predict_proba"]
    /// The column types of `serving.inputs` (MLflow's schema types).
    public static let inputTypes = ["double", "float", "long", "integer", "boolean", "string"]

    /// One column of the input schema.
    public struct Input: Sendable, Equatable {
        public var name: String
        public var type: String
    }

    /// `serving.allowFrom`: who may reach the service (the NetworkPolicy's ingress peer).
    public struct AllowFrom: Sendable, Equatable {
        public var namespaceLabels: [String: String] = [:]
        public var podLabels: [String: String] = [:]
    }

    public var runtime: String?
    public var port: Int?
    public var cpu: String?
    public var memory: String?
    public var minReplicas: Int?
    public var maxReplicas: Int?
    public var output: String?
    public var inputs: [Input]?
    public var allowFrom: AllowFrom?

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
        result.output = override.output ?? output
        result.inputs = override.inputs ?? inputs
        result.allowFrom = override.allowFrom ?? allowFrom
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
                    "runtime \(Quoted(runtime)) must be one of \(runtimes.joined(separator: ", "))",
                    at: fields.location(of: "runtime"))
            }
        }
        if let port = fields.integer("port") {
            if (1...65535).contains(port) {
                config.port = port
            } else {
                reader.error("port \(port) must be between 1 and 65535", at: fields.location(of: "port"))
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
                reader.error("replicas min must not be negative", at: replicas.location(of: "min"))
            }
            if let low = config.minReplicas, let high = config.maxReplicas, low > high {
                reader.error("replicas min \(low) is greater than max \(high)", at: replicas.location)
            }
            replicas.finish(allowing: ["min", "max"])
        }
        if let output = fields.string("output") {
            if outputs.contains(output) {
                config.output = output
            } else {
                reader.error(
                    "output \(Quoted(output)) must be predict or predict_proba", at: fields.location(of: "output"))
            }
        }
        if let list = fields.node("inputs").flatMap({ reader.list($0, "'inputs'") }) {
            config.inputs = readInputs(list, reader: reader)
        }
        if let allow = fields.fields("allowFrom") {
            config.allowFrom = AllowFrom(
                namespaceLabels: labels(allow, "namespaceLabels", reader: reader),
                podLabels: labels(allow, "podLabels", reader: reader))
            if config.allowFrom == AllowFrom() {
                reader.error("allowFrom names namespaceLabels, podLabels or both", at: allow.location)
            }
            allow.finish(allowing: ["namespaceLabels", "podLabels"])
        }
        fields.finish(allowing: ["runtime", "port", "resources", "replicas", "output", "inputs", "allowFrom"])
        return config
    }

    private static func readInputs(_ list: [YAMLNode], reader: SchemaReader) -> [Input] {
        var inputs: [Input] = []
        for item in list {
            guard let input = reader.fields(item, "an input") else { continue }
            let name = input.string("name", required: true)
            let type = input.string("type", required: true)
            input.finish(allowing: ["name", "type"])
            guard let name, let type else { continue }
            if !isColumnName(name) {
                reader.error(
                    "input name \(Quoted(name)) must be letters, digits, '_', '.' or '-', starting with a letter or '_'",
                    at: input.location(of: "name"))
            } else if inputs.contains(where: { $0.name == name }) {
                reader.error("input \(Quoted(name)) is listed twice", at: input.location(of: "name"))
            } else if !inputTypes.contains(type) {
                reader.error(
                    "input type \(Quoted(type)) must be one of \(inputTypes.joined(separator: ", "))",
                    at: input.location(of: "type"))
            } else {
                inputs.append(Input(name: name, type: type))
            }
        }
        if inputs.isEmpty && !list.isEmpty { return [] }
        return inputs
    }

    static func isColumnName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || Character(UnicodeScalar(first)).isLetter,
            name.utf8.count <= 128
        else { return false }
        return name.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
                || [UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-")].contains(byte)
        }
    }

    /// A Kubernetes label selector's `matchLabels`: qualified keys and label values.
    private static func labels(_ fields: SchemaReader.Fields, _ key: String, reader: SchemaReader) -> [String: String] {
        guard let map = fields.fields(key) else { return [:] }
        var result: [String: String] = [:]
        for pair in map.entries {
            guard let value = reader.string(pair.value, "label \(Quoted(pair.key))") else { continue }
            if !isLabelKey(pair.key) {
                reader.error("label key \(Quoted(pair.key)) is not a Kubernetes label key", at: pair.keyLocation)
            } else if !isLabelValue(value) {
                reader.error("label value \(Quoted(value)) is not a Kubernetes label value", at: pair.value.location)
            } else {
                result[pair.key] = value
            }
        }
        return result
    }

    static func isLabelValue(_ value: String) -> Bool {
        guard value.utf8.count <= 63 else { return false }
        if value.isEmpty { return true }
        let alphanumeric: (UInt8) -> Bool = {
            (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0)
        }
        // Force unwrap: the empty value returned above.
        return alphanumeric(value.utf8.first!) && alphanumeric(value.utf8.last!)
            && value.utf8.allSatisfy {
                alphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
    }

    static func isLabelKey(_ key: String) -> Bool {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let name = parts.last, !name.isEmpty, isLabelValue(String(name)) else { return false }
        if parts.count == 2 {
            let prefix = parts[0]
            return !prefix.isEmpty && prefix.utf8.count <= 253
                && prefix.split(separator: ".", omittingEmptySubsequences: false).allSatisfy {
                    Names.isValid(String($0))
                }
        }
        return true
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
            reader.error(
                "'\(key)' \(Quoted(text)) is not a Kubernetes quantity (like 500m or 512Mi)", at: node.location)
            return nil
        }
        return text
    }
}

extension ServingConfig {
    /// `serving.inputs` as `model.yaml` writes it, indented under `serving:` (what `record` proposes).
    public static func inputsYAML(_ inputs: [(name: String, type: String)]) -> String {
        "  serving:\n    inputs:\n"
            + inputs.map { "      - {name: \(YAMLText.string($0.name)), type: \($0.type)}\n" }.joined()
    }
}

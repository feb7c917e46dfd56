import Foundation
import ModelGateKit
import ModelGateYAML

/// The bundle templates. A registry's override may be any text: rendering it never crashes. Values reaching
/// the built-in templates may be anything: `checkSafe` refuses them, or the rendered Dockerfile has the same
/// instructions and the rendered manifests the same YAML structure (keys, nesting and scalar types) as with
/// ordinary values — so no value can break out of the string or instruction it is written into.
enum TemplateOracle {
    static let builtIn = fixture { try TemplateSet() }

    static func runOverride(_ data: Data) {
        guard let templates = try? TemplateSet(overrides: ["Dockerfile.mustache": data]) else { return }
        _ = try? templates.render("Dockerfile.mustache", context: ordinary.context)
    }

    static let ordinary: BundleVariables = {
        var serving = ServingConfig()
        serving.runtime = "sklearn"
        serving.cpu = "500m"
        serving.memory = "512Mi"
        return BundleVariables(
            model: "churn", version: "1.3.0+build.7", stage: "production", namespace: "models",
            image: "ghcr.io/acme/churn:1.3.0", baseImage: "python:3.11.7-slim",
            registryCommit: String(repeating: "ab", count: 20), manifestBlob: String(repeating: "cd", count: 20),
            forced: false,
            artifactURI: "artifacts/churn/1.3.0/model.pkl", artifactSHA256: String(repeating: "e", count: 64),
            artifactIsLocal: true, serving: serving, requirements: ["numpy==2.4.6", "scikit-learn==1.9.1"])
    }()

    /// The input's NUL-separated fields replace, in order: image, artifact URI, CPU, memory, a requirement,
    /// base image, namespace, model, version, stage.
    static func runValues(_ data: Data) throws(FuzzViolation) {
        let fields = data.split(separator: 0, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        var values = ordinary
        let setters: [(inout BundleVariables, String) -> Void] = [
            { $0.image = $1 }, { $0.artifactURI = $1 }, { $0.serving.cpu = $1 }, { $0.serving.memory = $1 },
            { $0.requirements.append($1) }, { $0.baseImage = $1 }, { $0.namespace = $1 }, { $0.model = $1 },
            { $0.version = $1 }, { $0.stage = $1 },
        ]
        for (setter, field) in zip(setters, fields) { setter(&values, field) }
        guard (try? values.checkSafe()) != nil else { return }
        for (target, expected) in ordinaryShapes {
            let actual = shape(ofYAML: try render(target, values), model: values.model)
            guard actual == expected else {
                throw FuzzViolation("\(target): accepted values changed the structure to \(actual)")
            }
        }
        let actual = instructions(try render("Dockerfile.mustache", values))
        guard actual == ordinaryInstructions else {
            throw FuzzViolation("Dockerfile: accepted values changed the instructions to \(actual)")
        }
    }

    static let manifestTemplates = [
        "deployment.yaml.mustache", "inferenceservice.yaml.mustache", "compose.yaml.mustache",
    ]
    static let ordinaryShapes = manifestTemplates.map { template in
        (template, shape(ofYAML: fixture { try render(template, ordinary) }, model: ordinary.model))
    }
    static let ordinaryInstructions = instructions(fixture { try render("Dockerfile.mustache", ordinary) })

    static func render(_ template: String, _ values: BundleVariables) throws(FuzzViolation) -> String {
        do {
            return try builtIn.render(template, context: values.context)
        } catch {
            throw FuzzViolation("the built-in \(template) does not render: \(error)")
        }
    }

    /// Keys, nesting and scalar types of every document, or the parse error; a key that is the model's name
    /// (Compose's service) reads as `<model>`. Read with the system's LibYAML, the one the release links.
    static func shape(ofYAML text: String, model: String = "") -> String {
        do {
            return try YAMLLoader().loadStream(Data(text.utf8), path: "rendered").map { shape(of: $0, model: model) }
                .joined(separator: "\n---\n")
        } catch {
            return "unparsable: \(error)"
        }
    }

    static func shape(of node: YAMLNode, model: String) -> String {
        switch node.kind {
        case .mapping(let pairs):
            "{"
                + pairs.sorted { $0.key < $1.key }
                .map { "\($0.key == model ? "<model>" : $0.key): \(shape(of: $0.value, model: model))" }
                .joined(separator: ", ") + "}"
        case .sequence(let items): "[" + items.map { shape(of: $0, model: model) }.joined(separator: ", ") + "]"
        case .scalar(let text, plain: true): PlainScalar.type(of: text)
        case .scalar: "string"
        }
    }

    /// The Dockerfile's instruction keywords, one per logical line (continuations joined).
    static func instructions(_ text: String) -> [String] {
        var result: [String] = []
        var continued = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            defer { continued = trimmed.hasSuffix("\\") }
            guard !continued, !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
            result.append(String(trimmed.prefix { $0 != " " }))
        }
        return result
    }
}

/// The template oracle's comparisons, exposed so the tests can show they tell a break-out apart.
public enum ShapeProbe {
    public static func yamlShapesDiffer(_ a: String, _ b: String) -> Bool {
        TemplateOracle.shape(ofYAML: a) != TemplateOracle.shape(ofYAML: b)
    }

    public static func dockerInstructionsDiffer(_ a: String, _ b: String) -> Bool {
        TemplateOracle.instructions(a) != TemplateOracle.instructions(b)
    }
}

/// The type a YAML 1.1 reader (Kubernetes', Compose's) gives an unquoted scalar: a value that turned a
/// quoted string into a number, boolean or null has changed the manifest's meaning.
enum PlainScalar {
    static func type(of text: String) -> String {
        if text.wholeMatch(of: #/~|null|Null|NULL|/#) != nil { return "null" }
        if text.wholeMatch(of: #/[yYnN]|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF/#)
            != nil
        {
            return "bool"
        }
        if text.wholeMatch(of: #/[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*(:[0-5]?[0-9])*)/#) != nil {
            return "int"
        }
        if text.wholeMatch(of: #/[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)/#)
            != nil
        {
            return "float"
        }
        if text.wholeMatch(of: #/[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?/#) != nil { return "timestamp" }
        return "string"
    }
}

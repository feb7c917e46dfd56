import Foundation

/// The variables a bundle template can use: built in one place, documented in one place, and checked so
/// that no value can break out of the YAML string or Dockerfile instruction it lands in.
public struct BundleVariables: Sendable {
    /// Every variable with its meaning: the README's table is generated from this list.
    public static let documentation: [(name: String, meaning: String)] = [
        ("model", "the model name (`^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`)"),
        ("version", "the SemVer version"),
        ("versionLabel", "the version as a Kubernetes label value (`+` becomes `_`)"),
        ("stage", "the stage the bundle is for"),
        ("namespace", "the Kubernetes namespace (`--namespace`, default `models`)"),
        ("image", "the image the manifests deploy (`--image`, default `<image.registry>/<model>:<version>`)"),
        ("baseImage", "`image.base` of `modelgate.yaml`, the Dockerfile's `FROM`"),
        ("registryCommit", "the registry commit the bundle was made from (40 hex digits)"),
        ("manifestBlob", "the Git blob id of the version's manifest"),
        ("forced", "`true` when `--force` bundled a version that fails its gate, else `false`"),
        ("modelgateVersion", "the version of modelgate that rendered the bundle"),
        ("artifact.uri", "the artifact's URI as the manifest records it"),
        ("artifact.sha256", "the artifact's sha256"),
        ("artifact.local", "true when the artifact is in the repository (copied into `model/artifact`)"),
        ("artifact.remote", "true when the Dockerfile fetches it (`https://` URIs)"),
        ("serving.runtime", "the serving runtime (`sklearn`, …)"),
        ("serving.port", "the container port (default 8080)"),
        ("serving.cpu", "CPU request and limit, a Kubernetes quantity (default `500m`)"),
        ("serving.memory", "memory request and limit, a Kubernetes quantity (default `512Mi`)"),
        ("serving.composeCPUs", "`serving.cpu` in Compose's notation (`0.5`)"),
        ("serving.composeMemory", "`serving.memory` in Compose's notation (`512m`)"),
        ("serving.minReplicas", "minimum replicas (default 1)"),
        ("serving.maxReplicas", "maximum replicas (default: the minimum)"),
        ("requirements", "the pinned `name==version` lines the image installs, sorted"),
    ]

    public var model: String
    public var version: String
    public var stage: String
    public var namespace: String
    public var image: String
    public var baseImage: String
    public var registryCommit: String
    public var manifestBlob: String
    public var forced: Bool
    public var artifactURI: String
    public var artifactSHA256: String
    public var artifactIsLocal: Bool
    public var serving: ServingConfig
    public var requirements: [String]

    public init(
        model: String, version: String, stage: String, namespace: String, image: String, baseImage: String,
        registryCommit: String, manifestBlob: String, forced: Bool, artifactURI: String, artifactSHA256: String,
        artifactIsLocal: Bool, serving: ServingConfig, requirements: [String]
    ) {
        self.model = model
        self.version = version
        self.stage = stage
        self.namespace = namespace
        self.image = image
        self.baseImage = baseImage
        self.registryCommit = registryCommit
        self.manifestBlob = manifestBlob
        self.forced = forced
        self.artifactURI = artifactURI
        self.artifactSHA256 = artifactSHA256
        self.artifactIsLocal = artifactIsLocal
        self.serving = serving
        self.requirements = requirements
    }

    /// The Mustache context: nested dictionaries for the dotted names.
    public var context: [String: Any] {
        let port = serving.port ?? 8080
        let cpu = serving.cpu ?? "500m"
        let memory = serving.memory ?? "512Mi"
        let minimum = serving.minReplicas ?? 1
        return [
            "model": model, "version": version, "versionLabel": version.replacingOccurrences(of: "+", with: "_"),
            "stage": stage, "namespace": namespace, "image": image, "baseImage": baseImage,
            "registryCommit": registryCommit, "manifestBlob": manifestBlob, "forced": forced ? "true" : "false",
            "modelgateVersion": ModelGateVersion.current,
            "artifact": [
                "uri": artifactURI, "sha256": artifactSHA256, "local": artifactIsLocal, "remote": !artifactIsLocal,
            ] as [String: Any],
            "serving": [
                "runtime": serving.runtime ?? "sklearn", "port": port, "cpu": cpu, "memory": memory,
                "composeCPUs": Self.composeCPUs(cpu), "composeMemory": Self.composeMemory(memory),
                "minReplicas": minimum, "maxReplicas": max(serving.maxReplicas ?? minimum, minimum),
            ] as [String: Any],
            "requirements": requirements.sorted(),
        ]
    }

    /// Refuses any value that could escape the string or instruction it is written into. Names, versions,
    /// hashes and quantities are already constrained by their grammars; this is the last line of defence,
    /// and it covers what overrides and future fields add.
    public func checkSafe() throws {
        let values: [(String, String)] = [
            ("model", model), ("version", version), ("stage", stage), ("namespace", namespace), ("image", image),
            ("baseImage", baseImage), ("registryCommit", registryCommit), ("manifestBlob", manifestBlob),
            ("artifact.uri", artifactURI), ("artifact.sha256", artifactSHA256),
            ("serving.cpu", serving.cpu ?? ""), ("serving.memory", serving.memory ?? ""),
        ] + requirements.map { ("requirements", $0) }
        for (name, value) in values where !Self.isSafe(value) {
            throw ModelGateError.badInput("\(name) \(Quoted(value)) contains characters a bundle cannot carry safely")
        }
        for (name, value) in values where value.isEmpty && !name.hasPrefix("serving.") {
            throw ModelGateError.badInput("\(name) is empty")
        }
        for (what, value) in [("model", model), ("stage", stage), ("namespace", namespace)] where !Names.isValid(value) {
            throw ModelGateError.badInput(Names.problem(value, what: what))
        }
        guard SemanticVersion(version) != nil else { throw ModelGateError.badInput("version \(Quoted(version)) is not a SemVer 2.0 version") }
    }

    /// Letters, digits and `._-:/@+=%~,?&#!*()[];` only: no quotes, `$`, backquotes, backslashes, braces,
    /// whitespace or control characters.
    static func isSafe(_ value: String) -> Bool {
        value.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-:/@+=%~,?&#!*()[];".unicodeScalars.contains(scalar))
        }
    }

    /// `500m` -> `0.5`, `2` -> `2`.
    static func composeCPUs(_ quantity: String) -> String {
        if quantity.hasSuffix("m"), let milli = Double(quantity.dropLast()) { return JSONValue.format(milli / 1000) }
        return quantity
    }

    /// `512Mi` -> `512m`, `1Gi` -> `1g`; decimal units in bytes (`500M` -> `500000000`).
    static func composeMemory(_ quantity: String) -> String {
        for (suffix, unit) in [("Ki", "k"), ("Mi", "m"), ("Gi", "g")] where quantity.hasSuffix(suffix) {
            return quantity.dropLast(2) + unit
        }
        if quantity.hasSuffix("Ti"), let number = Double(quantity.dropLast(2)) { return JSONValue.format(number * 1024) + "g" }
        for (suffix, factor) in [("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12)] where quantity.hasSuffix(suffix) {
            if let number = Double(quantity.dropLast(1)) { return JSONValue.format(number * factor) }
        }
        return quantity
    }

    /// The README's table of variables.
    public static var markdownTable: String {
        "| variable | meaning |\n|---|---|\n" + documentation.map { "| `\($0.name)` | \($0.meaning) |" }.joined(separator: "\n") + "\n"
    }
}

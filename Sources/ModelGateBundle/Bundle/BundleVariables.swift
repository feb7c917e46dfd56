import Foundation
import ModelGateRegistry
import ModelGateSupport

/// The variables a bundle template can use: built in one place, documented in one place, and checked so
/// that no value can break out of the YAML string or Dockerfile instruction it lands in.
public struct BundleVariables: Sendable {
    /// Every variable with its meaning: the manual's table (docs/manual.md) is generated from this list.
    public static let documentation: [(name: String, meaning: String)] = [
        ("model", "the model name (`^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`)"),
        ("name", "the name of every Kubernetes object: `<model>-<stage>`"),
        ("version", "the SemVer version"),
        ("versionLabel", "the version as a Kubernetes label value (`+` becomes `_`)"),
        ("stage", "the stage the bundle is for"),
        ("namespace", "the Kubernetes namespace (`--namespace`, default `models`)"),
        ("image", "the image the manifests deploy (`--image`, default `<image.registry>/<model>:<version>`)"),
        (
            "imagePullPolicy",
            "`IfNotPresent` for an image pinned by digest (the bytes cannot change), else `Always` (a tag can move)"
        ),
        ("baseImage", "`image.base` of `modelgate.yaml`, the Dockerfile's `FROM`"),
        (
            "registryCommit",
            "the registry commit the bundle was made from (40 hex digits); absent in `render`'s manifests"
        ),
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
        ("serving.output", "`predict` or `predict_proba`: what the server answers with"),
        ("serving.inputsPython", "`serving.inputs` as a Python list of `(name, type)` pairs"),
        ("serving.workers", "gunicorn workers: 2, or 1 below 512Mi of memory"),
        (
            "serving.maxBodyBytes",
            "the request body cap, chosen with the workers so a full server stays under `serving.memory`"
        ),
        ("serving.probeTimeout", "the readiness and liveness probes' timeout in seconds"),
        ("serving.tmpSize", "the `sizeLimit` of the `/tmp` emptyDir"),
        ("autoscaled", "true when `replicas.max > replicas.min` (a HorizontalPodAutoscaler is written)"),
        ("disruptionBudget", "true when `replicas.min >= 2` (a PodDisruptionBudget is written)"),
        (
            "ingressFrom",
            "the NetworkPolicy's ingress peers, one YAML line each (`serving.allowFrom`; default the namespace's pods)"
        ),
        ("requirements", "the pinned `name==version` lines the image installs (with their `--hash` options), sorted"),
        (
            "requireHashes",
            "true when every requirement carries `--hash=sha256:` (pip installs with `--require-hashes`)"
        ),
    ]

    public var model: String
    public var version: String
    public var stage: String
    public var namespace: String
    public var image: String
    public var baseImage: String
    /// nil in `render`'s manifests, which must not change with every commit.
    public var registryCommit: String?
    public var manifestBlob: String
    public var forced: Bool
    public var artifactURI: String
    public var artifactSHA256: String
    public var artifactIsLocal: Bool
    public var serving: ServingConfig
    public var requirements: [String]

    public init(
        model: String, version: String, stage: String, namespace: String, image: String, baseImage: String,
        registryCommit: String?, manifestBlob: String, forced: Bool, artifactURI: String, artifactSHA256: String,
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

    /// The memory a worker holds before any request (the interpreter, numpy, scipy, the estimator).
    static let workerBaseline: Int64 = 160 << 20
    /// The master process and gunicorn's bookkeeping.
    static let masterBaseline: Int64 = 48 << 20
    /// How many bytes of memory one byte of request body can take while it is parsed into rows.
    static let bodyAmplification: Int64 = 24
    /// The largest body cap a server is given.
    static let bodyCeiling: Int64 = 16 << 20

    /// The gunicorn workers and the body cap for a memory limit: every worker holding a body at the cap
    /// still fits under the limit. Nil when the limit leaves no room for a request.
    public static func budget(memory: String) -> (workers: Int, maxBodyBytes: Int64)? {
        guard let bytes = KubernetesQuantity.bytes(memory) else { return nil }
        let workers = bytes >= 512 << 20 ? 2 : 1
        let room = bytes - masterBaseline - Int64(workers) * workerBaseline
        let cap = min(room / (Int64(workers) * bodyAmplification), bodyCeiling) / 1024 * 1024
        return cap >= 256 << 10 ? (workers, cap) : nil
    }

    /// The NetworkPolicy's ingress peers, one YAML line each, indented relative to the first.
    var ingressFrom: [String] {
        guard let allow = serving.allowFrom else { return ["- podSelector: {}"] }
        func selector(_ key: String, _ labels: [String: String]) -> [String] {
            [key + ":", "  matchLabels:"]
                + labels.sorted { $0.key < $1.key }.map { "    \"\($0.key)\": \"\($0.value)\"" }
        }
        var lines: [String] = []
        if !allow.namespaceLabels.isEmpty { lines += selector("namespaceSelector", allow.namespaceLabels) }
        if !allow.podLabels.isEmpty { lines += selector("podSelector", allow.podLabels) }
        return lines.enumerated().map { $0.offset == 0 ? "- " + $0.element : "  " + $0.element }
    }

    /// The Mustache context: nested dictionaries for the dotted names.
    public var context: [String: Any] {
        let port = serving.port ?? 8080
        let cpu = serving.cpu ?? "500m"
        let memory = serving.memory ?? "512Mi"
        let minimum = serving.minReplicas ?? 1
        let maximum = max(serving.maxReplicas ?? minimum, minimum)
        let budget = Self.budget(memory: memory) ?? (1, 256 << 10)
        let inputs = (serving.inputs ?? []).map { "(\"\($0.name)\", \"\($0.type)\")" }
        var context: [String: Any] = [
            "model": model, "name": "\(model)-\(stage)", "version": version,
            "versionLabel": version.replacingOccurrences(of: "+", with: "_"),
            "stage": stage, "namespace": namespace, "image": image, "baseImage": baseImage,
            "imagePullPolicy": image.contains("@sha256:") ? "IfNotPresent" : "Always",
            "manifestBlob": manifestBlob, "forced": forced ? "true" : "false",
            "modelgateVersion": ModelGateVersion.current,
            "artifact": [
                "uri": artifactURI, "sha256": artifactSHA256, "local": artifactIsLocal, "remote": !artifactIsLocal,
            ] as [String: Any],
            "serving": [
                "runtime": serving.runtime ?? "sklearn", "port": port, "cpu": cpu, "memory": memory,
                "composeCPUs": Self.composeCPUs(cpu), "composeMemory": Self.composeMemory(memory),
                "minReplicas": minimum, "maxReplicas": maximum, "output": serving.output ?? "predict",
                "inputsPython": "[" + inputs.joined(separator: ", ") + "]", "workers": budget.workers,
                "maxBodyBytes": budget.maxBodyBytes, "probeTimeout": 10, "tmpSize": "64Mi",
            ] as [String: Any],
            "autoscaled": maximum > minimum, "disruptionBudget": minimum >= 2, "ingressFrom": ingressFrom,
            "requirements": requirements.sorted(),
            "requireHashes": !requirements.isEmpty && requirements.allSatisfy { $0.contains("--hash=sha256:") },
        ]
        if let registryCommit { context["registryCommit"] = registryCommit }
        return context
    }

    /// Refuses any value that could escape the string or instruction it is written into. Names, versions,
    /// hashes and quantities are already constrained by their grammars; this is the last line of defence,
    /// and it covers what overrides and future fields add.
    public func checkSafe() throws {
        let values: [(String, String)] =
            [
                ("model", model), ("version", version), ("stage", stage), ("namespace", namespace), ("image", image),
                ("baseImage", baseImage), ("registryCommit", registryCommit ?? "-"), ("manifestBlob", manifestBlob),
                ("artifact.uri", artifactURI), ("artifact.sha256", artifactSHA256),
                ("serving.cpu", serving.cpu ?? ""), ("serving.memory", serving.memory ?? ""),
            ]
            + requirements.flatMap { line in
                line.split(separator: " ", omittingEmptySubsequences: false).map { ("requirements", String($0)) }
            }
        for (name, value) in values where !Self.isSafe(value) {
            throw ModelGateError.badInput("\(name) \(Quoted(value)) contains characters a bundle cannot carry safely")
        }
        for (name, value) in values where value.isEmpty && !name.hasPrefix("serving.") {
            throw ModelGateError.badInput("\(name) is empty")
        }
        for line in requirements
        where line.split(separator: " ").dropFirst().contains(where: { !$0.hasPrefix("--hash=sha256:") }) {
            throw ModelGateError.badInput("requirement \(Quoted(line)) carries an option other than --hash=sha256:")
        }
        for (what, value) in [("model", model), ("stage", stage), ("namespace", namespace)] where !Names.isValid(value)
        {
            throw ModelGateError.badInput(Names.problem(value, what: what))
        }
        guard SemanticVersion(version) != nil else {
            throw ModelGateError.badInput("version \(Quoted(version)) is not a SemVer 2.0 version")
        }
        guard "\(model)-\(stage)".utf8.count <= 63 else {
            throw ModelGateError.badInput("the object name \(model)-\(stage) is longer than Kubernetes' 63 characters")
        }
        let memory = serving.memory ?? "512Mi"
        guard KubernetesQuantity.bytes(memory) != nil else {
            throw ModelGateError.badInput("serving memory \(memory) is out of range (at most 2^63 bytes)")
        }
        guard Self.budget(memory: memory) != nil else {
            throw ModelGateError.badInput(
                "serving memory \(memory) leaves no room for a request beside the server; give at least 320Mi")
        }
    }

    /// Letters, digits and `._-:/@+=%~,?&#!*()[];` only: no quotes, `$`, backquotes, backslashes, braces,
    /// whitespace or control characters.
    static func isSafe(_ value: String) -> Bool {
        value.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (CharacterSet.alphanumerics.contains(scalar)
                    || "._-:/@+=%~,?&#!*()[];".unicodeScalars.contains(scalar))
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
        if quantity.hasSuffix("Ti"), let number = Double(quantity.dropLast(2)) {
            return JSONValue.format(number * 1024) + "g"
        }
        for (suffix, factor) in [("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12)] where quantity.hasSuffix(suffix) {
            if let number = Double(quantity.dropLast(1)) { return JSONValue.format(number * factor) }
        }
        return quantity
    }

    /// The manual's table of variables.
    public static var markdownTable: String {
        "| variable | meaning |\n|---|---|\n"
            + documentation.map { "| `\($0.name)` | \($0.meaning) |" }.joined(separator: "\n") + "\n"
    }
}

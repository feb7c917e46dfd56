import Crypto
import Foundation

/// A bundle in memory: every file's path and bytes, and the gate's verdict that approved it (or was forced).
public struct RenderedBundle: Sendable {
    public var model: String
    public var version: String
    public var stage: String
    /// Relative path -> bytes, including `bundle.json`.
    public var files: [String: Data]
    /// The gate's report for the stage; `verdict == .fail` with `forced` false means nothing may be written.
    public var approval: GateReport
    public var forced: Bool

    public var isApproved: Bool { approval.verdict == .pass || forced }
}

/// `modelgate bundle`: a complete Docker build context and deploy manifests for an approved version,
/// byte-for-byte the same for the same registry commit.
public struct Bundler {
    /// What to bundle, and how.
    public struct Request: Sendable {
        public var model: String
        public var version: String?
        public var stage: String?
        public var target: BundleTarget = .kubernetes
        public var image: String?
        public var namespace = "models"
        public var force = false
        public var ref = "HEAD"

        public init(model: String, version: String?, stage: String?) {
            self.model = model
            self.version = version
            self.stage = stage
        }
    }

    /// The WSGI server the image runs, pinned.
    static let gunicorn = "gunicorn==23.0.0"
    /// What an `sklearn` image installs when the manifest names no lockfile.
    static let defaultRequirements = ["numpy==2.4.6", "scikit-learn==1.9.1", "scipy==1.17.1"]
    /// Runtimes whose artifact the built-in `serve.py` can load (a pickled estimator with `predict`).
    static let pickledRuntimes: Set<String> = ["sklearn", "xgboost", "lightgbm"]

    public let repository: Repository
    public var now = Date()

    public init(repository: Repository) { self.repository = repository }

    public func render(_ request: Request) throws -> RenderedBundle {
        let commit = try repository.resolveCommit(request.ref)
        let loader = RegistryLoader(repository: repository)
        let registry = try loader.load(models: [request.model], at: commit)
        if registry.hasErrors { throw InvalidRegistryError(registry.diagnostics) }
        let model = try registry.model(request.model)
        let (version, stage) = try resolve(request, model: model, ladder: registry.settings.stages)
        let manifest = try registry.version(request.model, version)

        let approval = try approve(manifest, stage: stage, in: registry)
        let forced = approval.verdict == .fail && request.force
        guard approval.verdict == .pass || request.force else {
            return RenderedBundle(model: request.model, version: version, stage: stage, files: [:], approval: approval, forced: false)
        }

        let serving = (model.spec?.serving ?? ServingConfig()).overridden(by: manifest.serving)
        var files: [String: Data] = [:]
        guard let sha256 = manifest.artifact.sha256 else {
            throw ModelGateError.badInput("\(manifest.path): a bundle needs artifact.sha256", at: manifest.artifact.location)
        }
        let isLocal = !manifest.artifact.isRemote
        if isLocal {
            files["model/artifact"] = try artifactBytes(manifest.artifact, sha256: sha256, at: commit, loader: loader)
        } else if !manifest.artifact.uri.hasPrefix("https://") {
            throw ModelGateError.badInput(
                "\(manifest.artifact.uri): a bundle fetches remote artifacts over https:// only (ADD --checksum); copy it into the repository or publish it over https",
                at: manifest.artifact.location)
        }
        files["SHA256SUMS"] = Data("\(sha256)  artifact\n".utf8)

        let templates = try TemplateSet(overrides: overrides(at: commit, loader: loader))
        let runtime = serving.runtime ?? "sklearn"
        if !Self.pickledRuntimes.contains(runtime) && !templates.isOverridden("serve.py.mustache") {
            throw ModelGateError.badInput(
                "runtime '\(runtime)' has no built-in serving entrypoint; add templates/serve.py.mustache to the registry")
        }
        let image = request.image ?? "\(registry.settings.imageRegistry)/\(request.model):\(version.replacingOccurrences(of: "+", with: "_"))"
        if let problem = ImageReference.problem(image) { throw ModelGateError.badInput("image \(Quoted(image)) \(problem)") }
        let variables = BundleVariables(
            model: request.model, version: version, stage: stage, namespace: request.namespace, image: image,
            baseImage: registry.settings.imageBase, registryCommit: commit.hex, manifestBlob: manifest.blob?.hex ?? "",
            forced: forced, artifactURI: manifest.artifact.uri, artifactSHA256: sha256, artifactIsLocal: isLocal,
            serving: serving, requirements: try requirements(for: manifest, runtime: runtime, at: commit, loader: loader))
        try variables.checkSafe()
        let context = variables.context
        for (output, template) in request.target.templates {
            files[output] = Data(try templates.render(template, context: context).utf8)
        }
        files["bundle.json"] = Data(
            Self.manifest(variables, target: request.target, files: files).rendered().utf8)
        return RenderedBundle(model: request.model, version: version, stage: stage, files: files, approval: approval, forced: forced)
    }

    /// The version and stage a request names: `MODEL@VERSION` (its stage, or `--stage`), or `MODEL --stage`.
    func resolve(_ request: Request, model: Registry.Model, ladder: [String]) throws -> (String, String) {
        if let stage = request.stage, !ladder.contains(stage) {
            throw ModelGateError.badInput("unknown stage \(Quoted(stage)); the registry's stages are \(ladder.joined(separator: ", "))")
        }
        switch (request.version, request.stage) {
        case let (version?, stage?): return (version, stage)
        case let (version?, nil):
            guard let stage = model.stages?.stage(of: version) else {
                throw ModelGateError.badInput("\(model.name) \(version) holds no stage: name the stage it is for with --stage")
            }
            return (version, stage)
        case let (nil, stage?):
            guard let version = model.stages?.holder(of: stage) else {
                throw ModelGateError.badInput("no version of \(model.name) holds \(stage)")
            }
            return (version, stage)
        case (nil, nil):
            throw ModelGateError.badInput("name a version (MODEL@VERSION) or a stage (--stage)")
        }
    }

    /// Every policy of the stage must pass: judged as it stands when the version holds the stage, as a
    /// promotion from where it stands otherwise.
    func approve(_ manifest: ModelVersion, stage: String, in registry: Registry) throws -> GateReport {
        let version = manifest.version.description
        let stages = registry.models[manifest.model]?.stages
        let holds = stages?.holder(of: stage) == version
        var gate = try Gate.judging(registry, base: holds ? nil : registry, rulesAt: registry.commit, in: repository)
        gate.now = now
        return gate.evaluate([
            Gate.Candidate(
                model: manifest.model, version: version, stage: stage, fromVersion: holds ? nil : stages?.holder(of: stage),
                fromStage: stages?.stage(of: version))
        ])
    }

    /// The artifact's bytes, from Git at the commit or (untracked) from the working tree, verified.
    func artifactBytes(_ artifact: Artifact, sha256: String, at commit: ObjectID, loader: RegistryLoader) throws -> Data {
        let data: Data
        if let entry = try repository.entry(at: artifact.uri, inTree: repository.treeID(ofCommit: commit)) {
            guard entry.isFile else {
                throw ModelGateError.badInput("artifact \(artifact.uri) is not a regular file in Git", at: artifact.location)
            }
            data = try repository.blob(entry.id)
        } else {
            data = try WorkingTreeFile.read(artifact.uri, in: repository, what: "artifact", location: artifact.location)
        }
        let actual = Hex.encode(SHA256.hash(data: data))
        guard actual == sha256 else {
            throw ModelGateError.badInput(
                "artifact \(artifact.uri) has sha256 \(actual), not the manifest's \(sha256)", at: artifact.location)
        }
        return data
    }

    /// The registry's `templates/*.mustache` at the commit.
    func overrides(at commit: ObjectID, loader: RegistryLoader) throws -> [String: Data] {
        guard let folder = try repository.entry(at: "templates", inTree: repository.treeID(ofCommit: commit)), folder.kind == .tree
        else { return [:] }
        var result: [String: Data] = [:]
        for entry in try repository.entries(ofTree: folder.id) where entry.name.hasSuffix(".mustache") {
            guard entry.isFile, let data = try loader.file("templates/\(entry.name)", at: commit) else {
                throw ModelGateError.badInput("templates/\(entry.name) must be a regular file of at most 1 MiB")
            }
            result[entry.name] = data
        }
        return result
    }

    /// The pinned lines the image installs: the training lockfile's (else the runtime's defaults), plus gunicorn.
    func requirements(for manifest: ModelVersion, runtime: String, at commit: ObjectID, loader: RegistryLoader) throws -> [String] {
        var lines: [String] = []
        if let lockfile = manifest.training?.lockfile {
            guard let data = try loader.file(lockfile.path, at: commit) else {
                throw ModelGateError.badInput("lockfile \(lockfile.path) is not in the repository", at: lockfile.location)
            }
            for raw in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
                let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                    .trimmingCharacters(in: .whitespaces)
                if line.isEmpty { continue }
                guard Self.isPin(line) else {
                    throw ModelGateError.badInput(
                        "\(lockfile.path): \(Quoted(line)) is not a pinned requirement (name==version)", at: lockfile.location)
                }
                lines.append(line)
            }
        } else if Self.pickledRuntimes.contains(runtime) {
            lines = Self.defaultRequirements
        }
        if !lines.contains(where: { $0.lowercased().hasPrefix("gunicorn==") }) { lines.append(Self.gunicorn) }
        return lines.sorted()
    }

    static func isPin(_ line: String) -> Bool {
        let parts = line.components(separatedBy: "==")
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        let name = parts[0].unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._-[],".unicodeScalars.contains($0) }
        let version = parts[1].unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || ".+!_-".unicodeScalars.contains($0) }
        return name && version
    }

    /// `bundle.json`: what the bundle is, where it came from, and the sha256 of every other file.
    static func manifest(_ variables: BundleVariables, target: BundleTarget, files: [String: Data]) -> JSONValue {
        .object([
            ("model", .string(variables.model)),
            ("version", .string(variables.version)),
            ("stage", .string(variables.stage)),
            ("target", .string(target.rawValue)),
            ("image", .string(variables.image)),
            ("manifestBlob", .string(variables.manifestBlob)),
            ("registryCommit", .string(variables.registryCommit)),
            ("artifact", .object([("uri", .string(variables.artifactURI)), ("sha256", .string(variables.artifactSHA256))])),
            ("force", .bool(variables.forced)),
            ("modelgateVersion", .string(ModelGateVersion.current)),
            ("files", .object(files.keys.sorted().map { ($0, .string(Hex.encode(SHA256.hash(data: files[$0]!)))) })),
        ])
    }
}

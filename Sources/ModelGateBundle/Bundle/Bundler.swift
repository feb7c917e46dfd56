import Crypto
import Foundation
import ModelGateGate
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

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
    /// Whether `serving.inputs` names the columns: without it the server cannot tell columns sent in the
    /// wrong order (the bundle command warns).
    public var hasInputSchema = true

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
        /// Only the image's build context, no manifests: what CI builds and pushes before it knows the
        /// image's digest (no image is named, so none is checked).
        public var contextOnly = false

        public init(model: String, version: String?, stage: String?) {
            self.model = model
            self.version = version
            self.stage = stage
        }
    }

    /// What an `sklearn` image installs when the manifest names no lockfile.
    static let defaultRequirements = [
        Lockfile.Requirement(name: "numpy", version: "2.4.6", hashes: []),
        Lockfile.Requirement(name: "scikit-learn", version: "1.9.1", hashes: []),
        Lockfile.Requirement(name: "scipy", version: "1.17.1", hashes: []),
    ]
    /// The folder of a bundle's build context holding the server package (`serving/modelgate_serve/`).
    public static let servingPackage = "modelgate_serve"

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
        let manifest = try registry.version(request.model, version, in: repository)

        let approval = try approve(manifest, stage: stage, in: registry)
        let forced = approval.verdict == .fail && request.force
        guard approval.verdict == .pass || request.force else {
            return RenderedBundle(
                model: request.model, version: version, stage: stage, files: [:], approval: approval, forced: false)
        }

        var (files, variables) = try self.files(
            manifest, model: model, stage: stage, in: registry, loader: loader,
            options: Options(
                target: request.target, image: request.image, namespace: request.namespace, forced: forced,
                registryCommit: commit.hex, buildContext: true, manifests: !request.contextOnly, templates: nil))
        files["bundle.json"] = Data(
            Self.description(
                variables, target: request.target, image: request.contextOnly ? nil : variables.image, files: files
            ).utf8)
        var bundle = RenderedBundle(
            model: request.model, version: version, stage: stage, files: files, approval: approval, forced: forced)
        bundle.hasInputSchema = variables.serving.inputs != nil
        return bundle
    }

    /// How one version's files are rendered: by `bundle` (a build context and manifests) or by `render`
    /// (manifests only, with no commit id).
    struct Options {
        var target: BundleTarget
        var image: String?
        var namespace: String
        var forced: Bool
        var registryCommit: String?
        var buildContext: Bool
        /// Whether the target's manifests are rendered (and the image they deploy checked).
        var manifests = true
        /// The templates, when the caller renders many versions of one commit (read once).
        var templates: TemplateSet?
    }

    /// The files of one version's bundle: the manifests of the target and, for `bundle`, the build context.
    func files(
        _ manifest: ModelVersion, model: Registry.Model, stage: String, in registry: Registry, loader: RegistryLoader,
        options: Options
    ) throws -> (files: [String: Data], variables: BundleVariables) {
        let commit = registry.commit
        let version = manifest.version.description
        let serving = (model.spec?.serving ?? ServingConfig()).overridden(by: manifest.serving)
        var files: [String: Data] = [:]
        guard let sha256 = manifest.artifact.sha256 else {
            throw ModelGateError.badInput(
                "\(manifest.path): a bundle needs artifact.sha256", at: manifest.artifact.location)
        }
        let isLocal = !manifest.artifact.isRemote
        if !isLocal && !manifest.artifact.uri.hasPrefix("https://") {
            throw ModelGateError.badInput(
                "\(manifest.artifact.uri): a bundle fetches remote artifacts over https:// only (ADD --checksum); copy it into the repository or publish it over https",
                at: manifest.artifact.location)
        }
        let templates = try options.templates ?? TemplateSet(overrides: overrides(at: commit, loader: loader))
        let runtime = serving.runtime ?? "sklearn"
        if !Self.pickledRuntimes.contains(runtime) && !templates.isOverridden("serve.py.mustache") {
            throw ModelGateError.badInput(
                "runtime '\(runtime)' has no built-in serving entrypoint; add templates/serve.py.mustache to the registry"
            )
        }
        let image =
            options.image
            ?? "\(registry.settings.imageRegistry)/\(manifest.model):\(version.replacingOccurrences(of: "+", with: "_"))"
        if options.manifests {
            try ImagePolicy.check(image, stage: stage, settings: registry.settings, given: options.image != nil)
        }
        if options.buildContext {
            try ImagePolicy.checkBase(registry.settings.imageBase, stage: stage, settings: registry.settings)
        }
        let variables = BundleVariables(
            model: manifest.model, version: version, stage: stage, namespace: options.namespace, image: image,
            baseImage: registry.settings.imageBase, registryCommit: options.registryCommit,
            manifestBlob: manifest.blob?.hex ?? "", forced: options.forced, artifactURI: manifest.artifact.uri,
            artifactSHA256: sha256, artifactIsLocal: isLocal, serving: serving,
            requirements: options.buildContext
                ? try requirements(
                    for: manifest, runtime: runtime, baseImage: registry.settings.imageBase, at: commit, loader: loader)
                : [])
        try variables.checkSafe()
        let outputs =
            (options.buildContext ? BundleTarget.contextTemplates : [])
            + (options.manifests ? options.target.manifestTemplates : [])
        files = try templates.render(outputs, context: variables.context)
        if options.buildContext {
            if isLocal {
                files["model/artifact"] = try artifactBytes(
                    manifest.artifact, sha256: sha256, at: commit, loader: loader)
            }
            files["SHA256SUMS"] = Data("\(sha256)  model/artifact\n".utf8)
            // The server itself, as the repository holds it: the rendered serve.py only configures it.
            for file in EmbeddedFiles.servingPackage { files["\(Self.servingPackage)/\(file.path)"] = file.data }
        }
        return (files, variables)
    }

    /// The version and stage a request names: `MODEL@VERSION` (its stage, or `--stage`), or `MODEL --stage`.
    func resolve(_ request: Request, model: Registry.Model, ladder: [String]) throws -> (String, String) {
        if let stage = request.stage { try RegistrySettings.requireStage(stage, on: ladder) }
        switch (request.version, request.stage) {
        case let (version?, stage?): return (version, stage)
        case let (version?, nil):
            // An unknown version is named as such before any word about stages.
            guard model.versions[version] != nil || model.manifestFiles.contains(version) else {
                throw ModelGateError.badInput(
                    "unknown version \(Quoted(version)) of model \(Quoted(model.name))"
                        + (Suggestion.nearest(to: version, in: model.versions.keys).map { "; did you mean '\($0)'?" }
                            ?? "; its versions are \(model.orderedVersions.map(\.version.description).joined(separator: ", "))")
                )
            }
            guard let stage = model.stages?.stage(of: version) else {
                throw ModelGateError.badInput(
                    "\(model.name) \(version) holds no stage: name the stage it is for with --stage")
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
                model: manifest.model, version: version, stage: stage,
                fromVersion: holds ? nil : stages?.holder(of: stage),
                fromStage: stages?.stage(of: version))
        ])
    }

    /// The artifact's bytes, from Git at the commit or (untracked) from the working tree, verified.
    func artifactBytes(_ artifact: Artifact, sha256: String, at commit: ObjectID, loader: RegistryLoader) throws -> Data
    {
        let data: Data
        if let entry = try repository.entry(at: artifact.uri, inTree: repository.treeID(ofCommit: commit)) {
            guard entry.isFile else {
                throw ModelGateError.badInput(
                    "artifact \(artifact.uri) is not a regular file in Git", at: artifact.location)
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
        guard let folder = try repository.entry(at: "templates", inTree: repository.treeID(ofCommit: commit)),
            folder.kind == .tree
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

    /// The server's own packages, pinned with the hashes of their wheels (pure Python, one per version).
    static let serverRequirements = [
        Lockfile.Requirement(
            name: "gunicorn", version: "26.2.0",
            hashes: ["bd249d0b3f7972f7432f0a6b6ff3b3ee2d129f70cd1ff6c09a9dd9e29a2b88e3"]),
        Lockfile.Requirement(
            name: "prometheus-client", version: "0.23.1",
            hashes: ["dd1913e6e76b59cfe44e7a4b83e01afc9873c1bdfd2ed8739f1e76aeca115f99"]),
    ]

    /// The lines the image installs: the training lockfile's (its sha256 checked against the manifest's
    /// environment record; in any format `Lockfile` reads, for the Python of `baseImage`), else the
    /// runtime's defaults, plus the server's own pinned packages.
    func requirements(
        for manifest: ModelVersion, runtime: String, baseImage: String, at commit: ObjectID, loader: RegistryLoader
    ) throws -> [String] {
        var lockfile = Lockfile(requirements: [])
        if let file = manifest.training?.lockfile {
            guard let data = try loader.file(file.path, at: commit) else {
                throw ModelGateError.badInput("lockfile \(file.path) is not in the repository", at: file.location)
            }
            let actual = Hex.encode(SHA256.hash(data: data))
            if let recorded = file.sha256, recorded != actual {
                throw ModelGateError.badInput(
                    "lockfile \(file.path) has sha256 \(actual), not the \(recorded) this version was trained with",
                    at: file.location)
            }
            lockfile = try Lockfile.read(String(decoding: data, as: UTF8.self), path: file.path, baseImage: baseImage)
        } else if Self.pickledRuntimes.contains(runtime) {
            lockfile = Lockfile(requirements: Self.defaultRequirements)
        }
        // pip checks hashes for all requirements or none: the server's are kept only beside a hashed lockfile.
        let hashed = lockfile.isHashed
        let named = Set(lockfile.requirements.map { Lockfile.normalized($0.name) })
        lockfile.requirements += Self.serverRequirements.filter { !named.contains(Lockfile.normalized($0.name)) }.map {
            var requirement = $0
            if !hashed { requirement.hashes = [] }
            return requirement
        }
        return lockfile.requirements.map(\.line).sorted()
    }

    /// `bundle.json`: what the bundle is, where it came from, and the sha256 of every other file.
    static func description(_ variables: BundleVariables, target: BundleTarget, image: String?, files: [String: Data])
        -> String
    {
        JSONValue.object([
            ("model", .string(variables.model)),
            ("version", .string(variables.version)),
            ("stage", .string(variables.stage)),
            ("target", .string(target.rawValue)),
            ("image", .string(image)),
            ("manifestBlob", .string(variables.manifestBlob)),
            ("registryCommit", .string(variables.registryCommit ?? "")),
            (
                "artifact",
                .object([("uri", .string(variables.artifactURI)), ("sha256", .string(variables.artifactSHA256))])
            ),
            ("force", .bool(variables.forced)),
            ("modelgateVersion", .string(ModelGateVersion.current)),
            (
                "files",
                .object(
                    files.sorted { $0.key < $1.key }.map { ($0.key, .string(Hex.encode(SHA256.hash(data: $0.value)))) })
            ),
        ]).rendered()
    }
}

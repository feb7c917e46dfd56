import Foundation
import ModelGateGit
import ModelGateSupport
import ModelGateYAML

/// Reads a registry from Git at a commit, through libgit2 and without a checkout.
///
/// Works in three passes: walk the trees, read and decode the files on every core (each thread with its own
/// libgit2 handle; YAML parsing dominates), then assemble the models and check what spans files. Every file is size-checked from its object header before it is read; problems are
/// collected, never thrown, so `validate` reports them all.
public struct RegistryLoader {
    public let repository: Repository
    public var yaml = YAMLLoader()
    /// The settings decoded so far, by blob: shared by this loader's copies, so set `yaml`'s limits before
    /// the first read rather than on a copy.
    let settingsCache: SettingsCache
    /// The other registry files decoded so far, by blob, shared the same way (with the per-thread readers of
    /// `loadModels` too).
    let documentCache: DocumentCache

    public init(repository: Repository) {
        self.repository = repository
        settingsCache = SettingsCache()
        documentCache = DocumentCache()
    }

    /// The whole registry at `commit`, cross-references checked.
    public func load(at commit: ObjectID, requiringRegistry: Bool = true) throws -> Registry {
        try load(tree: try repository.treeID(ofCommit: commit), commit: commit, requiringRegistry: requiringRegistry)
    }

    /// The whole registry in the tree `root` (a commit's, or the working tree's), reported as at `commit`.
    /// Refused (bad input) where the tree holds neither `modelgate.yaml` nor `models/`, unless
    /// `requiringRegistry` is false (the base of the pull request that creates the registry has none).
    public func load(tree root: ObjectID, commit: ObjectID, requiringRegistry: Bool = true) throws -> Registry {
        if requiringRegistry { try requireRegistry(root: root, place: commit.short) }
        try repository.refuseCraftedNames(under: root)
        var bag = DiagnosticBag()
        let settings = try loadSettings(root: root, bag: &bag)
        let policies = try loadPolicies(root: root, ladder: settings.stages, bag: &bag)
        var folders: [(String, ObjectID)] = []
        if let modelsEntry = try repository.entry(at: RegistryLayout.models, inTree: root) {
            if modelsEntry.kind == .tree {
                for entry in try repository.entries(ofTree: modelsEntry.id) {
                    let folder = RegistryLayout.folder(of: entry.name)
                    if entry.kind == .symlink {
                        bag.error(
                            "\(folder) is a symbolic link; registry files must be regular files",
                            at: SourceLocation(path: folder))
                    } else if entry.kind != .tree {
                        continue
                    } else if !Names.isValid(entry.name) {
                        bag.error(Names.problem(entry.name, what: "model folder"), at: SourceLocation(path: folder))
                    } else {
                        folders.append((entry.name, entry.id))
                    }
                }
            } else {
                bag.error(
                    "'\(RegistryLayout.models)' must be a folder", at: SourceLocation(path: RegistryLayout.models))
            }
        }
        let models = try loadModels(folders, ladder: settings.stages, bag: &bag)
        var registry = assemble(commit: commit, settings: settings, policies: policies, models: models, bag: bag)
        registry.tree = root
        registry.allModelNames = folders.map(\.0)
        return registry
    }

    /// Refuses a commit that holds neither `modelgate.yaml` nor `models/`: what a command run in the wrong
    /// repository, or before the first version is committed, meets.
    public func requireRegistry(at commit: ObjectID) throws {
        try requireRegistry(root: repository.treeID(ofCommit: commit), place: commit.short)
    }

    func requireRegistry(root: ObjectID, place: String) throws {
        guard try repository.entry(at: RegistrySettings.path, inTree: root) == nil,
            try repository.entry(at: RegistryLayout.models, inTree: root) == nil
        else { return }
        throw ModelGateError.badInput(
            "this is not a modelgate registry: \(place) holds neither \(RegistrySettings.path) nor models/ (create one with `modelgate init`, or record a first version with `modelgate record`)"
        )
    }

    /// Only what judging `models` needs: settings, policies and those models (for `check` on a small diff).
    /// Refused where the commit holds no registry, unless `requiringRegistry` is false (the base of the
    /// pull request that creates the registry has none).
    public func load(models names: [String], at commit: ObjectID, requiringRegistry: Bool = true) throws -> Registry {
        try load(
            models: names, tree: repository.treeID(ofCommit: commit), commit: commit,
            requiringRegistry: requiringRegistry)
    }

    /// The same from the tree `root` (a commit's, or the working tree's), reported as at `commit`.
    public func load(models names: [String], tree root: ObjectID, commit: ObjectID, requiringRegistry: Bool = true)
        throws -> Registry
    {
        if requiringRegistry { try requireRegistry(root: root, place: commit.short) }
        var bag = DiagnosticBag()
        let settings = try loadSettings(root: root, bag: &bag)
        let policies = try loadPolicies(root: root, ladder: settings.stages, bag: &bag)
        var folders: [(String, ObjectID)] = []
        for name in Set(names).sorted() where Names.isValid(name) {
            if let entry = try repository.entry(at: RegistryLayout.folder(of: name), inTree: root), entry.kind == .tree
            {
                folders.append((name, entry.id))
            }
        }
        let models = try loadModels(folders, ladder: settings.stages, bag: &bag)
        var registry = assemble(commit: commit, settings: settings, policies: policies, models: models, bag: bag)
        registry.tree = root
        registry.allModelNames = try modelNames(in: root)
        return registry
    }

    /// The names of the model folders of the tree `root`, read from the `models/` tree alone.
    func modelNames(in root: ObjectID) throws -> [String] {
        guard let folder = try repository.entry(at: RegistryLayout.models, inTree: root), folder.kind == .tree else {
            return []
        }
        return try repository.entries(ofTree: folder.id).filter { $0.kind == .tree }.map(\.name)
    }

    /// The bytes of a file at `commit`, or nil when there is none (or it is not a bounded regular file).
    public func file(_ path: String, at commit: ObjectID) throws -> Data? {
        guard let entry = try repository.entry(at: path, inTree: repository.treeID(ofCommit: commit)), entry.isFile,
            try repository.blobSize(entry.id) <= yaml.maximumBytes
        else { return nil }
        return try repository.blob(entry.id)
    }

    /// The YAML tree of one registry file at `commit` (for `diff`), or nil when it is absent or invalid.
    public func node(_ path: String, at commit: ObjectID) throws -> YAMLNode? {
        try node(path, inTree: repository.treeID(ofCommit: commit))
    }

    /// The same in the tree `root`.
    public func node(_ path: String, inTree root: ObjectID) throws -> YAMLNode? {
        guard let entry = try repository.entry(at: path, inTree: root), entry.isFile,
            try repository.blobSize(entry.id) <= yaml.maximumBytes
        else { return nil }
        let data = try repository.blob(entry.id)
        return try? yaml.load(data, path: path)
    }

    private func assemble(
        commit: ObjectID, settings: RegistrySettings, policies: [Policy], models: [String: Registry.Model],
        bag: DiagnosticBag
    ) -> Registry {
        var bag = bag
        Self.refuseDeployFolder(settings.deploy.path, in: models, bag: &bag)
        return Registry(commit: commit, settings: settings, models: models, policies: policies, diagnostics: bag.sorted)
    }

    /// A training (a manifest's, or `model.yaml`'s defaults) that reads the deploy folder: refused, as
    /// every other place of the registry is where the training block is read.
    static func refuseDeployFolder(_ deployPath: String, in models: [String: Registry.Model], bag: inout DiagnosticBag)
    {
        for model in models.values {
            let trainings = [model.spec?.training] + model.versions.values.map(\.training)
            for training in trainings.compactMap({ $0 }) {
                let files = training.data + (training.lockfile.map { [$0] } ?? [])
                for path in VersionClosure.paths(of: training) where RegistryLayout.isUnder(path, deployPath) {
                    bag.error(
                        "\(Quoted(path)) reaches \(Quoted(deployPath)), the deploy folder (deploy.path), which a training may not read",
                        at: files.first { $0.path == path }?.location ?? training.location)
                }
            }
        }
    }

    // MARK: - Settings and policies

    /// `modelgate.yaml` at `commit` (defaults when absent).
    public func settings(at commit: ObjectID, bag: inout DiagnosticBag) throws -> RegistrySettings {
        try loadSettings(root: repository.treeID(ofCommit: commit), bag: &bag)
    }

    package func loadSettings(root: ObjectID, bag: inout DiagnosticBag) throws -> RegistrySettings {
        guard let entry = try repository.entry(at: RegistrySettings.path, inTree: root) else {
            return RegistrySettings()
        }
        guard entry.isFile else {
            _ = try read(entry, path: RegistrySettings.path, bag: &bag)  // names what it is instead
            return RegistrySettings()
        }
        let (settings, diagnostics) = try settingsCache.value(for: entry.id) {
            var own = DiagnosticBag()
            guard let data = try read(entry, path: RegistrySettings.path, bag: &own) else {
                return (RegistrySettings(), own.diagnostics)
            }
            let (document, diagnostics) = RegistryDocument.decode(data, path: RegistrySettings.path, yaml: yaml)
            own.append(contentsOf: diagnostics)
            guard case .settings(let settings)? = document else { return (RegistrySettings(), own.diagnostics) }
            return (settings, own.diagnostics)
        }
        bag.append(contentsOf: diagnostics)
        return settings
    }

    package func loadPolicies(root: ObjectID, ladder: [String], bag: inout DiagnosticBag) throws -> [Policy] {
        guard let folder = try repository.entry(at: RegistryLayout.policies, inTree: root), folder.kind == .tree else {
            return []
        }
        var policies: [Policy] = []
        for entry in try repository.entries(ofTree: folder.id) {
            let path = RegistryLayout.policy(file: entry.name)
            guard Self.yamlStem(entry.name) != nil else { continue }
            let document = try decodeOnce(entry, path: path, ladder, &bag) {
                RegistryDocument.decode($0, path: path, ladder: ladder, yaml: yaml)
            }
            if case .policy(let policy?)? = document { policies.append(policy) }
        }
        return policies.sorted { $0.name < $1.name }
    }

    // MARK: - Models

    /// The model folders, each listed, read and decoded as one unit; on every core when there are enough of
    /// them, each thread with its own handle on the repository (libgit2's handles are not to be shared between
    /// threads).
    private func loadModels(_ folders: [(String, ObjectID)], ladder: [String], bag: inout DiagnosticBag) throws
        -> [String: Registry.Model]
    {
        let workers = folders.count >= 8 ? ProcessInfo.processInfo.activeProcessorCount : 1
        var handles = [repository]
        for _ in 1..<max(1, workers) {
            guard let handle = try? repository.reopened() else { break }
            handles.append(handle)
        }
        let results = Concurrently.map(
            folders.count, workers: handles.count,
            state: { RegistryLoader(repository: handles[$0], sharing: self) }
        ) { reader, index in Result { try reader.loadModel(folders[index].0, tree: folders[index].1, ladder: ladder) } }
        var models: [String: Registry.Model] = [:]
        models.reserveCapacity(folders.count)
        for result in results {
            let (model, diagnostics) = try result.get()
            bag.append(contentsOf: diagnostics)
            models[model.name] = model
        }
        return models
    }

    /// A reader on another handle of the repository that shares `other`'s limits and caches.
    private init(repository: Repository, sharing other: RegistryLoader) {
        self.repository = repository
        yaml = other.yaml
        settingsCache = other.settingsCache
        documentCache = other.documentCache
    }

    /// One model folder: its spec, its stages and its manifests, with the problems of each.
    private func loadModel(_ name: String, tree: ObjectID, ladder: [String]) throws -> (Registry.Model, [Diagnostic]) {
        var bag = DiagnosticBag()
        var model = Registry.Model(name: name, spec: nil, versions: [:], stages: nil)
        let entries = try repository.entries(ofTree: tree)
        if let entry = entries.first(where: { $0.name == RegistryLayout.specFile }) {
            let document = try decode(entry, as: .spec(model: name), path: ModelSpec.path(name), ladder, &bag)
            if case .spec(let spec)? = document { model.spec = spec }
        } else {
            bag.error(
                "model folder has no \(RegistryLayout.specFile)",
                at: SourceLocation(path: RegistryLayout.folder(of: name)))
        }
        if let entry = entries.first(where: { $0.name == RegistryLayout.stagesFile }) {
            let path = StageAssignments.path(name)
            if case .stages(let stages)? = try decode(entry, as: .stages(model: name), path: path, ladder, &bag) {
                model.stages = stages
            }
        }
        let versions = entries.first(where: { $0.name == RegistryLayout.versionsFolder && $0.kind == .tree })
        for entry in try versions.map({ try repository.entries(ofTree: $0.id) }) ?? [] {
            let path = "\(RegistryLayout.versions(of: name))/\(entry.name)"
            guard let stem = Self.yamlStem(entry.name) else { continue }
            guard entry.name.hasSuffix(".yaml") else {
                bag.error("manifest file names end in .yaml", at: SourceLocation(path: path))
                continue
            }
            guard SemanticVersion(stem) != nil else {
                bag.error(
                    "manifest file name \(Quoted(stem)) is not a SemVer 2.0 version", at: SourceLocation(path: path))
                continue
            }
            model.manifestFiles.insert(stem)
            let kind = RegistryDocument.Kind.manifest(model: name, version: stem)
            if case .manifest(var manifest?)? = try decode(entry, as: kind, path: path, ladder, &bag) {
                manifest.blob = entry.id
                model.versions[manifest.version.description] = manifest
            }
        }
        RegistryValidator.crossCheck(model, into: &bag)
        return (model, bag.diagnostics)
    }

    /// One registry file read from Git and decoded as `kind`; its problems go to `bag`.
    private func decode(
        _ entry: TreeEntry, as kind: RegistryDocument.Kind, path: String, _ ladder: [String],
        _ bag: inout DiagnosticBag
    ) throws -> RegistryDocument? {
        try decodeOnce(entry, path: path, ladder, &bag) {
            RegistryDocument.decode($0, as: kind, path: path, ladder: ladder, yaml: yaml)
        }
    }

    /// A registry file read and decoded by `decode` once per blob, path and ladder within this loader's run
    /// (the path decides the file's kind); its problems go to `bag` each time. Only a regular file's
    /// decoding is kept: a link or an oversized blob is refused by `read` every time, even one whose blob id
    /// is a file's that was decoded before (a link's blob is its target's text).
    private func decodeOnce(
        _ entry: TreeEntry, path: String, _ ladder: [String], _ bag: inout DiagnosticBag,
        _ decode: (Data) -> (RegistryDocument?, [Diagnostic])
    ) throws -> RegistryDocument? {
        guard entry.isFile else {
            _ = try read(entry, path: path, bag: &bag)
            return nil
        }
        let key = DocumentCache.Key(id: entry.id, path: path, ladder: ladder)
        guard
            let decoded = try documentCache.value(
                for: key, decode: { try read(entry, path: path, bag: &bag).map(decode) })
        else { return nil }
        bag.append(contentsOf: decoded.diagnostics)
        return decoded.document
    }

    // MARK: - Files

    /// The bytes of one registry file's blob, after checking that it is a regular file of bounded size.
    package func read(_ entry: TreeEntry, path: String, bag: inout DiagnosticBag) throws -> Data? {
        guard entry.isFile else {
            let what = entry.kind == .symlink ? "a symbolic link" : "not a regular file"
            bag.error("\(path) is \(what); registry files must be regular files", at: SourceLocation(path: path))
            return nil
        }
        let size = try repository.blobSize(entry.id)
        guard size <= yaml.maximumBytes else {
            bag.error(
                "file is \(size) bytes, more than the limit of \(yaml.maximumBytes) bytes for a registry file",
                at: SourceLocation(path: path))
            return nil
        }
        return try repository.blob(entry.id)
    }

    /// `name` without `.yaml` or `.yml`, or nil for other files.
    static func yamlStem(_ name: String) -> String? {
        if name.hasSuffix(".yaml") { return String(name.dropLast(5)) }
        if name.hasSuffix(".yml") { return String(name.dropLast(4)) }
        return nil
    }
}

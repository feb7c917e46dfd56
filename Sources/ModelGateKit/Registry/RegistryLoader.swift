import Foundation

/// Reads a registry from Git at a commit, through libgit2 and without a checkout.
///
/// Works in three passes: walk the trees, read and decode the files on every core (each thread with its own
/// libgit2 handle; YAML parsing dominates), then assemble the models and check what spans files. Every file is size-checked from its object header before it is read; problems are
/// collected, never thrown, so `validate` reports them all.
public struct RegistryLoader {
    public let repository: Repository
    public var yaml = YAMLLoader()

    public init(repository: Repository) { self.repository = repository }

    /// The whole registry at `commit`, cross-references checked.
    public func load(at commit: ObjectID) throws -> Registry {
        try load(tree: try repository.treeID(ofCommit: commit), commit: commit)
    }

    /// The whole registry in the tree `root` (a commit's, or the working tree's), reported as at `commit`.
    public func load(tree root: ObjectID, commit: ObjectID) throws -> Registry {
        try repository.refuseCraftedNames(under: root)
        var bag = DiagnosticBag()
        let settings = try loadSettings(root: root, bag: &bag)
        let policies = try loadPolicies(root: root, ladder: settings.stages, bag: &bag)
        var folders: [(String, ObjectID)] = []
        if let modelsEntry = try repository.entry(at: "models", inTree: root) {
            if modelsEntry.kind == .tree {
                for entry in try repository.entries(ofTree: modelsEntry.id) {
                    let folder = "models/\(entry.name)"
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
                bag.error("'models' must be a folder", at: SourceLocation(path: "models"))
            }
        }
        let models = try loadModels(folders, ladder: settings.stages, bag: &bag)
        return assemble(commit: commit, settings: settings, policies: policies, models: models, bag: &bag)
    }

    /// Only what judging `models` needs: settings, policies and those models (for `check` on a small diff).
    public func load(models names: [String], at commit: ObjectID) throws -> Registry {
        let root = try repository.treeID(ofCommit: commit)
        var bag = DiagnosticBag()
        let settings = try loadSettings(root: root, bag: &bag)
        let policies = try loadPolicies(root: root, ladder: settings.stages, bag: &bag)
        var folders: [(String, ObjectID)] = []
        for name in Set(names).sorted() where Names.isValid(name) {
            if let entry = try repository.entry(at: "models/\(name)", inTree: root), entry.kind == .tree {
                folders.append((name, entry.id))
            }
        }
        let models = try loadModels(folders, ladder: settings.stages, bag: &bag)
        return assemble(commit: commit, settings: settings, policies: policies, models: models, bag: &bag)
    }

    /// The policies as they are at `commit`, read against `ladder` (for `check --policies-from`).
    public func policies(at commit: ObjectID, ladder: [String]) throws -> (
        policies: [Policy], diagnostics: [Diagnostic]
    ) {
        var bag = DiagnosticBag()
        let policies = try loadPolicies(root: repository.treeID(ofCommit: commit), ladder: ladder, bag: &bag)
        return (policies, bag.sorted)
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
        guard let data = try file(path, at: commit) else { return nil }
        return try? yaml.load(data, path: path)
    }

    private func assemble(
        commit: ObjectID, settings: RegistrySettings, policies: [Policy], models: [String: Registry.Model],
        bag: inout DiagnosticBag
    ) -> Registry {
        var registry = Registry(commit: commit, settings: settings, models: models, policies: policies, diagnostics: [])
        RegistryValidator.crossCheck(registry, into: &bag)
        registry.diagnostics = bag.sorted
        return registry
    }

    // MARK: - Settings and policies

    /// `modelgate.yaml` at `commit` (defaults when absent).
    public func settings(at commit: ObjectID, bag: inout DiagnosticBag) throws -> RegistrySettings {
        try loadSettings(root: repository.treeID(ofCommit: commit), bag: &bag)
    }

    func loadSettings(root: ObjectID, bag: inout DiagnosticBag) throws -> RegistrySettings {
        guard let entry = try repository.entry(at: RegistrySettings.path, inTree: root),
            let data = try read(entry, path: RegistrySettings.path, bag: &bag)
        else { return RegistrySettings() }
        let (document, diagnostics) = RegistryDocument.decode(data, path: RegistrySettings.path, yaml: yaml)
        bag.append(contentsOf: diagnostics)
        guard case .settings(let settings)? = document else { return RegistrySettings() }
        return settings
    }

    func loadPolicies(root: ObjectID, ladder: [String], bag: inout DiagnosticBag) throws -> [Policy] {
        guard let folder = try repository.entry(at: "policies", inTree: root), folder.kind == .tree else { return [] }
        var policies: [Policy] = []
        for entry in try repository.entries(ofTree: folder.id) {
            let path = "policies/\(entry.name)"
            guard Self.yamlStem(entry.name) != nil, let data = try read(entry, path: path, bag: &bag) else { continue }
            let (document, diagnostics) = RegistryDocument.decode(data, path: path, ladder: ladder, yaml: yaml)
            bag.append(contentsOf: diagnostics)
            if case .policy(let policy?)? = document { policies.append(policy) }
        }
        return policies.sorted { $0.name < $1.name }
    }

    // MARK: - Models

    /// One registry file of a model folder, read from Git and waiting to be decoded.
    private struct ModelFile: Sendable {
        enum Role: Sendable {
            case spec
            case stages
            case manifest(version: String)
        }

        var model: String
        var role: Role
        var path: String
        var entry: TreeEntry
    }

    /// What decoding one file gave, with the problems of reading and decoding it. A class, so that handing it
    /// between threads and arrays copies one reference rather than every field of a manifest.
    private final class Decoded: Sendable {
        let document: RegistryDocument?
        let diagnostics: [Diagnostic]

        init(_ document: RegistryDocument?, _ diagnostics: [Diagnostic]) {
            self.document = document
            self.diagnostics = diagnostics
        }
    }

    private func loadModels(_ folders: [(String, ObjectID)], ladder: [String], bag: inout DiagnosticBag) throws
        -> [String: Registry.Model]
    {
        var models: [String: Registry.Model] = [:]
        var files: [ModelFile] = []
        for (name, tree) in folders {
            var model = Registry.Model(name: name, spec: nil, versions: [:], stages: nil)
            let entries = try repository.entries(ofTree: tree)
            if let entry = entries.first(where: { $0.name == "model.yaml" }) {
                files.append(ModelFile(model: name, role: .spec, path: ModelSpec.path(name), entry: entry))
            } else {
                bag.error("model folder has no model.yaml", at: SourceLocation(path: "models/\(name)"))
            }
            if let entry = entries.first(where: { $0.name == "stages.yaml" }) {
                files.append(ModelFile(model: name, role: .stages, path: StageAssignments.path(name), entry: entry))
            }
            if let versions = entries.first(where: { $0.name == "versions" && $0.kind == .tree }) {
                for entry in try repository.entries(ofTree: versions.id) {
                    let path = "models/\(name)/versions/\(entry.name)"
                    guard let stem = Self.yamlStem(entry.name) else { continue }
                    guard entry.name.hasSuffix(".yaml") else {
                        bag.error("manifest file names end in .yaml", at: SourceLocation(path: path))
                        continue
                    }
                    guard SemanticVersion(stem) != nil else {
                        bag.error(
                            "manifest file name \(Quoted(stem)) is not a SemVer 2.0 version",
                            at: SourceLocation(path: path))
                        continue
                    }
                    model.manifestFiles.insert(stem)
                    files.append(ModelFile(model: name, role: .manifest(version: stem), path: path, entry: entry))
                }
            }
            models[name] = model
        }
        let decoded = try readConcurrently(files, ladder: ladder)
        for (file, result) in zip(files, decoded) {
            bag.append(contentsOf: result.diagnostics)
            switch result.document {
            case .spec(let spec)?: models[file.model]?.spec = spec
            case .stages(let stages)?: models[file.model]?.stages = stages
            case .manifest(var manifest?)?:
                manifest.blob = file.entry.id
                models[file.model]?.versions[manifest.version.description] = manifest
            default: break
            }
        }
        return models
    }

    /// Reads and decodes `files` on every core, each thread with its own handle on the repository (libgit2's
    /// handles are not to be shared between threads); results in the order of `files`.
    private func readConcurrently(_ files: [ModelFile], ladder: [String]) throws -> [Decoded] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, files.count / 64))
        var handles = [repository]
        for _ in 1..<workers {
            guard let handle = try? repository.reopened() else { break }
            handles.append(handle)
        }
        let loader = yaml
        let results = Concurrently.map(
            files.count, workers: handles.count,
            state: { RegistryLoader(repository: handles[$0], yaml: loader) }
        ) { reader, index in Result { try reader.readAndDecode(files[index], ladder: ladder) } }
        return try results.map { try $0.get() }
    }

    private init(repository: Repository, yaml: YAMLLoader) {
        self.repository = repository
        self.yaml = yaml
    }

    /// One file read from Git and decoded, with the problems of both.
    private func readAndDecode(_ file: ModelFile, ladder: [String]) throws -> Decoded {
        var bag = DiagnosticBag()
        guard let data = try read(file.entry, path: file.path, bag: &bag) else { return Decoded(nil, bag.diagnostics) }
        let kind: RegistryDocument.Kind
        switch file.role {
        case .spec: kind = .spec(model: file.model)
        case .stages: kind = .stages(model: file.model)
        case .manifest(let version): kind = .manifest(model: file.model, version: version)
        }
        let (document, diagnostics) = RegistryDocument.decode(
            data, as: kind, path: file.path, ladder: ladder, yaml: yaml)
        return Decoded(document, bag.diagnostics + diagnostics)
    }

    // MARK: - Files

    /// The bytes of one registry file's blob, after checking that it is a regular file of bounded size.
    func read(_ entry: TreeEntry, path: String, bag: inout DiagnosticBag) throws -> Data? {
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

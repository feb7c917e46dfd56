import Foundation

/// Reads a registry from Git at a commit, through libgit2 and without a checkout.
///
/// Every file is size-checked from its object header before it is read, parsed with `YAMLLoader`, and
/// decoded with a `SchemaReader`; problems are collected, never thrown, so `validate` reports them all.
public struct RegistryLoader {
    public let repository: Repository
    public var yaml = YAMLLoader()

    public init(repository: Repository) { self.repository = repository }

    /// The whole registry at `commit`, cross-references checked.
    public func load(at commit: ObjectID) throws -> Registry {
        let root = try repository.treeID(ofCommit: commit)
        var bag = DiagnosticBag()
        let settings = try loadSettings(root: root, bag: &bag)
        let policies = try loadPolicies(root: root, ladder: settings.stages, bag: &bag)
        var models: [String: Registry.Model] = [:]
        if let modelsEntry = try repository.entry(at: "models", inTree: root) {
            guard modelsEntry.kind == .tree else {
                bag.error("'models' must be a folder", at: SourceLocation(path: "models"))
                return Registry(commit: commit, settings: settings, models: [:], policies: policies, diagnostics: bag.sorted)
            }
            for entry in try repository.entries(ofTree: modelsEntry.id) {
                let folder = "models/\(entry.name)"
                guard entry.kind == .tree else {
                    if entry.kind == .symlink {
                        bag.error("\(folder) is a symbolic link; registry files must be regular files", at: SourceLocation(path: folder))
                    }
                    continue
                }
                guard Names.isValid(entry.name) else {
                    bag.error(Names.problem(entry.name, what: "model folder"), at: SourceLocation(path: folder))
                    continue
                }
                models[entry.name] = try loadModel(entry.name, folder: entry.id, ladder: settings.stages, bag: &bag)
            }
        }
        var registry = Registry(commit: commit, settings: settings, models: models, policies: policies, diagnostics: [])
        RegistryValidator.crossCheck(registry, into: &bag)
        registry.diagnostics = bag.sorted
        return registry
    }

    /// Only what judging `models` needs: settings, policies and those models (for `check` on a small diff).
    public func load(models names: [String], at commit: ObjectID) throws -> Registry {
        let root = try repository.treeID(ofCommit: commit)
        var bag = DiagnosticBag()
        let settings = try loadSettings(root: root, bag: &bag)
        let policies = try loadPolicies(root: root, ladder: settings.stages, bag: &bag)
        var models: [String: Registry.Model] = [:]
        for name in Set(names) {
            guard let entry = try repository.entry(at: "models/\(name)", inTree: root), entry.kind == .tree else { continue }
            models[name] = try loadModel(name, folder: entry.id, ladder: settings.stages, bag: &bag)
        }
        var registry = Registry(commit: commit, settings: settings, models: models, policies: policies, diagnostics: [])
        RegistryValidator.crossCheck(registry, into: &bag)
        registry.diagnostics = bag.sorted
        return registry
    }

    func loadSettings(root: ObjectID, bag: inout DiagnosticBag) throws -> RegistrySettings {
        guard let entry = try repository.entry(at: RegistrySettings.path, inTree: root) else { return RegistrySettings() }
        guard let node = try parse(entry, path: RegistrySettings.path, bag: &bag) else { return RegistrySettings() }
        let reader = SchemaReader()
        let settings = RegistrySettings.read(node, reader: reader)
        bag.append(contentsOf: reader.bag.diagnostics)
        return settings
    }

    func loadPolicies(root: ObjectID, ladder: [String], bag: inout DiagnosticBag) throws -> [Policy] {
        guard let folder = try repository.entry(at: "policies", inTree: root), folder.kind == .tree else { return [] }
        var policies: [Policy] = []
        for entry in try repository.entries(ofTree: folder.id) {
            let path = "policies/\(entry.name)"
            guard let fileName = Self.yamlStem(entry.name) else { continue }
            guard let node = try parse(entry, path: path, bag: &bag) else { continue }
            let reader = SchemaReader()
            if let policy = Policy.read(node, fileName: fileName, ladder: ladder, reader: reader) { policies.append(policy) }
            bag.append(contentsOf: reader.bag.diagnostics)
        }
        return policies.sorted { $0.name < $1.name }
    }

    func loadModel(_ name: String, folder: ObjectID, ladder: [String], bag: inout DiagnosticBag) throws -> Registry.Model {
        var model = Registry.Model(name: name, spec: nil, versions: [:], stages: nil)
        let entries = try repository.entries(ofTree: folder)
        let specPath = ModelSpec.path(name)
        if let entry = entries.first(where: { $0.name == "model.yaml" }) {
            if let node = try parse(entry, path: specPath, bag: &bag) {
                let reader = SchemaReader()
                model.spec = ModelSpec.read(node, folder: name, reader: reader)
                bag.append(contentsOf: reader.bag.diagnostics)
            }
        } else {
            bag.error("model folder has no model.yaml", at: SourceLocation(path: "models/\(name)"))
        }
        if let entry = entries.first(where: { $0.name == "stages.yaml" }) {
            if let node = try parse(entry, path: StageAssignments.path(name), bag: &bag) {
                let reader = SchemaReader()
                model.stages = StageAssignments.read(node, folder: name, ladder: ladder, reader: reader)
                bag.append(contentsOf: reader.bag.diagnostics)
            }
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
                    bag.error("manifest file name \(Quoted(stem)) is not a SemVer 2.0 version", at: SourceLocation(path: path))
                    continue
                }
                model.manifestFiles.insert(stem)
                guard let node = try parse(entry, path: path, bag: &bag) else { continue }
                let reader = SchemaReader()
                if var manifest = ModelVersion.read(node, folder: name, fileVersion: stem, reader: reader) {
                    manifest.blob = entry.id
                    model.versions[stem] = manifest
                }
                bag.append(contentsOf: reader.bag.diagnostics)
            }
        }
        return model
    }

    /// Parses one registry file's blob, after checking that it is a regular file of bounded size.
    func parse(_ entry: TreeEntry, path: String, bag: inout DiagnosticBag) throws -> YAMLNode? {
        guard entry.isFile else {
            let what = entry.kind == .symlink ? "a symbolic link" : "not a regular file"
            bag.error("\(path) is \(what); registry files must be regular files", at: SourceLocation(path: path))
            return nil
        }
        let size = try repository.blobSize(entry.id)
        guard size <= yaml.maximumBytes else {
            bag.error("file is \(size) bytes, more than the limit of \(yaml.maximumBytes) bytes for a registry file", at: SourceLocation(path: path))
            return nil
        }
        let data = try repository.blob(entry.id)
        do {
            return try yaml.load(data, path: path)
        } catch {
            bag.append(contentsOf: error.diagnostics)
            return nil
        }
    }

    /// `name` without `.yaml` or `.yml`, or nil for other files.
    static func yamlStem(_ name: String) -> String? {
        if name.hasSuffix(".yaml") { return String(name.dropLast(5)) }
        if name.hasSuffix(".yml") { return String(name.dropLast(4)) }
        return nil
    }
}

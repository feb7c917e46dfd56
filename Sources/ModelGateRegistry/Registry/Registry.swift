import Foundation
import ModelGateGit
import ModelGateSupport

/// A registry as it stands at one commit: settings, models with their versions and stage holders, policies,
/// and every problem found while reading them.
public struct Registry: Sendable {
    /// One model folder: its spec, its versions and its stage holders.
    public struct Model: Sendable {
        public var name: String
        public var spec: ModelSpec?
        /// Version text -> manifest.
        public var versions: [String: ModelVersion]
        public var stages: StageAssignments?
        /// Versions with a manifest file, parsed or not (so an invalid manifest is not also "missing").
        public var manifestFiles: Set<String> = []

        /// The versions in SemVer order, oldest first.
        public var orderedVersions: [ModelVersion] {
            // The dictionary's positions are sorted, not manifests: moving large values about dominated sorting
            // them; each manifest is then copied once.
            versions.indices.sorted { versions[$0].value.version < versions[$1].value.version }.map {
                versions[$0].value
            }
        }

        public init(name: String, spec: ModelSpec?, versions: [String: ModelVersion], stages: StageAssignments?) {
            self.name = name
            self.spec = spec
            self.versions = versions
            self.stages = stages
            manifestFiles = Set(versions.keys)
        }

        /// The manifest holding `stage`, if any.
        public func holder(of stage: String) -> ModelVersion? {
            stages?.holder(of: stage).flatMap { versions[$0] }
        }
    }

    public var commit: ObjectID
    /// The tree the registry was read from: `commit`'s, or the working tree's for `--worktree`; where
    /// evidence is read. Nil for a registry assembled by hand (evidence then comes from `commit`).
    public var tree: ObjectID?
    public var settings: RegistrySettings
    /// Model name -> model.
    public var models: [String: Model]
    public var policies: [Policy]
    public var diagnostics: [Diagnostic]
    /// The name of every model folder at the commit, loaded or not (a registry loaded for a few models
    /// knows the others by name): where an unknown name's suggestion is drawn from.
    public var allModelNames: [String] = []

    /// A registry assembled by hand (`RegistryLoader` is the usual way to get one).
    public init(
        commit: ObjectID, settings: RegistrySettings, models: [String: Model], policies: [Policy],
        diagnostics: [Diagnostic]
    ) {
        self.commit = commit
        self.settings = settings
        self.models = models
        self.policies = policies
        self.diagnostics = diagnostics
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Model names, sorted.
    public var modelNames: [String] { models.keys.sorted() }

    /// The model named `name`, or a bad-input error naming the models there are.
    public func model(_ name: String) throws -> Model {
        guard let model = models[name] else {
            let names = Set(allModelNames).union(models.keys).sorted()
            let hint =
                Suggestion.nearest(to: name, in: names).map { "; did you mean '\($0)'?" }
                ?? (names.isEmpty
                    ? "; the registry has no models" : "; the models are \(names.joined(separator: ", "))")
            throw ModelGateError.badInput("unknown model \(Quoted(name)) at \(commit.short)\(hint)")
        }
        return model
    }

    /// The manifest of `model@version`, or a bad-input error; with `repository`, the error says where the
    /// version is: in the working tree, not committed, or on local branches (recorded on a branch that is
    /// not checked out).
    public func version(_ model: String, _ version: String, in repository: Repository? = nil) throws -> ModelVersion {
        let found = try self.model(model)
        guard let manifest = found.versions[version] else {
            let path = ModelVersion.path(model: model, version: version)
            // A hint only: a branch that cannot be read is left out rather than hiding the error.
            let branches = ((try? repository?.localBranches()) ?? []).filter { branch in
                branch.tip != commit && (try? repository?.blobID(at: path, inCommit: branch.tip)) != nil
            }.map { $0.name.replacingOccurrences(of: "refs/heads/", with: "") }
            let versions = found.orderedVersions.map(\.version.description)
            let onDisk =
                repository?.workingDirectory.map {
                    FileManager.default.fileExists(atPath: $0.appendingPathComponent(path).path)
                } ?? false
            let hint =
                (onDisk ? "; \(path) is in the working tree but not committed: commit it, or pass --worktree" : nil)
                ?? branches.first.map { first in
                    "; it is recorded on \(branches.count == 1 ? "branch" : "branches") "
                        + "\(branches.map { Quoted($0).description }.joined(separator: ", ")): "
                        + "switch to it first (git switch \(Escape.control(first)))"
                }
                ?? Suggestion.nearest(to: version, in: versions).map { "; did you mean '\($0)'?" }
                ?? (versions.isEmpty ? "" : "; its versions are \(versions.joined(separator: ", "))")
            throw ModelGateError.badInput(
                "unknown version \(Quoted(version)) of model '\(model)' at \(commit.short)\(hint)")
        }
        return manifest
    }
}

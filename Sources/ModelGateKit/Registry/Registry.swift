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
        public var orderedVersions: [ModelVersion] { versions.values.sorted { $0.version < $1.version } }

        /// The manifest holding `stage`, if any.
        public func holder(of stage: String) -> ModelVersion? {
            stages?.holder(of: stage).flatMap { versions[$0] }
        }
    }

    public var commit: ObjectID
    public var settings: RegistrySettings
    /// Model name -> model.
    public var models: [String: Model]
    public var policies: [Policy]
    public var diagnostics: [Diagnostic]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Model names, sorted.
    public var modelNames: [String] { models.keys.sorted() }

    /// The model named `name`, or a bad-input error naming the models there are.
    public func model(_ name: String) throws -> Model {
        guard let model = models[name] else {
            throw ModelGateError.badInput("unknown model \(Quoted(name)) at \(commit.short)")
        }
        return model
    }

    /// The manifest of `model@version`, or a bad-input error.
    public func version(_ model: String, _ version: String) throws -> ModelVersion {
        guard let manifest = try self.model(model).versions[version] else {
            throw ModelGateError.badInput("unknown version \(Quoted(version)) of model '\(model)' at \(commit.short)")
        }
        return manifest
    }
}

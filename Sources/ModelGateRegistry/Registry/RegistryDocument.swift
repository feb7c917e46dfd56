import Foundation
import ModelGateSupport
import ModelGateYAML

/// One registry file decoded from its bytes by the kind its path names: the per-file step of
/// `RegistryLoader`, for callers that hold bytes rather than a commit (the loader's parallel decode, editor
/// and pre-commit integrations, the fuzzers). Cross-file rules are the loader's.
public enum RegistryDocument: Sendable {
    case settings(RegistrySettings)
    case policy(Policy?)
    case spec(ModelSpec?)
    case stages(StageAssignments?)
    case manifest(ModelVersion?)

    /// What a path inside the registry holds.
    public enum Kind: Sendable, Equatable {
        case settings
        case policy(fileName: String)
        case spec(model: String)
        case stages(model: String)
        case manifest(model: String, version: String)

        /// The kind of `path`, or nil for a file the registry does not read.
        public init?(path: String) {
            switch RegistryLayout.place(of: path) {
            case .settings?: self = .settings
            case .policy(let file)?:
                guard let stem = RegistryLoader.yamlStem(file) else { return nil }
                self = .policy(fileName: stem)
            case .spec(let model)?: self = .spec(model: model)
            case .stages(let model)?: self = .stages(model: model)
            case .manifest(let model, let file)? where file.hasSuffix(".yaml"):
                self = .manifest(model: model, version: String(file.dropLast(5)))
            default: return nil
            }
        }
    }

    /// Parses and reads `data` as the file at `path`; every problem comes back as a diagnostic. Nil when the
    /// YAML itself could not be parsed, or `path` is not a registry file.
    public static func decode(
        _ data: Data, path: String, ladder: [String] = RegistrySettings.defaultStages,
        yaml: YAMLLoader = YAMLLoader()
    ) -> (document: RegistryDocument?, diagnostics: [Diagnostic]) {
        guard let kind = Kind(path: path) else {
            return (nil, [Diagnostic(at: SourceLocation(path: path), "\(path) is not a file of a registry")])
        }
        return decode(data, as: kind, path: path, ladder: ladder, yaml: yaml)
    }

    /// `decode(_:path:ladder:yaml:)` for a caller that already knows what `path` holds.
    static func decode(_ data: Data, as kind: Kind, path: String, ladder: [String], yaml: YAMLLoader) -> (
        document: RegistryDocument?, diagnostics: [Diagnostic]
    ) {
        let node: YAMLNode
        do {
            node = try yaml.load(data, path: path)
        } catch {
            return (nil, error.diagnostics)
        }
        let reader = SchemaReader()
        let document: RegistryDocument
        switch kind {
        case .settings: document = .settings(RegistrySettings.read(node, reader: reader))
        case .policy(let fileName):
            document = .policy(Policy.read(node, fileName: fileName, ladder: ladder, reader: reader))
        case .spec(let model): document = .spec(ModelSpec.read(node, folder: model, reader: reader))
        case .stages(let model):
            document = .stages(StageAssignments.read(node, folder: model, ladder: ladder, reader: reader))
        case .manifest(let model, let version):
            document = .manifest(ModelVersion.read(node, folder: model, fileVersion: version, reader: reader))
        }
        return (document, reader.bag.diagnostics)
    }
}

/// Where every file of a registry lives, relative to the repository's root: the one place that spells the
/// layout. Everything else asks it, both to build a path and to tell what a path is.
///
///     modelgate.yaml
///     policies/<name>.yaml
///     models/<model>/model.yaml
///     models/<model>/stages.yaml
///     models/<model>/versions/<version>.yaml
///     attestations/<model>/<version>.json
///     profiles/<model>/<version>.json
public enum RegistryLayout {
    /// The settings: stages, trust, sandbox, deploy.
    public static let settings = "modelgate.yaml"
    /// The folder of policies, one YAML file each.
    public static let policies = "policies"
    /// The folder of models, one folder each.
    public static let models = "models"
    /// The folder of signed attestations, by model.
    public static let attestations = "attestations"
    /// The folder of training-data profiles, by model.
    public static let profiles = "profiles"
    /// The folder of artifacts a recording writes (`artifacts/<model>/<version>/`).
    public static let artifacts = "artifacts"
    /// The folder of the trusted public keys the example and most registries keep.
    public static let keys = "keys"
    /// The folder of a registry's own bundle templates.
    public static let templates = "templates"
    /// The folder of named approvals (`approvals/<model>/<version>/<stage>/<name>.sig`).
    public static let approvals = "approvals"
    /// The image map `render` keeps (in the deploy folder, and never a training's either at the root).
    public static let images = "images.yaml"
    /// A model folder's specification, stage assignments and manifest folder.
    public static let specFile = "model.yaml"
    public static let stagesFile = "stages.yaml"
    public static let versionsFolder = "versions"

    /// `policies/<file>`, `file` with its extension.
    public static func policy(file: String) -> String { "\(policies)/\(file)" }
    /// `models/<model>`.
    public static func folder(of model: String) -> String { "\(models)/\(model)" }
    /// `models/<model>/model.yaml`.
    public static func spec(of model: String) -> String { "\(folder(of: model))/\(specFile)" }
    /// `models/<model>/stages.yaml`.
    public static func stages(of model: String) -> String { "\(folder(of: model))/\(stagesFile)" }
    /// `models/<model>/versions`.
    public static func versions(of model: String) -> String { "\(folder(of: model))/\(versionsFolder)" }
    /// `models/<model>/versions/<version>.yaml`.
    public static func manifest(model: String, version: String) -> String { "\(versions(of: model))/\(version).yaml" }
    /// `attestations/<model>/<version>.json`.
    public static func attestation(model: String, version: String) -> String {
        "\(attestations)/\(model)/\(version).json"
    }
    /// `approvals/<model>/<version>/<stage>`: the approvals of a version's entry into a stage.
    public static func approvals(model: String, version: String, stage: String) -> String {
        "\(approvals)/\(model)/\(version)/\(stage)"
    }
    /// `approvals/<model>/<version>/<stage>/<name>.sig`.
    public static func approval(model: String, version: String, stage: String, name: String) -> String {
        "\(approvals(model: model, version: version, stage: stage))/\(name).sig"
    }
    /// `profiles/<model>/<version>.json`.
    public static func profile(model: String, version: String) -> String { "\(profiles)/\(model)/\(version).json" }

    /// Whether `path` is in `model`'s folder.
    public static func isInFolder(of model: String, _ path: String) -> Bool { path.hasPrefix(folder(of: model) + "/") }

    /// Whether `path` is a file of the models folder or of an attestation: what a promotion or a recording
    /// writes, as against the settings, policies and everything else the trusted rules read.
    public static func isModelOrAttestation(_ path: String) -> Bool {
        path.hasPrefix(models + "/") || path.hasPrefix(attestations + "/")
    }

    /// Whether `path` is the settings or a policy: the files the trusted rules are read from.
    public static func isRules(_ path: String) -> Bool { path == settings || path.hasPrefix(policies + "/") }

    /// The places of the registry a training may never read: its answers (manifests, artifacts,
    /// attestations, profiles, approvals), its rules and keys, and what delivery writes. The deploy folder
    /// (`deploy.path`) is one too; `reservedPlace(of:deployPath:)` adds it.
    public static let reservedPlaces = [
        models, artifacts, attestations, profiles, keys, policies, templates, approvals, settings, images,
    ]

    /// The place of the registry that `path` (a path a training reads: its folder, data, lockfile or input)
    /// is, holds, or lies under, or nil where it is clear of them all. A `.git` component, in any case, is
    /// reserved too. The repository's root ("") holds every place.
    public static func reservedPlace(of path: String, deployPath: String? = DeploySettings.defaultPath) -> String? {
        let components = path.split(separator: "/").map { $0.lowercased() }
        if components.contains(".git") { return ".git" }
        return (reservedPlaces + (deployPath.map { [$0] } ?? [])).first { isUnder(path, $0) }
    }

    /// Whether `path` is `place`, holds it (a folder above it, or the root "") or lies under it.
    public static func isUnder(_ path: String, _ place: String) -> Bool {
        path.isEmpty || path == place || path.hasPrefix(place + "/") || place.hasPrefix(path + "/")
    }

    /// What a registry file is, read from its path.
    public enum Place: Equatable, Sendable {
        case settings
        /// `policies/<file>`: the file's name, extension included.
        case policy(file: String)
        case spec(model: String)
        case stages(model: String)
        /// `models/<model>/versions/<file>`: the file's name, extension included.
        case manifest(model: String, file: String)
        case attestation(model: String, file: String)
        case profile(model: String, file: String)
        /// Anything else under `models/<model>/`.
        case inModel(model: String)
    }

    /// The place `path` names, or nil for a file outside the layout.
    public static func place(of path: String) -> Place? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch (parts.count, parts.first) {
        case (1, settings): return .settings
        case (2, policies): return .policy(file: parts[1])
        case (3, attestations): return .attestation(model: parts[1], file: parts[2])
        case (3, profiles): return .profile(model: parts[1], file: parts[2])
        case (3, models) where parts[2] == specFile: return .spec(model: parts[1])
        case (3, models) where parts[2] == stagesFile: return .stages(model: parts[1])
        case (4, models) where parts[2] == versionsFolder: return .manifest(model: parts[1], file: parts[3])
        case (let count, models) where count >= 2: return .inModel(model: parts[1])
        default: return nil
        }
    }
}

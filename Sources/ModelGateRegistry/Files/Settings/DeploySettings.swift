import ModelGateSupport
import ModelGateYAML

/// `deploy:` of `modelgate.yaml`: the folder `render` keeps for Argo CD or Flux, the stages it deploys and
/// the kind of manifests it writes.
public struct DeploySettings: Sendable, Equatable {
    /// The folder `render` writes when `deploy.path` is not set.
    public static let defaultPath = "deploy"

    /// The folder, relative to the repository root.
    public var path = DeploySettings.defaultPath
    /// The stages rendered; nil means every stage but the first and `archived`.
    public var stages: [String]?
    /// `kubernetes` or `kserve` (compose has no place in a cluster).
    public var target: BundleTarget = .kubernetes

    public init() {}

    /// The stages rendered on the ladder `ladder`.
    public func deployedStages(on ladder: [String]) -> [String] {
        stages ?? ladder.dropFirst().filter { $0 != "archived" }
    }

    static func read(_ fields: SchemaReader.Fields, stages ladder: [String], reader: SchemaReader) -> DeploySettings {
        var settings = DeploySettings()
        if let path = fields.string("path") {
            if let problem = RepositoryPath.problem(path) {
                reader.error("deploy.path \(Quoted(path)) \(problem)", at: fields.location(of: "path"))
            } else if let place = RegistryLayout.reservedPlace(of: path, deployPath: nil) {
                reader.error(
                    "deploy.path \(Quoted(path)) would put what render writes in \(Quoted(place)), a place of the registry",
                    at: fields.location(of: "path"))
            } else {
                settings.path = path
            }
        }
        if let stages = fields.strings("stages") {
            var listed: [String] = []
            for (stage, location) in stages {
                if !ladder.contains(stage) {
                    reader.error("deploy stage \(Quoted(stage)) is not in 'stages'", at: location)
                } else if listed.contains(stage) {
                    reader.error("deploy stage \(Quoted(stage)) is listed twice", at: location)
                } else {
                    listed.append(stage)
                }
            }
            settings.stages = listed
        }
        if let target = fields.string("target") {
            if let value = BundleTarget(rawValue: target), value != .compose {
                settings.target = value
            } else {
                reader.error(
                    "deploy.target \(Quoted(target)) must be kubernetes or kserve", at: fields.location(of: "target"))
            }
        }
        fields.finish(allowing: ["path", "stages", "target"])
        return settings
    }
}

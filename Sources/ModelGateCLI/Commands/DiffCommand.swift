import ArgumentParser
import ModelGateKit

/// `modelgate diff MODEL@A MODEL@B`: metrics and manifest fields side by side, with deltas.
struct DiffCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text, .json]
    static let examples = ["modelgate diff churn@1.1.0 churn@1.3.0"]
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two versions: metrics with deltas, and the manifest fields that differ.",
        discussion: CommandHelp.discussion(formats: formats, examples: examples))

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The first version, MODEL@VERSION.", completion: RegistryCompletion.references)
    var first: String

    @Argument(help: "The second version, MODEL@VERSION.", completion: RegistryCompletion.references)
    var second: String

    @OptionGroup var source: RegistrySourceOptions

    func validate() throws { try options.require(Self.self) }

    func run() throws {
        let a = try ModelReference(parsing: first, requireVersion: true)
        let b = try ModelReference(parsing: second, requireVersion: true)
        guard a.model == b.model else {
            throw ModelGateError.badInput(
                "diff compares two versions of one model, not \(a.model) with \(b.model): \(a.model)@VERSION \(a.model)@VERSION"
            )
        }
        let repository = try options.openRepository()
        let loader = RegistryLoader(repository: repository)
        let registry = try source.load(in: repository, models: [a.model, b.model])
        let manifestA = try registry.version(a.model, try a.requiredVersion(), in: repository)
        let manifestB = try registry.version(b.model, try b.requiredVersion(), in: repository)
        let root = try registry.tree ?? repository.treeID(ofCommit: registry.commit)
        guard let nodeA = try loader.node(manifestA.path, inTree: root),
            let nodeB = try loader.node(manifestB.path, inTree: root)
        else {
            throw InvalidRegistryError(registry.diagnostics)
        }
        let diff = ManifestDiff(a: a, b: b, manifestA: manifestA, manifestB: manifestB, nodeA: nodeA, nodeB: nodeB)
        try options.emit(diff)
    }
}

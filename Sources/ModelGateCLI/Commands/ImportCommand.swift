import ArgumentParser
import ModelGateKit

/// `modelgate import`: registries other tools kept, turned into this one.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Turn another tool's registry into a modelgate registry, in place.",
        subcommands: [ImportGTOCommand.self])
}

/// `modelgate import gto [--stage-map GTO=STAGE ...]`: GTO's artifacts.yaml and tags as registry files.
struct ImportGTOCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text]
    static let displayName = "import gto"
    static let examples = ["modelgate import gto --stage-map prod=production --stage-map stage=staging"]
    static let configuration = CommandConfiguration(
        commandName: "gto",
        abstract:
            "Write model.yaml, manifests and stages.yaml from GTO's artifacts.yaml and tags (nothing is committed).",
        discussion: CommandHelp.discussion(formats: formats, examples: examples))

    @OptionGroup var options: GlobalOptions

    @Option(
        name: .customLong("stage-map"),
        help: "GTO_STAGE=STAGE: the registry stage a GTO stage becomes (repeatable), e.g. prod=production.")
    var stageMap: [String] = []

    func validate() throws { try options.require(Self.self) }

    func run() throws {
        let repository = try options.openRepository()
        var importer = GTOImporter(repository: repository)
        for pair in stageMap {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ModelGateError.badInput("--stage-map \(Quoted(pair)) must be GTO_STAGE=STAGE")
            }
            importer.stageMap[parts[0]] = parts[1]
        }
        let outcome = try importer.run()
        for note in outcome.notes { options.console.error.write("note: \(Escape.control(note))\n") }
        guard !options.quiet else { return }
        var text = "imported \(outcome.versions) versions of \(outcome.models.joined(separator: ", ")) from GTO:\n"
        text += outcome.files.map { "  \(Escape.control($0))\n" }.joined()
        text += "next: review them, check them (modelgate validate --worktree), then commit them\n"
        try options.emit(text)
    }
}

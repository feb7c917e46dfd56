import ArgumentParser
import ModelGateKit

/// `modelgate status [--ref REF]`: a table of model, stage, version and key metrics.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show which version holds each stage, with key metrics.",
        discussion: CommandHelp.discussion("status"))

    @OptionGroup var options: GlobalOptions

    @Option(help: "The commit to read.")
    var ref = "HEAD"

    func validate() throws { try options.require(formats: CommandHelp.formats("status"), command: "status") }

    func run() throws {
        let repository = try options.openRepository()
        let commit = try repository.resolveCommit(ref)
        let registry = try RegistryLoader(repository: repository).load(at: commit)
        if registry.hasErrors { throw InvalidRegistryError(registry.diagnostics) }
        let status = RegistryStatus(registry)
        switch options.format {
        case .json: try options.emit(StatusRenderer.json(status).rendered())
        case .markdown: try options.emit(StatusRenderer.markdown(status))
        default: try options.emit(StatusRenderer.text(status))
        }
    }
}

import ArgumentParser
import ModelGateKit

/// `modelgate status [--ref REF]`: a table of model, stage, version and key metrics.
struct StatusCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text, .json, .markdown]
    static let examples = ["modelgate status", "modelgate status --ref v2026.11"]
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show which version holds each stage, with key metrics.",
        discussion: CommandHelp.discussion(formats: formats, examples: examples))

    @OptionGroup var options: GlobalOptions

    @OptionGroup var source: RegistrySourceOptions

    func validate() throws { try options.require(Self.self) }

    func run() throws {
        let repository = try options.openRepository()
        let registry = try source.validRegistry(in: repository)
        let status = RegistryStatus(registry)
        try options.emit(status)
    }
}

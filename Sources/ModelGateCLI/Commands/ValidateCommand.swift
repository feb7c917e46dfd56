import ArgumentParser
import ModelGateKit

/// `modelgate validate [--ref REF | --worktree]`: every registry file at REF (or on disk) parsed and checked,
/// every problem reported.
struct ValidateCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text, .json]
    static let examples = [
        "modelgate validate", "modelgate validate --ref origin/main --format json",
        "modelgate validate --worktree",
    ]
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check every registry file at a ref and report every problem.",
        discussion: CommandHelp.discussion(formats: formats, examples: examples))

    @OptionGroup var options: GlobalOptions

    /// `--worktree` here is the pre-commit check.
    @OptionGroup var source: RegistrySourceOptions

    func validate() throws { try options.require(Self.self) }

    func run() throws {
        let repository = try options.openRepository()
        var registry = try source.load(in: repository)
        registry.diagnostics = (registry.diagnostics + PolicyLint.warnings(registry)).sorted()
        for diagnostic in registry.diagnostics { options.console.error.diagnostic(diagnostic) }
        try options.emit(ValidationReport(registry: registry, place: source.place(registry)))
        let errors = ValidationRenderer.errorCount(registry)
        KeptUntilExit.keep(registry)
        // Its object cache holds every tree the loading read.
        KeptUntilExit.keep(object: repository)
        if errors > 0 { throw ExitCode(.badInput) }
    }
}

import ArgumentParser
import ModelGateKit

/// `modelgate validate [--ref REF]`: every registry file at REF parsed and checked, every problem reported.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check every registry file at a ref and report every problem.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "The commit to validate: a branch, tag, HEAD~2 or commit id.")
    var ref = "HEAD"

    func validate() throws { try options.require(formats: [.text, .json], command: "validate") }

    func run() throws {
        let repository = try options.openRepository()
        let commit = try repository.resolveCommit(ref)
        let registry = try RegistryLoader(repository: repository).load(at: commit)
        for diagnostic in registry.diagnostics { Console.standardError.diagnostic(diagnostic.description) }
        let versions = registry.models.values.reduce(0) { $0 + $1.versions.count }
        let errors = registry.diagnostics.filter { $0.severity == .error }.count
        switch options.format {
        case .json:
            try options.emit(
                JSONValue.object([
                    ("valid", .bool(errors == 0)),
                    ("commit", .string(commit.hex)),
                    ("models", .number(Double(registry.models.count))),
                    ("versions", .number(Double(versions))),
                    ("policies", .number(Double(registry.policies.count))),
                    ("errors", .array(registry.diagnostics.map(\.json))),
                ]).rendered())
        default:
            let summary =
                errors == 0
                ? "valid: \(registry.models.count) models, \(versions) versions, \(registry.policies.count) policies at \(commit.short)\n"
                : "invalid: \(errors) error\(errors == 1 ? "" : "s") at \(commit.short)\n"
            try options.emit(summary)
        }
        if errors > 0 { throw CommandOutcome(status: .badInput) }
    }
}

import ArgumentParser
import ModelGateKit

/// `modelgate validate [--ref REF | --worktree]`: every registry file at REF (or on disk) parsed and checked,
/// every problem reported.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check every registry file at a ref and report every problem.",
        discussion: CommandHelp.discussion("validate"))

    @OptionGroup var options: GlobalOptions

    @Option(help: "The commit to validate: a branch, tag, HEAD~2 or commit id.")
    var ref: String?

    @Flag(
        help:
            "Check the files on disk instead (tracked, modified and untracked; ignored ones left out): the pre-commit check."
    )
    var worktree = false

    func validate() throws {
        try options.require(formats: CommandHelp.formats("validate"), command: "validate")
        if worktree && ref != nil {
            throw ValidationError("--ref and --worktree are two different things to check; pass one")
        }
    }

    func run() throws {
        let repository = try options.openRepository()
        let loader = RegistryLoader(repository: repository)
        let registry: Registry
        let commit: ObjectID
        if worktree {
            guard repository.workingDirectory != nil else {
                throw ModelGateError.badInput("--worktree needs a working tree; this repository has none")
            }
            commit = (try? repository.resolveCommit("HEAD")) ?? ObjectID(hex: String(repeating: "0", count: 40))!
            registry = try loader.load(tree: try repository.workingTreeTree(), commit: commit)
        } else {
            commit = try repository.resolveCommit(ref ?? "HEAD")
            registry = try loader.load(at: commit)
        }
        for diagnostic in registry.diagnostics { Console.standardError.diagnostic(diagnostic) }
        switch options.format {
        case .json: try options.emit(ValidationRenderer.json(registry, commit: commit).rendered())
        default:
            try options.emit(
                ValidationRenderer.text(registry, place: worktree ? "in the working tree" : "at \(commit.short)"))
        }
        let errors = ValidationRenderer.errorCount(registry)
        KeptUntilExit.keep(registry)
        if errors > 0 { throw ExitCode(.badInput) }
    }
}

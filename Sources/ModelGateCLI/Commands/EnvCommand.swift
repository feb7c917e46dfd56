import ArgumentParser
import Foundation
import ModelGateKit

/// `modelgate env`: the environment facts and their signature.
struct EnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env", abstract: "Print this environment's facts and signature (built-ins, probes, lockfile).",
        discussion: CommandHelp.discussion("env", discussion))

    @OptionGroup var options: GlobalOptions

    static let discussion = """
        --format yaml prints exactly the training.environment block a manifest records; --format json prints \
        {"facts", "lockfile": {"path", "sha256"}, "signature"}.
        """

    @Option(help: "Include this lockfile's sha256 in the signature (printed beside the facts, as manifests record it).")
    var lockfile: String?

    func validate() throws {
        try options.require(formats: CommandHelp.formats("env"), command: "env")
    }

    @Flag(name: .customLong("no-sandbox"), help: "Run the probes without the bubblewrap sandbox.")
    var noSandbox = false

    func run() throws {
        var settings = RegistrySettings()
        // The settings come from the registry's modelgate.yaml at HEAD (defaults outside a registry); an
        // invalid one stops here rather than silently dropping its probes and sandbox settings.
        if let repository = try? options.openRepository(), let head = try? repository.resolveCommit("HEAD") {
            var bag = DiagnosticBag()
            settings = try RegistryLoader(repository: repository).settings(at: head, bag: &bag)
            if bag.hasErrors { throw InvalidRegistryError(bag.sorted) }
        } else if let repo = options.repo {
            throw ModelGateError.badInput("not a Git repository: \(repo)")
        }
        var lockfileSHA: String?
        if let lockfile {
            let hasher = FileHasher()
            defer { hasher.release() }
            lockfileSHA = try hasher.hashFile(at: lockfile)
        }
        if !noSandbox { try Sandbox.check() }
        let facts = EnvironmentFacts.collect(
            probes: settings.probes, lockfileSHA256: lockfileSHA, sandbox: noSandbox ? nil : Sandbox(settings: settings)
        )
        let shown = facts.facts.filter { $0.key != "lockfile" }
        switch options.format {
        case .json:
            try options.emit(
                JSONValue.object([
                    ("facts", .object(shown.keys.sorted().map { ($0, .string(shown[$0])) })),
                    (
                        "lockfile",
                        lockfile.map { .object([("path", .string($0)), ("sha256", .string(lockfileSHA))]) } ?? .null
                    ),
                    ("signature", .string(facts.signature)),
                ]).rendered())
        case .yaml:
            var training = Training.environmentOnly
            training.facts = shown
            training.lockfile = lockfile.map {
                DataFile(path: $0, sha256: lockfileSHA, location: SourceLocation(path: $0))
            }
            training.signature = facts.signature
            try options.emit(ManifestWriter.environmentBlock(training))
        default:
            let width = facts.facts.keys.map(\.count).max() ?? 0
            var out = facts.facts.keys.sorted().map {
                "\($0.padding(toLength: width, withPad: " ", startingAt: 0))  \(facts.facts[$0]!)\n"
            }.joined()
            out += "signature \(facts.signature)\n"
            try options.emit(out)
        }
    }
}

import ArgumentParser
import Foundation
import ModelGateKit

/// `modelgate env`: the environment facts and their signature.
struct EnvCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text, .json, .yaml]
    static let examples = ["modelgate env", "modelgate env --lockfile training/churn/requirements.lock --format yaml"]
    static let configuration = CommandConfiguration(
        commandName: "env", abstract: "Print this environment's facts and signature (built-ins, probes, lockfile).",
        discussion: CommandHelp.discussion(formats: formats, examples: examples, discussion))

    @OptionGroup var options: GlobalOptions

    static let discussion = """
        --format yaml prints exactly the training.environment block a manifest records (with a comment naming \
        the lockfile's format: Pipfile.lock, uv.lock, poetry.lock or pip requirements, by file name); --format \
        json prints {"facts", "lockfile": {"path", "sha256"}, "signature"}.
        """

    @Option(help: "Include this lockfile's sha256 in the signature (printed beside the facts, as manifests record it).")
    var lockfile: String?

    func validate() throws {
        try options.require(Self.self)
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
            lockfileSHA = try FileHasher().hashFile(at: lockfile)
        }
        if !noSandbox { try Sandbox.check() }
        if let pin = settings.cpuPin { try MachineCPU.require(pin) }
        let facts = EnvironmentFacts.collect(
            probes: settings.probes, lockfileSHA256: lockfileSHA, sandbox: Sandbox(settings: settings),
            isolated: !noSandbox)
        try options.emit(EnvironmentReport(facts: facts, lockfile: lockfile, lockfileSHA256: lockfileSHA))
    }
}

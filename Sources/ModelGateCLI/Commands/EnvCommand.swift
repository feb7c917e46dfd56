import ArgumentParser
import Foundation
import ModelGateKit

/// `modelgate env [--json]`: the environment facts and their signature.
struct EnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env", abstract: "Print this environment's facts and signature (built-ins, probes, lockfile).")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Include this lockfile's sha256 as the `lockfile` fact.")
    var lockfile: String?

    @Flag(help: "Print {\"facts\": {...}, \"signature\": \"sha256:...\"} (the same as --format json).")
    var json = false

    func validate() throws {
        try options.require(formats: [.text, .json], command: "env")
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
            probes: settings.probes, lockfileSHA256: lockfileSHA, sandbox: noSandbox ? nil : Sandbox(settings: settings))
        if json || options.format == .json {
            try options.emit(
                JSONValue.object([
                    ("facts", .object(facts.facts.keys.sorted().map { ($0, .string(facts.facts[$0])) })),
                    ("signature", .string(facts.signature)),
                ]).rendered())
        } else {
            let width = facts.facts.keys.map(\.count).max() ?? 0
            var out = facts.facts.keys.sorted().map { "\($0.padding(toLength: width, withPad: " ", startingAt: 0))  \(facts.facts[$0]!)\n" }.joined()
            out += "signature \(facts.signature)\n"
            try options.emit(out)
        }
    }
}

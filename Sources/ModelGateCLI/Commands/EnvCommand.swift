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

    func run() throws {
        var probes: [(name: String, command: String)] = []
        // The probes come from the registry's modelgate.yaml at HEAD; outside a registry there are none.
        if let repository = try? options.openRepository(), let head = try? repository.resolveCommit("HEAD") {
            var bag = DiagnosticBag()
            let settings = try RegistryLoader(repository: repository).settings(at: head, bag: &bag)
            for diagnostic in bag.sorted { Console.standardError.diagnostic(diagnostic.description) }
            probes = settings.probes
        } else if let repo = options.repo {
            throw ModelGateError.badInput("not a Git repository: \(repo)")
        }
        var lockfileSHA: String?
        if let lockfile {
            let hasher = FileHasher()
            defer { hasher.release() }
            lockfileSHA = try hasher.hashFile(at: lockfile)
        }
        let facts = EnvironmentFacts.collect(probes: probes, lockfileSHA256: lockfileSHA)
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

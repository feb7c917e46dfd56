import ArgumentParser
import Foundation
import ModelGateKit

/// `modelgate env [--json]`: the environment facts and their signature.
struct EnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env", abstract: "Print this environment's facts and signature (built-ins, probes, lockfile).")

    @Option(help: "The registry repository whose modelgate.yaml names the probes (default: the current directory).")
    var repo: String?

    @Option(help: "Include this lockfile's sha256 as the `lockfile` fact.")
    var lockfile: String?

    @Flag(help: "Print {\"facts\": {...}, \"signature\": \"sha256:...\"}.")
    var json = false

    func run() throws {
        var probes: [(name: String, command: String)] = []
        if let repository = try? Repository.open(at: repo ?? FileManager.default.currentDirectoryPath),
            let head = try? repository.resolveCommit("HEAD")
        {
            var bag = DiagnosticBag()
            let settings = try RegistryLoader(repository: repository).settings(at: head, bag: &bag)
            for diagnostic in bag.sorted { Console.standardError.diagnostic(diagnostic.description) }
            probes = settings.probes
        } else if let repo {
            throw ModelGateError.badInput("not a Git repository: \(repo)")
        }
        var lockfileSHA: String?
        if let lockfile {
            let hasher = FileHasher()
            defer { hasher.release() }
            lockfileSHA = try hasher.hashFile(at: lockfile)
        }
        let facts = EnvironmentFacts.collect(probes: probes, lockfileSHA256: lockfileSHA)
        if json {
            Console.standardOutput.write(
                JSONValue.object([
                    ("facts", .object(facts.facts.keys.sorted().map { ($0, .string(facts.facts[$0])) })),
                    ("signature", .string(facts.signature)),
                ]).rendered())
        } else {
            let width = facts.facts.keys.map(\.count).max() ?? 0
            var out = facts.facts.keys.sorted().map { "\($0.padding(toLength: width, withPad: " ", startingAt: 0))  \(facts.facts[$0]!)\n" }.joined()
            out += "signature \(facts.signature)\n"
            Console.standardOutput.write(out)
        }
    }
}

import ArgumentParser
import Foundation
import ModelGateKit

/// `modelgate keygen --out FILE`: an ECDSA P-256 key pair for signing reproducibility attestations.
struct KeygenCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = nil
    static let examples = ["modelgate keygen --out ci-repro.key   # and ci-repro.key.pub"]
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Write an ECDSA P-256 key pair for signing attestations: FILE (private, mode 0600) and FILE.pub.",
        discussion: CommandHelp.discussion(
            formats: formats, examples: examples,
            """
            Commit FILE.pub and list it under trust.attestors in modelgate.yaml; keep FILE out of Git, as a \
            secret only the CI job that runs `modelgate repro --record --sign` can read. The gate needs only the \
            public key.
            """))

    @Option(help: "Where to write the private key (PKCS#8 PEM); the public key goes to FILE.pub.", completion: .file())
    var out: String

    @Flag(help: "Print nothing.")
    var quiet = false

    @OptionGroup var console: ConsoleOptions

    func run() throws {
        let key = try SigningKey.generate(at: URL(fileURLWithPath: out))
        guard !quiet else { return }
        console.output.write(
            "wrote \(out) (private, mode 0600) and \(out).pub\nkeyid \(key.publicKey.keyID)\n")
    }
}

import ArgumentParser
import Foundation
import ModelGateKit

/// `modelgate dossier --at DATE|REF --out DIR [--sign KEY]`: the registry's state at a point of its
/// history, as an auditor's record.
struct DossierCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text]
    static let examples = [
        "modelgate dossier --at 2026-10-15 --out dossier-2026-10-15",
        "modelgate dossier --at v2026.11 --out dossier --sign .modelgate/ci-repro.key",
        "modelgate verify --dossier dossier",
    ]
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "Write the registry's state at a date or ref as a self-contained, checksummed audit record.",
        discussion: CommandHelp.discussion(
            formats: formats, examples: examples,
            """
            A DATE (YYYY-MM-DD) names the last first-parent commit of HEAD on or before the end of that day, \
            UTC; a timestamp or a ref names that commit. DIR gets dossier.json and index.html (each stage's \
            holder with the rules and waivers in force, its evidence, verdicts and approvals, each model's \
            description, and the stage history with the author and committer of every change, under the \
            headings of the EU AI Act's Annex IV that apply), the style sheet, and SHA256SUMS over them; with \
            --sign, SHA256SUMS.dsse.json, a DSSE envelope over that list, which `modelgate verify --dossier \
            DIR` checks against trust.attestors. The same commit writes the same bytes. DIR is replaced when it \
            is empty or a dossier; any other folder is refused.
            """))

    @OptionGroup var options: GlobalOptions

    @Option(help: "A day (YYYY-MM-DD, its end in UTC), a timestamp, or a ref.")
    var at: String

    @Option(help: "The folder to write the dossier into.", completion: .directory)
    var out: String

    @Option(help: "Sign SHA256SUMS with this ECDSA P-256 private key (PEM, as modelgate keygen writes).")
    var sign: String?

    func validate() throws { try options.require(Self.self) }

    func run() throws {
        let repository = try options.openRepository()
        let target = URL(fileURLWithPath: out)
        let entries = try AtomicFolder.entries(at: target)
        if let entries, !entries.isEmpty, !(entries.contains(Dossier.sumsFile) && entries.contains("dossier.json")) {
            throw ModelGateError.badInput(
                "\(out) is not empty and is not a dossier modelgate wrote (no \(Dossier.sumsFile)): refusing to replace it"
            )
        }
        let key = try sign.map { path in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ModelGateError.badInput("cannot read the key \(path)")
            }
            return try SigningKey(pem: text, source: path)
        }
        let start = try repository.resolveCommit("HEAD")
        let commit = try repository.firstParentCommit(atDateOrRevision: at, from: start)
        let registry = try RegistryLoader(repository: repository).load(at: commit)
        if registry.hasErrors { throw InvalidRegistryError(registry.diagnostics) }
        let dossier = try Dossier(registry: registry, repository: repository, requested: at)
        try dossier.write(to: target, replacing: entries != nil, signingWith: key)
        KeptUntilExit.keep(object: repository)
        if !options.quiet {
            options.console.output.write(
                "wrote the dossier of the registry at \(commit.short) to \(out)\(key == nil ? "" : ", signed"); open \(target.appendingPathComponent("index.html").path)\n"
            )
        }
    }
}

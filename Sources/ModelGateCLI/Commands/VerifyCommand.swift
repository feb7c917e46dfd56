import ArgumentParser
import Foundation
import ModelGateKit

/// `modelgate verify MODEL@VERSION`: a version's attestation checked as `require: reproducible` checks it.
struct VerifyCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text, .json]
    static let examples = [
        "modelgate verify churn@1.3.0", "modelgate verify churn@1.3.0 --base origin/main --format json",
        "modelgate verify --dossier dossier-2026-10-15",
    ]
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a version's signed attestation as the gate would; print signer, verdict and what it binds.",
        discussion: CommandHelp.discussion(
            formats: formats, examples: examples,
            """
            With --dossier DIR instead of a version: every file of a dossier against its SHA256SUMS, and its \
            signature, when it has one, against trust.attestors at --base (default --ref).
            """))

    @OptionGroup var options: GlobalOptions

    @Argument(help: "MODEL@VERSION.", completion: RegistryCompletion.references)
    var reference: String?

    @Option(help: "Check a dossier `modelgate dossier` wrote instead of a version.", completion: .directory)
    var dossier: String?

    @OptionGroup var source: RefOptions

    @Option(help: "The trusted ref whose trust.attestors count (default: the --ref itself).")
    var base: String?

    func validate() throws {
        try options.require(Self.self)
        if (reference == nil) == (dossier == nil) {
            throw ValidationError("name a version (MODEL@VERSION) or a dossier (--dossier DIR), one of the two")
        }
    }

    func run() throws {
        let repository = try options.openRepository()
        guard let reference else { return try verifyDossier(in: repository) }
        let target = try ModelReference.version(parsing: reference)
        let commit = try source.commit(in: repository)
        let rulesAt = try base.map { try repository.resolveCommit($0) } ?? commit
        let registry = try RegistryLoader(repository: repository).load(models: [target.model], at: commit)
        let manifest = try registry.version(target.model, target.version, in: repository)
        let gate = try Gate.judging(registry, base: nil, rulesAt: rulesAt, in: repository)
        let attestation = gate.attestation(of: manifest)
        var report = VerifyRenderer(
            target: "\(target.model)@\(target.version)", path: attestation.path, check: attestation.check,
            binding: attestation.binding, manifestPath: manifest.path, attestorsAt: rulesAt)
        report.approvals = Approval.all(
            of: manifest, approvers: gate.rules.approvers, ladder: gate.rules.settings.stages, evidence: gate.evidence)
        try options.emit(report)
        if !report.isValid { throw ExitCode(.verdictFailed) }
    }

    /// `--dossier DIR`: its files against SHA256SUMS, and its signature against the trusted attestors.
    private func verifyDossier(in repository: Repository) throws {
        // Force unwrap: `validate` requires --dossier where no version is named.
        let folder = dossier!
        let commit = try source.commit(in: repository)
        let rulesAt = try base.map { try repository.resolveCommit($0) } ?? commit
        let rules = try RegistryLoader(repository: repository).rules(at: rulesAt)
        let check = try DossierSums.check(
            URL(fileURLWithPath: folder), keys: rules.attestors.map { ($0.name, $0.key) })
        let report = DossierVerification(folder: folder, check: check, attestorsAt: rulesAt)
        try options.emit(report)
        if !report.isValid { throw ExitCode(.verdictFailed) }
    }
}

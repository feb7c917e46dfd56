import ArgumentParser
import ModelGateKit

/// `modelgate verify MODEL@VERSION`: a version's attestation checked as `require: reproducible` checks it.
struct VerifyCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text, .json]
    static let examples = [
        "modelgate verify churn@1.3.0", "modelgate verify churn@1.3.0 --base origin/main --format json",
    ]
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a version's signed attestation as the gate would; print signer, verdict and what it binds.",
        discussion: CommandHelp.discussion(formats: formats, examples: examples))

    @OptionGroup var options: GlobalOptions

    @Argument(help: "MODEL@VERSION.", completion: RegistryCompletion.references)
    var reference: String

    @OptionGroup var source: RefOptions

    @Option(help: "The trusted ref whose trust.attestors count (default: the --ref itself).")
    var base: String?

    func validate() throws { try options.require(Self.self) }

    func run() throws {
        let target = try ModelReference.version(parsing: reference)
        let repository = try options.openRepository()
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
}

import ArgumentParser
import ModelGateKit

/// `modelgate approve MODEL@VERSION --to STAGE --key KEY`: a named approval, signed with the approver's
/// SSH key, for the reviewer to commit on the pull request's branch.
struct ApproveCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = nil
    static let examples = [
        "modelgate approve churn@1.3.0 --to production --key ~/.ssh/id_ed25519",
        "modelgate approve churn@1.3.0 --to production --key ci/approver.key --name release-bot",
    ]
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Sign a version's entry into a stage with your SSH key (an approval that lives in Git).",
        discussion: CommandHelp.discussion(formats: formats, examples: examples))

    @OptionGroup var options: GlobalOptions

    @Argument(help: "MODEL@VERSION.", completion: RegistryCompletion.references)
    var reference: String

    @Option(help: "The stage the approval is for.", completion: RegistryCompletion.stages)
    var to: String

    @Option(
        help: "An unencrypted OpenSSH private key (ssh-ed25519 or ecdsa-sha2-nistp256): the one trust.approvers lists.",
        completion: .file())
    var key: String

    @Option(help: "Your name under trust.approvers (default: the entry that lists this key at HEAD).")
    var name: String?

    func validate() throws { try options.require(Self.self) }

    func run() throws {
        let target = try ModelReference.version(parsing: reference)
        let repository = try options.openRepository()
        let outcome = try ApprovalWriter(repository: repository).approve(
            model: target.model, version: target.version, stage: to, key: key, name: name)
        guard !options.quiet else { return }
        options.console.output.write(
            "approved \(target.model) \(target.version) for \(to) as \(outcome.name) (\(outcome.fingerprint)), "
                + "manifest blob \(outcome.manifestBlob.short): \(outcome.path)\n"
                + "next: commit it on the pull request's branch (git add \(outcome.path) && git commit); "
                + "the gate counts it under require: approvals\n")
    }
}

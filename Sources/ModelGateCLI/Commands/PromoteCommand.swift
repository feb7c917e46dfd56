import ArgumentParser
import Foundation
import ModelGateKit

/// The flags `promote` and `rollback` share.
struct PromotionOptions: ParsableArguments {
    @Option(help: "Create this branch from HEAD and commit there (for a pull request).")
    var branch: String?

    @Option(help: "The commit message (default: generated, with the gate's verdict).")
    var message: String?

    @Option(help: "Author and committer as 'Name <email>' (default: the repository's Git config).")
    var author: String?

    @Flag(help: "Commit even when the gate fails; the commit message says so.")
    var force = false

    @Flag(name: .customLong("fail-on-warn"), help: "Warnings fail the gate too.")
    var failOnWarn = false

    @Flag(help: "Push the branch of the new commit to --remote (through libgit2, no git needed).")
    var push = false

    @Option(help: "The remote --push pushes to.")
    var remote = "origin"

    func promoter(for repository: Repository) throws -> Promoter {
        if push && repository.remoteURL(remote) == nil {
            throw ModelGateError.badInput(
                "--push: no remote \(Quoted(remote)) in this repository (--remote names another)")
        }
        var promoter = Promoter(repository: repository)
        promoter.branch = branch
        promoter.message = message
        promoter.force = force
        promoter.failOnWarn = failOnWarn
        if let author {
            guard let signature = Signature(parsing: author) else {
                throw ModelGateError.badInput("--author must be 'Name <email>', not \(Quoted(author))")
            }
            promoter.author = signature
        }
        return promoter
    }
}

/// `modelgate promote MODEL@VERSION --to STAGE`: the gate, then one commit changing `stages.yaml`.
struct PromoteCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text, .json, .markdown]
    static let examples = [
        "modelgate promote churn@1.3.0 --to production --branch promote-churn-1.3.0 --push",
        "modelgate promote churn@1.3.0 --to staging",
    ]
    static let configuration = CommandConfiguration(
        commandName: "promote", abstract: "Move a version into a stage as one commit, after the gate passes.",
        discussion: CommandHelp.discussion(formats: formats, examples: examples))

    @OptionGroup var options: GlobalOptions
    @OptionGroup var promotion: PromotionOptions

    @Argument(help: "MODEL@VERSION.", completion: RegistryCompletion.references)
    var reference: String

    @Option(help: "The stage to enter.", completion: RegistryCompletion.stages)
    var to: String

    func validate() throws { try options.require(Self.self) }

    func run() throws {
        let target = try ModelReference.version(parsing: reference)
        let repository = try options.openRepository()
        let outcome = try promotion.promoter(for: repository).promote(
            model: target.model, version: target.version, to: to)
        try finish(outcome, options: options, promotion: promotion, repository: repository)
    }
}

/// `modelgate rollback MODEL --stage STAGE`: promotes the stage's previous holder through the same gate.
struct RollbackCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text, .json, .markdown]
    static let examples = ["modelgate rollback churn --stage production --branch rollback-churn"]
    static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "Give a stage back to the version that held it before, through the gate.",
        discussion: CommandHelp.discussion(formats: formats, examples: examples))

    @OptionGroup var options: GlobalOptions
    @OptionGroup var promotion: PromotionOptions

    @Argument(help: "The model.", completion: RegistryCompletion.models)
    var model: String

    @Option(help: "The stage to roll back.", completion: RegistryCompletion.stages)
    var stage: String

    func validate() throws { try options.require(Self.self) }

    func run() throws {
        let name = try ModelReference(parsing: model).model
        let repository = try options.openRepository()
        let head = try repository.resolveCommit("HEAD")
        // An unknown model is named as such, with the nearest name, before its history is read.
        _ = try RegistryLoader(repository: repository).load(models: [name], at: head).model(name)
        let (current, previous) = try StageHistory(repository: repository, model: name).previousHolder(
            of: stage, at: head)
        let outcome = try promotion.promoter(for: repository).promote(
            model: name, version: previous, to: stage,
            subject: "Roll back \(name) \(stage) to \(previous) (from \(current))")
        try finish(outcome, options: options, promotion: promotion, repository: repository)
    }
}

/// Prints the gate's report (the report `check --base <branch> --head <the new commit>` prints), what was
/// committed (and pushed) and the next step; exit 1 when the gate refused.
private func finish(
    _ outcome: Promoter.Outcome, options: GlobalOptions, promotion: PromotionOptions, repository: Repository
) throws {
    try publish(outcome.report, options: options)
    var line: String
    if let commit = outcome.commit {
        let branch = outcome.branch.replacingOccurrences(of: "refs/heads/", with: "")
        line =
            "committed \(commit.short) on \(branch): \(outcome.message.prefix { $0 != "\n" })\(outcome.retries > 0 ? " (after \(outcome.retries) retries)" : "")\n"
        if promotion.push {
            try repository.push(branch: branch, to: promotion.remote, credentials: PromotionRemote.credentials())
            line += "pushed \(branch) to \(promotion.remote)\n"
            if let url = repository.remoteURL(promotion.remote),
                let link = PromotionRemote.pullRequestLink(remoteURL: url, branch: branch)
            {
                line += "next: open the pull request at \(link); CI runs modelgate check on it\n"
            } else {
                line += "next: open a pull request from \(branch); CI runs modelgate check on it\n"
            }
        } else if promotion.branch != nil {
            line +=
                "next: push it (modelgate promote … --push, or git push \(promotion.remote) \(branch)) and open a pull request\n"
        }
    } else {
        line = "refused: the gate failed; nothing was committed (--force commits anyway)\n"
    }
    // The report is check's; what was committed follows it (on stderr where stdout holds a report file's
    // format), and under --quiet only a refusal is said.
    if options.quiet {
        if outcome.commit == nil { options.console.error.write(line) }
    } else if options.format == .text && options.output == nil {
        options.console.output.write(line)
    } else {
        options.console.error.write(line)
    }
    if outcome.commit == nil { throw ExitCode(.verdictFailed) }
}

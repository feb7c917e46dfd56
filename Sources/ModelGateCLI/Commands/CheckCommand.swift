import ArgumentParser
import Foundation
import ModelGateKit

/// `modelgate check [--base REF] [--head REF]`: the CI gate.
struct CheckCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = ReportFormat.gateFormats
    static let examples = [
        "modelgate check --base origin/main",
        "modelgate check --base origin/main --format sarif --output modelgate.sarif",
        "modelgate check                          # audit every assignment at HEAD",
        "modelgate check --policies-from policy-change --replay --since 2026-01-01",
    ]
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Judge the stage changes between two refs (or audit every assignment) against the policies.",
        discussion: CommandHelp.discussion(
            formats: formats, examples: examples,
            """
            With --replay, back-tests rules: every promotion of the first-parent history of --base (default \
            HEAD) is judged again under the rules at --policies-from, as of its own date, and the report lists \
            those that would have failed, and those that would newly pass; it fails when any would fail.
            """))

    @OptionGroup var options: GlobalOptions

    @Option(help: "The target branch of the pull request; without it, every current assignment is audited.")
    var base: String?

    @Option(help: "The ref being judged.")
    var head = "HEAD"

    @Flag(name: .customLong("fail-on-warn"), help: "Warnings fail the gate too.")
    var failOnWarn = false

    @Option(
        name: .customLong("policies-from"),
        help: "Judge with the rules (policies and settings) as they are at this ref.")
    var policiesFrom: String?

    @Flag(
        name: .customLong("allow-rule-change"),
        help: "Let a change that edits the rules also make stage assignments (still judged with the rules at --base).")
    var allowRuleChange = false

    @Flag(help: "Judge every promotion of the history of --base (default HEAD) under the rules at --policies-from.")
    var replay = false

    @Option(help: "With --replay: only the promotions committed on or after this day (YYYY-MM-DD, UTC).")
    var since: String?

    func validate() throws {
        try options.require(Self.self)
        if replay && policiesFrom == nil {
            throw ValidationError("--replay judges the history under other rules: name them with --policies-from REF")
        }
        if since != nil && !replay { throw ValidationError("--since limits a --replay; add --replay") }
        if let since, Dates.parseDay(since) == nil {
            throw ValidationError("--since takes a day, YYYY-MM-DD, not \(Quoted(since))")
        }
        if replay && head != "HEAD" {
            throw ValidationError("--replay walks the history of --base; --head does not apply")
        }
    }

    func run() throws {
        let repository = try options.openRepository()
        if replay, let policiesFrom {
            var runner = CheckRunner(repository: repository)
            runner.failOnWarn = failOnWarn
            let report = try runner.replay(
                from: base ?? "HEAD", rules: policiesFrom, since: since.flatMap(Dates.parseDay))
            try publish(report, options: options)
            if report.verdict == .fail { throw ExitCode(.verdictFailed) }
            return
        }
        var runner = CheckRunner(repository: repository)
        runner.failOnWarn = failOnWarn
        runner.allowRuleChange = allowRuleChange
        if let base, try repository.commitIfPresent(base) == nil {
            throw ModelGateError.badInput(
                "unknown revision \(Quoted(base)) for --base: is it fetched? \(FetchAdvice.shallow)"
            )
        }
        var report = try runner.run(base: base, head: head, policiesFrom: policiesFrom)
        // A change to the rules shows reviewers what its rules would have decided over past promotions.
        let commented = options.format == .markdown || options.format == .github
        if commented, let base, policiesFrom == nil {
            report.changeReplay = try runner.changeReplay(of: report, base: base, head: head)
        }
        try publish(report, options: options)
        if report.verdict == .fail { throw ExitCode(.verdictFailed) }
    }
}

/// Writes a gate report in the chosen format, its errors to stderr, and the step summary on GitHub.
func publish(_ report: GateReport, options: GlobalOptions) throws {
    if options.format != .text || options.output != nil {
        for error in report.errors { options.console.error.diagnostic(error) }
    }
    let color = options.output == nil && options.console.output.usesColor
    if options.format == .text {
        try options.emit(TextReporter.render(report, color: color, quiet: options.quiet), filtered: true)
    } else {
        try options.emit(GateReporters.reporter(for: options.format).render(report, color: color))
    }
    if options.format == .github, let summary = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"],
        !summary.isEmpty
    {
        try StepSummary.append(MarkdownReporter.render(report, color: false), to: URL(fileURLWithPath: summary))
    }
}

/// Appends to `$GITHUB_STEP_SUMMARY`, which GitHub shares between a job's steps.
enum StepSummary {
    static func append(_ text: String, to url: URL) throws {
        if !FileManager.default.fileExists(atPath: url.path) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw ModelGateError.environment("cannot create \(url.path)")
            }
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((text + "\n").utf8))
    }
}

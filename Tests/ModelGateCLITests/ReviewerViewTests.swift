import Foundation
import ModelGateTestSupport
import Testing

/// What a newcomer, a reviewer and a release engineer see: suggestions for typos, help with examples,
/// honest outputs, shallow clones, and the next step after a promotion.
@Suite("the reviewer's and newcomer's view")
struct ReviewerViewTests {
    func example() throws -> (ScratchDirectory, URL) { try Example.registry("modelgate-view") }

    @Test func typosGetSuggestions() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        for (arguments, expected) in [
            (["history", "churn", "--stage", "produciton"], "did you mean 'production'?"),
            (["show", "chrun"], "did you mean 'churn'?"),
            (["history", "chrun"], "did you mean 'churn'?"),
            (["show", "churn@1.3"], "did you mean churn@1.3.0?"),
            (["show", "churn@1.3.5"], "did you mean '1.3.0'?"),
            (["history", "churn", "--at", "yesterday"], "a day (2026-03-03"),
            (["history", "churn", "--at", "2026-13-01"], "a timestamp (2026-03-03T12:00:00Z)"),
            (["diff", "churn@1.2.0", "demand@1.1.0"], "two versions of one model"),
            (["check", "--base", "origin/main"], "fetch-depth: 0"),
        ] {
            let result = try Shell.modelgate(arguments, in: registry)
            #expect(result.status == 2, "\(arguments): \(result.status)")
            #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        }
    }

    /// A command with `--format` lists its own formats (the option lists none); every help has one
    /// Examples block whose lines fit 80 columns, so no command is broken in the middle.
    @Test func everyHelpListsItsFormatsAndEndsWithExamples() throws {
        let root = try Shell.modelgate(["--help"], in: URL(fileURLWithPath: "/"))
        #expect(root.stdout.contains("--generate-completion-script"))
        for command in [
            "validate", "check", "status", "show", "diff", "history", "promote", "rollback", "bundle", "render",
            "env", "repro", "verify", "record", "hash", "keygen", "profile", "drift", "init", "import gto",
        ] {
            let help = try Shell.modelgate(
                command.split(separator: " ").map(String.init) + ["--help"], in: URL(fileURLWithPath: "/"))
            let hasFormat = help.stdout.contains("--format <format>")
            #expect(help.stdout.contains("Formats (--format):") == hasFormat, "\(command)")
            #expect(!help.stdout.contains("values: text"), "\(command)")
            #expect(help.stdout.components(separatedBy: "Examples:").count == 2, "\(command)")
            #expect(help.stdout.contains("Examples:\n  modelgate \(command)"), "\(command)")
            let examples = help.stdout.components(separatedBy: "Examples:\n")[1].components(separatedBy: "\n\n")[0]
            for line in examples.split(separator: "\n") {
                #expect(line.count <= 78, "\(command): \(line)")
                #expect(line.hasPrefix("  modelgate ") || line.hasPrefix("      "), "\(command): \(line)")
            }
            #expect(!help.stdout.contains("SPEC"), "\(command)")
        }
        for command in ["hash", "keygen", "profile", "init"] {
            let help = try Shell.modelgate([command, "--help"], in: URL(fileURLWithPath: "/"))
            #expect(!help.stdout.contains("Formats (--format):"), "\(command) has no --format")
        }
        let status = try Shell.modelgate(["status", "--help"], in: URL(fileURLWithPath: "/"))
        #expect(status.stdout.contains("Formats (--format): text, json, markdown."))
    }

    @Test func outputsSayWhatTheyMean() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        let show = try Shell.modelgate(["show", "churn@1.3.0"], in: registry)
        #expect(
            !show.stdout.contains("warn"),
            "the holder of production is not told it comes from production: \(show.stdout)")
        let history = try Shell.modelgate(["history", "churn"], in: registry)
        #expect(history.stdout.contains("Linus Haddad") && !history.stdout.contains("@acme.example"))
        let json = try Shell.modelgate(["history", "churn", "--format", "json"], in: registry)
        #expect(json.stdout.contains("linus@acme.example"))
        let markdown = try Shell.modelgate(["check", "--base", "HEAD~1", "--format", "markdown"], in: registry)
        #expect(markdown.stdout.contains("\"1.3.0 (candidate)\"") && markdown.stdout.contains("\"1.1.0 (production)\""))
        #expect(markdown.stdout.contains("    line [0.75, 0.75, 0.75, 0.75]"), "the bound is drawn")
        #expect(markdown.stdout.components(separatedBy: "```mermaid").count == 2, "no chart for the move to archived")
    }

    @Test func aShallowCloneStopsAtItsBoundary() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        let clone = scratch.url.appendingPathComponent("shallow")
        try Shell.git(["clone", "-q", "--depth", "2", "file://\(registry.path)", clone.path], in: scratch.url)
        let history = try Shell.modelgate(["history", "churn"], in: clone)
        #expect(history.status == 0, "\(history.stderr)")
        #expect(
            history.stderr.contains("shallow clone") && history.stderr.contains("after 2 commits"), "\(history.stderr)")
        #expect(history.stdout.contains("1.3.0"))
    }

    @Test func promoteCanPushAndSaysWhatIsNext() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        let remote = scratch.url.appendingPathComponent("remote.git")
        try Shell.git(["init", "-q", "--bare", remote.path], in: scratch.url)
        try Shell.git(["remote", "add", "origin", remote.path], in: registry)
        let promoted = try Shell.modelgate(
            ["promote", "demand@2.0.0", "--to", "production", "--force", "--branch", "promote-demand", "--push"],
            in: registry)
        #expect(promoted.status == 0, "\(promoted.stderr)")
        #expect(promoted.stdout.contains("pushed promote-demand to origin"))
        #expect(promoted.stdout.contains("next: open a pull request from promote-demand"))
        // The report is check's on the new commit: base..head, the branch's tip before and the commit made.
        let tip = try Shell.git(["rev-parse", "--short=7", "promote-demand"], in: registry)
        #expect(promoted.stdout.contains("FAIL modelgate check (") && promoted.stdout.contains("..\(tip))"))
        let pushed = try Shell.git(
            ["--git-dir", remote.path, "log", "-1", "--format=%s", "promote-demand"], in: scratch.url)
        #expect(
            pushed == "Promote demand 2.0.0 to production (forced past a failing gate)"
                || pushed.hasPrefix("Promote demand 2.0.0"))
        let missing = try Shell.modelgate(
            [
                "promote", "churn@1.2.0", "--to", "staging", "--force", "--branch", "other", "--push", "--remote",
                "nowhere",
            ], in: registry)
        #expect(missing.status == 2, "\(missing.stderr)")
    }
}

/// The starter policies make the ladder an error, and a broken `stages.yaml` is reported as what it is.
@Suite("starter policies and broken files")
struct StarterPolicyTests {
    @Test func skippingStagingIsAnError() throws {
        let scratch = ScratchDirectory("modelgate-starter")
        #expect(try Shell.modelgate(["init", "registry", "--example", "--quiet"], in: scratch.url).status == 0)
        let registry = scratch.url.appendingPathComponent("registry")
        let result = try Shell.modelgate(
            ["promote", "churn@1.2.0", "--to", "production", "--format", "json"], in: registry)
        #expect(result.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let results = ((report?["evaluations"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
        let from = results.first {
            $0["policy"] as? String == "production-gate" && $0["rule"] as? String == "require.from"
        }
        #expect(from?["status"] as? String == "fail", "\(results)")
    }

    @Test func aBrokenStagesFileIsAnErrorNotNothingToJudge() throws {
        let scratch = ScratchDirectory("modelgate-broken-stages")
        #expect(try Shell.modelgate(["init", "registry", "--example", "--quiet"], in: scratch.url).status == 0)
        let registry = scratch.url.appendingPathComponent("registry")
        try Shell.git(["checkout", "-q", "-b", "pr"], in: registry)
        try Data(
            "apiVersion: modelgate/v1\nkind: Stages\nmodel: churn\nstages:\n  production: 1.2.0\n  production: 1.3.0\n"
                .utf8
        )
        .write(to: registry.appendingPathComponent("models/churn/stages.yaml"))
        try Shell.git(["commit", "-qam", "broken"], in: registry)
        let result = try Shell.modelgate(["check", "--base", "main"], in: registry)
        #expect(result.status == 1)
        #expect(result.stdout.contains("duplicate key 'production'"))
        #expect(!result.stdout.contains("nothing to judge"))
    }
}

import Foundation
import ModelGateTestSupport
import Testing

/// `check --policies-from REF --replay`: a policy change back-tested on the example's history.
@Suite("check --replay")
struct ReplayTests {
    func example() throws -> (scratch: ScratchDirectory, registry: URL) {
        let scratch = ScratchDirectory("modelgate-replay")
        let result = try Shell.modelgate(["init", "registry", "--example", "--quiet"], in: scratch.url)
        #expect(result.status == 0, "\(result.stderr)")
        return (scratch, scratch.url.appendingPathComponent("registry"))
    }

    /// A branch of `registry` whose churn-quality floor for auc is `floor`.
    func rules(_ name: String, aucFloor floor: String, in registry: URL) throws {
        try Shell.git(["checkout", "-q", "-b", name, "main"], in: registry)
        let policy = registry.appendingPathComponent("policies/churn-quality.yaml")
        let text = try String(contentsOf: policy, encoding: .utf8)
        #expect(text.contains("    min: 0.75\n"))
        try text.replacingOccurrences(of: "    min: 0.75\n", with: "    min: \(floor)\n").write(
            to: policy, atomically: true, encoding: .utf8)
        try Shell.git(["commit", "-qam", "auc floor \(floor)"], in: registry)
        try Shell.git(["checkout", "-q", "main"], in: registry)
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    @Test func aStricterFloorNamesThePromotionsItWouldHaveStopped() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        try rules("stricter", aucFloor: "0.7974", in: registry)
        let text = try Shell.modelgate(["check", "--policies-from", "stricter", "--replay"], in: registry)
        #expect(text.status == 1, "\(text.stdout)\(text.stderr)")
        let promotion = try Shell.git(["rev-parse", "--short=7", "main"], in: registry)
        // 1.3.0's auc (0.79747…) clears 0.7974; 1.1.0's (0.79734…) does not.
        #expect(text.stdout.contains("churn@1.1.0 → production at "))
        #expect(text.stdout.contains("(replacing 1.0.0): would have failed (it passed then)"))
        #expect(!text.stdout.contains("churn@1.3.0 → production at \(promotion)"), "1.3.0 passes both ways")
        #expect(text.stdout.contains("replayed promotions passed then and would pass now"))

        let report = try json(
            try Shell.modelgate(
                ["check", "--policies-from", "stricter", "--replay", "--format", "json"], in: registry
            ).stdout)
        #expect(report["verdict"] as? String == "fail")
        let replay = try #require(report["replay"] as? [String: Any])
        #expect(replay["rules"] as? String == (try Shell.git(["rev-parse", "stricter"], in: registry)))
        let evaluations = try #require(report["evaluations"] as? [[String: Any]])
        #expect(evaluations.allSatisfy { ($0["commit"] as? String)?.count == 40 }, "each carries its commit")
        let first = try #require(evaluations.first)
        #expect(first["commit"] as? String == (try Shell.git(["rev-parse", "main"], in: registry)), "newest first")
        let stopped = evaluations.filter { evaluation in
            evaluation["passedThen"] as? Bool == true
                && (evaluation["results"] as? [[String: Any]] ?? []).contains { $0["status"] as? String == "fail" }
        }
        #expect(stopped.map { "\($0["model"]!)@\($0["version"]!)" } == ["churn@1.1.0"])

        // --since keeps the promotions from that day on: 1.3.0's (2026-11-20) alone, which passes.
        let since = try Shell.modelgate(
            ["check", "--policies-from", "stricter", "--replay", "--since", "2026-11-19"], in: registry)
        #expect(since.status == 0, "\(since.stdout)")
        #expect(since.stdout.contains("replay of 1 promotions"))
        // Every format renders it.
        for format in ["markdown", "sarif", "junit", "github"] {
            let rendered = try Shell.modelgate(
                ["check", "--policies-from", "stricter", "--replay", "--format", format], in: registry)
            #expect(rendered.status == 1, "\(format): \(rendered.stderr)")
            let named =
                format == "markdown"
                ? rendered.stdout.contains("churn 1.1.0 → production (replacing 1.0.0) at `")
                    && rendered.stdout.contains("passed then")
                : rendered.stdout.contains("churn@1.1.0 → production at ")
            #expect(named, "\(format): \(rendered.stdout)")
        }
    }

    @Test func looserRulesNameWhatWouldNewlyPassAndMisuseIsRefused() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        // The registry's first promotion put 1.0.0 straight into production, with no approval: it failed
        // then and fails under any floor.
        try rules("looser", aucFloor: "0.5", in: registry)
        let looser = try Shell.modelgate(["check", "--policies-from", "looser", "--replay"], in: registry)
        #expect(looser.stdout.contains("churn@1.0.0 → production at "), "\(looser.stdout)")
        #expect(looser.stdout.contains(": fails, as it did then"))
        #expect(!looser.stdout.contains("would have failed"))

        for (arguments, message) in [
            (["check", "--replay"], "name them with --policies-from REF"),
            (["check", "--policies-from", "looser", "--since", "2026-01-01"], "--since limits a --replay"),
            (["check", "--policies-from", "looser", "--replay", "--since", "yesterday"], "YYYY-MM-DD"),
            (["check", "--policies-from", "looser", "--replay", "--head", "looser"], "--head does not apply"),
        ] {
            let refused = try Shell.modelgate(arguments, in: registry)
            #expect(refused.status == 2, "\(arguments)")
            #expect(refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
        }
    }

    /// The pull request that changes a policy: its Markdown comment shows what its rules would have decided.
    @Test func aPolicyPullRequestsCommentIncludesTheReplay() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        try rules("stricter", aucFloor: "0.7974", in: registry)
        let comment = try Shell.modelgate(
            ["check", "--base", "main", "--head", "stricter", "--format", "markdown"], in: registry)
        #expect(comment.stdout.contains("### These rules over past promotions"), "\(comment.stdout)")
        #expect(comment.stdout.contains("The 7 promotions of the base's history"))
        #expect(
            comment.stdout.contains(
                "churn 1.1.0 → production at `\(try Shell.git(["rev-parse", "--short=7", "main~4"], in: registry))`"))
        #expect(comment.stdout.contains("would have failed (it passed then): `churn-quality/auc.min`"))
        #expect(!comment.stdout.contains("churn 1.3.0 → production at"), "1.3.0 clears 0.7974 either way")
        // A change that leaves the rules alone has no such section; nor has the text report.
        let text = try Shell.modelgate(["check", "--base", "main", "--head", "stricter"], in: registry)
        #expect(!text.stdout.contains("These rules over past promotions"))
        let plain = try Shell.modelgate(["check", "--base", "main~1", "--format", "markdown"], in: registry)
        #expect(!plain.stdout.contains("These rules over past promotions"))
    }

    /// A registry whose very first commit makes promotions: that commit has no parent to judge it against,
    /// so its assignments are audited, and it is counted and listed like any other.
    @Test func aRootCommitsPromotionsAreReplayedToo() throws {
        let fixture = try FixtureRegistry()
        let root = try fixture.git("rev-parse", "HEAD")
        let result = try fixture.modelgate("check", "--policies-from", "HEAD", "--replay", "--format", "json")
        let report = try json(result.stdout)
        #expect((report["replay"] as? [String: Any])?["promotions"] as? Int == 1, "\(result.stdout)")
        let evaluations = try #require(report["evaluations"] as? [[String: Any]])
        #expect(!evaluations.isEmpty && evaluations.allSatisfy { $0["commit"] as? String == root })
    }
}

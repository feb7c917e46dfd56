import Foundation
import ModelGateTestSupport
import Testing

/// The way a new user goes: the example's rollback through the gate, drift on traffic without the label,
/// policy typos caught by `validate`, clear words in the wrong repository, versions seen before they are
/// committed, and an attestation checked on its own.
@Suite("the user's way through")
struct UserWayTests {
    /// The example registry in a scratch folder (removed when the returned folder goes away).
    func example() throws -> (scratch: ScratchDirectory, registry: URL) {
        let scratch = ScratchDirectory("modelgate-way")
        let result = try Shell.modelgate(["init", "registry", "--example", "--quiet"], in: scratch.url)
        #expect(result.status == 0, "\(result.stderr)")
        return (scratch, scratch.url.appendingPathComponent("registry"))
    }

    @Test func theExampleRollsBackAndTheGatePassesIt() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        let rollback = try Shell.modelgate(
            ["rollback", "churn", "--stage", "production", "--branch", "rollback-churn"], in: registry)
        #expect(rollback.status == 0, "\(rollback.stdout)\(rollback.stderr)")
        #expect(rollback.stdout.contains("production-gate/require.from"))
        #expect(rollback.stdout.contains("a rollback: 1.1.0 held 'production' before (since "))
        let gate = try Shell.modelgate(["check", "--base", "main", "--head", "rollback-churn"], in: registry)
        #expect(gate.status == 0, "\(gate.stdout)")
        #expect(gate.stdout.contains("churn@1.1.0 → production (replacing 1.3.0)"))
        // A version that never held the stage is still refused.
        try Shell.git(["checkout", "-q", "-b", "skip", "main"], in: registry)
        let stages = registry.appendingPathComponent("models/churn/stages.yaml")
        let text = try String(contentsOf: stages, encoding: .utf8)
        try text.replacingOccurrences(of: "production: 1.3.0", with: "production: 1.2.0").write(
            to: stages, atomically: true, encoding: .utf8)
        try Shell.git(["commit", "-qam", "1.2.0 straight to production"], in: registry)
        let skipped = try Shell.modelgate(["check", "--base", "main"], in: registry)
        #expect(skipped.status == 1)
        #expect(skipped.stdout.contains("1.2.0 held no stage before; 'production' may only be entered from 'staging'"))
    }

    @Test func driftLeavesOutTheTargetTrafficLacks() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        let data = try String(contentsOf: registry.appendingPathComponent("data/churn.csv"), encoding: .utf8)
        let traffic = data.split(separator: "\n").map { $0.split(separator: ",").dropLast().joined(separator: ",") }
        let file = registry.appendingPathComponent("traffic.csv")
        try (traffic.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let result = try Shell.modelgate(
            ["drift", "churn@1.3.0", "--data", file.path, "--format", "json"], in: registry)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let columns = try #require(report["columns"] as? [[String: Any]])
        #expect(columns.first { $0["column"] as? String == "churned" }?["status"] as? String == "skip")
        #expect(columns.filter { $0["status"] as? String == "pass" }.count == 5)
        // Another missing column still fails.
        let fewer = traffic.map { $0.split(separator: ",").dropFirst().joined(separator: ",") }
        try (fewer.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let missing = try Shell.modelgate(["drift", "churn@1.3.0", "--data", file.path], in: registry)
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("the column is missing from the data"))
        // record copies the target from model.yaml into the manifest.
        #expect(
            try String(contentsOf: registry.appendingPathComponent("models/churn/versions/1.3.0.yaml"), encoding: .utf8)
                .contains("  target: churned\n"))
    }

    /// Every command that takes a model names a misspelt one as unknown, with the nearest of every model of
    /// the registry (those that load one model included); an unknown version is named before `--stage` is.
    @Test func everyCommandSaysWhichModelWasMeant() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        let commands: [[String]] = [
            ["promote", "chrun@1.3.0", "--to", "staging"], ["rollback", "chrun", "--stage", "production"],
            ["bundle", "chrun", "--stage", "production", "--out", "../b"], ["verify", "chrun@1.3.0"],
            ["record", "chrun@2.0.0"], ["repro", "chrun@1.3.0"], ["drift", "chrun@1.3.0", "--data", "data/churn.csv"],
            ["show", "chrun"], ["history", "chrun"],
        ]
        for command in commands {
            let result = try Shell.modelgate(command, in: registry)
            #expect(result.status == 2, "\(command)")
            #expect(result.stderr.contains("unknown model 'chrun'"), "\(command): \(result.stderr)")
            #expect(result.stderr.contains("did you mean 'churn'?"), "\(command): \(result.stderr)")
        }
        for command in [
            ["bundle", "churn@9.9.9", "--out", "../b"], ["drift", "churn@9.9.9", "--data", "data/churn.csv"],
        ] {
            let result = try Shell.modelgate(command, in: registry)
            #expect(result.status == 2)
            #expect(result.stderr.contains("unknown version '9.9.9' of model 'churn'"), "\(command): \(result.stderr)")
        }
    }

    @Test func validateWarnsAboutPolicyTyposWithASuggestion() throws {
        let fixture = try FixtureRegistry()
        let policy = FixtureRegistry.productionPolicy
            .replacingOccurrences(of: "  - metric: auc\n    min: 0.85", with: "  - metric: acuracy\n    min: 0.85")
        try fixture.write("policies/production-gate.yaml", policy)
        try fixture.write(
            "policies/typo.yaml",
            """
            apiVersion: modelgate/v1
            kind: Policy
            name: typo
            appliesTo:
              stages: [staging]
              models: [chrun]
            rules:
              - metric: auc
                min: 0.5

            """)
        let result = try fixture.modelgate("validate", "--worktree")
        #expect(result.status == 0, "warnings alone keep exit 0: \(result.stderr)")
        #expect(
            result.stderr.contains(
                "policies/production-gate.yaml:8:5: warning: no version of churn reports 'acuracy': this rule fails every candidate; did you mean 'accuracy'?"
            ))
        #expect(
            result.stderr.contains(
                "policies/typo.yaml:6:12: warning: appliesTo.models pattern 'chrun' matches no model, so it governs nothing; did you mean 'churn'?"
            ))
        try fixture.write(
            "policies/typo.yaml",
            try fixture.read("policies/typo.yaml").replacingOccurrences(of: "[staging]", with: "[stagin]"))
        let stage = try fixture.modelgate("validate", "--worktree")
        #expect(stage.status == 2)
        #expect(stage.stderr.contains("stage 'stagin' is not one of the registry's stages"))
        #expect(stage.stderr.contains("did you mean 'staging'?"))
    }

    @Test func theWrongRepositorySaysSo() throws {
        let empty = try FixtureRegistry(empty: true)
        let none = try empty.modelgate("check")
        #expect(none.status == 2)
        #expect(none.stderr.contains("this repository has no commits yet"))
        try empty.write("README.md", "not a registry\n")
        try empty.commit("a project")
        for arguments in [
            ["check"], ["status"], ["show", "churn"], ["validate"], ["history", "churn"], ["verify", "churn@1.0.0"],
            ["bundle", "churn", "--stage", "production", "--out", "out"],
            ["promote", "churn@1.0.0", "--to", "staging"],
        ] {
            let result = try Shell.modelgate(arguments, in: empty.url)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("this is not a modelgate registry"), "\(arguments): \(result.stderr)")
        }
        // The pull request that creates the registry is judged: its base holds none, and need not.
        try empty.git("checkout", "-q", "-b", "create-registry")
        for (path, text) in FixtureRegistry.baseFiles { try empty.write(path, text) }
        try empty.commit("Create the registry")
        let first = try empty.modelgate("check", "--base", "main")
        #expect(first.status != 2, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("churn@1.0.0 → production"), "\(first.stdout)")
    }

    @Test func historyInAShallowCloneGivesTheFetchHint() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        let clone = scratch.url.appendingPathComponent("clone")
        try Shell.git(["clone", "-q", "--depth", "2", "file://\(registry.path)", clone.path], in: scratch.url)
        let result = try Shell.modelgate(["history", "churn", "--at", "2026-09-10"], in: clone)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("this clone is shallow"))
        #expect(result.stderr.contains("git fetch --unshallow"))
        let walk = try Shell.modelgate(["history", "churn"], in: clone)
        #expect(walk.status == 0)
        #expect(walk.stderr.contains("git fetch --unshallow"))
    }

    @Test func aVersionIsSeenBeforeItIsCommitted() throws {
        let fixture = try FixtureRegistry()
        try fixture.write("models/churn/versions/1.2.0.yaml", FixtureRegistry.manifest("1.2.0", auc: 0.93))
        let committed = try fixture.modelgate("show", "churn@1.2.0")
        #expect(committed.status == 2)
        #expect(committed.stderr.contains("is in the working tree but not committed: commit it, or pass --worktree"))
        let shown = try fixture.modelgate("show", "churn@1.2.0", "--worktree")
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("1.2.0"))
        let diff = try fixture.modelgate("diff", "churn@1.1.0", "churn@1.2.0", "--worktree")
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.stdout.contains("auc              0.9          0.93"))
        let status = try fixture.modelgate("status", "--worktree", "--format", "json")
        #expect(status.status == 0)
        #expect(try fixture.modelgate("status", "--worktree", "--ref", "HEAD").status == 2)
    }

    @Test func verifyJudgesTheAttestationAsTheGateDoes() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        let valid = try Shell.modelgate(["verify", "churn@1.3.0", "--base", "HEAD~1"], in: registry)
        #expect(valid.status == 0, "\(valid.stdout)\(valid.stderr)")
        #expect(valid.stdout.hasPrefix("VALID attestation attestations/churn/1.3.0.json of churn@1.3.0\n"))
        #expect(valid.stdout.contains("  signer:    ci-repro\n  verdict:   reproduced\n"))
        let blob = try Shell.git(["rev-parse", "HEAD:models/churn/versions/1.3.0.yaml"], in: registry)
        let tree = try Shell.git(["rev-parse", "HEAD:training/churn"], in: registry)
        #expect(valid.stdout.contains("manifest:  models/churn/versions/1.3.0.yaml (blob \(blob))"))
        #expect(valid.stdout.contains("training:  training/churn (tree \(tree))"))
        let missing = try Shell.modelgate(["verify", "churn@1.2.0", "--format", "json"], in: registry)
        #expect(missing.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(missing.stdout.utf8)) as? [String: Any])
        #expect(object["valid"] as? Bool == false)
        #expect((object["problem"] as? String)?.hasPrefix("no attestation at attestations/churn/1.2.0.json") == true)
        // An edit of the training code at head is the next version's: 1.3.0 is read at its source, unvoided.
        let trainer = registry.appendingPathComponent("training/churn/train.py")
        try (try String(contentsOf: trainer, encoding: .utf8) + "# edited\n").write(
            to: trainer, atomically: true, encoding: .utf8)
        try Shell.git(["commit", "-qam", "edit the trainer"], in: registry)
        let kept = try Shell.modelgate(["verify", "churn@1.3.0"], in: registry)
        #expect(kept.status == 0, "\(kept.stdout)")
        // A statement made for other code is void, as it would be in the gate: 1.1.0's attestation put in
        // place of 1.3.0's binds another manifest.
        let attestations = registry.appendingPathComponent("attestations/churn")
        try FileManager.default.removeItem(at: attestations.appendingPathComponent("1.3.0.json"))
        try FileManager.default.copyItem(
            at: attestations.appendingPathComponent("1.1.0.json"), to: attestations.appendingPathComponent("1.3.0.json")
        )
        try Shell.git(["commit", "-qam", "another version's attestation"], in: registry)
        let voided = try Shell.modelgate(["verify", "churn@1.3.0"], in: registry)
        #expect(voided.status == 1)
        #expect(voided.stdout.contains("the manifest changed since"), "\(voided.stdout)")
    }
}

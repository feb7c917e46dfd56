import Foundation
import ModelGateKit
import ModelGateTestSupport
import Testing

/// A version is closed: it is trained from, judged at and bundled with its own `training.source`, whatever
/// head holds; an existing manifest is compared as values; nothing of the registry reaches a training.
/// Each test makes its attack first, so that it fails where the defence is missing.
@Suite("A version is closed") struct ClosedVersionTests {
    // MARK: - The next version's edits leave the recorded ones as they were

    @Test func editingTrainingCodeAndDataOnMainLeavesProductionReleasable() throws {
        let (scratch, registry) = try Example.registry("modelgate-closed-edit")
        _ = scratch
        let train = registry.appendingPathComponent("training/churn/train.py")
        try Data((try String(contentsOf: train, encoding: .utf8) + "# next version\n").utf8).write(to: train)
        let data = registry.appendingPathComponent("data/churn.csv")
        var lines = try String(contentsOf: data, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        lines.remove(at: 1)
        try Data(lines.joined(separator: "\n").utf8).write(to: data)
        try Shell.git(["commit", "-qam", "work on the next version"], in: registry)

        let audit = try Shell.modelgate(["check"], in: registry)
        #expect(audit.status == 0, "\(audit.stdout)")
        #expect(!audit.stdout.contains("source.missing"))
        let verify = try Shell.modelgate(["verify", "churn@1.3.0"], in: registry)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("source:    32f279c9f3672e2f357072e64c9bc8c14e04209d"))
        #expect(verify.stdout.contains("closure:   sha256:"))
        let bundle = try Shell.modelgate(
            ["bundle", "churn", "--stage", "production", "--out", "../bundle", "--quiet"], in: registry)
        #expect(bundle.status == 0, "\(bundle.stderr)")
    }

    @Test func theExampleVersionsNameTheFirstCommitAsTheirSource() throws {
        let (scratch, registry) = try Example.registry("modelgate-closed-source")
        _ = scratch
        let first = try Shell.git(["rev-list", "--max-parents=0", "HEAD"], in: registry)
        let files = try Shell.git(["ls-tree", "-r", "--name-only", first], in: registry).split(separator: "\n")
        #expect(files.allSatisfy { $0.hasPrefix("training/") || $0.hasPrefix("data/") }, "\(files)")
        for manifest in try Shell.git(["ls-files", "models/*/versions/*.yaml"], in: registry).split(separator: "\n") {
            let text = try String(contentsOf: registry.appendingPathComponent(String(manifest)), encoding: .utf8)
            #expect(text.contains("  source: \(first)\n"), "\(manifest)")
        }
    }

    @Test func theClosureDigestIsWhatGitHoldsAtTheSource() throws {
        let (scratch, registry) = try Example.registry("modelgate-closed-digest")
        _ = scratch
        let verify = try Shell.modelgate(["verify", "churn@1.3.0", "--format", "json"], in: registry)
        let object = try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any] ?? [:]
        let source = try #require(object["source"] as? String)
        // The lines `<object id> <path>`, sorted by path, from `git rev-parse`, not from modelgate.
        let paths = ["data/churn.csv", "training/churn", "training/churn/requirements.lock"]
        let lines = try paths.sorted().map {
            "\(try Shell.git(["rev-parse", "\(source):\($0)"], in: registry)) \($0)\n"
        }
        let digest = try Shell.run(["sha256sum"], in: registry, input: Data(lines.joined().utf8))
        #expect(object["closure"] as? String == "sha256:" + String(digest.stdout.prefix(64)))
    }

    // MARK: - An existing manifest is judged as values

    static let manifestPath = "models/churn/versions/1.0.0.yaml"
    static let otherHash = String(repeating: "cd", count: 32)

    /// The rewrites that once passed as "only the waivers changed", each with a foreign line break or a
    /// layout that a text comparison misread.
    static let rewrites: [(String, @Sendable (String) -> String)] = [
        ("carriage return", { $0 + "waivers: []\rserving: {port: 9999}\n" }),
        (
            "carriage return in a waiver",
            {
                $0
                    + "waivers:\n  - {rule: production-gate/auc.min, reason: \"x\", owner: o@example.com, expires: 2099-01-01}\r"
                    + "artifact: {uri: artifacts/churn-1.1.0.bin, sha256: \(otherHash)}\n"
            }
        ),
        ("CRLF", { ($0 + "waivers: []\n").replacingOccurrences(of: "\n", with: "\r\n") }),
        ("U+2028", { $0 + "waivers: []\u{2028}serving: {port: 9999}\n" }),
        ("U+0085", { $0 + "waivers: []\u{85}serving: {port: 9999}\n" }),
        (
            "flow layout",
            {
                $0.replacingOccurrences(
                    of: "artifact:\n  uri: artifacts/churn-1.0.0.bin\n  sha256: \(FixtureRegistry.hash)",
                    with: "artifact: {sha256: \(otherHash),\n    uri: artifacts/churn-1.0.0.bin}")
                    + "waivers: []\n"
            }
        ),
    ]

    @Test(arguments: rewrites.indices)
    func aRewriteOfAnExistingVersionNeverPasses(_ index: Int) throws {
        let (name, rewrite) = Self.rewrites[index]
        let fixture = try FixtureRegistry()
        try fixture.git("switch", "-q", "-c", "rewrite")
        try fixture.write(Self.manifestPath, rewrite(FixtureRegistry.manifest("1.0.0", auc: 0.88)))
        try fixture.commit(name)
        let check = try fixture.modelgate("check", "--base", "main", "--format", "json")
        #expect(check.status == 1, "\(name): \(check.stdout)")
        let report = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any] ?? [:]
        let changes = (report["ruleChanges"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        #expect(changes.contains("modelgate/version.changed"), "\(name): \(check.stdout)")
        #expect(!changes.contains("modelgate/rules.changed"), "\(name)")
    }

    @Test func aForeignLineBreakIsAnErrorWithItsPosition() throws {
        let fixture = try FixtureRegistry()
        try fixture.write("policies/production-gate.yaml", FixtureRegistry.productionPolicy + "# a\u{2028}b\n")
        try fixture.write("modelgate.yaml", FixtureRegistry.settings.replacingOccurrences(of: "\n", with: "\r\n"))
        try fixture.commit("foreign line breaks")
        let validate = try fixture.modelgate("validate")
        #expect(validate.status == 2)
        #expect(validate.stderr.contains("modelgate.yaml:1:25: error: a carriage return (\\r) in a registry file"))
        #expect(validate.stderr.contains("policies/production-gate.yaml:15:4: error: U+2028 (line separator)"))
        let check = try fixture.modelgate("check", "--format", "json")
        #expect(check.status != 0)
    }

    @Test func aReformattedManifestWithOnlyNewWaiversIsAWaiverEdit() throws {
        let fixture = try FixtureRegistry()
        try fixture.git("switch", "-q", "-c", "waive")
        let reformatted = """
            # Reformatted: keys reordered, quoted, in flow style, with comments.
            kind: 'ModelVersion'
            apiVersion: "modelgate/v1"
            version: 1.0.0
            model: "churn"
            created: 2026-11-20T10:00:00Z
            metrics: {accuracy: 0.85, auc: 0.88}
            artifact: {sha256: \(FixtureRegistry.hash), uri: 'artifacts/churn-1.0.0.bin'}
            slices: {region=eu: {auc: 0.87}}
            training: {workdir: "training/churn", command: [python3, "train.py"], seed: 42,
              data: [{sha256: \(FixtureRegistry.hash), path: data/churn.csv}]}
            waivers:
              - {rule: production-gate/auc.min, reason: "measured on the old pool", owner: jane@example.com,
                 expires: 2099-01-01}

            """
        try fixture.write(Self.manifestPath, reformatted)
        try fixture.commit("waive")
        let check = try fixture.modelgate("check", "--base", "main", "--format", "json")
        let report = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any] ?? [:]
        let changes = (report["ruleChanges"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        #expect(changes == ["modelgate/rules.changed"], "\(check.stdout)")
    }

    // MARK: - Sources

    @Test func aSourceDroppedByAForcePushIsUnreachable() throws {
        let fixture = try FixtureRegistry()
        try fixture.git("switch", "-q", "-c", "lost")
        try fixture.write("training/churn/train.py", "print('lost')\n")
        let lost = try fixture.commit("training code on a branch that will be dropped")
        try fixture.git("switch", "-q", "main")
        try fixture.git("branch", "-q", "-D", "lost")
        try fixture.write(
            "models/churn/versions/1.0.0.yaml",
            FixtureRegistry.manifest("1.0.0", auc: 0.88).replacingOccurrences(
                of: "  workdir: training/churn\n", with: "  workdir: training/churn\n  source: \(lost)\n"))
        try fixture.commit("a version whose source is not in main's history")
        let audit = try fixture.modelgate("check")
        #expect(audit.status == 1, "\(audit.stdout)")
        #expect(audit.stdout.contains("modelgate/source.unreachable"), "\(audit.stdout)")
        #expect(audit.stdout.contains("not in the history of"), "\(audit.stdout)")
    }

    @Test func aVersionWithoutASourceIsJudgedFromHeadWithAWarning() throws {
        let fixture = try FixtureRegistry()
        let audit = try fixture.modelgate("check")
        #expect(audit.stdout.contains("warn   modelgate/source.missing"), "\(audit.stdout)")
    }

    // MARK: - Reserved places

    static let reserved: [(String, String)] = [
        ("input", "  inputs: [models/churn]\n"),
        ("input above a place", "  inputs: [attestations/churn/1.0.0.json]\n"),
        ("data", "  data:\n    - {path: artifacts/churn-1.1.0.bin, sha256: \(FixtureRegistry.hash)}\n"),
        ("keys", "  inputs: [keys]\n"),
        ("settings", "  inputs: [modelgate.yaml]\n"),
        ("dot git", "  inputs: [vendor/.GIT/config]\n"),
        ("deploy folder", "  inputs: [deploy/images.yaml]\n"),
    ]

    @Test(arguments: reserved.indices)
    func aTrainingMayNotReadAPlaceOfTheRegistry(_ index: Int) throws {
        let (name, block) = Self.reserved[index]
        let fixture = try FixtureRegistry()
        let manifest = FixtureRegistry.manifest("1.1.0").replacingOccurrences(
            of: "  data:\n    - {path: data/churn.csv, sha256: \(FixtureRegistry.hash)}\n", with: block)
        #expect(manifest.contains(block), "\(name)")
        try fixture.write("models/churn/versions/1.1.0.yaml", manifest)
        try fixture.commit(name)
        let validate = try fixture.modelgate("validate")
        #expect(validate.status == 2, "\(name): \(validate.stdout)")
        #expect(validate.stderr.contains("models/churn/versions/1.1.0.yaml:"), "\(name): \(validate.stderr)")
        #expect(validate.stderr.contains("a training may not read"), "\(name): \(validate.stderr)")
        let repro = try fixture.modelgate("repro", "churn@1.1.0", "--no-sandbox")
        #expect(repro.status == 2, "\(name): \(repro.stderr)")
    }

    @Test func aTrainingAtTheRepositoryRootIsRefused() throws {
        let fixture = try FixtureRegistry()
        try fixture.write(
            "models/churn/versions/1.1.0.yaml",
            FixtureRegistry.manifest("1.1.0").replacingOccurrences(of: "  workdir: training/churn\n", with: ""))
        try fixture.write(
            "models/churn/model.yaml", FixtureRegistry.model + "training:\n  workdir: training\n  inputs: [policies]\n")
        try fixture.commit("root")
        let validate = try fixture.modelgate("validate")
        #expect(validate.status == 2)
        #expect(validate.stderr.contains("models/churn/versions/1.1.0.yaml:15:3: error: 'workdir' must name"))
        #expect(validate.stderr.contains("models/churn/model.yaml:10:12: error: input 'policies' reaches"))
    }

    @Test func theDeployPathMayNotBeAPlaceOfTheRegistry() throws {
        let fixture = try FixtureRegistry()
        try fixture.write("modelgate.yaml", FixtureRegistry.settings + "deploy:\n  path: models/churn\n")
        try fixture.commit("deploy into the models")
        let validate = try fixture.modelgate("validate")
        #expect(validate.status == 2)
        #expect(validate.stderr.contains("modelgate.yaml:5:9: error: deploy.path 'models/churn' would put"))
    }

    // MARK: - Stages that must keep a holder

    @Test func emptyingAHolderRequiredStageFails() throws {
        let fixture = try FixtureRegistry()
        try fixture.write("modelgate.yaml", FixtureRegistry.settings + "holderRequired: [production]\n")
        try fixture.commit("production must be held")
        try fixture.git("switch", "-q", "-c", "empty")
        try fixture.write("models/churn/stages.yaml", FixtureRegistry.stages(["staging": "1.1.0"]))
        try fixture.commit("empty production")
        let check = try fixture.modelgate("check", "--base", "main")
        #expect(check.status == 1, "\(check.stdout)")
        #expect(check.stdout.contains("fail   modelgate/stage.removed"), "\(check.stdout)")
        #expect(check.stdout.contains("holderRequired"))
    }
}

import Crypto
import Foundation
import ModelGateKit
import ModelGateTestSupport
import Testing

/// The gate tried as a pull request's author would: nothing the change contains may loosen the rules that
/// judge it. Each test is one attack, refused with a message that names the reason.
@Suite("Trust: the gate is not judged by the change it judges")
struct TrustTests {
    /// The base fixture on `main` (after `merged`, committed there), then `pr` with each of `commits`.
    func pullRequest(merged: [(String, String)] = [], _ commits: [(String, String)]...) throws -> FixtureRegistry {
        let fixture = try FixtureRegistry()
        if !merged.isEmpty {
            for (path, text) in merged { try fixture.write(path, text) }
            try fixture.commit("merged")
        }
        _ = try fixture.git("checkout", "-q", "-b", "pr")
        for (index, files) in commits.enumerated() {
            for (path, text) in files { try fixture.write(path, text) }
            try fixture.commit("pull request, commit \(index + 1)")
        }
        return fixture
    }

    static let weakCandidate: [(String, String)] = [
        ("models/churn/versions/1.2.0.yaml", FixtureRegistry.manifest("1.2.0", auc: 0.51)),
        (
            "models/churn/stages.yaml",
            FixtureRegistry.stages(["production": "1.2.0", "staging": "1.1.0", "archived": "1.0.0"])
        ),
    ]

    func json(_ result: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func aPullRequestCannotLowerTheBarItIsJudgedBy() throws {
        let relaxed = FixtureRegistry.productionPolicy.replacingOccurrences(of: "min: 0.85", with: "min: 0.0")
            .replacingOccurrences(of: "maxRegression: 0.01", with: "maxRegression: 1")
        let fixture = try pullRequest(Self.weakCandidate, [("policies/production-gate.yaml", relaxed)])
        let result = try fixture.modelgate("check", "--base", "main")
        #expect(result.status == 1)
        #expect(result.stdout.contains("auc 0.51 is below the minimum 0.85"), "judged with main's rules")
        #expect(
            result.stdout.contains(
                "✘ fail   modelgate/rules.changed  policies/production-gate.yaml changes the rules, and the same change makes a stage assignment"
            ))
        // Allowed to change the rules in the same change: still judged with main's.
        let allowed = try fixture.modelgate("check", "--base", "main", "--allow-rule-change", "--format", "json")
        #expect(allowed.status == 1)
        let changes = try #require(try json(allowed)["ruleChanges"] as? [[String: String]])
        #expect(
            changes == [
                [
                    "path": "policies/production-gate.yaml", "rule": "modelgate/rules.changed", "status": "warn",
                    "message":
                        "policies/production-gate.yaml changes the rules; they count once merged (allowed with --allow-rule-change; this check judged with the rules at the base)",
                ]
            ])
    }

    @Test func ungatingTheStageOrMovingThePolicyAwayChangesNothing() throws {
        let ungated = FixtureRegistry.settings + "ungated: [production]\n"
        let moved = FixtureRegistry.productionPolicy.replacingOccurrences(
            of: "stages: [production]", with: "stages: [staging]")
        for change in [[("modelgate.yaml", ungated)], [("policies/production-gate.yaml", moved)]] {
            let fixture = try pullRequest(Self.weakCandidate + change)
            let result = try fixture.modelgate("check", "--base", "main", "--allow-rule-change")
            #expect(result.status == 1)
            #expect(result.stdout.contains("auc 0.51 is below the minimum 0.85"))
            #expect(!result.stdout.contains("0 passed · 0 failed"))
        }
    }

    @Test func aRuleChangeAloneIsListedAndPasses() throws {
        let stricter = FixtureRegistry.productionPolicy.replacingOccurrences(of: "min: 0.85", with: "min: 0.9")
        let fixture = try pullRequest([("policies/production-gate.yaml", stricter)])
        let result = try fixture.modelgate("check", "--base", "main")
        #expect(result.status == 0, "\(result.stdout)")
        #expect(
            result.stdout.contains(
                "! warn   modelgate/rules.changed  policies/production-gate.yaml changes the rules; they count once merged"
            ))
        // A combined change whose promotion passes the rules at base gets through only when allowed.
        let combined = try pullRequest(
            [("policies/production-gate.yaml", stricter)],
            [("models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.1.0", "archived": "1.0.0"]))])
        #expect(try combined.modelgate("check", "--base", "main").status == 1)
        #expect(try combined.modelgate("check", "--base", "main", "--allow-rule-change").status == 0)
    }

    @Test func waiversTheChangeAddsDoNotApply() throws {
        let soon = Dates.formatDay(Date().addingTimeInterval(7 * 86_400))
        let waivers = """
            waivers:
              - {rule: production-gate/auc.min, reason: trust me, owner: pr@example.com, expires: \(soon)}
              - {rule: production-gate/auc.baseline, reason: trust me, owner: pr@example.com, expires: 2999-12-31}
            """
        let fixture = try pullRequest([
            ("models/churn/versions/1.2.0.yaml", FixtureRegistry.manifest("1.2.0", auc: 0.51, extra: waivers)),
            (
                "models/churn/stages.yaml",
                FixtureRegistry.stages(["production": "1.2.0", "staging": "1.1.0", "archived": "1.0.0"])
            ),
        ])
        let result = try fixture.modelgate("check", "--base", "main")
        #expect(result.status == 1)
        #expect(!result.stdout.contains("~ waived"))
        #expect(result.stdout.contains("0 waived"))
        #expect(result.stdout.contains("a waiver for it applies once merged"))
        #expect(result.stdout.contains("more than waivers.maxDays (90) days after today"))
    }

    @Test func aHandWrittenAttestationIsNotASignedOne() throws {
        let reproducible = FixtureRegistry.productionPolicy + "  - require: reproducible\n"
        let trust =
            FixtureRegistry.settings
            + "trust:\n  attestors:\n    - {name: ci-repro, publicKeyFile: keys/ci-repro.pub}\n"
        let key = SigningKey()
        let fixture = try pullRequest(
            merged: [
                ("policies/production-gate.yaml", reproducible), ("modelgate.yaml", trust),
                ("keys/ci-repro.pub", key.publicKey.pem),
            ],
            [("models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.1.0", "archived": "1.0.0"]))])
        let blob = try fixture.git("rev-parse", "HEAD:models/churn/versions/1.1.0.yaml")
        let forged = """
            {"_type": "https://in-toto.io/Statement/v1", "predicateType": "urn:modelgate:repro:v1",
             "predicate": {"manifest": {"blob": "\(blob)"}, "sandbox": true, "verdict": "reproduced"}}
            """
        try fixture.write("attestations/churn/1.1.0.json", forged)
        try fixture.commit("attest by hand")
        let result = try fixture.modelgate("check", "--base", "main")
        #expect(result.status == 1)
        #expect(result.stdout.contains("is an unsigned statement"))
        // A key the pull request adds and trusts in the same change is not trusted either.
        let own = SigningKey()
        var envelope = DSSEEnvelope(payloadType: DSSEEnvelope.inTotoPayloadType, payload: Data(forged.utf8))
        try own.sign(&envelope)
        try fixture.write("attestations/churn/1.1.0.json", envelope.json.rendered())
        try fixture.write("keys/mine.pub", own.publicKey.pem)
        try fixture.write("modelgate.yaml", trust + "    - {name: mine, publicKeyFile: keys/mine.pub}\n")
        try fixture.commit("trust my own key")
        let selfTrusted = try fixture.modelgate("check", "--base", "main", "--allow-rule-change")
        #expect(selfTrusted.status == 1)
        #expect(selfTrusted.stdout.contains("signed by an unknown key"))
        #expect(selfTrusted.stdout.contains("modelgate/rules.changed  modelgate.yaml changes the rules"))
    }

    @Test func hashRulesVerifyTheBytesGitHolds() throws {
        let artifact = Data("the real weights".utf8)
        let zeros = String(repeating: "0", count: 64)
        let candidate = FixtureRegistry.manifest("1.2.0").replacingOccurrences(of: FixtureRegistry.hash, with: zeros)
            .replacingOccurrences(of: "data/churn.csv", with: "data/nowhere.csv")
        let policy =
            FixtureRegistry.productionPolicy.replacingOccurrences(of: "maxRegression: 0.01", with: "maxRegression: 0.5")
            + "  - require: dataHashes\n"
        let fixture = try pullRequest(
            merged: [("policies/production-gate.yaml", policy)],
            [
                ("models/churn/versions/1.2.0.yaml", candidate),
                (
                    "models/churn/stages.yaml",
                    FixtureRegistry.stages(["production": "1.2.0", "staging": "1.1.0", "archived": "1.0.0"])
                ),
            ])
        try fixture.write("artifacts/churn-1.2.0.bin", data: artifact)
        try fixture.commit("the artifact")
        let result = try fixture.modelgate("check", "--base", "main", "--format", "json")
        #expect(result.status == 1)
        let evaluation = try #require((try json(result)["evaluations"] as? [[String: Any]])?.first)
        let results = try #require(evaluation["results"] as? [[String: Any]])
        let byRule = Dictionary(uniqueKeysWithValues: results.map { ($0["rule"] as! String, $0) })
        #expect(byRule["require.artifactHash"]?["status"] as? String == "fail")
        #expect(
            (byRule["require.artifactHash"]?["message"] as? String)?.contains("not the recorded 000000000000") == true)
        #expect(byRule["require.dataHashes"]?["status"] as? String == "warn")
        #expect(
            (byRule["require.dataHashes"]?["message"] as? String)?.contains(
                "data/nowhere.csv is not tracked by Git at head") == true)

        // The right hash passes; a Git LFS pointer is compared without fetching.
        let real = Hex.encode(SHA256.hash(data: artifact))
        try fixture.write(
            "models/churn/versions/1.2.0.yaml",
            candidate.replacingOccurrences(of: "sha256: \(zeros)\n", with: "sha256: \(real)\n"))
        try fixture.commit("the true hash")
        let fixed = try fixture.modelgate("check", "--base", "main")
        #expect(fixed.stdout.contains("✔ pass   production-gate/require.artifactHash"))
        try fixture.write(
            "artifacts/churn-1.2.0.bin",
            "version https://git-lfs.github.com/spec/v1\noid sha256:\(real)\nsize \(artifact.count)\n")
        try fixture.commit("moved to LFS")
        #expect(
            try fixture.modelgate("check", "--base", "main").stdout.contains(
                "is a Git LFS pointer to the recorded sha256"))
    }

    @Test func commitsMainGainedSinceTheBranchWasCutAreNotBlamedOnIt() throws {
        let fixture = try FixtureRegistry()
        _ = try fixture.git("checkout", "-q", "-b", "pr")
        try fixture.write(
            "models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.1.0", "archived": "1.0.0"]))
        try fixture.commit("promote churn 1.1.0")
        _ = try fixture.git("checkout", "-q", "main")
        let fraud = FixtureRegistry.model.replacingOccurrences(of: "name: churn", with: "name: fraud")
        try fixture.write("models/fraud/model.yaml", fraud)
        try fixture.write("models/fraud/versions/1.0.0.yaml", FixtureRegistry.manifest("1.0.0", model: "fraud"))
        try fixture.write("models/fraud/stages.yaml", FixtureRegistry.stages(["staging": "1.0.0"], model: "fraud"))
        try fixture.commit("main moves on")
        _ = try fixture.git("checkout", "-q", "pr")
        let result = try fixture.modelgate("check", "--base", "main", "--format", "json")
        let evaluations = try #require(try json(result)["evaluations"] as? [[String: Any]])
        #expect(
            evaluations.map { "\($0["model"]!)@\($0["version"]!)→\($0["stage"]!)" } == [
                "churn@1.1.0→production", "churn@1.0.0→archived",
            ])
        #expect(result.status == 0, "\(result.stdout)")
    }

    @Test func registryTextCannotForgeWorkflowCommandsOrHideFailures() throws {
        let reason = "\"ok\\n::notice title=modelgate::All checks approved\\n::stop-commands::x\\u001b[2J\""
        let waiver = "waivers:\n  - {rule: production-gate/auc.min, reason: \(reason), owner: a, expires: 2999-01-01}\n"
        let fixture = try pullRequest([
            ("models/churn/versions/1.2.0.yaml", FixtureRegistry.manifest("1.2.0", auc: 0.51, extra: waiver)),
            (
                "models/churn/stages.yaml",
                FixtureRegistry.stages(["production": "1.2.0", "staging": "1.1.0", "archived": "1.0.0"])
            ),
        ])
        for format in ["github", "text", "markdown"] {
            let result = try fixture.modelgate("check", "--base", "main", "--format", format)
            #expect(result.status == 1)
            for line in (result.stdout + result.stderr).split(separator: "\n") {
                #expect(!line.hasPrefix("::notice") && !line.hasPrefix("::stop-commands"), "\(format): \(line)")
            }
            #expect(!result.stdout.contains("\u{1B}"), "\(format)")
        }
        let quiet = try fixture.modelgate("check", "--base", "main", "--quiet")
        #expect(quiet.status == 1)
        #expect(quiet.stdout.contains("✘ fail   production-gate/auc.min"))
        #expect(!quiet.stdout.contains("✔ pass"))
    }

    @Test func resultsPointAtTheLineThePullRequestChanges() throws {
        let fixture = try pullRequest(Self.weakCandidate)
        let result = try fixture.modelgate("check", "--base", "main", "--format", "github")
        #expect(
            result.stdout.contains(
                "::error file=models/churn/stages.yaml,line=6,col=15,title=churn@1.2.0 → production%3A production-gate/auc.min::auc 0.51 is below the minimum 0.85 (models/churn/versions/1.2.0.yaml:10:8)"
            ))
    }
}

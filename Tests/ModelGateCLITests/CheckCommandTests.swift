import Foundation
import ModelGateKit
import ModelGateTestSupport
import Testing

/// `modelgate check` end to end on real repositories: promotions found from the diff, verdicts, exit codes,
/// every report format.
@Suite("modelgate check")
struct CheckCommandTests {
    /// The base fixture on `main` (with `merged` committed there first), and a branch `pr` with `files`
    /// committed.
    func pullRequest(_ files: [(String, String)], merged: [(String, String)] = []) throws -> FixtureRegistry {
        let fixture = try FixtureRegistry()
        if !merged.isEmpty {
            for (path, text) in merged { try fixture.write(path, text) }
            try fixture.commit("merged earlier")
        }
        _ = try fixture.git("checkout", "-q", "-b", "pr")
        for (path, text) in files { try fixture.write(path, text) }
        try fixture.commit("pull request")
        return fixture
    }

    func json(_ result: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func passingPromotion() throws {
        let fixture = try pullRequest([
            ("models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.1.0", "archived": "1.0.0"]))
        ])
        let result = try fixture.modelgate("check", "--base", "main", "--format", "json")
        #expect(result.status == 0)
        let report = try json(result)
        #expect(report["verdict"] as? String == "pass")
        #expect(report["base"] as? String == (try fixture.git("rev-parse", "main")))
        #expect(report["head"] as? String == (try fixture.git("rev-parse", "HEAD")))
        let evaluations = try #require(report["evaluations"] as? [[String: Any]])
        #expect(
            evaluations.map { "\($0["model"]!)@\($0["version"]!)→\($0["stage"]!)" } == [
                "churn@1.1.0→production", "churn@1.0.0→archived",
            ])
        #expect(evaluations[0]["fromVersion"] as? String == "1.0.0")
        let results = try #require(evaluations[0]["results"] as? [[String: Any]])
        #expect(
            results.map { "\($0["policy"]!)/\($0["rule"]!)=\($0["status"]!)" } == [
                "production-gate/auc.min=pass", "production-gate/auc.baseline=pass",
                "production-gate/require.artifactHash=warn", "modelgate/source.missing=warn",
            ])
        #expect((results[2]["message"] as? String ?? "").contains("is not tracked by Git at head"))
        let baseline = results[1]
        #expect(baseline["metric"] as? String == "auc")
        #expect(baseline["actual"] as? Double == 0.9)
        #expect(baseline["baselineVersion"] as? String == "1.0.0")
        #expect(baseline["baselineValue"] as? Double == 0.88)
        #expect(abs((baseline["bound"] as? Double ?? 0) - 0.87) < 1e-12)
        #expect(report["errors"] as? [Any] != nil)
    }

    @Test func failingPromotionExitsOneWithTheReason() throws {
        let fixture = try pullRequest([
            ("models/churn/versions/1.2.0.yaml", FixtureRegistry.manifest("1.2.0", auc: 0.86)),
            ("models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.2.0", "staging": "1.1.0"])),
        ])
        let result = try fixture.modelgate("check", "--base", "main")
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("FAIL modelgate check"))
        #expect(result.stdout.contains("✘ fail   production-gate/auc.baseline"))
        #expect(result.stdout.contains("auc 0.86 vs 0.88 in 1.0.0: worse by 0.02, more than the allowed 0.01"))
    }

    @Test func twoPromotionsOneFailing() throws {
        let fraudModel = FixtureRegistry.model.replacingOccurrences(of: "name: churn", with: "name: fraud")
        let fixture = try pullRequest([
            ("models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.1.0"])),
            ("models/fraud/model.yaml", fraudModel),
            ("models/fraud/versions/1.0.0.yaml", FixtureRegistry.manifest("1.0.0", model: "fraud", auc: 0.7)),
            ("models/fraud/stages.yaml", FixtureRegistry.stages(["production": "1.0.0"], model: "fraud")),
        ])
        let result = try fixture.modelgate("check", "--base", "main", "--format", "json")
        #expect(result.status == 1)
        let evaluations = try #require(try json(result)["evaluations"] as? [[String: Any]])
        let verdicts = evaluations.map { evaluation -> String in
            let failed = (evaluation["results"] as? [[String: Any]] ?? []).contains {
                $0["status"] as? String == "fail"
            }
            return "\(evaluation["model"]!):\(failed ? "fail" : "pass")"
        }
        #expect(verdicts == ["churn:pass", "fraud:fail"])
    }

    @Test func unchangedFailingModelIsAuditedButNotJudgedInAPullRequest() throws {
        let fixture = try FixtureRegistry()
        // 1.0.0 in production fails auc.min (0.88 >= 0.85 passes) -> make it fail with a stricter policy.
        try fixture.write(
            "policies/production-gate.yaml",
            FixtureRegistry.productionPolicy.replacingOccurrences(of: "min: 0.85", with: "min: 0.95"))
        try fixture.commit("stricter")
        _ = try fixture.git("checkout", "-q", "-b", "pr")
        try fixture.write("README.md", "docs only\n")
        try fixture.commit("docs")
        let pr = try fixture.modelgate("check", "--base", "main")
        #expect(pr.status == 0)
        #expect(pr.stdout.contains("nothing to judge"))
        let audit = try fixture.modelgate("check")
        #expect(audit.status == 1)
        #expect(audit.stdout.contains("churn@1.0.0 → production"))
        #expect(audit.stdout.contains("auc 0.88 is below the minimum 0.95"))
    }

    @Test func waiversValidExpiredAndDangling() throws {
        let waiver = { (rule: String, expires: String) in
            "waivers:\n  - {rule: \(rule), reason: Known gap, owner: jane@example.com, expires: \(expires)}\n"
        }
        let strict = FixtureRegistry.productionPolicy.replacingOccurrences(of: "min: 0.85", with: "min: 0.95")
        func run(_ extra: String) throws -> ProcessResult {
            let fixture = try pullRequest(
                [("models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.1.0"]))],
                merged: [
                    ("policies/production-gate.yaml", strict),
                    ("models/churn/versions/1.1.0.yaml", FixtureRegistry.manifest("1.1.0", auc: 0.9, extra: extra)),
                ])
            return try fixture.modelgate("check", "--base", "main", "--format", "json")
        }
        let inAMonth = Dates.formatDay(Date().addingTimeInterval(30 * 86_400))
        let valid = try run(waiver("production-gate/auc.min", inAMonth))
        #expect(valid.status == 0)
        #expect(valid.stdout.contains("\"status\": \"waived\""))
        let expired = try run(waiver("production-gate/auc.min", "2020-01-01"))
        #expect(expired.status == 1)
        #expect(
            expired.stderr.contains(
                "models/churn/versions/1.1.0.yaml:21:5: error: waiver for production-gate/auc.min expired on 2020-01-01"
            ))
        let dangling = try run(waiver("production-gate/nope.min", inAMonth))
        #expect(dangling.status == 1)
        #expect(dangling.stderr.contains("waiver names 'production-gate/nope.min', which is no rule of any policy"))
    }

    @Test func policiesFromAnotherRef() throws {
        let fixture = try FixtureRegistry()
        try fixture.write(
            "policies/production-gate.yaml",
            FixtureRegistry.productionPolicy.replacingOccurrences(of: "min: 0.85", with: "min: 0.95"))
        try fixture.commit("stricter policy")
        _ = try fixture.git("tag", "strict")
        try fixture.write("policies/production-gate.yaml", FixtureRegistry.productionPolicy)
        try fixture.commit("relax policy")
        _ = try fixture.git("checkout", "-q", "-b", "pr")
        try fixture.write("models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.1.0"]))
        try fixture.commit("promote")
        #expect(try fixture.modelgate("check", "--base", "main").status == 0)
        let strict = try fixture.modelgate("check", "--base", "main", "--policies-from", "strict")
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("auc 0.9 is below the minimum 0.95"))
    }

    @Test func failOnWarn() throws {
        let warning =
            FixtureRegistry.productionPolicy
            + "  - metric: auc\n    min: 0.99\n    id: stretch\n    severity: warning\n"
        let fixture = try pullRequest(
            [("models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.1.0"]))],
            merged: [("policies/production-gate.yaml", warning)])
        let plain = try fixture.modelgate("check", "--base", "main")
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("! warn   production-gate/stretch"))
        #expect(try fixture.modelgate("check", "--base", "main", "--fail-on-warn").status == 1)
    }

    @Test func invalidYAMLAtHeadFailsTheGate() throws {
        let fixture = try pullRequest([
            ("models/churn/versions/1.1.0.yaml", FixtureRegistry.manifest("1.1.0") + "metrics: {auc: 1}\n"),
            ("models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.1.0"])),
        ])
        let result = try fixture.modelgate("check", "--base", "main", "--format", "json")
        #expect(result.status == 1)
        #expect(result.stderr.contains("models/churn/versions/1.1.0.yaml:20:1: error: duplicate key 'metrics'"))
        let errors = try #require(try json(result)["errors"] as? [[String: Any]])
        #expect(errors.first?["line"] as? Int == 20)
    }

    @Test func unknownRefsAreBadInput() throws {
        let fixture = try FixtureRegistry()
        let result = try fixture.modelgate("check", "--base", "origin/main")
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: unknown revision 'origin/main' for --base: is it fetched?"))
    }

    @Test func everyFormatAndTheValidators() throws {
        let fixture = try pullRequest([
            ("models/churn/versions/1.2.0.yaml", FixtureRegistry.manifest("1.2.0", auc: 0.5)),
            ("models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.2.0", "staging": "1.1.0"])),
        ])
        for format in ["text", "json", "markdown", "junit", "sarif", "github"] {
            let file = fixture.url.appendingPathComponent("report.\(format)")
            let result = try fixture.modelgate("check", "--base", "main", "--format", format, "--output", file.path)
            #expect(result.status == 1, "\(format)")
            #expect(result.stdout.isEmpty, "\(format): --output keeps stdout empty")
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.isEmpty)
            if format == "sarif" || format == "junit" {
                let validation = try Shell.validateReport(format, file)
                #expect(validation.status == 0, "\(format) invalid: \(validation.stdout)\(validation.stderr)")
            }
        }
        let markdown = try String(contentsOf: fixture.url.appendingPathComponent("report.markdown"), encoding: .utf8)
        #expect(markdown.hasPrefix("## ❌ modelgate: fail"))
        #expect(markdown.contains("| auc | 0.5 | 0.88 | -0.38 | -43.18% |"))
        #expect(markdown.contains("xychart-beta"))
        let summary = fixture.url.appendingPathComponent("summary.md")
        let github = try fixture.modelgate(
            "check", "--base", "main", "--format", "github", environment: ["GITHUB_STEP_SUMMARY": summary.path])
        // At the promotion's line of stages.yaml (what the pull request's diff shows), naming the manifest line.
        #expect(github.stdout.contains("::error file=models/churn/stages.yaml,line=6,col=15,"))
        #expect(github.stdout.contains("auc 0.5 is below the minimum 0.85 (models/churn/versions/1.2.0.yaml:10:8)"))
        #expect(try String(contentsOf: summary, encoding: .utf8).hasPrefix("## ❌ modelgate: fail"))
    }
}

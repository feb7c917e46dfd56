import Foundation
import ModelGateTestSupport
import Testing

@Suite("modelgate show and diff")
struct ShowDiffCommandTests {
    @Test func showsAModelItsVersionsAndHolders() throws {
        let fixture = try FixtureRegistry()
        let result = try fixture.modelgate("show", "churn")
        #expect(result.status == 0)
        #expect(result.stdout.contains("owner:       ml@example.com"))
        #expect(result.stdout.contains("1.1.0    staging     2026-11-20  auc=0.9"))
        #expect(result.stdout.contains("1.0.0    production  2026-11-20  auc=0.88"))
        let json = try JSONSerialization.jsonObject(
            with: Data(try fixture.modelgate("show", "churn", "--format", "json").stdout.utf8))
        let object = try #require(json as? [String: Any])
        #expect((object["stages"] as? [String: String]) == ["production": "1.0.0", "staging": "1.1.0"])
    }

    @Test func showsAVersionWithItsVerdictPerStage() throws {
        let fixture = try FixtureRegistry()
        try fixture.write("models/churn/versions/1.2.0.yaml", FixtureRegistry.manifest("1.2.0", auc: 0.8))
        try fixture.commit("weak version")
        let strong = try fixture.modelgate("show", "churn@1.1.0")
        #expect(strong.status == 0)
        #expect(
            strong.stdout.contains("staging (held): fail"),
            "staging is governed by no policy in the fixture: fails closed")
        #expect(strong.stdout.contains("production: pass"))
        let weak = try fixture.modelgate("show", "churn@1.2.0", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(weak.stdout.utf8)) as? [String: Any])
        let verdicts = try #require(object["verdicts"] as? [[String: Any]])
        #expect(
            verdicts.map { "\($0["stage"]!)=\($0["verdict"]!)" } == [
                "development=pass", "staging=fail", "production=fail",
            ])
    }

    @Test func unknownModelOrVersionIsBadInput() throws {
        let fixture = try FixtureRegistry()
        let model = try fixture.modelgate("show", "fraud")
        #expect(model.status == 2)
        #expect(model.stderr.hasPrefix("error: unknown model 'fraud'"))
        #expect(try fixture.modelgate("show", "churn@9.9.9").status == 2)
        #expect(try fixture.modelgate("show", "Bad;Name").status == 2)
        #expect(try fixture.modelgate("diff", "churn", "churn@1.0.0").status == 2)
    }

    @Test func diffsMetricsAndFields() throws {
        let fixture = try FixtureRegistry()
        let result = try fixture.modelgate("diff", "churn@1.0.0", "churn@1.1.0")
        #expect(result.status == 0)
        #expect(result.stdout.contains("auc              0.88         0.9          +0.02  +2.27%"))
        #expect(result.stdout.contains("artifact.uri  artifacts/churn-1.0.0.bin  artifacts/churn-1.1.0.bin"))
        let json = try fixture.modelgate("diff", "churn@1.0.0", "churn@1.1.0", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let metrics = try #require(object["metrics"] as? [[String: Any]])
        let auc = try #require(metrics.first { $0["metric"] as? String == "auc" && $0["slice"] is NSNull })
        #expect(abs((auc["delta"] as? Double ?? 0) - 0.02) < 1e-12)
        let fields = try #require(object["fields"] as? [[String: Any]])
        #expect(fields.map { $0["path"] as? String } == ["artifact.uri"])
    }
}

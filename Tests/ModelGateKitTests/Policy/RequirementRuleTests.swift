import Foundation
import Testing

@testable import ModelGateKit

@Suite("Rule: require")
struct RequirementRuleTests {
    @Test func artifactAndDataHashes() throws {
        let policy = try Parsed.policy("""
              - require: artifactHash
              - require: dataHashes
            """)
        let good = Parsed.judge(policy, candidate: try Parsed.manifest("1.0.0", metrics: "{auc: 1}"))
        #expect(good.results.map(\.status) == [.pass, .pass])
        var bad = try Parsed.manifest("1.0.0", metrics: "{auc: 1}")
        bad.artifact.sha256 = nil
        bad.training?.data.append(DataFile(path: "extra.csv", sha256: nil, location: SourceLocation(path: "m.yaml", line: 9)))
        let judged = Parsed.judge(policy, candidate: bad)
        #expect(judged.results.map(\.status) == [.fail, .fail])
        #expect(judged.results.map(\.message) == ["artifact.sha256 is missing", "training data without sha256: extra.csv"])
        bad.training = nil
        #expect(Parsed.judge(policy, candidate: bad).results[1].message == "the manifest records no training data")
    }

    @Test(arguments: [
        ("staging", nil, RuleResult.Status.pass), ("development", nil, .fail), (nil, nil, .fail),
        ("development", "[development, staging]", .pass),
    ] as [(String?, String?, RuleResult.Status)])
    func fromStage(_ from: String?, _ allowed: String?, _ expected: RuleResult.Status) throws {
        let rule = allowed.map { "  - require: from\n    stages: \($0)" } ?? "  - require: from"
        let evaluation = Parsed.judge(try Parsed.policy(rule), candidate: try Parsed.manifest("1.0.0", metrics: "{a: 1}"), fromStage: from)
        #expect(evaluation.results[0].status == expected)
    }

    @Test func reproducibleNeedsAnAttestationForThisManifest() throws {
        let policy = try Parsed.policy("  - require: reproducible")
        var manifest = try Parsed.manifest("1.0.0", metrics: "{a: 1}")
        let blob = ObjectID(hex: String(repeating: "b", count: 40))!
        manifest.blob = blob
        func statement(blob: String, verdict: String) -> Data {
            Data("""
                {"_type": "https://in-toto.io/Statement/v1", "predicateType": "urn:modelgate:repro:v1",
                 "subject": [], "predicate": {"manifest": {"path": "x", "blob": "\(blob)"}, "verdict": "\(verdict)"}}
                """.utf8)
        }
        func judge(_ data: Data?) -> RuleResult {
            let head = Parsed.registry([manifest], stages: ["production": "1.0.0"], policies: [policy])
            var gate = Gate(head: head, base: Parsed.registry([], stages: [:]), policies: [policy])
            gate.readFile = { path in path == "attestations/churn/1.0.0.json" ? data : nil }
            return gate.evaluate([Gate.Candidate(model: "churn", version: "1.0.0", stage: "production")]).evaluations[0].results[0]
        }
        #expect(judge(nil).message == "no attestation at attestations/churn/1.0.0.json; run modelgate repro --record")
        #expect(judge(nil).status == .fail)
        #expect(judge(statement(blob: blob.hex, verdict: "reproduced")).status == .pass)
        #expect(judge(statement(blob: blob.hex, verdict: "reproduced-within-tolerance")).status == .pass)
        let failed = judge(statement(blob: blob.hex, verdict: "failed"))
        #expect(failed.status == .fail)
        #expect(failed.message == "attestation attestations/churn/1.0.0.json says 'failed'")
        let stale = judge(statement(blob: String(repeating: "a", count: 40), verdict: "reproduced"))
        #expect(stale.status == .fail)
        #expect(stale.message.contains("the manifest changed since"))
        #expect(judge(Data("not json".utf8)).message == "attestation attestations/churn/1.0.0.json is not a JSON object")
    }
}

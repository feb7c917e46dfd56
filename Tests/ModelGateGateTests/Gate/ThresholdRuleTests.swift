import ModelGateRegistry
import ModelGateSupport
import Testing

@testable import ModelGateGate

@Suite("Rule: min / max")
struct ThresholdRuleTests {
    static let policy = """
          - metric: auc
            min: 0.85
          - metric: latency
            max: 50
        """

    @Test(arguments: [
        ("{auc: 0.9, latency: 12}", ["pass", "pass"]),
        ("{auc: 0.85, latency: 50}", ["pass", "pass"]),  // bounds are inclusive
        ("{auc: 0.8499999, latency: 50.0001}", ["fail", "fail"]),
        ("{latency: 10}", ["fail", "pass"]),  // missing metric fails closed
        ("{auc: .nan, latency: .inf}", ["fail", "fail"]),
        ("{auc: -.inf, latency: -.inf}", ["fail", "fail"]),  // -inf is not a value, even below a max
    ])
    func judges(_ metrics: String, _ expected: [String]) throws {
        let evaluation = Parsed.judge(
            try Parsed.policy(Self.policy), candidate: try Parsed.manifest("1.0.0", metrics: metrics))
        #expect(evaluation.results.map(\.status.rawValue) == expected)
    }

    @Test func resultsCarryValueBoundAndAReadableMessage() throws {
        let evaluation = Parsed.judge(
            try Parsed.policy(Self.policy), candidate: try Parsed.manifest("1.0.0", metrics: "{auc: 0.8, latency: 60}"))
        let auc = evaluation.results[0]
        #expect(auc.name == "gate/auc.min")
        #expect(auc.actual == 0.8)
        #expect(auc.bound == 0.85)
        #expect(auc.message == "auc 0.8 is below the minimum 0.85")
        #expect(auc.subjectLocation == SourceLocation(path: "models/churn/versions/1.0.0.yaml", line: 6, column: 16))
        #expect(evaluation.results[1].message == "latency 60 is above the maximum 50")
        let missing = Parsed.judge(
            try Parsed.policy(Self.policy), candidate: try Parsed.manifest("1.0.0", metrics: "{latency: 1}"))
        #expect(missing.results[0].message == "auc is missing from the manifest")
        let nan = Parsed.judge(
            try Parsed.policy(Self.policy), candidate: try Parsed.manifest("1.0.0", metrics: "{auc: .nan, latency: 1}"))
        #expect(nan.results[0].message == "auc is NaN in the manifest")
    }

    @Test func rangeRuleAndWarningSeverity() throws {
        let policy = try Parsed.policy(
            """
              - metric: auc
                min: 0.5
                max: 0.99
              - metric: f1
                min: 0.9
                severity: warning
            """)
        let evaluation = Parsed.judge(policy, candidate: try Parsed.manifest("1.0.0", metrics: "{auc: 0.995, f1: 0.5}"))
        #expect(evaluation.results.map(\.name) == ["gate/auc.range", "gate/f1.min"])
        #expect(evaluation.results.map(\.status) == [.fail, .warn])
    }
}

import ModelGateRegistry
import Testing

@testable import ModelGateGate

@Suite("Rule: slices")
struct SliceRuleTests {
    @Test func everyReportedSliceHoldsItsBound() throws {
        let policy = try Parsed.policy(
            """
              - slices: "*"
                metric: auc
                min: 0.8
            """)
        let candidate = try Parsed.manifest(
            "1.0.0", metrics: "{auc: 0.9}", slices: "{region=eu: {auc: 0.85}, region=us: {auc: 0.79}, new: {f1: 1}}")
        let evaluation = Parsed.judge(policy, candidate: candidate)
        #expect(
            evaluation.results.map(\.name) == ["gate/new/auc.min", "gate/region=eu/auc.min", "gate/region=us/auc.min"])
        #expect(evaluation.results.map(\.status) == [.fail, .pass, .fail])
        #expect(evaluation.results[0].message == "auc is missing from slice 'new'")
        #expect(evaluation.results[2].message == "region=us: auc 0.79 is below the minimum 0.8")
    }

    @Test func namedSliceThatIsNotReportedFails() throws {
        let policy = try Parsed.policy(
            """
              - id: eu-floor
                slices: [region=eu, region=apac]
                metric: auc
                min: 0.8
            """)
        let candidate = try Parsed.manifest("1.0.0", metrics: "{auc: 0.9}", slices: "{region=eu: {auc: 0.8}}")
        let evaluation = Parsed.judge(policy, candidate: candidate)
        #expect(evaluation.results.map(\.name) == ["gate/eu-floor/region=eu", "gate/eu-floor/region=apac"])
        #expect(evaluation.results.map(\.status) == [.pass, .fail])
        #expect(evaluation.results[1].message == "slice 'region=apac' is not reported")
    }

    @Test func noSlicesAtAllIsASkip() throws {
        let policy = try Parsed.policy(
            """
              - slices: "*"
                metric: auc
                min: 0.8
            """)
        let evaluation = Parsed.judge(policy, candidate: try Parsed.manifest("1.0.0", metrics: "{auc: 0.9}"))
        #expect(evaluation.results.map(\.status) == [.skip])
    }
}

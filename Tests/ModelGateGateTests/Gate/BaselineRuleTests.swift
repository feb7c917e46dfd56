import ModelGateRegistry
import Testing

@testable import ModelGateGate

@Suite("Rule: baseline")
struct BaselineRuleTests {
    func judge(_ rule: String, candidate: String, baseline: String?) throws -> RuleResult {
        let policy = try Parsed.policy(rule)
        let evaluation = Parsed.judge(
            policy, candidate: try Parsed.manifest("2.0.0", metrics: candidate),
            baseline: try baseline.map { try Parsed.manifest("1.0.0", metrics: $0) })
        return evaluation.results[0]
    }

    static let absolute = """
          - metric: auc
            baseline: production
            direction: higher
            maxRegression: 0.01
        """

    static let relativeLower = """
          - metric: latency
            baseline: production
            direction: lower
            maxRegressionPct: 10
        """

    @Test(arguments: [
        ("{auc: 0.90}", "{auc: 0.90}", RuleResult.Status.pass),
        ("{auc: 0.89}", "{auc: 0.90}", .pass),  // exactly the allowed regression
        ("{auc: 0.8899}", "{auc: 0.90}", .fail),
        ("{auc: 0.95}", "{auc: 0.90}", .pass),
        ("{f1: 1}", "{auc: 0.90}", .fail),  // candidate lacks the metric
        ("{auc: 0.9}", "{f1: 1}", .fail),  // baseline lacks it
        ("{auc: .nan}", "{auc: 0.90}", .fail),
    ])
    func absoluteHigherIsBetter(_ candidate: String, _ baseline: String, _ expected: RuleResult.Status) throws {
        #expect(try judge(Self.absolute, candidate: candidate, baseline: baseline).status == expected)
    }

    @Test(arguments: [
        ("{latency: 110}", "{latency: 100}", RuleResult.Status.pass),  // +10 % of 100: the bound, inclusive
        ("{latency: 110.5}", "{latency: 100}", .fail),
        ("{latency: 50}", "{latency: 100}", .pass),
        ("{latency: -9}", "{latency: -10}", .pass),  // relative to |base|
        ("{latency: -8.9}", "{latency: -10}", .fail),
    ])
    func relativeLowerIsBetter(_ candidate: String, _ baseline: String, _ expected: RuleResult.Status) throws {
        #expect(try judge(Self.relativeLower, candidate: candidate, baseline: baseline).status == expected)
    }

    @Test func resultNamesBaselineVersionValueAndBound() throws {
        let result = try judge(Self.absolute, candidate: "{auc: 0.85}", baseline: "{auc: 0.9}")
        #expect(result.name == "gate/auc.baseline")
        #expect(result.status == .fail)
        #expect(result.baselineVersion == "1.0.0")
        #expect(result.baselineValue == 0.9)
        #expect(result.actual == 0.85)
        #expect(abs(result.bound! - 0.89) < 1e-12)
        #expect(result.message == "auc 0.85 vs 0.9 in 1.0.0: worse by 0.05, more than the allowed 0.01")
        let relative = try judge(Self.relativeLower, candidate: "{latency: 120}", baseline: "{latency: 100}")
        #expect(relative.message == "latency 120 vs 100 in 1.0.0: worse by 20%, more than the allowed 10%")
        #expect(relative.bound == 110)
    }

    @Test func zeroBaselineFailsARelativeRule() throws {
        let result = try judge(Self.relativeLower, candidate: "{latency: 0}", baseline: "{latency: 0}")
        #expect(result.status == .fail)
        #expect(result.message.hasSuffix("the baseline is zero, so a relative regression is undefined"))
        let tiny = try judge(Self.relativeLower, candidate: "{latency: 1}", baseline: "{latency: 1e-13}")
        #expect(tiny.status == .fail)
    }

    @Test func noHolderAtBaseSkipsAndSaysWhy() throws {
        let result = try judge(Self.absolute, candidate: "{auc: 0.5}", baseline: nil)
        #expect(result.status == .skip)
        #expect(result.message == "no version holds production at the base ref: nothing to compare auc against")
    }
}

import ModelGateTestSupport
import Testing

@testable import ModelGateGate

/// `validate`'s warnings about policies that parse but govern nothing or read a metric nobody reports.
@Suite("policy lint")
struct PolicyLintTests {
    @Test func aMetricNoGovernedVersionReportsAndAPatternThatMatchesNothing() throws {
        let fixture = try FixtureRegistry()
        try fixture.write(
            "policies/production-gate.yaml",
            FixtureRegistry.productionPolicy.replacingOccurrences(
                of: "models: [\"*\"]", with: "models: [\"chur*\", fraud]")
                + "  - slices: \"*\"\n    metric: acc\n    min: 0.5\n")
        try fixture.commit("typos")
        let warnings = PolicyLint.warnings(try fixture.load()).map(\.description)
        #expect(
            warnings == [
                "policies/production-gate.yaml:6:21: warning: appliesTo.models pattern 'fraud' matches no model, so it governs nothing",
                "policies/production-gate.yaml:15:5: warning: no version of churn reports 'acc' in a slice: this rule fails every candidate; did you mean 'auc'?",
            ])
    }

    @Test func theStarterRegistryHasNoWarning() throws {
        #expect(PolicyLint.warnings(try FixtureRegistry().load()).isEmpty)
    }
}

import Foundation
import ModelGateTestSupport
import Testing

@testable import ModelGateGate
@testable import ModelGateRegistry

/// What `check --base` reads: each settings file decoded once per content, however many refs hold it.
@Suite("Check runner")
struct CheckRunnerTests {
    @Test func settingsAreDecodedOncePerContent() throws {
        let fixture = try FixtureRegistry()
        _ = try fixture.git("branch", "base")
        try fixture.write(
            "models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.1.0", "archived": "1.0.0"]))
        try fixture.commit("Promote churn 1.1.0")
        // Head, base, fork point and the trusted ref hold the same modelgate.yaml.
        let runner = CheckRunner(repository: try fixture.repository())
        let report = try runner.run(base: "base", head: "HEAD", policiesFrom: nil)
        #expect(!report.evaluations.isEmpty && report.errors.isEmpty)
        #expect(runner.loader.settingsCache.decodes == 1)

        try fixture.write("modelgate.yaml", FixtureRegistry.settings + "# edited\n")
        try fixture.commit("Edit the settings")
        let edited = CheckRunner(repository: try fixture.repository())
        _ = try edited.run(base: "base", head: "HEAD", policiesFrom: nil)
        #expect(edited.loader.settingsCache.decodes == 2)
    }
}

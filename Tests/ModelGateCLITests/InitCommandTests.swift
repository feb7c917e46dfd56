import Foundation
import ModelGateTestSupport
import Testing

@Suite("modelgate init and status")
struct InitCommandTests {
    @Test func exampleRegistryValidatesAndShowsItsStatus() throws {
        let scratch = ScratchDirectory()
        let created = try Shell.modelgate(["init", "registry", "--example"], in: scratch.url)
        #expect(created.status == 0)
        #expect(created.stdout.contains("8 commits"))
        let registry = scratch.url.appendingPathComponent("registry")
        #expect(try Shell.modelgate(["validate"], in: registry).status == 0)
        let status = try Shell.modelgate(["status"], in: registry)
        #expect(status.status == 0)
        #expect(
            status.stdout.hasPrefix("MODEL   STAGE       VERSION  METRICS\nchurn   production  1.3.0    auc=0.7975"))
        let before = try Shell.modelgate(["status", "--ref", "HEAD~1", "--format", "json"], in: registry)
        let object = try JSONSerialization.jsonObject(with: Data(before.stdout.utf8)) as? [String: Any]
        let rows = try #require(object?["assignments"] as? [[String: Any]])
        #expect(rows.first?["stage"] as? String == "staging")
        #expect(rows.first?["version"] as? String == "1.3.0")
        let again = try Shell.modelgate(["init", "registry", "--example"], in: scratch.url)
        #expect(again.status == 2)
    }

    @Test func plainInitInAnExistingRepositoryWritesFilesOnly() throws {
        let fixture = try FixtureRegistry(empty: true)
        let result = try fixture.modelgate("init")
        #expect(result.status == 0)
        #expect(
            FileManager.default.fileExists(
                atPath: fixture.url.appendingPathComponent("policies/production-gate.yaml").path))
        try fixture.commit("registry")
        #expect(try fixture.modelgate("validate").status == 0)
    }
}

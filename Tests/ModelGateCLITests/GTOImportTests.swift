import Foundation
import ModelGateTestSupport
import Testing

/// `modelgate import gto` against repositories the real `gto` package (Tests/Validators/gto.txt) made:
/// registrations, stage assignments, a deregistration and a model file directly under `models/`.
@Suite("modelgate import gto", .serialized)
struct GTOImportTests {
    /// A GTO repository: churn (models/churn.pkl) registered twice, v0.0.1 in prod then v0.0.2 in prod
    /// and staging, v0.0.1 deregistered; demand (a folder) registered once and in prod.
    func gtoRepository() throws -> FixtureRegistry {
        let fixture = try FixtureRegistry(empty: true)
        try fixture.write("models/churn.pkl", "weights one")
        try fixture.write("demand/model/weights.bin", "demand weights")
        try fixture.write("demand/model/MLmodel", "flavors: {}\n")
        try fixture.write(
            "artifacts.yaml",
            """
            churn:
              type: model
              path: models/churn.pkl
              description: Churn classifier
            demand:
              type: model
              path: demand/model
            train-data:
              type: dataset
              path: data.csv

            """)
        try fixture.commit("Annotate the models")
        let bin = try Shell.toolEnvironment("gto")
        func gto(_ arguments: String...) throws {
            let result = try Shell.run([bin.appendingPathComponent("gto").path] + arguments, in: fixture.url)
            #expect(result.status == 0, "gto \(arguments.joined(separator: " ")): \(result.stdout)\(result.stderr)")
        }
        try gto("register", "churn")
        try gto("register", "demand", "--version", "v1.0.0")
        try gto("assign", "churn", "--version", "v0.0.1", "--stage", "prod")
        try fixture.write("models/churn.pkl", "weights two")
        try fixture.commit("Retrain churn")
        try gto("register", "churn")
        try gto("assign", "churn", "--version", "v0.0.2", "--stage", "staging")
        try gto("assign", "churn", "--version", "v0.0.2", "--stage", "prod")
        try gto("assign", "demand", "--version", "v1.0.0", "--stage", "prod")
        try gto("deprecate", "churn", "v0.0.1")
        return fixture
    }

    @Test func turnsTagsIntoManifestsAndStages() throws {
        let fixture = try gtoRepository()
        let unmapped = try fixture.modelgate("import", "gto")
        #expect(unmapped.status == 2)
        #expect(unmapped.stderr.contains("GTO stage 'prod'"))
        #expect(unmapped.stderr.contains("--stage-map prod=STAGE"))
        #expect(try fixture.git("status", "--porcelain").isEmpty, "nothing is written when a stage is unmapped")

        let imported = try fixture.modelgate("import", "gto", "--stage-map", "prod=production")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported 3 versions of churn, demand from GTO"))
        #expect(imported.stderr.contains("churn 0.0.2 holds production and staging in GTO"))
        #expect(try fixture.git("tag", "--list").split(separator: "\n").count == 8, "no tag is touched")

        let validated = try fixture.modelgate("validate", "--worktree")
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
        #expect(validated.stdout.contains("valid: 2 models, 3 versions"))
        let first = try fixture.read("models/churn/versions/0.0.1.yaml")
        let registered = try fixture.git("rev-parse", "churn@v0.0.1^{commit}")
        #expect(first.contains("lineage:\n  commit: \(registered)\n"))
        #expect(first.contains("  uri: artifacts/churn/0.0.1/churn.pkl\n"))
        #expect(first.contains("description: \"Churn classifier\""))
        // The artifact is the path at the tagged commit, not as it is now.
        #expect(try fixture.read("artifacts/churn/0.0.1/churn.pkl") == "weights one")
        #expect(try fixture.read("artifacts/churn/0.0.2/churn.pkl") == "weights two")
        let tagDate = try fixture.git("for-each-ref", "refs/tags/churn@v0.0.2", "--format=%(taggerdate:iso-strict)")
        #expect(
            try fixture.read("models/churn/versions/0.0.2.yaml").contains(
                "created: \(tagDate.replacingOccurrences(of: "+00:00", with: "Z"))"))
        #expect(try fixture.read("models/churn/versions/0.0.2.yaml").contains("  parent: 0.0.1\n"))
        #expect(try fixture.read("models/churn/stages.yaml").hasSuffix("stages:\n  production: 0.0.2\n"))
        #expect(try fixture.read("models/demand/stages.yaml").hasSuffix("stages:\n  production: 1.0.0\n"))
        #expect(!FileManager.default.fileExists(atPath: fixture.url.appendingPathComponent("models/train-data").path))

        // Once committed it is a registry: the artifacts are where the manifests say, with their hashes.
        try fixture.commit("Import the GTO registry")
        let hashes = try fixture.modelgate("show", "churn@0.0.2", "--format", "json")
        #expect(hashes.status == 0, "\(hashes.stderr)")
        let folder = try fixture.modelgate("hash", "artifacts/demand/1.0.0/model")
        #expect(try fixture.read("models/demand/versions/1.0.0.yaml").contains("sha256: \(folder.stdout.prefix(64))"))
        let again = try fixture.modelgate("import", "gto", "--stage-map", "prod=production")
        #expect(again.status == 2)
        #expect(again.stderr.contains("exists: import writes a new registry"))
    }

    @Test func aMapToAStageTheLadderLacksIsRefused() throws {
        let fixture = try gtoRepository()
        let result = try fixture.modelgate("import", "gto", "--stage-map", "prod=prodution")
        #expect(result.status == 2)
        #expect(result.stderr.contains("did you mean 'production'?"))
    }
}

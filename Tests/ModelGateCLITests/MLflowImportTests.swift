import Crypto
import Foundation
import ModelGateKit
import ModelGateTestSupport
import Testing

/// `record --from-mlflow` against tracking stores MLflow 3.17 itself writes (its SQLite database and its
/// legacy file store), every value checked against what MLflow's own client reports for the run.
@Suite("modelgate record --from-mlflow", .serialized)
struct MLflowImportTests {
    /// A store made by MLflow (3.17, the validators'; or the Python given), and its client's view of the run.
    func store(_ kind: String, twoArtifacts: Bool = false, python: String = Shell.python) throws -> (
        ScratchDirectory, [String: Any]
    ) {
        let scratch = ScratchDirectory("modelgate-mlflow")
        let script = Shell.packageRoot.appendingPathComponent("Tests/Validators/mlflow_store.py").path
        let made = try Shell.run(
            [python, script, kind, scratch.path] + (twoArtifacts ? ["--two-artifacts"] : []))
        #expect(made.status == 0, "\(made.stderr)")
        let line = made.stdout.split(separator: "\n").last.map(String.init) ?? ""
        let view = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return (scratch, view)
    }

    @Test(arguments: ["sqlite", "file"])
    func everyValueIsWhatMLflowsClientReports(_ kind: String) throws {
        let (scratch, view) = try store(kind)
        defer { withExtendedLifetime(scratch) {} }
        let uri = try #require(view["uri"] as? String)
        let run = try #require(view["run"] as? String)
        let fixture = try FixtureRegistry()
        let result = try fixture.modelgate(
            "record", "churn@2.0.0", "--from-mlflow", uri, "--run-id", run, "--format", "json")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let reported = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(
            reported["paths"] as? [String] == ["models/churn/versions/2.0.0.yaml", "artifacts/churn/2.0.0/model.pkl"])
        #expect(reported["commit"] is NSNull)
        try fixture.commit("record from MLflow")
        let manifest = try #require(try fixture.load().models["churn"]?.versions["2.0.0"])
        let metrics = try #require(view["metrics"] as? [String: Double])
        #expect(Dictionary(uniqueKeysWithValues: manifest.metrics.map { ($0.key, $0.value.value) }) == metrics)
        #expect(metrics["auc"] == 0.8125 && metrics["loss"] == 0.4, "the latest step's value, as MLflow reports it")
        #expect(reported["metrics"] as? [String: Double] == metrics)
        let params = try #require(view["params"] as? [String: String])
        #expect(
            Dictionary(uniqueKeysWithValues: (manifest.training?.params ?? []).map { ($0.name, $0.value) }) == params)
        #expect(manifest.lineageRun == "mlflow:\(run)")
        let text = try fixture.read("models/churn/versions/2.0.0.yaml")
        #expect(text.contains("  commit: 0123456789abcdef0123456789abcdef01234567\n"))
        #expect(manifest.artifact.uri == "artifacts/churn/2.0.0/model.pkl")
        #expect(manifest.artifact.sha256 == Hex.encode(SHA256.hash(data: Data("the model's weights".utf8))))
        #expect(try fixture.modelgate("validate").status == 0)
    }

    @Test func refusals() throws {
        let (scratch, view) = try store("sqlite", twoArtifacts: true)
        defer { withExtendedLifetime(scratch) {} }
        let uri = try #require(view["uri"] as? String)
        let run = try #require(view["run"] as? String)
        let fixture = try FixtureRegistry()
        let ambiguous = try fixture.modelgate("record", "churn@2.0.0", "--from-mlflow", uri, "--run-id", run)
        #expect(ambiguous.status == 2)
        #expect(
            ambiguous.stderr.contains(
                "the run logged 2 artifacts (model.pkl, notes.txt); name the model's with --artifact PATH"))
        let chosen = try fixture.modelgate(
            "record", "churn@2.0.0", "--from-mlflow", uri, "--run-id", run, "--artifact", "model.pkl")
        #expect(chosen.status == 0, "\(chosen.stderr)")
        let missing = try fixture.modelgate(
            "record", "churn@2.1.0", "--from-mlflow", uri, "--run-id", String(repeating: "a", count: 32))
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("has no run 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"))
        // A store of a schema revision MLflow 3.7 to 3.17 does not write is read by its columns, with a note.
        let database = scratch.url.appendingPathComponent("mlflow.db").path
        let altered = try Shell.run([
            Shell.python, "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE alembic_version SET version_num = 'ffffffffffff'\"); c.commit()",
            database,
        ])
        #expect(altered.status == 0, "\(altered.stderr)")
        let unknown = try fixture.modelgate(
            "record", "churn@2.1.0", "--from-mlflow", uri, "--run-id", run, "--artifact", "model.pkl")
        #expect(unknown.status == 0, "\(unknown.stdout)\(unknown.stderr)")
        #expect(
            unknown.stderr.contains("note: ")
                && unknown.stderr.contains(
                    "has schema revision 'ffffffffffff', not one MLflow 3.7 to 3.17 writes; it was read by the tables"),
            "\(unknown.stderr)")
    }

    /// A run whose row points its artifacts outside the store, or whose artifact is a link, imports nothing.
    @Test func theStoreConfinesTheArtifacts() throws {
        let (scratch, view) = try store("sqlite")
        defer { withExtendedLifetime(scratch) {} }
        let uri = try #require(view["uri"] as? String)
        let run = try #require(view["run"] as? String)
        let fixture = try FixtureRegistry()
        let database = scratch.url.appendingPathComponent("mlflow.db").path
        func pointArtifacts(at root: String) throws {
            let altered = try Shell.run([
                Shell.python, "-c",
                "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('UPDATE runs SET artifact_uri = ? WHERE run_uuid = ?', (sys.argv[2], sys.argv[3])); c.commit()",
                database, root, run,
            ])
            #expect(altered.status == 0, "\(altered.stderr)")
        }
        // The row names /etc.
        let original = try #require(
            try Shell.run([
                Shell.python, "-c",
                "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT artifact_uri FROM runs WHERE run_uuid = ?', (sys.argv[2],)).fetchone()[0])",
                database, run,
            ]).stdout.split(separator: "\n").first.map(String.init))
        try pointArtifacts(at: "file:///etc")
        let outside = try fixture.modelgate(
            "record", "churn@2.0.0", "--from-mlflow", uri, "--run-id", run, "--artifact", "shadow")
        #expect(outside.status == 2, "\(outside.stderr)")
        #expect(outside.stderr.contains("is outside the store's folder"), "\(outside.stderr)")
        // A folder of the store that is a link to /etc.
        let linked = scratch.url.appendingPathComponent("elsewhere")
        try FileManager.default.createSymbolicLink(atPath: linked.path, withDestinationPath: "/etc")
        try pointArtifacts(at: "file://" + linked.path)
        let throughLink = try fixture.modelgate(
            "record", "churn@2.0.0", "--from-mlflow", uri, "--run-id", run, "--artifact", "hostname")
        #expect(throughLink.status == 2, "\(throughLink.stderr)")
        #expect(throughLink.stderr.contains("is a symbolic link"), "\(throughLink.stderr)")
        // The artifact itself a link to a file outside.
        try pointArtifacts(at: original)
        let root = URL(fileURLWithPath: original.hasPrefix("file://") ? String(original.dropFirst(7)) : original)
        try FileManager.default.removeItem(at: root.appendingPathComponent("model.pkl"))
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("model.pkl").path, withDestinationPath: "/etc/hostname")
        let linkedFile = try fixture.modelgate(
            "record", "churn@2.0.0", "--from-mlflow", uri, "--run-id", run, "--artifact", "model.pkl")
        #expect(linkedFile.status == 2, "\(linkedFile.stderr)")
        #expect(try fixture.git("status", "--porcelain", "--untracked-files=all").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fixture.url.appendingPathComponent("artifacts").path))
    }

    /// MLflow 3's usual way: `log_model(…, registered_model_name=…)`, then a name and version or an alias;
    /// with stores MLflow 3.18, 3.17 and 3.7 wrote (3.18's schema revision is newer than those modelgate
    /// knows by name: it is read by its tables and columns, with a note).
    @Test(arguments: ["3.18", "3.17", "3.7"])
    func aRegisteredModelByVersionOrAlias(_ mlflow: String) throws {
        let python =
            mlflow == "3.17"
            ? Shell.python : try Shell.toolEnvironment("mlflow-\(mlflow)").appendingPathComponent("python3").path
        let (scratch, view) = try store("logged-model", python: python)
        defer { withExtendedLifetime(scratch) {} }
        let uri = try #require(view["uri"] as? String)
        #expect(uri == "sqlite:///mlflow.db", "relative to the working directory, as MLflow's docs write it")
        let versions = try #require(view["versions"] as? [String: String])
        let fixture = try FixtureRegistry()
        try fixture.write("data/churn.csv", "x,y\n1,0\n")
        try fixture.commit("the training data")
        // Run where the store is, as a user who ran MLflow there would; the registry is named with --repo.
        let byAlias = try Shell.modelgate(
            [
                "record", "churn@2.0.0", "--from-mlflow", uri, "--model", "models:/churn@champion", "--data",
                "data/churn.csv", "--repo", fixture.path,
            ], in: scratch.url)
        #expect(byAlias.status == 0, "\(byAlias.stdout)\(byAlias.stderr)")
        #expect(
            byAlias.stderr.contains("not one MLflow 3.7 to 3.17 writes; it was read by the tables and columns")
                == (mlflow == "3.18"), "\(byAlias.stderr)")
        try fixture.commit("record from MLflow")
        let manifest = try #require(try fixture.load().models["churn"]?.versions["2.0.0"])
        #expect(manifest.lineageRun == "mlflow:\(try #require(view["run"] as? String))")
        #expect(manifest.metrics["auc"]?.value == 0.9)
        #expect(manifest.training?.params.map(\.value) == ["1.0"])
        #expect(manifest.artifact.uri == "artifacts/churn/2.0.0/model")
        #expect(manifest.artifact.size == nil)
        // The model's folder, MLmodel included, hashed as `modelgate hash` hashes a folder.
        let folder = fixture.url.appendingPathComponent("artifacts/churn/2.0.0/model")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("MLmodel").path))
        let hashed = try fixture.modelgate("hash", try #require(versions["1"]))
        #expect(hashed.stdout.hasPrefix(try #require(manifest.artifact.sha256)))
        let data = try #require(manifest.training?.data.first)
        #expect(data.path == "data/churn.csv")
        #expect(data.sha256 == Hex.encode(SHA256.hash(data: Data("x,y\n1,0\n".utf8))))
        #expect(try fixture.modelgate("validate").status == 0)

        let byVersion = try Shell.modelgate(
            ["record", "churn@2.1.0", "--from-mlflow", uri, "--model", "models:/churn/2", "--repo", fixture.path],
            in: scratch.url)
        #expect(byVersion.status == 0, "\(byVersion.stderr)")
        #expect(try fixture.read("models/churn/versions/2.1.0.yaml").contains("  auc: 0.8\n"))
        let unknownAlias = try Shell.modelgate(
            ["record", "churn@2.2.0", "--from-mlflow", uri, "--model", "models:/churn@best", "--repo", fixture.path],
            in: scratch.url)
        #expect(unknownAlias.status == 2)
        #expect(unknownAlias.stderr.contains("has no alias 'best'; its aliases are champion"))
        let unknownVersion = try Shell.modelgate(
            ["record", "churn@2.2.0", "--from-mlflow", uri, "--model", "models:/churn/7", "--repo", fixture.path],
            in: scratch.url)
        #expect(unknownVersion.status == 2)
        #expect(unknownVersion.stderr.contains("has no version 7; it has 1, 2"))
        // sqlite:/// is relative: from elsewhere the same URI names another file.
        let elsewhere = try fixture.modelgate(
            "record", "churn@2.2.0", "--from-mlflow", uri, "--model", "models:/churn/1")
        #expect(elsewhere.status == 2)
        #expect(elsewhere.stderr.contains("no MLflow database at \(fixture.url.standardizedFileURL.path)/mlflow.db"))
        #expect(try fixture.modelgate("record", "churn@2.2.0", "--from-mlflow", uri, "--model", "churn").status == 2)

        // --commit commits the model's folder, file by file, and leaves nothing untracked.
        let committed = try Shell.modelgate(
            [
                "record", "churn@2.2.0", "--from-mlflow", uri, "--model", "models:/churn/1", "--commit",
                "--repo", fixture.path,
            ], in: scratch.url)
        #expect(committed.status == 0, "\(committed.stderr)")
        #expect(
            try fixture.git(
                "status", "--porcelain", "--untracked-files=all", "--", "artifacts/churn/2.2.0",
                "models/churn/versions/2.2.0.yaml"
            ).isEmpty)
        #expect(
            try fixture.git("ls-files", "artifacts/churn/2.2.0/model").contains("artifacts/churn/2.2.0/model/MLmodel"))
    }

    /// A store is read by the tables and columns the import uses: one that lacks a column is refused naming it.
    @Test func aStoreWithoutAColumnTheImportReadsIsNamed() throws {
        let (scratch, view) = try store("logged-model")
        defer { withExtendedLifetime(scratch) {} }
        let uri = try #require(view["uri"] as? String)
        let database = scratch.url.appendingPathComponent("mlflow.db").path
        let altered = try Shell.run([
            Shell.python, "-c",
            "import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute('ALTER TABLE model_versions DROP COLUMN storage_location'); db.commit()",
            database,
        ])
        #expect(altered.status == 0, "\(altered.stderr)")
        let fixture = try FixtureRegistry()
        let refused = try Shell.modelgate(
            ["record", "churn@2.0.0", "--from-mlflow", uri, "--model", "models:/churn/1", "--repo", fixture.path],
            in: scratch.url)
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains("has no model_versions.storage_location, which the import reads"),
            "\(refused.stderr)")
        #expect(try fixture.git("status", "--porcelain", "--untracked-files=all").isEmpty)
    }
}

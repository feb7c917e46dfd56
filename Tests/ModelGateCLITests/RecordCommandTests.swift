import Foundation
import ModelGateTestSupport
import Testing

/// `modelgate record` end to end on the example registry: a new version trained in the sandbox, recorded,
/// committed, and reproduced by `repro`.
@Suite("modelgate record", .serialized)
struct RecordCommandTests {
    /// The example registry, and the PATH that finds the Python with its training packages.
    func example() throws -> (ScratchDirectory, URL, [String: String]) {
        let scratch = ScratchDirectory()
        #expect(try Shell.modelgate(["init", "registry", "--example", "--quiet"], in: scratch.url).status == 0)
        let python = URL(fileURLWithPath: Shell.python).deletingLastPathComponent().path
        let path = python + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return (scratch, scratch.url.appendingPathComponent("registry"), ["PATH": path])
    }

    @Test func aRecordedVersionValidatesAndReproduces() throws {
        let (scratch, registry, environment) = try example()
        defer { withExtendedLifetime(scratch) {} }
        let recorded = try Shell.modelgate(
            ["record", "churn@1.4.0", "--like", "1.3.0", "--param", "C=0.5", "--commit"], in: registry,
            environment: environment)
        #expect(recorded.status == 0, "\(recorded.stdout)\(recorded.stderr)")
        #expect(
            recorded.stdout.contains("training churn@1.4.0 with python3 train.py --model logreg --C 0.5 --buckets 1"))
        let manifest = try String(
            contentsOf: registry.appendingPathComponent("models/churn/versions/1.4.0.yaml"), encoding: .utf8)
        #expect(manifest.contains("  command: [python3, train.py, --model, logreg, --C, \"0.5\", --buckets, \"1\"]\n"))
        #expect(manifest.contains("  params: {model: logreg, C: 0.5, buckets: 1}\n"))
        #expect(manifest.contains("slices:\n  region=apac: {auc: "))
        #expect(manifest.contains("lineage:\n  parent: 1.3.0\n"))
        // One commit with the manifest, the artifact and the data profile; index and working tree match it.
        #expect(try Shell.git(["log", "-1", "--format=%s"], in: registry) == "Record churn 1.4.0")
        let files = try Shell.git(["show", "--name-only", "--format=", "HEAD"], in: registry)
        #expect(files == "artifacts/churn/1.4.0/model.pkl\nmodels/churn/versions/1.4.0.yaml\nprofiles/churn/1.4.0.json")
        // The profile is the training data's, as `profile` computes it: the drift rule compares it.
        let profile = try Shell.modelgate(["profile", "data/churn.csv", "--out", "-"], in: registry).stdout
        let recordedProfile =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: registry.appendingPathComponent("profiles/churn/1.4.0.json"))) as? [String: Any]
        let expectedProfile = try JSONSerialization.jsonObject(with: Data(profile.utf8)) as? NSDictionary
        #expect((recordedProfile?["data"] as? [String: Any])?["data/churn.csv"] as? NSDictionary == expectedProfile)
        #expect(try Shell.git(["status", "--porcelain"], in: registry).isEmpty)
        #expect(try Shell.modelgate(["validate"], in: registry).status == 0)
        let reproduced = try Shell.modelgate(["repro", "churn@1.4.0"], in: registry, environment: environment)
        #expect(reproduced.status == 0, "\(reproduced.stdout)\(reproduced.stderr)")
        #expect(reproduced.stdout.contains("verdict: reproduced\n"))
        // A version is recorded once.
        let again = try Shell.modelgate(
            ["record", "churn@1.4.0", "--like", "1.3.0"], in: registry, environment: environment)
        #expect(again.status == 2)
        #expect(again.stderr.contains("already has a manifest"))
    }

    @Test func defaultsFromModelYamlAndABranch() throws {
        let (scratch, registry, environment) = try example()
        defer { withExtendedLifetime(scratch) {} }
        let recorded = try Shell.modelgate(
            ["record", "demand@2.1.0", "--seed", "8", "--commit", "--branch", "record-demand"], in: registry,
            environment: environment)
        #expect(recorded.status == 0, "\(recorded.stdout)\(recorded.stderr)")
        #expect(recorded.stdout.contains("committed "))
        #expect(try Shell.git(["log", "-1", "--format=%s", "record-demand"], in: registry) == "Record demand 2.1.0")
        // HEAD follows the new branch, as `git switch -c` would: the next command sees the version.
        #expect(try Shell.git(["rev-parse", "--abbrev-ref", "HEAD"], in: registry) == "record-demand")
        #expect(try Shell.git(["status", "--porcelain"], in: registry).isEmpty)
        let manifest = try Shell.git(["show", "record-demand:models/demand/versions/2.1.0.yaml"], in: registry)
        #expect(manifest.contains("  seed: 8\n"))
        #expect(manifest.contains("  target: units\n"), "copied from model.yaml")
        // demand has no serving.inputs: record proposes the training data's columns, the target left out.
        #expect(
            recorded.stderr.contains(
                """
                  serving:
                    inputs:
                      - {name: week, type: double}
                      - {name: price, type: double}
                      - {name: promo, type: double}
                      - {name: temperature, type: double}

                """), "\(recorded.stderr)")
        #expect(!recorded.stderr.contains("name: units"))
        #expect(manifest.hasSuffix("lineage:\n  parent: 1.1.0"), "the holder of the highest rung but archived")
        #expect(try Shell.modelgate(["show", "demand@2.1.0"], in: registry).status == 0)
        let typo = try Shell.modelgate(
            ["promote", "demand@2.1.0", "--to", "stagng", "--branch", "promote-demand"], in: registry)
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("unknown stage 'stagng'; did you mean 'staging'?"), "\(typo.stderr)")
        // From main, an unknown version names the branch that has it.
        _ = try Shell.git(["switch", "-q", "main"], in: registry)
        let elsewhere = try Shell.modelgate(["show", "demand@2.1.0"], in: registry)
        #expect(elsewhere.status == 2)
        #expect(
            elsewhere.stderr.contains(
                "it is recorded on branch 'record-demand': switch to it first (git switch record-demand)"),
            "\(elsewhere.stderr)")
    }

    @Test func aParameterTheCommandHasNoPlaceForIsRefused() throws {
        let (scratch, registry, environment) = try example()
        defer { withExtendedLifetime(scratch) {} }
        let refused = try Shell.modelgate(
            ["record", "churn@1.4.0", "--like", "1.3.0", "--param", "alpha=0.1"], in: registry,
            environment: environment)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("has no {alpha} and no --alpha"), "\(refused.stderr)")
        #expect(refused.stderr.contains("it takes --model, --C, --buckets"), "\(refused.stderr)")
        #expect(
            !FileManager.default.fileExists(
                atPath: registry.appendingPathComponent("models/churn/versions/1.4.0.yaml").path))
    }

    @Test func uncommittedTrainingCodeIsRefused() throws {
        let (scratch, registry, environment) = try example()
        defer { withExtendedLifetime(scratch) {} }
        let script = registry.appendingPathComponent("training/churn/train.py")
        try (try String(contentsOf: script, encoding: .utf8) + "# tuned by hand\n").write(
            to: script, atomically: true, encoding: .utf8)
        let dirty = try Shell.modelgate(
            ["record", "churn@1.4.0", "--like", "1.3.0"], in: registry, environment: environment)
        #expect(dirty.status == 2)
        #expect(dirty.stderr.contains("what the training reads has uncommitted changes (training/churn/train.py)"))
        _ = try Shell.git(["checkout", "--", "training/churn/train.py"], in: registry)
        // The data and lockfile are the closure too: an edit not committed would not be the source's.
        let data = registry.appendingPathComponent("data/churn.csv")
        try (try String(contentsOf: data, encoding: .utf8) + "\n").write(to: data, atomically: true, encoding: .utf8)
        let dirtyData = try Shell.modelgate(
            ["record", "churn@1.4.0", "--like", "1.3.0"], in: registry, environment: environment)
        #expect(dirtyData.status == 2)
        #expect(dirtyData.stderr.contains("(data/churn.csv)"), "\(dirtyData.stderr)")
        _ = try Shell.git(["checkout", "--", "data/churn.csv"], in: registry)
        try Data("x".utf8).write(to: registry.appendingPathComponent("training/churn/notes.txt"))
        let untracked = try Shell.modelgate(
            ["record", "churn@1.4.0", "--like", "1.3.0"], in: registry, environment: environment)
        #expect(untracked.status == 2)
        #expect(untracked.stderr.contains("training/churn/notes.txt"))
        // Ignored files (training outputs) do not count.
        try FileManager.default.removeItem(at: registry.appendingPathComponent("training/churn/notes.txt"))
        try FileManager.default.createDirectory(
            at: registry.appendingPathComponent("training/churn/out"), withIntermediateDirectories: true)
        try Data("old".utf8).write(to: registry.appendingPathComponent("training/churn/out/model.pkl"))
        let ignored = try Shell.modelgate(
            ["record", "churn@1.4.0", "--like", "1.3.0", "--quiet"], in: registry, environment: environment)
        #expect(ignored.status == 0, "\(ignored.stderr)")
        // The new version names the commit it was trained from, not the source of the version it is like.
        let head = try Shell.git(["rev-parse", "HEAD"], in: registry)
        let manifest = try String(
            contentsOf: registry.appendingPathComponent("models/churn/versions/1.4.0.yaml"), encoding: .utf8)
        #expect(manifest.contains("  source: \(head)\n"), "\(manifest)")
        #expect(try !Shell.modelgate(["record", "churn@9.0.0", "--like", "0.9.0"], in: registry).stderr.isEmpty)
    }
}

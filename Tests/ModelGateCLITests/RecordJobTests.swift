import Foundation
import ModelGateKit
import ModelGateTestSupport
import Testing

/// `record --emit job`: a new version trained as a Kubernetes Job, whose last step pushes it on a branch;
/// checked without a cluster, as `repro --emit job` is: the manifests against the API's schemas, and the
/// three steps run in bubblewrap with each container's mounts, environment and command as the Job says.
@Suite("record as a Kubernetes Job", .serialized)
struct RecordJobTests {
    /// A value that starts as an option does: the steps must read it as the description still.
    static let description = "--description=-n: C halved"
    static let emit = [
        "record", "toy@1.1.0", "--like", "1.0.0", "--seed", "7", description, "--base", "main", "--emit", "job",
    ]

    @Test func theJobIsValidAndMountsNoKey() throws {
        let secrets = ScratchDirectory()
        let fixture = try JobEmulation.registry(
            key: secrets.url.appendingPathComponent("ci.key"), host: secrets.url.appendingPathComponent("host.git"))
        let folder = secrets.url.appendingPathComponent("job")
        let arguments =
            Self.emit + ["--out", folder.path, "--image", "ghcr.io/acme/train@sha256:\(JobEmulation.digest)"]
        let emitted = try Shell.modelgate(arguments, in: fixture.url)
        #expect(emitted.status == 0, "\(emitted.stdout)\(emitted.stderr)")
        #expect(emitted.stdout.contains("record-toy-1-1-0-"), "\(emitted.stdout)")
        try JobEmulation.expectValid(folder, versions: ["1.29.0", "1.37.0"])
        try JobEmulation.expectCheckovPasses(folder)
        let job = try JobEmulation.json(folder.appendingPathComponent("job.json"))
        let steps = try JobEmulation.containers(job)
        #expect(steps.map { $0["name"] as? String } == ["fetch", "train", "record"])
        let volumes = try #require(
            ((((job["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])?["volumes"]
                as? [[String: Any]]))
        #expect(volumes.allSatisfy { $0["secret"] == nil }, "a recording Job mounts no key")
        // The training takes the settings of 1.0.0 with the seed given; the steps read the same request again.
        let train = steps[1]
        #expect(train["command"] as? [String] == ["python3", "train.py"])
        #expect(
            (train["env"] as? [[String: Any]] ?? []).contains {
                $0["name"] as? String == "MODELGATE_SEED" && $0["value"] as? String == "7"
            })
        for step in [steps[0], steps[2]] {
            let command = step["command"] as? [String] ?? []
            #expect(command.suffix(3) == ["--like=1.0.0", "--seed=7", Self.description], "\(command)")
        }
        #expect((steps[2]["command"] as? [String] ?? []).contains("record-toy-1.1.0"))
        // The same request and commits give the same bytes.
        let first = try Data(contentsOf: folder.appendingPathComponent("job.json"))
        #expect(try Shell.modelgate(arguments, in: fixture.url).status == 0)
        #expect(try Data(contentsOf: folder.appendingPathComponent("job.json")) == first)
    }

    @Test func theStepsInBubblewrapPushTheVersionThatRecordWouldWrite() throws {
        let secrets = ScratchDirectory()
        let host = secrets.url.appendingPathComponent("host.git")
        let fixture = try JobEmulation.registry(key: secrets.url.appendingPathComponent("ci.key"), host: host)
        let emitted = try Shell.modelgate(
            Self.emit + ["--out", secrets.url.appendingPathComponent("job").path], in: fixture.url)
        #expect(emitted.status == 0, "\(emitted.stdout)\(emitted.stderr)")
        let steps = try JobEmulation.containers(
            try JobEmulation.json(secrets.url.appendingPathComponent("job/job.json")))
        let volumes = try JobEmulation.volumes(
            ["scratch", "handoff", "tmp", "train-tmp", "train-home"], under: secrets.url)
        try JobEmulation.fetchAndTrain(steps, volumes: volumes, host: host)
        // The record step pushes to the Git host.
        let record = try JobEmulation.modelgateStep(
            steps[2], volumes: volumes, extra: ["--bind", host.path, host.path])
        #expect(record.status == 0, "record: \(record.stdout)\(record.stderr)")
        #expect(record.stdout.contains("\"kind\":\"modelgate.dev/recording/v1\""), "\(record.stdout)")

        // The pushed branch holds what `record` writes on this machine, but for when and in what.
        _ = try fixture.git("fetch", "-q", host.path, "record-toy-1.1.0:record-toy-1.1.0")
        let pushed = try fixture.git("show", "record-toy-1.1.0:models/toy/versions/1.1.0.yaml")
        let local = try fixture.modelgate("record", "toy@1.1.0", "--like", "1.0.0", "--seed", "7", Self.description)
        #expect(local.status == 0, "\(local.stdout)\(local.stderr)")
        func kept(_ manifest: String) -> [String] {
            manifest.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.hasPrefix("created:") && !$0.hasPrefix("facts:") && !$0.hasPrefix("signature:")
            }
        }
        #expect(pushed.contains("-n: C halved"), "\(pushed)")
        let written = try fixture.read("models/toy/versions/1.1.0.yaml")
        #expect(kept(pushed) == kept(written), "\(pushed)\n\(written)")
        #expect(
            try fixture.git("show", "record-toy-1.1.0:artifacts/toy/1.1.0/model.bin")
                == (try fixture.read("artifacts/toy/1.1.0/model.bin")).trimmingCharacters(in: .newlines))
        _ = try fixture.git("checkout", "-q", "--", ".")
        _ = try fixture.git("clean", "-qfd")
        // The branch is a version the registry takes, and that reproduces.
        #expect(try fixture.modelgate("validate", "--ref", "record-toy-1.1.0").status == 0)
        let repro = try fixture.modelgate("repro", "toy@1.1.0", "--ref", "record-toy-1.1.0")
        #expect(repro.status == 0, "\(repro.stdout)\(repro.stderr)")
    }

    @Test func dataGitDoesNotHoldIsDownloadedCheckedAndProfiled() throws {
        let secrets = ScratchDirectory()
        let text = "a,b\n1,2\n3,4\n"
        let (server, uri, certificate, _) = try JobEmulation.serveBigCSV(text, scratch: secrets.url)
        defer { server.terminate() }
        let host = secrets.url.appendingPathComponent("host.git")
        let fixture = try JobEmulation.registry(
            key: secrets.url.appendingPathComponent("ci.key"), host: host,
            downloaded: (text, uri))
        let folder = secrets.url.appendingPathComponent("job")
        let emitted = try Shell.modelgate(Self.emit + ["--out", folder.path], in: fixture.url)
        #expect(emitted.status == 0, "\(emitted.stdout)\(emitted.stderr)")
        let steps = try JobEmulation.containers(try JobEmulation.json(folder.appendingPathComponent("job.json")))
        #expect(steps.map { $0["name"] as? String } == ["download", "fetch", "train", "record"])
        let volumes = try JobEmulation.volumes(
            ["download", "scratch", "handoff", "tmp", "train-tmp", "train-home"], under: secrets.url)
        let download = try JobEmulation.downloadStep(steps[0], volumes: volumes, certificate: certificate)
        #expect(download.status == 0, "download: \(download.stdout)\(download.stderr)")
        try JobEmulation.fetchAndTrain(Array(steps.dropFirst()), volumes: volumes, host: host)
        let record = try JobEmulation.modelgateStep(
            steps[3], volumes: volumes, extra: ["--bind", host.path, host.path])
        #expect(record.status == 0, "record: \(record.stdout)\(record.stderr)")

        // The manifest records the downloaded file with its uri and hash, and its profile covers it: what
        // `record` writes here from the working tree's copy.
        _ = try fixture.git("fetch", "-q", host.path, "record-toy-1.1.0:record-toy-1.1.0")
        let pushed = try fixture.git("show", "record-toy-1.1.0:models/toy/versions/1.1.0.yaml")
        #expect(pushed.contains("{path: data/big.csv, sha256: "), "\(pushed)")
        let profile = try fixture.git("show", "record-toy-1.1.0:profiles/toy/1.1.0.json")
        #expect(profile.contains("data/big.csv"), "\(profile)")
        let local = try fixture.modelgate("record", "toy@1.1.0", "--like", "1.0.0", "--seed", "7", Self.description)
        #expect(local.status == 0, "\(local.stdout)\(local.stderr)")
        #expect(try fixture.read("profiles/toy/1.1.0.json") == profile + "\n")
    }

    @Test func whatAJobCannotRecordIsRefusedBeforeAnythingIsWritten() throws {
        let secrets = ScratchDirectory()
        let fixture = try JobEmulation.registry(
            key: secrets.url.appendingPathComponent("ci.key"), host: secrets.url.appendingPathComponent("host.git"))
        let folder = secrets.url.appendingPathComponent("job").path
        // A version that exists, options of a local recording, and no trusted ref.
        #expect(
            try fixture.modelgate("record", "toy@1.0.0", "--base", "main", "--emit", "job", "--out", folder).status == 2
        )
        #expect(try Shell.modelgate(Self.emit + ["--out", folder, "--commit"], in: fixture.url).status == 2)
        let badSeed = Self.emit.map { $0 == "7" ? "4294967296" : $0 }
        #expect(try Shell.modelgate(badSeed + ["--out", folder], in: fixture.url).status == 2)
        #expect(try Shell.modelgate(Self.emit + ["--out", folder, "--run-id", "abc"], in: fixture.url).status == 2)
        // --out naming a folder that holds other files: refused, and the folder left as it was (the same
        // request writes into a fresh folder).
        let other = secrets.url.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("keep me\n".utf8).write(to: other.appendingPathComponent("todo.txt"))
        let kept = try Shell.modelgate(Self.emit + ["--out", other.path], in: fixture.url)
        #expect(kept.status == 2, "\(kept.stdout)\(kept.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: other.path) == ["todo.txt"])
        #expect(
            try Shell.modelgate(
                Self.emit + ["--out", secrets.url.appendingPathComponent("fresh").path], in: fixture.url
            ).status == 0)
        #expect(
            try fixture.modelgate("record", "toy@1.1.0", "--like", "1.0.0", "--emit", "job", "--out", folder).status
                == 2)
        // Data the repository does not hold: a cluster has no working tree to take it from.
        try fixture.write(
            "models/toy/model.yaml",
            try fixture.read("models/toy/model.yaml").replacingOccurrences(
                of: "data/toy.csv", with: "data/untracked.csv"))
        try fixture.write("data/untracked.csv", "x,y\n3,4\n")
        _ = try fixture.git("add", "models/toy/model.yaml")
        _ = try fixture.git("commit", "-qm", "Train toy on untracked data")
        let untracked = try fixture.modelgate("record", "toy@1.1.0", "--base", "main", "--emit", "job", "--out", folder)
        #expect(untracked.status == 2)
        #expect(untracked.stderr.contains("a Job trains on data in Git only"), "\(untracked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder))
    }
}

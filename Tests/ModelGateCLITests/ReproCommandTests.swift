import Crypto
import Foundation
import ModelGateKit
import ModelGateTestSupport
import Testing

/// `modelgate env` and `repro` end to end: real retraining in a sandbox, on fixture registries with a small
/// pure-Python trainer (and on the example's scikit-learn models).
@Suite("modelgate env and repro", .serialized)
struct ReproCommandTests {
    static let trainer = """
        import hashlib, json, os, random, socket, sys, time
        mode = sys.argv[1]
        root = os.environ["MODELGATE_REPO"]
        data = open(os.path.join(root, "data", "toy.csv"), "rb").read()
        seed = int(os.environ["MODELGATE_SEED"])
        score = 0.5 + int(hashlib.sha256(data).hexdigest()[:6], 16) % 1000 / 10000
        weights = random.Random(seed).random()
        if mode == "noisy":
            jitter = random.SystemRandom().uniform(-1e-5, 1e-5)
            score += jitter
            weights += jitter
        if mode == "sleep":
            open("started", "w").write(sys.argv[2])
            time.sleep(120)
        if mode == "flood":
            sys.stdout.write("x" * 200000 + "\\n")
            for i in range(2000):
                sys.stdout.write(f"\\r{i:05d}")
            sys.stdout.write("\\n")
            sys.stdout.flush()
        if mode in ("fifo", "link"):
            os.makedirs("out", exist_ok=True)
            os.mkfifo("out/model.bin") if mode == "fifo" else os.symlink("/dev/zero", "out/model.bin")
            json.dump({"score": 0, "connected": 0}, open("out/metrics.json", "w"))
            sys.exit(0)
        if mode == "hostile":
            home, repo, port, sock, marker = sys.argv[2].split("|")
            findings = [f"env:{key}" for key in ("GITHUB_TOKEN", "SSH_AUTH_SOCK") if key in os.environ]
            for path in (home + "/.ssh/id_rsa", home + "/.gitconfig", repo + "/models/toy/stages.yaml"):
                try:
                    open(path).read()
                    findings.append("read:" + path)
                except OSError:
                    pass
            for path in (repo + "/pwned", repo + "/.git/hooks/post-checkout", home + "/pwned", "/usr/pwned"):
                try:
                    open(path, "w").write("x")
                    findings.append("write:" + path)
                except OSError:
                    pass
            try:
                socket.create_connection(("127.0.0.1", int(port)), timeout=2).close()
                findings.append("loopback")
            except OSError:
                pass
            try:
                unix = socket.socket(socket.AF_UNIX)
                unix.settimeout(2)
                unix.connect(sock)
                findings.append("unix-socket")
            except OSError:
                pass
            if marker != "none" and os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(300)", marker])
                os._exit(0)
            print("findings:", ",".join(findings) or "none", flush=True)
        connected = 0
        if mode == "network":
            try:
                socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=2).close()
                connected = 1
            except OSError:
                pass
        print("training on", len(data), "bytes", flush=True)
        os.makedirs("out", exist_ok=True)
        open("out/model.bin", "w").write(f"weights={weights!r} tz={os.environ['TZ']} threads={os.environ['OMP_NUM_THREADS']}\\n")
        json.dump({"score": score, "connected": connected}, open("out/metrics.json", "w"))

        """

    /// A registry whose `toy` model was trained by `trainer` in `mode`: its manifest records the true outputs.
    func fixture(mode: String, extraArgument: String? = nil, probes: String = "", trackedData: Bool = false) throws
        -> FixtureRegistry
    {
        let fixture = try FixtureRegistry(empty: true)
        try fixture.write(
            "modelgate.yaml", FixtureRegistry.settings + (probes.isEmpty ? "" : "environment:\n  probes:\n\(probes)"))
        try fixture.write(
            "models/toy/model.yaml", FixtureRegistry.model.replacingOccurrences(of: "name: churn", with: "name: toy"))
        try fixture.write("training/toy/train.py", Self.trainer)
        try fixture.write("data/toy.csv", "x,y\n1,2\n3,4\n")
        if !trackedData { try fixture.write(".gitignore", "data/\n") }
        // Train once, as a data scientist would, to record the truth.
        let work = fixture.url.appendingPathComponent("training/toy")
        var arguments = [mode]
        if let extraArgument { arguments.append(extraArgument) }
        // The truth is what the deterministic mode gives (no noise, no sleep, no network).
        let run = try Shell.run(
            ["python3", "train.py", "exact"], in: work,
            environment: [
                "MODELGATE_REPO": fixture.path, "MODELGATE_SEED": "3", "TZ": "UTC", "OMP_NUM_THREADS": "1",
            ])
        #expect(run.status == 0, "\(run.stderr)")
        let metrics =
            try JSONSerialization.jsonObject(with: Data(contentsOf: work.appendingPathComponent("out/metrics.json")))
            as? [String: Double]
        func sha(_ url: URL) throws -> String { Hex.encode(SHA256.hash(data: try Data(contentsOf: url))) }
        let artifact = try sha(work.appendingPathComponent("out/model.bin"))
        try FileManager.default.removeItem(at: work.appendingPathComponent("out"))
        let command = (["python3", "train.py"] + arguments).map { "\"\($0)\"" }.joined(separator: ", ")
        try fixture.write(
            "models/toy/versions/1.0.0.yaml",
            """
            apiVersion: modelgate/v1
            kind: ModelVersion
            model: toy
            version: 1.0.0
            created: 2026-11-20T10:00:00Z
            artifact: {uri: artifacts/toy.bin, sha256: \(artifact)}
            metrics: {score: \(metrics?["score"] ?? -1), connected: \(metrics?["connected"] ?? -1)}
            training:
              command: [\(command)]
              workdir: training/toy
              seed: 3
              data:
                - {path: data/toy.csv, sha256: \(try sha(fixture.url.appendingPathComponent("data/toy.csv")))}
              outputs: {model: out/model.bin, metrics: out/metrics.json}
              environment:
                facts: {flavour: then}

            """)
        try fixture.write("models/toy/stages.yaml", FixtureRegistry.stages(["production": "1.0.0"], model: "toy"))
        try fixture.write(
            "policies/production-gate.yaml",
            """
            apiVersion: modelgate/v1
            kind: Policy
            name: production-gate
            appliesTo: {stages: [production]}
            rules:
              - require: reproducible

            """)
        try fixture.commit("toy model")
        return fixture
    }

    @Test func envPrintsFactsAndARecomputableSignature() throws {
        let fixture = try fixture(
            mode: "exact",
            probes:
                "    flavour: python3 -c \"print('now')\"\n    broken: /no/such/program\n"
                + "    listed: [python3, -c, \"print('as a list')\"]\n")
        try fixture.write("training/toy/requirements.lock", "numpy==2.4.6\n")
        let lockfileSHA = Hex.encode(SHA256.hash(data: Data("numpy==2.4.6\n".utf8)))
        let result = try fixture.modelgate("env", "--format", "json", "--lockfile", "training/toy/requirements.lock")
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let facts = try #require(object["facts"] as? [String: String])
        #expect(facts["os"] == "linux")
        #expect(facts["flavour"] == "now")
        #expect(facts["listed"] == "as a list")
        #expect(facts["broken"]?.hasPrefix("error: ") == true)
        #expect(facts["libc"]?.hasPrefix("glibc-") == true)
        #expect(facts["lockfile"] == nil, "the lockfile is printed beside the facts, as manifests record it")
        #expect(
            object["lockfile"] as? [String: String] == [
                "path": "training/toy/requirements.lock", "sha256": lockfileSHA,
            ])
        var signed = facts
        signed["lockfile"] = lockfileSHA
        let lines = signed.keys.sorted().map { "\($0)=\(signed[$0]!)\n" }.joined()
        let signature = "sha256:" + Hex.encode(SHA256.hash(data: Data(lines.utf8)))
        #expect(object["signature"] as? String == signature)
        // --format yaml prints exactly the training.environment block of a manifest.
        let yaml = try fixture.modelgate("env", "--format", "yaml", "--lockfile", "training/toy/requirements.lock")
        #expect(yaml.stdout.hasPrefix("environment:\n  facts: {"))
        #expect(yaml.stdout.contains("\n  lockfile: {path: training/toy/requirements.lock, sha256: \(lockfileSHA)}\n"))
        #expect(yaml.stdout.contains("  signature: \(signature)\n# lockfile format: requirements (by file name:"))
        let block = try #require(yaml.stdout.split(separator: "\n").last)
        #expect(
            block.hasSuffix(
                "the signature hashes its bytes as they are, and bundles install its packages for the image"))
        #expect(try fixture.modelgate("env", "--json").status == 2, "--json is gone in favour of --format json")
    }

    @Test func exactReproductionRecordsASignedAttestationTheGateAccepts() throws {
        let fixture = try fixture(mode: "exact")
        // The CI key: the private half outside the repository, the public half committed and trusted.
        let secrets = ScratchDirectory()
        let key = secrets.url.appendingPathComponent("ci-repro.key")
        let keygen = try fixture.modelgate("keygen", "--out", key.path)
        #expect(keygen.status == 0, "\(keygen.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: key.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try fixture.modelgate("keygen", "--out", key.path).status == 2, "never replaces a key")
        try fixture.write(
            "keys/ci-repro.pub", try String(contentsOf: URL(fileURLWithPath: key.path + ".pub"), encoding: .utf8))
        try fixture.write(
            "modelgate.yaml",
            FixtureRegistry.settings
                + "trust:\n  attestors:\n    - {name: ci-repro, publicKeyFile: keys/ci-repro.pub}\n")
        try fixture.commit("trust the CI key")
        #expect(try fixture.modelgate("check").status == 1, "no attestation yet")

        // Unsigned: well-formed, bound, and still refused.
        #expect(try fixture.modelgate("repro", "toy@1.0.0", "--record").status == 0)
        try fixture.commit("unsigned attestation")
        let unsigned = try fixture.modelgate("check")
        #expect(unsigned.status == 1)
        #expect(unsigned.stdout.contains("is an unsigned statement"))

        // Signing names the trusted ref whose sandbox settings the run uses; without it nothing runs.
        let unbased = try fixture.modelgate("repro", "toy@1.0.0", "--record", "--sign", key.path)
        #expect(unbased.status == 2)
        #expect(unbased.stderr.contains("signing needs --base REF"))
        #expect(!unbased.stdout.contains("training on"))
        let result = try fixture.modelgate("repro", "toy@1.0.0", "--base", "main", "--record", "--sign", key.path)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("data ✔ data/toy.csv (working tree)"))
        #expect(result.stdout.contains("s]  training on 12 bytes"))
        #expect(result.stdout.contains("verdict: reproduced\n"))
        #expect(result.stdout.contains("recorded attestations/toy/1.0.0.json (signed, keyid "))
        let file = fixture.url.appendingPathComponent("attestations/toy/1.0.0.json")
        let envelope = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        #expect(envelope["payloadType"] as? String == "application/vnd.in-toto+json")
        let payload = try #require(Data(base64Encoded: envelope["payload"] as? String ?? ""))
        let statement = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
        #expect(statement["_type"] as? String == "https://in-toto.io/Statement/v1")
        let predicate = try #require(statement["predicate"] as? [String: Any])
        #expect(predicate["verdict"] as? String == "reproduced")
        #expect(predicate["sandbox"] as? Bool == true)
        #expect(
            (predicate["manifest"] as? [String: String])?["blob"]
                == (try fixture.git("rev-parse", "HEAD:models/toy/versions/1.0.0.yaml")))
        #expect(
            (predicate["training"] as? [String: String])?["tree"] == (try fixture.git("rev-parse", "HEAD:training/toy"))
        )
        // An independent DSSE implementation accepts modelgate's envelope with the public key.
        let verified = try Shell.dsseInterop(["verify", file.path, key.path + ".pub"])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        try fixture.commit("signed attestation")
        let accepted = try fixture.modelgate("check")
        #expect(accepted.status == 0, "\(accepted.stdout)")
        #expect(accepted.stdout.contains("attestation signed by ci-repro says reproduced"))

        // And modelgate accepts an envelope that implementation signed, once its key is trusted.
        let statementFile = secrets.url.appendingPathComponent("statement.json")
        try payload.write(to: statementFile)
        let signed = try Shell.dsseInterop([
            "sign", statementFile.path, file.path, fixture.url.appendingPathComponent("keys/other.pub").path,
        ])
        #expect(signed.status == 0, "\(signed.stderr)")
        try fixture.commit("attestation signed elsewhere")
        #expect(try fixture.modelgate("check").stdout.contains("signed by an unknown key"))
        try fixture.write(
            "modelgate.yaml",
            try fixture.read("modelgate.yaml") + "    - {name: other, publicKeyFile: keys/other.pub}\n")
        try fixture.commit("trust the other key")
        let foreign = try fixture.modelgate("check")
        #expect(foreign.status == 0, "\(foreign.stdout)")
        #expect(foreign.stdout.contains("attestation signed by other says reproduced"))

        // MODELGATE_SIGNING_KEY signs as --sign does.
        let pem = try String(contentsOf: key, encoding: .utf8)
        let environmentUnbased = try fixture.modelgate(
            "repro", "toy@1.0.0", "--record", environment: ["MODELGATE_SIGNING_KEY": pem])
        #expect(environmentUnbased.status == 2)
        let viaEnvironment = try fixture.modelgate(
            "repro", "toy@1.0.0", "--base", "main", "--record", environment: ["MODELGATE_SIGNING_KEY": pem])
        #expect(viaEnvironment.stdout.contains("(signed, keyid "))
        try fixture.commit("re-attest")
        #expect(try fixture.modelgate("check").status == 0)
        // An edit of the training code voids the attestation; so does an edit of the manifest.
        try fixture.write("training/toy/train.py", Self.trainer + "# edited\n")
        try fixture.commit("edit trainer")
        let voidedByCode = try fixture.modelgate("check")
        #expect(voidedByCode.status == 1)
        #expect(voidedByCode.stdout.contains("the training code changed since"))
        try fixture.write("training/toy/train.py", Self.trainer)
        try fixture.write(
            "models/toy/versions/1.0.0.yaml",
            try fixture.read("models/toy/versions/1.0.0.yaml") + "description: edited\n")
        try fixture.commit("edit")
        let voided = try fixture.modelgate("check")
        #expect(voided.status == 1)
        #expect(voided.stdout.contains("the manifest changed since"))
        // No sandbox: refused by the gate however well signed.
        #expect(
            try fixture.modelgate(
                "repro", "toy@1.0.0", "--base", "main", "--record", "--sign", key.path, "--no-sandbox"
            ).status == 0)
        try fixture.commit("no sandbox")
        #expect(try fixture.modelgate("check").stdout.contains("made without the sandbox"))
    }

    @Test func tamperedDataIsNamedAndNothingRuns() throws {
        let fixture = try fixture(mode: "exact")
        try fixture.write("data/toy.csv", "x,y\n1,2\n3,5\n")
        let result = try fixture.modelgate("repro", "toy@1.0.0")
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("data ✘ data/toy.csv"))
        #expect(result.stdout.contains("  - data data/toy.csv has sha256 "))
        #expect(!result.stdout.contains("running"))
    }

    @Test func jsonPrintsTheStatementAndACommandThatCannotStartExitsThree() throws {
        let fixture = try fixture(mode: "exact")
        let json = try fixture.modelgate("repro", "toy@1.0.0", "--format", "json")
        #expect(json.status == 0, "\(json.stderr)")
        let statement = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(statement["predicateType"] as? String == "urn:modelgate:repro:v1")
        #expect((statement["predicate"] as? [String: Any])?["verdict"] as? String == "reproduced")

        let manifest = try fixture.read("models/toy/versions/1.0.0.yaml")
        try fixture.write(
            "models/toy/versions/1.0.0.yaml",
            manifest.replacingOccurrences(of: "[\"python3\", ", with: "[\"no-such-trainer\", "))
        try fixture.commit("a trainer that is not installed")
        for sandbox in [[], ["--no-sandbox"]] {
            let missing = try Shell.modelgate(["repro", "toy@1.0.0"] + sandbox, in: fixture.url)
            #expect(missing.status == 3, "\(sandbox): \(missing.stdout)\(missing.stderr)")
            #expect(missing.stderr.contains("cannot start no-such-trainer"), "\(sandbox)")
        }
    }

    @Test func untrackedDataLinkedOutOfTheRepositoryIsRefused() throws {
        let fixture = try fixture(mode: "exact")
        // The same bytes, outside the repository: the hash would match, the link is still refused.
        let outside = ScratchDirectory()
        let target = outside.url.appendingPathComponent("toy.csv")
        try FileManager.default.copyItem(at: fixture.url.appendingPathComponent("data/toy.csv"), to: target)
        try fixture.remove("data/toy.csv")
        try FileManager.default.createSymbolicLink(
            atPath: fixture.url.appendingPathComponent("data/toy.csv").path, withDestinationPath: target.path)
        let result = try fixture.modelgate("repro", "toy@1.0.0")
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("data/toy.csv"))
        #expect(result.stderr.contains("symbolic link"))
        #expect(!result.stdout.contains("running"))
    }

    @Test func noisyTrainerPassesOnlyWithATolerance() throws {
        let fixture = try fixture(mode: "noisy")
        let strict = try fixture.modelgate("repro", "toy@1.0.0")
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("metric ✘ score"))
        let tolerant = try fixture.modelgate("repro", "toy@1.0.0", "--tolerance", "score=0.001")
        #expect(tolerant.status == 0, "\(tolerant.stdout)")
        #expect(tolerant.stdout.contains("verdict: reproduced-within-tolerance"))
        let relative = try fixture.modelgate("repro", "toy@1.0.0", "--tolerance", "score=1%")
        #expect(relative.status == 0)
        #expect(try fixture.modelgate("repro", "toy@1.0.0", "--tolerance", "score=much").status == 2)
    }

    @Test func differingEnvironmentFactsAreNamed() throws {
        let fixture = try fixture(mode: "exact", probes: "    flavour: python3 -c \"print('now')\"\n")
        let result = try fixture.modelgate("repro", "toy@1.0.0")
        #expect(result.status == 0)
        #expect(result.stdout.contains("environment: flavour differs: recorded then, now now"))
    }

    @Test func theSandboxHasNoNetworkNotEvenTheHostsLoopback() throws {
        let listener = try LoopbackListener()
        let fixture = try fixture(mode: "network", extraArgument: String(listener.port))
        let sandboxed = try fixture.modelgate("repro", "toy@1.0.0")
        #expect(sandboxed.status == 0, "the trainer must fail to connect: \(sandboxed.stdout)")
        #expect(listener.acceptedConnections() == 0)
        let open = try fixture.modelgate("repro", "toy@1.0.0", "--no-sandbox")
        #expect(open.status == 1, "without the sandbox the same trainer reaches the host")
        #expect(open.stdout.contains("metric ✘ connected"))
        #expect(listener.acceptedConnections() == 1)
    }

    @Test func timeoutKillsEveryProcessOfTheTraining() throws {
        let marker = "modelgate-test-\(UUID().uuidString)"
        let fixture = try fixture(mode: "sleep", extraArgument: marker)
        let result = try fixture.modelgate("repro", "toy@1.0.0", "--timeout", "2")
        #expect(result.status == 1)
        #expect(result.stdout.contains("ran past --timeout 2s and was killed"))
        #expect(Processes.matching(marker).isEmpty, "the trainer must be dead")
    }

    @Test func interruptLeavesNoScratchTree() throws {
        let scratch = ScratchDirectory()
        let temporary = scratch.url.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let marker = "modelgate-test-\(UUID().uuidString)"
        let fixture = try fixture(mode: "sleep", extraArgument: marker)
        let process = Process()
        process.executableURL = Shell.modelgateBinary
        process.arguments = ["repro", "toy@1.0.0", "--quiet"]
        process.currentDirectoryURL = fixture.url
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary.path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        func started() -> Bool {
            let trees = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
            return trees.contains {
                FileManager.default.fileExists(atPath: temporary.path + "/\($0)/training/toy/started")
            }
        }
        // The trainer sleeps until it is killed: wait for it however long a busy machine takes to start it.
        while !started(), process.isRunning { usleep(50_000) }
        #expect(started(), "the scratch tree exists while training")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)
        #expect(Processes.matching(marker).isEmpty)
    }

    @Test func theExampleReproducesBitForBit() throws {
        let scratch = ScratchDirectory()
        #expect(try Shell.modelgate(["init", "registry", "--example", "--quiet"], in: scratch.url).status == 0)
        let python = URL(fileURLWithPath: Shell.python).deletingLastPathComponent().path
        let path = python + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        for version in ["churn@1.3.0", "demand@1.1.0"] {
            let result = try Shell.modelgate(
                ["repro", version], in: scratch.url.appendingPathComponent("registry"), environment: ["PATH": path])
            #expect(result.status == 0, "\(version): \(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("artifact ✔ identical"))
            #expect(result.stdout.contains("verdict: reproduced\n"))
        }
    }

    @Test func folderHashesMatchTheShellRecipe() throws {
        let scratch = ScratchDirectory()
        let folder = scratch.url.appendingPathComponent("data")
        // Names whose order differs between sorting whole paths and sorting each folder ("a b.txt" and
        // "a.txt" sort around "a/…"), a hidden file, an empty one, sizes around the 1 MiB read buffer, and
        // enough files in nested folders for every worker to take some.
        var files: [(String, Data)] = [
            ("b.csv", Data("2".utf8)), ("a/z.txt", Data("z".utf8)), ("a/B.txt", Data("B".utf8)),
            ("é.txt", Data("accent".utf8)), ("a b.txt", Data("space".utf8)), ("a.txt", Data("dot".utf8)),
            (".hidden", Data("h".utf8)), ("empty", Data()),
        ]
        for size in [FileHasher.bufferSize - 1, FileHasher.bufferSize, FileHasher.bufferSize + 1, 3 << 20] {
            files.append(("sizes/\(size).bin", Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })))
        }
        for index in 0..<300 { files.append(("many/\(index % 7)/\(index).txt", Data("\(index)".utf8))) }
        for (path, data) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        #expect(mkfifo(folder.appendingPathComponent("many/a-fifo").path, 0o600) == 0)
        let recipe = try Shell.run(
            [
                "sh", "-c",
                "cd data && find . -type f | sed 's|^\\./||' | LC_ALL=C sort | xargs -d '\\n' sha256sum | sha256sum",
            ],
            in: scratch.url)
        let hasher = FileHasher()
        #expect(try hasher.hash(at: folder.path) == String(recipe.stdout.prefix(64)))
        let file = try Shell.run(["sha256sum", "data/b.csv"], in: scratch.url)
        #expect(try hasher.hash(at: folder.appendingPathComponent("b.csv").path) == String(file.stdout.prefix(64)))

        let printed = try Shell.modelgate(["hash", "data/b.csv", "data"], in: scratch.url)
        #expect(printed.status == 0)
        #expect(printed.stdout == file.stdout + recipe.stdout.prefix(64) + "  data\n")
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("many/3/link").path, withDestinationPath: "/etc/passwd")
        let refused = try Shell.modelgate(["hash", "data"], in: scratch.url)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("many/3/link in data is a symbolic link"))
        #expect(try Shell.modelgate(["hash", "missing.csv"], in: scratch.url).status == 2)
    }
}

/// A TCP listener on the host's loopback that counts the connections it is offered.
final class LoopbackListener {
    let descriptor: Int32
    let port: UInt16
    private var accepted = 0

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else { throw FixtureError("cannot listen on loopback") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    deinit { close(descriptor) }

    /// Accepts whatever is waiting and returns the total so far.
    func acceptedConnections() -> Int {
        accepted += acceptWaiting(descriptor)
        return accepted
    }
}

/// Accepts every connection waiting on a non-blocking listening socket; returns how many there were.
func acceptWaiting(_ descriptor: Int32) -> Int {
    var count = 0
    while true {
        let connection = accept(descriptor, nil, nil)
        guard connection >= 0 else { return count }
        close(connection)
        count += 1
    }
}

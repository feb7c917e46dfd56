import Foundation
import ModelGateKit
import ModelGateTestSupport
import Testing

/// What the tests of the training Jobs share: a registry whose toy model trains in a second and whose Git
/// host is a bare clone on disk, and each of a Job's containers run in bubblewrap as the Job describes it.
enum JobEmulation {
    static let digest = String(repeating: "ab", count: 32)

    /// A training that says what it can see of the other steps, and writes the same bytes whatever it saw.
    static let trainer = """
        import json, os
        seen = [p for p in ("/modelgate/key/signing.pem", "/modelgate/key", "/modelgate/handoff")
                if os.path.exists(p)]
        print("sees:" + (",".join(seen) or "nothing"), "key-variable:" + str("MODELGATE_SIGNING_KEY" in os.environ), flush=True)
        print("data:" + ",".join(sorted(os.listdir("../../data"))), flush=True)
        os.makedirs("out", exist_ok=True)
        open("out/model.bin", "w").write("weights\\n")
        json.dump({"score": 0.5}, open("out/metrics.json", "w"))

        """

    /// A registry whose `toy@1.0.0` is recorded with a hash-locked lockfile, on main, with job settings
    /// whose Git host is `host` (a bare clone the tests fill). With `downloaded`, the toy also trains on
    /// `data/big.csv`, which Git does not hold: it is in the working tree, and a Job downloads it from `uri`.
    static func registry(key: URL, host: URL, downloaded: (text: String, uri: String)? = nil) throws
        -> FixtureRegistry
    {
        let fixture = try FixtureRegistry(empty: true)
        #expect(try fixture.modelgate("keygen", "--out", key.path).status == 0)
        try fixture.write(
            "modelgate.yaml",
            FixtureRegistry.settings + """
                trust:
                  attestors:
                    - {name: ci, publicKeyFile: keys/ci.pub}
                job:
                  repository: \(host.path)
                  egress: [140.82.112.0/20]
                  image: ghcr.io/acme/modelgate@sha256:\(Self.digest)
                  namespace: ml-repro

                """
                + (downloaded == nil ? "" : "  downloadImage: docker.io/curlimages/curl@sha256:\(Self.digest)\n"))
        try fixture.write("keys/ci.pub", try String(contentsOfFile: key.path + ".pub", encoding: .utf8))
        try fixture.writeTrainableModel(
            "toy", trainer: trainer, data: ("toy.csv", "x,y\n1,2\n"), artifact: "model.bin")
        try fixture.write(
            "models/toy/model.yaml",
            try fixture.read("models/toy/model.yaml")
                + "  lockfile: training/toy/requirements.lock\n  resources: {cpu: \"2\", memory: 4Gi, gpu: 1}\n")
        if let downloaded {
            try fixture.write(".gitignore", "data/big.csv\n")
            try fixture.write("data/big.csv", downloaded.text)
            try fixture.write(
                "models/toy/model.yaml",
                try fixture.read("models/toy/model.yaml").replacingOccurrences(
                    of: "data: [{path: data/toy.csv}]",
                    with: "data: [{path: data/toy.csv}, {path: data/big.csv, uri: \"\(downloaded.uri)\"}]"))
        }
        try fixture.write(
            "training/toy/requirements.lock",
            "six==1.17.0 \\\n    --hash=sha256:\(String(repeating: "4f", count: 32))\n")
        try fixture.commit("A toy model")
        let recorded = try fixture.modelgate("record", "toy@1.0.0", "--commit")
        #expect(recorded.status == 0, "\(recorded.stdout)\(recorded.stderr)")
        _ = try Shell.run(["git", "clone", "-q", "--bare", fixture.path, host.path])
        return fixture
    }

    /// kubernetes-validate, strict, over the Job's manifests in `folder` against each of `versions`.
    static func expectValid(
        _ folder: URL, files: [String] = ["job.json", "networkpolicy.json"], versions: [String]
    ) throws {
        let bin = URL(fileURLWithPath: Shell.python).deletingLastPathComponent()
        for version in versions {
            let valid = try Shell.run(
                [bin.appendingPathComponent("kubernetes-validate").path, "--strict", "-k", version]
                    + files.map { folder.appendingPathComponent($0).path })
            #expect(valid.status == 0, "kubernetes-validate \(version): \(valid.stdout)\(valid.stderr)")
        }
    }

    /// checkov over the Job's folder: no failed check.
    static func expectCheckovPasses(_ folder: URL) throws {
        let bin = URL(fileURLWithPath: Shell.python).deletingLastPathComponent()
        let checkov = try Shell.run(
            [
                bin.appendingPathComponent("checkov").path, "-d", folder.path, "--framework", "kubernetes",
                "--skip-download", "--quiet", "--compact",
            ], environment: ["BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE"])
        #expect(checkov.stdout.contains("Failed checks: 0"), "checkov: \(checkov.stdout)\(checkov.stderr)")
    }

    static func json(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// bubblewrap around one container of the Job: the system read-only, its volumes bound where it mounts
    /// them (from `volumes`, host folders by name), its environment alone, no network.
    static func contained(
        _ container: [String: Any], volumes: [String: URL], extra: [String] = [], path: String = "/usr/bin:/bin"
    ) throws -> ProcessResult {
        var arguments = [
            "bwrap", "--unshare-all", "--die-with-parent", "--clearenv", "--ro-bind", "/usr", "/usr", "--ro-bind",
            "/etc", "/etc", "--ro-bind", "/opt", "/opt", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64",
            "/lib64", "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev",
        ]
        for mount in container["volumeMounts"] as? [[String: Any]] ?? [] {
            let name = try #require(mount["name"] as? String)
            let target = try #require(mount["mountPath"] as? String)
            let host = try #require(volumes[name], "a folder for volume \(name)")
            arguments += [(mount["readOnly"] as? Bool == true) ? "--ro-bind" : "--bind", host.path, target]
        }
        arguments += extra
        // Under `make test-asan`, the sanitizer's settings and suppressions reach modelgate in the steps too
        // (the harness's, not the Job's: the Job's own environment is set below, alone).
        for name in ["ASAN_OPTIONS", "LSAN_OPTIONS"] {
            guard let value = ProcessInfo.processInfo.environment[name] else { continue }
            arguments += ["--setenv", name, value]
        }
        let tests = Shell.packageRoot.appendingPathComponent("Tests").path
        arguments += ["--ro-bind", tests, tests]
        var sawPath = false
        for variable in container["env"] as? [[String: Any]] ?? [] {
            let name = try #require(variable["name"] as? String)
            sawPath = sawPath || name == "PATH"
            arguments += [
                "--setenv", name,
                name == "PATH" ? path + ":" + (variable["value"] as? String ?? "") : variable["value"] as? String ?? "",
            ]
        }
        if !sawPath { arguments += ["--setenv", "PATH", path] }
        arguments += ["--chdir", container["workingDir"] as? String ?? "/", "--"]
        return try Shell.run(arguments + (container["command"] as? [String] ?? []))
    }

    /// The pod's containers, in the order they run.
    static func containers(_ job: [String: Any]) throws -> [[String: Any]] {
        let spec = try #require(
            ((job["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        return (spec["initContainers"] as? [[String: Any]] ?? []) + (spec["containers"] as? [[String: Any]] ?? [])
    }

    /// An empty host folder for each volume of `names`, under `folder`.
    static func volumes(_ names: [String], under folder: URL) throws -> [String: URL] {
        var volumes: [String: URL] = [:]
        for name in names {
            let volume = folder.appendingPathComponent("volume-\(name)")
            try FileManager.default.createDirectory(at: volume, withIntermediateDirectories: true)
            volumes[name] = volume
        }
        return volumes
    }

    /// The first two steps, `fetch` (modelgate's image: the built binary; the Git host: the bare clone
    /// `host`, the one other path it sees) and `train`, which must see nothing of the other steps.
    static func fetchAndTrain(_ containers: [[String: Any]], volumes: [String: URL], host: URL) throws {
        let fetch = try modelgateStep(containers[0], volumes: volumes, extra: ["--ro-bind", host.path, host.path])
        #expect(fetch.status == 0, "fetch: \(fetch.stdout)\(fetch.stderr)")
        let train = try contained(containers[1], volumes: volumes)
        #expect(train.status == 0, "train: \(train.stdout)\(train.stderr)")
        #expect(train.stdout.contains("sees:nothing key-variable:False"), "\(train.stdout)")
    }

    /// A step of modelgate's image: the built binary on `PATH`.
    static func modelgateStep(_ container: [String: Any], volumes: [String: URL], extra: [String] = []) throws
        -> ProcessResult
    {
        try contained(
            container, volumes: volumes,
            extra: ["--ro-bind", Shell.modelgateBinary.deletingLastPathComponent().path, "/modelgate/bin"] + extra,
            path: "/modelgate/bin:/usr/bin")
    }

    /// The download step: curl, with this machine's network and the test's certificate authority (a
    /// cluster's hosts have real certificates).
    static func downloadStep(_ container: [String: Any], volumes: [String: URL], certificate: URL) throws
        -> ProcessResult
    {
        try contained(
            container, volumes: volumes,
            extra: [
                "--share-net", "--ro-bind", certificate.path, certificate.path, "--setenv", "CURL_CA_BUNDLE",
                certificate.path,
            ])
    }

    /// `text` served as `big.csv` over HTTPS (see `serve(_:scratch:)`): the server, the file's URI, the
    /// certificate, and the served file (to change what the URI answers).
    static func serveBigCSV(_ text: String, scratch: URL) throws -> (
        server: Process, uri: String, certificate: URL, file: URL
    ) {
        let served = scratch.appendingPathComponent("served")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        let file = served.appendingPathComponent("big.csv")
        try Data(text.utf8).write(to: file)
        let (server, port, certificate) = try serve(served, scratch: scratch)
        return (server, "https://127.0.0.1:\(port)/big.csv", certificate, file)
    }

    /// An HTTPS server of `folder` on the loopback interface, with a certificate made for it (in `scratch`):
    /// the other side of a download step. Stop it with `terminate()`.
    static func serve(_ folder: URL, scratch: URL) throws -> (server: Process, port: Int, certificate: URL) {
        let certificate = scratch.appendingPathComponent("server.pem")
        let key = scratch.appendingPathComponent("server.key")
        let made = try Shell.run([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.path, "-out", certificate.path,
        ])
        #expect(made.status == 0, "openssl: \(made.stderr)")
        let portFile = scratch.appendingPathComponent("port")
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = [
            "-c",
            """
            import functools, http.server, os, ssl, sys
            root, certificate, key, port = sys.argv[1:5]
            handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)
            http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(certificate, key)
            server.socket = context.wrap_socket(server.socket, server_side=True)
            open(port + ".new", "w").write(str(server.server_address[1]))
            os.rename(port + ".new", port)
            server.serve_forever()
            """,
            folder.path, certificate.path, key.path, portFile.path,
        ]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        // The port, once the server listens (it writes the file then); a server that has not started within a
        // minute, however loaded the machine, fails the test when the file does not appear.
        for _ in 0..<1200 where !FileManager.default.fileExists(atPath: portFile.path) {
            usleep(50_000)
        }
        let port = Int((try? String(contentsOf: portFile, encoding: .utf8)) ?? "") ?? 0
        #expect(port > 0, "the HTTPS server did not start")
        return (server, port, certificate)
    }
}

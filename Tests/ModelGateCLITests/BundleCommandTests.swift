import Crypto
import Foundation
import ModelGateSupport
import ModelGateTestSupport
import Testing

/// `modelgate bundle` end to end on the example registry (whose commit ids are fixed, so bundles are too).
@Suite("modelgate bundle")
struct BundleCommandTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let servingPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("serving/modelgate_serve")
    static let digest = "ghcr.io/acme/churn@sha256:" + String(repeating: "2d", count: 32)

    func example() throws -> ScratchDirectory {
        let scratch = ScratchDirectory("modelgate-bundle")
        let result = try Shell.modelgate(["init", "registry", "--example", "--quiet"], in: scratch.url)
        #expect(result.status == 0)
        return scratch
    }

    @Test(arguments: ["kubernetes", "kserve", "compose"])
    func matchesGoldenBundle(_ target: String) throws {
        let scratch = try example()
        let registry = scratch.url.appendingPathComponent("registry")
        let out = scratch.url.appendingPathComponent("out")
        let result = try Shell.modelgate(
            ["bundle", "churn", "--stage", "production", "--target", target, "--out", out.path], in: registry)
        #expect(result.status == 0, "\(result.stderr)")
        var written = try files(in: out)
        let artifact = try #require(written["model/artifact"])
        written["model/artifact"] = nil
        #expect(artifact == (try Data(contentsOf: registry.appendingPathComponent("artifacts/churn/1.3.0/model.pkl"))))
        // The server is the repository's serving/modelgate_serve, byte for byte; the goldens hold what is
        // rendered for the version.
        let server = try files(in: Self.servingPackage).filter { !$0.key.contains("__pycache__") }
        #expect(!server.isEmpty)
        for (path, data) in server {
            #expect(written.removeValue(forKey: "modelgate_serve/\(path)") == data, "modelgate_serve/\(path)")
        }
        #expect(!written.keys.contains { $0.hasPrefix("modelgate_serve/") })
        // bundle.json lists them with their sha256; the golden keeps the other lines.
        var kept: [Substring] = []
        var listed: [String: String] = [:]
        for line in String(decoding: written["bundle.json"] ?? Data(), as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "\"")
            if parts.count >= 4, parts[1].hasPrefix("modelgate_serve/") {
                listed[String(parts[1].dropFirst("modelgate_serve/".count))] = String(parts[3])
            } else {
                kept.append(line)
            }
        }
        #expect(listed == server.mapValues { Hex.encode(SHA256.hash(data: $0)) })
        written["bundle.json"] = Data((kept.joined(separator: "\n") + "\n").utf8)
        let golden = Self.golden.appendingPathComponent("bundle-\(target)")
        if ProcessInfo.processInfo.environment["MODELGATE_RECORD_GOLDEN"] == "1" {
            try? FileManager.default.removeItem(at: golden)
            for (path, data) in written {
                let url = golden.appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            Issue.record(
                "recorded \(golden.lastPathComponent): review the diff, then run again without MODELGATE_RECORD_GOLDEN")
        }
        let expected = try files(in: golden)
        #expect(Set(written.keys) == Set(expected.keys))
        for (path, data) in expected {
            #expect(written[path] == data, "\(target)/\(path) differs from the golden file")
        }
    }

    @Test func sameCommitSameBytesAndDriftCheck() throws {
        let scratch = try example()
        let registry = scratch.url.appendingPathComponent("registry")
        let first = scratch.url.appendingPathComponent("first")
        let second = scratch.url.appendingPathComponent("second")
        #expect(try Shell.modelgate(["bundle", "churn@1.3.0", "--out", first.path], in: registry).status == 0)
        #expect(
            try Shell.modelgate(["bundle", "churn", "--stage", "production", "--out", second.path], in: registry).status
                == 0)
        #expect(try files(in: first) == (try files(in: second)))
        let clean = try Shell.modelgate(["bundle", "churn@1.3.0", "--check", first.path], in: registry)
        #expect(clean.status == 0)
        try Data("FROM evil\n".utf8).write(to: first.appendingPathComponent("Dockerfile"))
        try Data().write(to: first.appendingPathComponent("extra.txt"))
        try FileManager.default.removeItem(at: first.appendingPathComponent("serve.py"))
        let drift = try Shell.modelgate(["bundle", "churn@1.3.0", "--check", first.path], in: registry)
        #expect(drift.status == 1)
        #expect(drift.stdout == "changed: Dockerfile\nunexpected: extra.txt\nmissing: serve.py\n")
    }

    @Test func existingOutputIsRefusedUnlessOverwritten() throws {
        let scratch = try example()
        let registry = scratch.url.appendingPathComponent("registry")
        let out = scratch.url.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: out.appendingPathComponent("precious"))
        let refused = try Shell.modelgate(["bundle", "churn@1.3.0", "--out", out.path], in: registry)
        #expect(refused.status == 2)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("precious").path))
        // Not an earlier bundle: --force-overwrite refuses it too.
        let notABundle = try Shell.modelgate(
            ["bundle", "churn@1.3.0", "--out", out.path, "--force-overwrite"], in: registry)
        #expect(notABundle.status == 2)
        #expect(
            notABundle.stderr.contains("it holds no bundle.json listing its files; only an earlier bundle is replaced"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("precious").path))
        try FileManager.default.removeItem(at: out)
        #expect(try Shell.modelgate(["bundle", "churn@1.3.0", "--out", out.path], in: registry).status == 0)
        // A file the bundle does not list is someone's: the folder is kept whole.
        try Data("stale".utf8).write(to: out.appendingPathComponent("stale"))
        let overwrite = ["bundle", "churn@1.3.0", "--out", out.path, "--force-overwrite"]
        #expect(try Shell.modelgate(overwrite, in: registry).status == 2)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("stale").path))
        try FileManager.default.removeItem(at: out.appendingPathComponent("stale"))
        try Data("edited by hand".utf8).write(to: out.appendingPathComponent("Dockerfile"))
        #expect(try Shell.modelgate(overwrite, in: registry).status == 0, "a bundle edited by hand is replaced")
        #expect(try String(contentsOf: out.appendingPathComponent("Dockerfile"), encoding: .utf8) != "edited by hand")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "no temporary folder is left behind: \(leftovers)")
    }

    @Test func unapprovedVersionIsRefusedUnlessForced() throws {
        let scratch = try example()
        let registry = scratch.url.appendingPathComponent("registry")
        let out = scratch.url.appendingPathComponent("out")
        let refused = try Shell.modelgate(
            ["bundle", "demand@2.0.0", "--stage", "production", "--out", out.path], in: registry)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("✘ fail   demand-quality/rmse-no-worse"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let forced = try Shell.modelgate(
            ["bundle", "demand@2.0.0", "--stage", "production", "--out", out.path, "--force"], in: registry)
        #expect(forced.status == 0)
        #expect(forced.stderr.contains("bundled with --force"))
        let manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("bundle.json")))
            as? [String: Any]
        #expect(manifest?["force"] as? Bool == true)
        #expect(
            try String(contentsOf: out.appendingPathComponent("Dockerfile"), encoding: .utf8).contains(
                "dev.modelgate.forced=\"true\""))
        #expect(
            try Shell.modelgate(["bundle", "churn@1.2.0", "--out", out.path], in: registry).status == 2,
            "1.2.0 holds no stage")
    }

    @Test func forceOverwriteReplacesOnlyAnEarlierBundle() throws {
        let scratch = try example()
        let registry = scratch.url.appendingPathComponent("registry")
        func bundle(_ out: String) throws -> ProcessResult {
            try Shell.modelgate(
                ["bundle", "churn", "--stage", "production", "--out", out, "--force-overwrite"], in: registry)
        }
        let head = try Shell.git(["rev-parse", "HEAD"], in: registry)
        for out in [".", "models", scratch.path, "/"] {
            let refused = try bundle(out)
            #expect(refused.status == 2, "\(out): \(refused.stderr)")
            #expect(refused.stderr.contains("--force-overwrite refuses"), "\(out)")
        }
        #expect(FileManager.default.fileExists(atPath: registry.appendingPathComponent(".git/HEAD").path))
        #expect(try Shell.git(["rev-parse", "HEAD"], in: registry) == head)
        #expect(try Shell.git(["status", "--porcelain"], in: registry).isEmpty)
        let file = scratch.url.appendingPathComponent("a-file")
        try Data("keep me".utf8).write(to: file)
        #expect(try bundle(file.path).stderr.contains("it is not a folder"))
        let link = scratch.url.appendingPathComponent("a-link")
        try FileManager.default.createSymbolicLink(
            atPath: link.path, withDestinationPath: registry.appendingPathComponent("models").path)
        #expect(try bundle(link.path).stderr.contains("it is not a folder"))
        #expect(try String(contentsOf: file, encoding: .utf8) == "keep me")
        let out = scratch.url.appendingPathComponent("out").path
        #expect(try bundle(out).status == 0)
        #expect(try bundle(out).status == 0, "an earlier bundle is replaced")
        // A folder that only says it is a bundle, or a bundle with a file of the user's added, is kept.
        let mine = scratch.url.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: mine.appendingPathComponent("bundle.json"))
        try Data("my notes".utf8).write(to: mine.appendingPathComponent("notes.txt"))
        let pretending = try bundle(mine.path)
        #expect(pretending.status == 2)
        #expect(pretending.stderr.contains("it holds no bundle.json listing its files"), "\(pretending.stderr)")
        try Data("my notes".utf8).write(to: URL(fileURLWithPath: out).appendingPathComponent("notes.txt"))
        let added = try bundle(out)
        #expect(added.status == 2)
        #expect(added.stderr.contains("bundle.json does not list notes.txt"), "\(added.stderr)")
        #expect(FileManager.default.fileExists(atPath: mine.appendingPathComponent("notes.txt").path))
    }

    @Test func artifactIsVerifiedAndMustStayInTheRepository() throws {
        let fixture = try FixtureRegistry()
        try fixture.write(
            "models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.0.0", "staging": "1.1.0"]))
        try fixture.write(
            "policies/staging-gate.yaml",
            FixtureRegistry.productionPolicy
                .replacingOccurrences(of: "production-gate", with: "staging-gate").replacingOccurrences(
                    of: "stages: [production]", with: "stages: [staging]"))
        try fixture.commit("govern staging")
        let out = fixture.url.appendingPathComponent("out").path
        let missing = try fixture.modelgate("bundle", "churn@1.1.0", "--out", out)
        #expect(missing.status == 2)
        #expect(
            missing.stderr.contains(
                "artifact artifacts/churn-1.1.0.bin is neither in Git at this ref nor in the working tree"))
        try fixture.write("artifacts/churn-1.1.0.bin", "not the artifact")
        let mismatch = try fixture.modelgate("bundle", "churn@1.1.0", "--out", out)
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.contains("has sha256 "))
        #expect(
            mismatch.stderr.hasPrefix("models/churn/versions/1.1.0.yaml:7:3: error: artifact artifacts/churn-1.1.0.bin")
        )
        try fixture.remove("artifacts/churn-1.1.0.bin")
        try FileManager.default.createSymbolicLink(
            atPath: fixture.url.appendingPathComponent("artifacts/churn-1.1.0.bin").path,
            withDestinationPath: "/etc/passwd")
        let escaped = try fixture.modelgate("bundle", "churn@1.1.0", "--out", out)
        #expect(escaped.status == 2)
        #expect(escaped.stderr.contains("is a symbolic link out of the repository"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func registryTemplatesOverrideBuiltInOnesFileByFile() throws {
        let scratch = try example()
        let registry = scratch.url.appendingPathComponent("registry")
        try FileManager.default.createDirectory(
            at: registry.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try Data("{{% CONTENT_TYPE: TEXT}}\nFROM {{baseImage}}\nRUN echo {{model}} && true\n".utf8)
            .write(to: registry.appendingPathComponent("templates/Dockerfile.mustache"))
        try Shell.git(["add", "-A"], in: registry)
        try Shell.git(["commit", "-qm", "custom Dockerfile"], in: registry)
        let out = scratch.url.appendingPathComponent("out")
        #expect(try Shell.modelgate(["bundle", "churn@1.3.0", "--out", out.path], in: registry).status == 0)
        #expect(
            try String(contentsOf: out.appendingPathComponent("Dockerfile"), encoding: .utf8)
                == "FROM python:3.11.7-slim\nRUN echo churn && true\n")
        #expect(
            try String(contentsOf: out.appendingPathComponent("serve.py"), encoding: .utf8).contains(
                "app = create_app(CONFIG"))
        #expect(
            try Shell.modelgate(
                [
                    "bundle", "churn@1.3.0", "--image", "evil\"; rm -rf /", "--out",
                    scratch.url.appendingPathComponent("x").path,
                ], in: registry
            ).status == 2)
    }

    /// The tools platform teams run, over the example's bundles for every target (the KServe one also as the
    /// Pod it becomes).
    @Test func externalValidatorsAcceptTheBundles() throws {
        let scratch = try example()
        let registry = scratch.url.appendingPathComponent("registry")
        let bundles = scratch.url.appendingPathComponent("bundles")
        for target in ["kubernetes", "kserve", "compose"] {
            let out = bundles.appendingPathComponent(target).path
            let result = try Shell.modelgate(
                ["bundle", "churn", "--stage", "production", "--target", target, "--image", Self.digest, "--out", out],
                in: registry)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let bin = URL(fileURLWithPath: Shell.python).deletingLastPathComponent()
        func tool(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
            try Shell.run([bin.appendingPathComponent(name).path] + arguments, in: bundles, environment: environment)
        }
        let hadolint = try tool("hadolint", ["kubernetes/Dockerfile", "kserve/Dockerfile", "compose/Dockerfile"])
        #expect(hadolint.status == 0, "hadolint: \(hadolint.stdout)\(hadolint.stderr)")
        let yamllint = try tool(
            "yamllint",
            [
                "-s", "-d", "{extends: default, rules: {line-length: {max: 160}, document-start: disable}}",
                "kubernetes/deployment.yaml", "kserve/inferenceservice.yaml", "compose/compose.yaml",
            ])
        #expect(yamllint.status == 0, "yamllint: \(yamllint.stdout)\(yamllint.stderr)")
        let kubernetes = try tool("kubernetes-validate", ["--strict", "kubernetes/deployment.yaml"])
        #expect(kubernetes.status == 0, "kubernetes-validate: \(kubernetes.stdout)\(kubernetes.stderr)")
        let pod = try Shell.validateBundle("pod", bundles.appendingPathComponent("kserve/inferenceservice.yaml"))
        #expect(pod.status == 0, "\(pod.stdout)\(pod.stderr)")
        let podValid = try tool("kubernetes-validate", ["--strict", "kserve/inferenceservice.yaml.pod.yaml"])
        #expect(podValid.status == 0, "kubernetes-validate: \(podValid.stdout)\(podValid.stderr)")
        let checkov = try tool(
            "checkov",
            ["-d", ".", "--framework", "dockerfile", "kubernetes", "--skip-download", "--quiet", "--compact"],
            environment: ["BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE"])
        #expect(checkov.status == 0, "checkov: \(checkov.stdout)\(checkov.stderr)")
        #expect(checkov.stdout.contains("Failed checks: 0"))
        for (kind, path) in [("kserve", "kserve/inferenceservice.yaml"), ("compose", "compose/compose.yaml")] {
            let result = try Shell.validateBundle(kind, bundles.appendingPathComponent(path))
            #expect(result.status == 0, "\(kind): \(result.stdout)\(result.stderr)")
        }
    }

    /// The `model:` form, for which KServe merges a ServingRuntime and appends its args to the command
    /// (gunicorn refuses them), is what the validator that builds KServe's container catches.
    @Test func theRuntimeMergedFormIsRefused() throws {
        let scratch = ScratchDirectory("modelgate-kserve-form")
        let golden = try String(
            contentsOf: Self.golden.appendingPathComponent("bundle-kserve/inferenceservice.yaml"), encoding: .utf8)
        var lines: [String] = []
        var inContainer = false
        for line in golden.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == "    containers:" {
                lines += ["    model:", "      modelFormat: {name: sklearn}", "      protocolVersion: v2"]
                inContainer = true
            } else if inContainer && line.hasPrefix("      - name: kserve-container") {
                continue
            } else if inContainer && line.hasPrefix("        ") {
                lines.append(String(line.dropFirst(2)))
            } else {
                inContainer = inContainer && !line.hasPrefix("    volumes:")
                lines.append(line)
            }
        }
        let file = scratch.url.appendingPathComponent("inferenceservice.yaml")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let result = try Shell.validateBundle("kserve", file)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("append its args"), "\(result.stdout)")
    }
}

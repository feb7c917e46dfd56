import Foundation
import ModelGateKit
import ModelGateTestSupport
import Testing

/// The trusted job sealed against the pull request it retrains: the sandbox is configured at the base, the
/// signing key never reaches the training, and no write follows a link the pull request committed.
@Suite("the sealed trusted job", .serialized)
struct SealedJobTests {
    /// A training that reports what it can see of the caller's secrets, and writes the same bytes whatever
    /// it saw (so the verdict stays `reproduced`).
    static let spy = """
        import json, os, sys
        key = sys.argv[1]
        def size(path):
            try:
                return len(open(path).read())
            except OSError:
                return -1
        print("token:" + ("present" if "GITHUB_TOKEN" in os.environ else "absent"),
              "signing-key-variable:" + ("present" if "MODELGATE_SIGNING_KEY" in os.environ else "absent"),
              "key-file-bytes:" + str(size(key)), "public-key-bytes:" + str(size(key + ".pub")), flush=True)
        root = os.environ["MODELGATE_REPO"]
        answers = [p for p in ("models", "artifacts", "attestations", "profiles", "policies", "keys", "modelgate.yaml")
                   if os.path.exists(os.path.join(root, p))]
        print("answers:" + (",".join(answers) or "hidden"), "data:" + str(os.path.exists(os.path.join(root, "data", "toy.csv"))), flush=True)
        os.makedirs("out", exist_ok=True)
        open("out/model.bin", "w").write("weights\\n")
        json.dump({"score": 0.5}, open("out/metrics.json", "w"))

        """

    /// A registry whose `toy` model trains with `spy`, recorded on main; the key pair lives in `secrets`,
    /// a folder main's settings (carelessly) mount read-only.
    func registry(secrets: ScratchDirectory) throws -> FixtureRegistry {
        let key = secrets.url.appendingPathComponent("ci.key")
        let fixture = try FixtureRegistry(empty: true)
        #expect(try fixture.modelgate("keygen", "--out", key.path).status == 0)
        try fixture.write(
            "modelgate.yaml",
            FixtureRegistry.settings
                + "trust:\n  attestors:\n    - {name: ci, publicKeyFile: keys/ci.pub}\nsandbox:\n  readOnly: [\(secrets.path)]\n"
        )
        try fixture.write("keys/ci.pub", try String(contentsOfFile: key.path + ".pub", encoding: .utf8))
        try fixture.writeTrainableModel(
            "toy", trainer: Self.spy, command: ["python3", "train.py", key.path], data: ("toy.csv", "x,y\n1,2\n"),
            artifact: "model.bin")
        try fixture.commit("A toy model")
        let recorded = try fixture.modelgate("record", "toy@1.0.0", "--commit")
        #expect(recorded.status == 0, "\(recorded.stdout)\(recorded.stderr)")
        return fixture
    }

    @Test func aPullRequestCannotWidenTheSandboxThatSignsIt() throws {
        let secrets = ScratchDirectory()
        let fixture = try registry(secrets: secrets)
        let key = secrets.url.appendingPathComponent("ci.key").path
        // The pull request asks for the token and the key variable to be passed in.
        _ = try fixture.git("checkout", "-q", "-b", "pr")
        try fixture.write(
            "modelgate.yaml",
            try fixture.read("modelgate.yaml") + "  env: [GITHUB_TOKEN]\n")
        try fixture.commit("Pass the token in")
        let caller = [
            "GITHUB_TOKEN": "ghp_secret", "MODELGATE_SIGNING_KEY": try String(contentsOfFile: key, encoding: .utf8),
        ]
        // Read at the commit being trained (no signing), the pull request's settings would hand the token over:
        // this is what the test would see if the signing job read them there.
        let own = try fixture.modelgate("repro", "toy@1.0.0", environment: caller)
        #expect(own.stdout.contains("token:present"), "\(own.stdout)\(own.stderr)")
        // The signing job reads them at its base: no token, never the key's variable, the key file masked
        // although main mounts its folder (the public key beside it is readable).
        let signed = try fixture.modelgate(
            "repro", "toy@1.0.0", "--base", "main", "--record", "--sign", key, environment: caller)
        #expect(signed.status == 0, "\(signed.stdout)\(signed.stderr)")
        #expect(
            signed.stdout.contains("token:absent signing-key-variable:absent key-file-bytes:-1 public-key-bytes:1"),
            "\(signed.stdout)")
        #expect(signed.stdout.contains("verdict: reproduced\n"))
        // The training sees its inputs, not the answers.
        #expect(signed.stdout.contains("answers:hidden data:True"), "\(signed.stdout)")
        // record reads them at --base too.
        let recordOwn = try fixture.modelgate("record", "toy@1.1.0", environment: caller)
        #expect(recordOwn.stdout.contains("token:present"), "\(recordOwn.stdout)\(recordOwn.stderr)")
        let recordBased = try fixture.modelgate("record", "toy@1.2.0", "--base", "main", environment: caller)
        #expect(recordBased.status == 0, "\(recordBased.stderr)")
        #expect(recordBased.stdout.contains("token:absent signing-key-variable:absent"), "\(recordBased.stdout)")
        // Probes are sealed the same way.
        try fixture.write(
            "modelgate.yaml",
            try fixture.read("modelgate.yaml")
                + "environment:\n  probes:\n    leak: [python3, -c, \"import os; print(os.environ.get('MODELGATE_SIGNING_KEY', 'none'))\"]\n"
        )
        try fixture.commit("A probe that looks for the key")
        let env = try fixture.modelgate("env", environment: caller)
        #expect(
            env.stdout.split(separator: "\n").contains { $0.hasPrefix("leak ") && $0.hasSuffix(" none") },
            "\(env.stdout)")
    }

    @Test func noUserNamespaceCanBeMadeInside() throws {
        let fixture = try FixtureRegistry()
        try fixture.write(
            "modelgate.yaml",
            FixtureRegistry.settings + "environment:\n  probes:\n    nested: [unshare, -r, -n, echo, made]\n")
        try fixture.commit("A probe that makes a user namespace")
        let env = try fixture.modelgate("env", "--format", "json")
        #expect(env.status == 0, "\(env.stderr)")
        #expect(env.stdout.contains("\"nested\": \"error: exit 1"), "\(env.stdout)")
        let open = try fixture.modelgate("env", "--format", "json", "--no-sandbox")
        #expect(open.stdout.contains("\"nested\": \"made\""), "outside the sandbox it can: \(open.stdout)")
    }

    @Test func recordRefusesALinkCommittedWhereItWrites() throws {
        let secrets = ScratchDirectory()
        let fixture = try registry(secrets: secrets)
        let config = try fixture.read(".git/config")
        try FileManager.default.createDirectory(
            at: fixture.url.appendingPathComponent("artifacts/toy"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: fixture.url.appendingPathComponent("artifacts/toy/1.7.0").path, withDestinationPath: "../../.git")
        try fixture.commit("A link where the next artifact goes")
        let result = try fixture.modelgate("record", "toy@1.7.0", "--artifact-path", "artifacts/toy/1.7.0/config")
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("artifacts/toy/1.7.0 is a symbolic link; modelgate never writes through a link"))
        #expect(!result.stdout.contains("key-file-bytes"), "refused before the training runs")
        #expect(try fixture.read(".git/config") == config)
        #expect(
            !FileManager.default.fileExists(
                atPath: fixture.url.appendingPathComponent("models/toy/versions/1.7.0.yaml").path))
        // A link at the manifest's folder, or at the profile's, is refused the same way.
        try fixture.remove("profiles/toy")
        try FileManager.default.createSymbolicLink(
            atPath: fixture.url.appendingPathComponent("profiles/toy").path, withDestinationPath: secrets.path)
        try fixture.commit("A link where profiles go")
        let profile = try fixture.modelgate("record", "toy@1.8.0")
        #expect(profile.status == 2)
        #expect(profile.stderr.contains("profiles/toy is a symbolic link"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: secrets.path).sorted() == ["ci.key", "ci.key.pub"])
    }

    @Test func renderAndProfileRefuseLinks() throws {
        let fixture = try FixtureRegistry()
        try fixture.write("modelgate.yaml", FixtureRegistry.settings + "ungated: [staging]\n")
        let elsewhere = ScratchDirectory()
        try FileManager.default.createSymbolicLink(
            atPath: fixture.url.appendingPathComponent("deploy").path, withDestinationPath: elsewhere.path)
        try fixture.commit("deploy points elsewhere")
        let render = try fixture.modelgate("render")
        #expect(render.status == 2, "\(render.stdout)\(render.stderr)")
        #expect(render.stderr.contains("deploy is a symbolic link"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
        try fixture.write("data.csv", "a,b\n1,2\n")
        try FileManager.default.createSymbolicLink(
            atPath: fixture.url.appendingPathComponent("out").path, withDestinationPath: elsewhere.path)
        let profile = try fixture.modelgate("profile", "data.csv", "--out", "out/p.json")
        #expect(profile.status == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
        try FileManager.default.createSymbolicLink(
            atPath: fixture.url.appendingPathComponent("p.json").path, withDestinationPath: elsewhere.path + "/p.json")
        #expect(try fixture.modelgate("profile", "data.csv", "--out", "p.json").status == 2, "the file itself a link")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }

    @Test func aLinkAtAnyComponentOfAConfinedPathIsRefused() throws {
        let scratch = ScratchDirectory()
        let outside = ScratchDirectory()
        let root = scratch.url
        for depth in 0..<3 {
            let components = ["a", "b", "c"]
            let folder = components.prefix(depth).reduce(root) { $0.appendingPathComponent($1) }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: folder.appendingPathComponent(components[depth]).path, withDestinationPath: outside.path)
            let path = try ConfinedPath("a/b/c/file", under: root)
            #expect(throws: ModelGateError.self) { try path.write(Data("x".utf8)) }
            #expect(throws: ModelGateError.self) { try path.refuseLinks() }
            #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
            try FileManager.default.removeItem(at: folder.appendingPathComponent(components[depth]))
        }
        let path = try ConfinedPath("a/b/c/file", under: root)
        try path.write(Data("x".utf8))
        #expect(try String(contentsOf: root.appendingPathComponent("a/b/c/file"), encoding: .utf8) == "x")
        for bad in ["", "../x", "a/./b", "a//b", "/abs"] {
            #expect(throws: ModelGateError.self) { try ConfinedPath(bad, under: root) }
        }
    }
}

/// A version that exists at the base is immutable, and a stage that loses its holder is judged.
@Suite("versions are immutable")
struct VersionImmutabilityTests {
    /// A pull request branch from main of a fresh fixture registry, with `change` applied and committed.
    func check(_ change: (FixtureRegistry) throws -> Void) throws -> (ProcessResult, [String: Any]) {
        let fixture = try FixtureRegistry()
        try fixture.write("artifacts/churn-1.0.0.bin", "weights")
        try fixture.write("profiles/churn/1.0.0.json", "{\"data\": {}}\n")
        try fixture.commit("Track the artifact and the profile")
        _ = try fixture.git("checkout", "-q", "-b", "pr")
        try change(fixture)
        try fixture.commit("The pull request")
        let text = try fixture.modelgate("check", "--base", "main")
        let json = try fixture.modelgate("check", "--base", "main", "--format", "json")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any] ?? [:]
        return (text, object)
    }

    func changes(_ report: [String: Any]) -> [(rule: String, status: String, path: String)] {
        (report["ruleChanges"] as? [[String: Any]] ?? []).map {
            ($0["rule"] as? String ?? "", $0["status"] as? String ?? "", $0["path"] as? String ?? "")
        }
    }

    @Test func anEditedManifestArtifactOrProfileFails() throws {
        for (path, edit) in [
            ("models/churn/versions/1.0.0.yaml", FixtureRegistry.manifest("1.0.0", auc: 0.99)),
            ("artifacts/churn-1.0.0.bin", "other weights"), ("profiles/churn/1.0.0.json", "{\"data\": {\"x\": 1}}\n"),
        ] {
            let (text, report) = try check { try $0.write(path, edit) }
            #expect(text.status == 1, "\(path): \(text.stdout)")
            #expect(!text.stdout.contains("nothing to judge"))
            #expect(text.stdout.contains("modelgate/version.changed"))
            #expect(changes(report).contains { $0 == ("modelgate/version.changed", "fail", path) }, "\(report)")
        }
        let (deleted, report) = try check { try $0.remove("artifacts/churn-1.0.0.bin") }
        #expect(deleted.status == 1)
        #expect(
            changes(report).contains {
                $0.rule == "modelgate/version.changed" && $0.path == "artifacts/churn-1.0.0.bin"
            })
    }

    @Test func aWaiverOnlyEditIsARuleChange() throws {
        let waiver = """
            waivers:
              - rule: production-gate/auc.min
                reason: Measured on the old pool.
                owner: jane@example.com
                expires: 2099-01-01
            """
        let (text, report) = try check {
            try $0.write("models/churn/versions/1.0.0.yaml", FixtureRegistry.manifest("1.0.0", auc: 0.88) + waiver)
        }
        #expect(text.status == 0, "\(text.stdout)")
        #expect(changes(report).map(\.rule) == ["modelgate/rules.changed"], "\(report)")
        #expect(changes(report).first?.status == "warn")
    }

    @Test func aStageThatLosesItsHolderIsAWarning() throws {
        let (text, report) = try check {
            try $0.write("models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.0.0"]))
        }
        #expect(text.status == 0, "\(text.stdout)")
        #expect(!text.stdout.contains("nothing to judge"))
        #expect(changes(report).contains { $0 == ("modelgate/stage.removed", "warn", "models/churn/stages.yaml") })
        let (strict, _) = try check { try $0.remove("models/churn/stages.yaml") }
        #expect(strict.stdout.contains("churn loses its production holder"))
    }
}

/// What the pull request's files cannot make modelgate do: recurse through templates, or see the rest of
/// the folder an interpreter was found in.
@Suite("confinement", .serialized)
struct ConfinementTests {
    /// A registry's partial that includes itself would recurse until the stack overflows: `bundle` and
    /// `render` refuse it, exit 2, and write nothing.
    @Test func aRecursivePartialIsRefused() throws {
        let (scratch, registry) = try Example.registry("modelgate-partials")
        defer { withExtendedLifetime(scratch) {} }
        try FileManager.default.createDirectory(
            at: registry.appendingPathComponent("templates"), withIntermediateDirectories: true)
        try Data("{{> labels}}\n".utf8).write(to: registry.appendingPathComponent("templates/_labels.mustache"))
        try Shell.git(["add", "-A"], in: registry)
        try Shell.git(["commit", "-qm", "A partial that includes itself"], in: registry)
        let out = scratch.url.appendingPathComponent("bundle")
        let bundle = try Shell.modelgate(["bundle", "churn@1.3.0", "--out", out.path], in: registry)
        #expect(bundle.status == 2, "\(bundle.stderr)")
        #expect(bundle.stderr.contains("a partial includes itself (templates/_labels.mustache"), "\(bundle.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let render = try Shell.modelgate(["render"], in: registry)
        #expect(render.status == 2, "\(render.stderr)")
        #expect(render.stderr.contains("a partial includes itself"))
    }

    /// A `python3` found in `~/tools/bin` brings `~/tools/bin` and `~/tools/lib` into the sandbox, not the
    /// rest of `~/tools`.
    @Test func onlyTheInterpretersInstallationIsMounted() throws {
        let tools = ScratchDirectory("modelgate-tools")
        for folder in ["bin", "lib", ".ssh"] {
            try FileManager.default.createDirectory(
                at: tools.url.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try Data("secret".utf8).write(to: tools.url.appendingPathComponent(".ssh/id_ed25519"))
        try Data("a library".utf8).write(to: tools.url.appendingPathComponent("lib/shared.txt"))
        let python = URL(fileURLWithPath: "/usr/bin/python3").resolvingSymlinksInPath().path
        try FileManager.default.createSymbolicLink(
            atPath: tools.url.appendingPathComponent("bin/python3").path, withDestinationPath: python)
        let fixture = try FixtureRegistry(empty: true)
        try fixture.write("modelgate.yaml", FixtureRegistry.settings)
        let trainer = """
            import json, os
            tools = \(JSONValue.string(tools.path).rendered().trimmingCharacters(in: .newlines))
            print("ssh:", os.path.exists(os.path.join(tools, ".ssh")), "lib:", os.path.exists(os.path.join(tools, "lib/shared.txt")), flush=True)
            os.makedirs("out", exist_ok=True)
            open("out/model.bin", "w").write("weights\\n")
            json.dump({"score": 0.5}, open("out/metrics.json", "w"))

            """
        try fixture.writeTrainableModel("toy", trainer: trainer, data: ("toy.csv", "x\n1\n"), artifact: "model.bin")
        try fixture.commit("A toy model")
        let path = tools.url.appendingPathComponent("bin").path + ":/usr/bin:/bin"
        let recorded = try fixture.modelgate("record", "toy@1.0.0", environment: ["PATH": path])
        #expect(recorded.status == 0, "\(recorded.stdout)\(recorded.stderr)")
        #expect(recorded.stdout.contains("ssh: False lib: True"), "\(recorded.stdout)")
    }
}

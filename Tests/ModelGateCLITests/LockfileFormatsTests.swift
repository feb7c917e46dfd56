import Foundation
import ModelGateTestSupport
import Testing

/// The lockfiles teams already have, written by the real tools (pipenv, uv and Poetry, installed from PyPI
/// into the test environment): the example's churn model locked with each records, reproduces and bundles
/// without conversion, and the bundle's `pip install --require-hashes` installs in a clean environment
/// whose server answers every protocol.
@Suite("lockfile formats", .serialized)
struct LockfileFormatsTests {
    /// The project each tool locks: the example's training packages, and one only Windows installs.
    static let dependencies = [
        ("scikit-learn", "1.9.1"), ("numpy", "2.4.6"), ("scipy", "1.17.1"),
    ]

    /// The environment holding pipenv, uv and Poetry (`Tests/Validators/lock-tools.txt`), made once.
    static func tools() throws -> URL { try Shell.toolEnvironment("lock-tools") }

    /// Writes the tool's project file in `folder`, runs its lock, and returns the lockfile's name.
    func lock(_ tool: String, in folder: URL) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let bin = try Self.tools()
        let pins = Self.dependencies.map { "\"\($0.0)==\($0.1)\"" } + ["\"colorama==0.4.6; sys_platform == 'win32'\""]
        let pyproject = """
            [project]
            name = "churn-training"
            version = "0.1.0"
            requires-python = ">=3.11,<4"
            dependencies = [\(pins.joined(separator: ", "))]

            [tool.poetry]
            package-mode = false

            """
        let environment = [
            "PATH": bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "HOME": folder.path, "PIPENV_VENV_IN_PROJECT": "1", "PIPENV_NOSPIN": "1", "PIPENV_YES": "1",
        ]
        let name: String
        let command: [String]
        switch tool {
        case "pipenv":
            let packages = Self.dependencies.map { "\($0.0) = \"==\($0.1)\"" }.joined(separator: "\n")
            try Data(
                """
                [[source]]
                url = "https://pypi.org/simple"
                verify_ssl = true
                name = "pypi"

                [packages]
                \(packages)
                colorama = {version = "==0.4.6", markers = "sys_platform == 'win32'"}

                [requires]
                python_version = "3.11"

                """.utf8
            ).write(to: folder.appendingPathComponent("Pipfile"))
            (name, command) = ("Pipfile.lock", [bin.appendingPathComponent("pipenv").path, "lock"])
        case "uv":
            try Data(pyproject.utf8).write(to: folder.appendingPathComponent("pyproject.toml"))
            (name, command) = ("uv.lock", [bin.appendingPathComponent("uv").path, "lock", "--no-progress"])
        default:
            try Data(pyproject.utf8).write(to: folder.appendingPathComponent("pyproject.toml"))
            (name, command) = ("poetry.lock", [bin.appendingPathComponent("poetry").path, "lock", "--no-interaction"])
        }
        let locked = try Shell.run(command, in: folder, environment: environment)
        #expect(locked.status == 0, "\(tool) lock: \(locked.stdout)\(locked.stderr)")
        return name
    }

    @Test(arguments: ["pipenv", "uv", "poetry"])
    func aLockOfTheRealToolRecordsReproducesAndBundles(_ tool: String) throws {
        let (scratch, registry) = try Example.registry("modelgate-\(tool)")
        defer { withExtendedLifetime(scratch) {} }
        let project = scratch.url.appendingPathComponent("project")
        let name = try lock(tool, in: project)
        try FileManager.default.copyItem(
            at: project.appendingPathComponent(name),
            to: registry.appendingPathComponent("training/churn/\(name)"))
        let model = registry.appendingPathComponent("models/churn/model.yaml")
        let text = try String(contentsOf: model, encoding: .utf8).replacingOccurrences(
            of: "lockfile: training/churn/requirements.lock", with: "lockfile: training/churn/\(name)")
        try Data(text.utf8).write(to: model)
        try Shell.git(["add", "-A"], in: registry)
        try Shell.git(["commit", "-qm", "Lock the training with \(tool)"], in: registry)

        let python = URL(fileURLWithPath: Shell.python).deletingLastPathComponent().path
        let environment = ["PATH": python + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
        // model.yaml's training defaults name the new lock.
        let recorded = try Shell.modelgate(
            ["record", "churn@1.4.0", "--commit"], in: registry, environment: environment)
        #expect(recorded.status == 0, "\(recorded.stdout)\(recorded.stderr)")
        let manifest = try String(
            contentsOf: registry.appendingPathComponent("models/churn/versions/1.4.0.yaml"), encoding: .utf8)
        #expect(manifest.contains("lockfile: {path: training/churn/\(name), sha256: "), "\(manifest)")
        let reproduced = try Shell.modelgate(["repro", "churn@1.4.0"], in: registry, environment: environment)
        #expect(reproduced.status == 0, "\(reproduced.stdout)\(reproduced.stderr)")

        #expect(try Shell.modelgate(["promote", "churn@1.4.0", "--to", "staging"], in: registry).status == 0)
        let out = scratch.url.appendingPathComponent("bundle")
        let bundled = try Shell.modelgate(["bundle", "churn", "--stage", "staging", "--out", out.path], in: registry)
        #expect(bundled.status == 0, "\(bundled.stdout)\(bundled.stderr)")
        let requirements = try String(contentsOf: out.appendingPathComponent("requirements.txt"), encoding: .utf8)
        for (package, version) in Self.dependencies {
            #expect(requirements.contains("\(package)==\(version) --hash=sha256:"), "\(package): \(requirements)")
        }
        #expect(!requirements.contains("colorama"), "a Windows-only package is left out of a Linux image")
        let lines = requirements.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(lines.allSatisfy { $0.contains("--hash=sha256:") }, "\(requirements)")

        // A clean environment installs the bundle with --require-hashes, and its server answers.
        let served = try Shell.serveProtocols([out])
        #expect(served.status == 0, "\(served.stdout)\(served.stderr)")
    }

    @Test func aLockNamingAGitSourceIsRefusedWithItsLine() throws {
        let (scratch, registry) = try Example.registry("modelgate-uv-git")
        defer { withExtendedLifetime(scratch) {} }
        let lock = """
            version = 1
            requires-python = ">=3.11"

            [[package]]
            name = "trainer"
            version = "0.1.0"
            source = { virtual = "." }
            dependencies = [{ name = "numpy" }]

            [[package]]
            name = "numpy"
            version = "2.4.6"
            source = { git = "https://github.com/numpy/numpy?rev=v2.4.6#0123456789abcdef" }

            """
        try Data(lock.utf8).write(to: registry.appendingPathComponent("training/churn/uv.lock"))
        let manifest = registry.appendingPathComponent("models/churn/versions/1.3.0.yaml")
        let sha = try Shell.run(["sha256sum", registry.appendingPathComponent("training/churn/uv.lock").path])
            .stdout.prefix(64)
        let text = try String(contentsOf: manifest, encoding: .utf8).replacing(
            #/lockfile: \{path: training/churn/requirements.lock, sha256: [0-9a-f]+\}/#,
            with: "lockfile: {path: training/churn/uv.lock, sha256: \(sha)}")
        try Data(text.utf8).write(to: manifest)
        try Shell.git(["add", "-A"], in: registry)
        try Shell.git(["commit", "-qm", "numpy from Git"], in: registry)
        let out = scratch.url.appendingPathComponent("bundle")
        let bundled = try Shell.modelgate(["bundle", "churn@1.3.0", "--force", "--out", out.path], in: registry)
        #expect(bundled.status == 2, "\(bundled.stdout)\(bundled.stderr)")
        #expect(
            bundled.stderr.contains(
                "training/churn/uv.lock:11: numpy comes from a git source; a bundle installs released packages from PyPI only"
            ), "\(bundled.stderr)")
    }
}

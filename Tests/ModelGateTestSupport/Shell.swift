import Foundation

/// What a finished process printed and how it exited.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs programs for tests: the `git` CLI to build fixture repositories, and the built `modelgate` binary.
public enum Shell {
    /// Held while a process's pipes are made and it is spawned.
    private static let spawning = NSLock()

    /// Runs `arguments` (looked up on PATH) in `directory`; never throws for a non-zero exit.
    @discardableResult
    public static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], input: Data? = nil
    ) throws -> ProcessResult {
        // Foundation's Process sets up and closes its pipes' descriptors without a lock of its own; tests start
        // processes from many threads at once, so the set-up and the spawn take turns (the runs do not).
        spawning.lock()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        do {
            try process.run()
            spawning.unlock()
        } catch {
            spawning.unlock()
            throw error
        }
        if let input { inPipe.fileHandleForWriting.write(input) }
        try inPipe.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty process cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs `git` and fails the test helper when it fails.
    @discardableResult
    public static func git(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws
        -> String
    {
        let result = try run(["git"] + arguments, in: directory, environment: environment)
        guard result.status == 0 else {
            throw FixtureError("git \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The `modelgate` executable built beside the tests (or `$MODELGATE_BIN`).
    public static var modelgateBinary: URL {
        if let path = ProcessInfo.processInfo.environment["MODELGATE_BIN"] { return URL(fileURLWithPath: path) }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("modelgate")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/modelgate")
    }

    /// The package's root folder.
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The Python that has the test validators (`make test` builds `.build/venv`), or `$MODELGATE_TEST_PYTHON`.
    /// Tests that need it fail loudly without it: they never skip.
    public static var python: String {
        if let path = ProcessInfo.processInfo.environment["MODELGATE_TEST_PYTHON"] { return path }
        let venv = packageRoot.appendingPathComponent(".build/venv/bin/python3")
        return FileManager.default.isExecutableFile(atPath: venv.path) ? venv.path : "python3"
    }

    /// The `bin` folder of `.build/NAME`, a virtual environment with the packages pinned in
    /// `Tests/Validators/NAME.txt` (tools whose pins clash with the validators'), which `make test-deps` makes.
    /// The tests install nothing: a missing or outdated environment throws, saying how to make it, so a test
    /// that needs the tool fails and never skips.
    public static func toolEnvironment(_ name: String) throws -> URL {
        let venv = packageRoot.appendingPathComponent(".build/\(name)")
        let pins = validators.appendingPathComponent("\(name).txt")
        let done = venv.appendingPathComponent("installed.txt")
        guard (try? Data(contentsOf: done)) == (try Data(contentsOf: pins)) else {
            throw FixtureError(
                "\(venv.path) is missing or was made from other pins than Tests/Validators/\(name).txt: run `make test-deps`"
            )
        }
        return venv.appendingPathComponent("bin")
    }

    /// The folder of the Python validators the tests run.
    public static var validators: URL { packageRoot.appendingPathComponent("Tests/Validators") }

    /// Where `serve_protocols.py` keeps the virtual environments it makes from bundles' requirements (one per
    /// distinct requirements.txt, so a second run installs nothing).
    public static var servingEnvironment: URL { packageRoot.appendingPathComponent(".build/serving-venvs") }

    /// Starts each bundle's server as its image would and checks every protocol with
    /// `Tests/Validators/serve_protocols.py`, tritonclient's requests included (from `.build/triton`).
    public static func serveProtocols(_ bundles: [URL]) throws -> ProcessResult {
        let triton = try toolEnvironment("triton").appendingPathComponent("python3")
        return try run(
            [python, validators.appendingPathComponent("serve_protocols.py").path, servingEnvironment.path]
                + bundles.map(\.path), environment: ["TRITON_PYTHON": triton.path])
    }

    /// Validates a report file with `Tests/Validators/validate_report.py` (`sarif` or `junit`).
    public static func validateReport(_ kind: String, _ file: URL) throws -> ProcessResult {
        let script = packageRoot.appendingPathComponent("Tests/Validators/validate_report.py")
        return try run([python, script.path, kind, file.path])
    }

    /// Checks a bundle file or folder with `Tests/Validators/validate_bundle.py` (`kserve`, `compose`, `serve`).
    public static func validateBundle(_ kind: String, _ target: URL) throws -> ProcessResult {
        let script = packageRoot.appendingPathComponent("Tests/Validators/validate_bundle.py")
        return try run([python, script.path, kind, target.path])
    }

    /// Runs `Tests/Validators/dsse_interop.py` (securesystemslib's DSSE): `verify ENVELOPE PEM` or
    /// `sign PAYLOAD ENVELOPE PEM`.
    public static func dsseInterop(_ arguments: [String]) throws -> ProcessResult {
        let script = packageRoot.appendingPathComponent("Tests/Validators/dsse_interop.py")
        return try run([python, script.path] + arguments)
    }

    /// Runs the built `modelgate` with `arguments` in `directory`.
    public static func modelgate(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws
        -> ProcessResult
    {
        try run([modelgateBinary.path] + arguments, in: directory, environment: environment)
    }
}

/// A fixture could not be built.
public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

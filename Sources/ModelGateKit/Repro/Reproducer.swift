import Crypto
import Foundation

/// `modelgate repro MODEL@VERSION`: verifies the training data, compares the environment, retrains from
/// the manifest in a scratch tree inside a network-less sandbox, and compares metrics and artifact.
public struct Reproducer {
    /// What a run reports while it goes: the CLI prints these as they come.
    public enum Event: Sendable {
        case environmentDiffers(key: String, recorded: String?, now: String?)
        case dataChecked(ReproReport.DataCheck)
        case started(command: [String], directory: String, sandboxed: Bool)
        case line(elapsed: TimeInterval, stream: Subprocess.Stream, text: String)
    }

    public let repository: Repository
    public var ref = "HEAD"
    public var timeout: TimeInterval = 3600
    public var tolerances: [String: Tolerance] = [:]
    /// Run the training and the probes in the bubblewrap sandbox; without it, the attestation says so.
    public var sandbox = true
    public var shouldStop: () -> Bool = { false }
    /// The largest artifact a training may write (hashing is bounded too).
    public var maximumArtifactBytes: Int64 = 64 << 30
    /// The largest metrics file read.
    public static let maximumMetricsBytes = 1 << 20

    public init(repository: Repository) { self.repository = repository }

    public func run(model: String, version: String, onEvent: (Event) -> Void = { _ in }) throws -> ReproReport {
        let started = Date()
        let deadline = started.addingTimeInterval(timeout)
        let commit = try repository.resolveCommit(ref)
        let registry = try RegistryLoader(repository: repository).load(models: [model], at: commit)
        // Fail closed: a broken modelgate.yaml would silently drop its probes and sandbox settings.
        let errors = registry.diagnostics.filter { diagnostic in
            guard let path = diagnostic.location?.path else { return true }
            return path.hasPrefix("models/\(model)/") || path == RegistrySettings.path
        }
        if !errors.isEmpty { throw InvalidRegistryError(errors) }
        let manifest = try registry.version(model, version)
        guard let training = manifest.training, !training.command.isEmpty else {
            throw ModelGateError.badInput("\(manifest.path) records no training command to reproduce", at: manifest.location)
        }
        guard let metricsOutput = training.metricsOutput, let modelOutput = training.modelOutput else {
            throw ModelGateError.badInput("\(manifest.path): training.outputs must name model and metrics", at: training.location)
        }

        // 1. The data against its recorded hashes: tracked files from the ref, untracked ones from the working tree.
        let data = try verifyData(training.data, at: commit)
        data.forEach { onEvent(.dataChecked($0)) }
        if let stop = stopReason(deadline) { throw stop }

        // 2. The environment now against the recorded facts, the probes in the sandbox too. They run on
        // another thread while the tree is written and the training runs (an interpreter importing its
        // libraries waits on the disk and the loader), and are compared once both are done.
        if sandbox { try Sandbox.check() }
        let lockfileSHA = try training.lockfile.flatMap { try verifyData([$0], at: commit).first?.actual }
        let probes = registry.settings.probes
        let probeSandbox = sandbox ? Sandbox(settings: registry.settings) : nil
        let probeTimeout = min(20, max(1, deadline.timeIntervalSinceNow))
        let pendingFacts = Pending {
            EnvironmentFacts.collect(probes: probes, lockfileSHA256: lockfileSHA, sandbox: probeSandbox, timeout: probeTimeout)
        }
        var recordedFacts = training.facts
        if let recorded = training.lockfile?.sha256 { recordedFacts["lockfile"] = recorded }
        func compareFacts(into report: inout ReproReport) {
            report.currentFacts = pendingFacts.wait()
            for difference in report.currentFacts.differences(from: recordedFacts) {
                onEvent(.environmentDiffers(key: difference.key, recorded: difference.recorded, now: difference.now))
            }
        }

        var report = ReproReport(
            model: model, version: version, registryCommit: commit, manifestPath: manifest.path, manifestBlob: manifest.blob,
            artifactURI: manifest.artifact.uri, recordedFacts: recordedFacts, recordedSignature: training.signature,
            currentFacts: EnvironmentFacts(facts: [:]), data: data, metrics: [], recordedArtifact: manifest.artifact.sha256, reproducedArtifact: nil,
            outcome: nil, sandboxed: sandbox, duration: 0, reasons: [])
        report.workdir = training.workdir
        report.trainingTree = try training.workdir.isEmpty
            ? repository.treeID(ofCommit: commit)
            : repository.entry(at: training.workdir, inTree: repository.treeID(ofCommit: commit)).flatMap { $0.kind == .tree ? $0.id : nil }
        for check in data where !check.ok {
            report.reasons.append(
                check.actual.map { "data \(check.path) has sha256 \($0), not the recorded \(check.recorded ?? "(none)")" }
                    ?? "data \(check.path) could not be read")
        }
        guard report.reasons.isEmpty else {
            compareFacts(into: &report)
            report.reasons.append("the training command was not run on unverified data")
            report.duration = Date().timeIntervalSince(started)
            return report
        }
        if let stop = stopReason(deadline) { throw stop }

        // 3. A scratch tree: the registry at the ref, plus the verified untracked data.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("modelgate-repro-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try repository.materialize(commit, into: scratch)
        for check in data where check.source == .workingTree {
            try copyIntoScratch(check.path, scratch: scratch)
        }
        let workdir = training.workdir.isEmpty ? scratch : scratch.appendingPathComponent(training.workdir)
        guard FileManager.default.fileExists(atPath: workdir.path) else {
            throw ModelGateError.badInput("workdir \(training.workdir) does not exist at \(commit.short)", at: training.location)
        }

        // 4. The run. The program is found first, so that one that cannot start is told apart from one
        // that fails (inside the sandbox, `bwrap` would only exit 1).
        let box = Sandbox(scratch: scratch, settings: registry.settings)
        let root = sandbox ? Sandbox.root : scratch.path
        let runEnvironment = box.environment(Self.variables(seed: training.seed, created: manifest.created, root: root))
        let program = training.command[0]
        if program.contains("/") {
            let resolved = program.hasPrefix("/") ? program : workdir.appendingPathComponent(program).path
            guard access(resolved, X_OK) == 0 else {
                throw ModelGateError.environment("cannot start \(program): no executable file there (in \(training.workdir.isEmpty ? "." : training.workdir))")
            }
        } else {
            _ = try Subprocess.locate(program, path: runEnvironment["PATH"] ?? "/usr/bin:/bin")
        }
        let inside = training.workdir.isEmpty ? root : "\(root)/\(training.workdir)"
        var process = Subprocess(
            sandbox ? box.arguments(training.command, in: inside, environment: runEnvironment) : training.command,
            environment: runEnvironment, workingDirectory: sandbox ? nil : workdir,
            timeout: max(0, deadline.timeIntervalSinceNow))
        process.shouldStop = shouldStop
        onEvent(.started(command: training.command, directory: training.workdir.isEmpty ? "." : training.workdir, sandboxed: sandbox))
        let runStart = Date()
        let outcome = try process.run { stream, text in
            onEvent(.line(elapsed: Date().timeIntervalSince(runStart), stream: stream, text: text))
        }
        report.outcome = outcome
        switch outcome {
        case .exited(0): break
        case .exited(let code): report.reasons.append("the training command exited with status \(code)")
        case .signalled(let signal): report.reasons.append("the training command was killed by signal \(signal)")
        case .timedOut: report.reasons.append("the training command ran past --timeout \(JSONValue.format(timeout))s and was killed")
        case .interrupted: report.reasons.append("interrupted")
        }

        // 5. The environment, metrics and artifact.
        compareFacts(into: &report)
        if outcome == .exited(0) {
            compareOutputs(
                manifest, workdir: workdir, scratch: scratch, metricsOutput: metricsOutput, modelOutput: modelOutput,
                into: &report)
        }
        report.duration = Date().timeIntervalSince(started)
        return report
    }

    func compareOutputs(
        _ manifest: ModelVersion, workdir: URL, scratch: URL, metricsOutput: String, modelOutput: String,
        into report: inout ReproReport
    ) {
        let produced = readMetrics(workdir.appendingPathComponent(metricsOutput), name: metricsOutput, scratch: scratch, into: &report)
        for name in manifest.metrics.keys.sorted() {
            let check = ReproReport.MetricCheck(
                name: name, recorded: manifest.metrics[name]!.value, actual: produced[name],
                tolerance: tolerances[name] ?? .standard)
            report.metrics.append(check)
            if let actual = check.actual, !check.ok {
                report.reasons.append(
                    "metric \(name) reproduced as \(JSONValue.format(actual)), recorded \(JSONValue.format(check.recorded)) (tolerance \(check.tolerance))")
            } else if check.actual == nil {
                report.reasons.append("metric \(name) is missing from \(metricsOutput)")
            }
        }
        let artifact = workdir.appendingPathComponent(modelOutput)
        let hash: String
        do {
            hash = try OutputFile.hash(artifact, inside: scratch, maximumBytes: maximumArtifactBytes)
        } catch let error as OutputFile.Problem {
            report.reasons.append("\(modelOutput): \(error.message)")
            return
        } catch {
            report.reasons.append("the training command wrote no \(modelOutput)")
            return
        }
        report.reproducedArtifact = hash
        if hash != manifest.artifact.sha256 {
            report.reasons.append("artifact sha256 \(hash) differs from the recorded \(manifest.artifact.sha256 ?? "(none)")")
        }
    }

    /// Why the run must stop now, before the training starts (Ctrl-C, or the timeout passed), or nil.
    func stopReason(_ deadline: Date) -> ModelGateError? {
        if shouldStop() { return .environment("interrupted before the training started; nothing was left behind") }
        if Date() >= deadline { return .environment("--timeout \(JSONValue.format(timeout))s passed before the training started") }
        return nil
    }

    /// modelgate's own variables: seeds, the scratch root as the command sees it, single-threaded BLAS, a
    /// fixed clock zone and locale, and `SOURCE_DATE_EPOCH` from the manifest's `created`.
    static func variables(seed: Int?, created: Date?, root: String) -> [String: String] {
        var variables = ["MODELGATE_REPO": root, "TZ": "UTC", "LC_ALL": "C"]
        if let seed {
            variables["PYTHONHASHSEED"] = String(seed)
            variables["MODELGATE_SEED"] = String(seed)
        }
        for key in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"] { variables[key] = "1" }
        if let created { variables["SOURCE_DATE_EPOCH"] = String(Int(created.timeIntervalSince1970)) }
        return variables
    }

    /// Each data path hashed: from Git when tracked at the commit, else from the working tree (in parallel).
    func verifyData(_ files: [DataFile], at commit: ObjectID) throws -> [ReproReport.DataCheck] {
        var checks: [ReproReport.DataCheck] = []
        var untracked: [(index: Int, path: String)] = []
        let tree = try repository.treeID(ofCommit: commit)
        for file in files {
            if let entry = try repository.entry(at: file.path, inTree: tree) {
                let hash = try GitContentHash.hash(entry, repository: repository, path: file.path)
                checks.append(.init(path: file.path, recorded: file.sha256, actual: hash, source: .git))
            } else {
                let url = try WorkingTreeFile.url(file.path, in: repository, what: "data", location: file.location)
                untracked.append((checks.count, url.path))
                checks.append(.init(path: file.path, recorded: file.sha256, actual: nil, source: .workingTree))
            }
        }
        for (entry, result) in zip(untracked, FileHasher.hashAll(untracked.map(\.path))) {
            switch result {
            case .success(let hash): checks[entry.index].actual = hash
            case .failure(let error): throw error
            }
        }
        return checks
    }

    /// Copies a verified untracked data file or folder into the scratch tree: a copy, never a link, so that
    /// nothing the training does reaches the original.
    func copyIntoScratch(_ path: String, scratch: URL) throws {
        let source = try WorkingTreeFile.url(path, in: repository, what: "data")
        let target = scratch.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: source, to: target)
    }

    /// `outputs.metrics`: a JSON object name -> number, from a regular file of at most 1 MiB inside the
    /// scratch tree.
    func readMetrics(_ url: URL, name: String, scratch: URL, into report: inout ReproReport) -> [String: Double] {
        let data: Data
        do {
            data = try OutputFile.read(url, inside: scratch, maximumBytes: Int64(Self.maximumMetricsBytes))
        } catch let error as OutputFile.Problem {
            report.reasons.append("\(name): \(error.message)")
            return [:]
        } catch {
            report.reasons.append("the training command wrote no \(name)")
            return [:]
        }
        // JSONDecoder parses numbers exactly (shortest round trip); JSONSerialization can be off by an ulp.
        guard let object = try? JSONDecoder().decode([String: MetricValue].self, from: data) else {
            report.reasons.append("\(name) is not a JSON object")
            return [:]
        }
        return object.compactMapValues(\.number)
    }
}

/// A value of a metrics file: a number, or anything else (ignored).
private struct MetricValue: Decodable {
    var number: Double?

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if (try? container.decode(Bool.self)) != nil {
            number = nil
        } else {
            number = try? container.decode(Double.self)
        }
    }
}

/// SHA-256 of content stored in Git: a blob's bytes, or for a tree the listing hash of `modelgate hash`.
enum GitContentHash {
    static func hash(_ entry: TreeEntry, repository: Repository, path: String) throws -> String {
        switch entry.kind {
        case .blob, .executable:
            return Hex.encode(SHA256.hash(data: try repository.blob(entry.id)))
        case .tree:
            var lines: [(path: String, hash: String)] = []
            try collect(entry.id, prefix: "", repository: repository, into: &lines)
            let listing = lines.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
                .map { "\($0.hash)  \($0.path)\n" }.joined()
            return Hex.encode(SHA256.hash(data: Data(listing.utf8)))
        case .symlink, .submodule:
            throw ModelGateError.badInput("data \(path) is a symbolic link or submodule in Git")
        }
    }

    private static func collect(
        _ tree: ObjectID, prefix: String, repository: Repository, into lines: inout [(path: String, hash: String)]
    ) throws {
        for entry in try repository.entries(ofTree: tree) {
            let path = prefix.isEmpty ? entry.name : "\(prefix)/\(entry.name)"
            switch entry.kind {
            case .tree: try collect(entry.id, prefix: path, repository: repository, into: &lines)
            case .blob, .executable: lines.append((path, Hex.encode(SHA256.hash(data: try repository.blob(entry.id)))))
            case .symlink, .submodule: throw ModelGateError.badInput("data \(path) holds a symbolic link or submodule")
            }
        }
    }
}

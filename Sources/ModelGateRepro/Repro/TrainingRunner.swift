import Crypto
import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// Runs a training command the one way modelgate runs them, for `repro` and `record` alike: the data
/// hashed (tracked files from Git, untracked ones from the working tree), the probes in the sandbox beside
/// the training, a scratch tree of the commit plus the untracked data (copied), the command in the sandbox
/// with modelgate's variables, and the outputs read while the scratch tree still exists.
public struct TrainingRunner {
    public let repository: Repository
    /// Run the training and the probes in the bubblewrap sandbox.
    public var sandbox = true
    public var settings: RegistrySettings
    /// Polled while waiting: returning true stops the run (Ctrl-C).
    public var shouldStop: () -> Bool = { false }

    /// Host files the training and the probes must not see even where a mounted folder holds them: the
    /// signing key's file.
    public var hiddenPaths: [String] = []

    /// Where the data Git does not hold is read, by its path: a training Job's download folder (each file
    /// fetched from its `uri`); nil, the working tree.
    public var downloads: URL?

    public init(repository: Repository, settings: RegistrySettings) {
        self.repository = repository
        self.settings = settings
    }

    /// The registry at `commit` with `model` alone, refused when its settings or the model's files do not
    /// validate: a training fails closed, since a broken `modelgate.yaml` would silently drop its probes and
    /// sandbox settings.
    static func validRegistry(for model: String, at commit: ObjectID, in repository: Repository) throws -> Registry {
        let registry = try RegistryLoader(repository: repository).load(models: [model], at: commit)
        let errors = registry.diagnostics.filter { diagnostic in
            guard let path = diagnostic.location?.path else { return true }
            return RegistryLayout.isInFolder(of: model, path) || path == RegistryLayout.settings
        }
        if !errors.isEmpty { throw InvalidRegistryError(errors) }
        return registry
    }

    /// The settings a run uses (the runner reads only `sandbox`, `reproducibility` and the probes): the
    /// whole `modelgate.yaml` at `trustedRef` when one is given — the base a signing job trusts, never the
    /// commit it reproduces —, else `own`, the settings at the ref being trained. An invalid
    /// `modelgate.yaml` at the trusted ref stops the run.
    public static func settings(
        trustedRef: String?, own: RegistrySettings, repository: Repository
    ) throws -> RegistrySettings {
        guard let trustedRef else { return own }
        var bag = DiagnosticBag()
        let trusted = try RegistryLoader(repository: repository).settings(
            at: repository.resolveCommit(trustedRef), bag: &bag)
        if bag.hasErrors { throw InvalidRegistryError(bag.sorted) }
        return trusted
    }

    /// The environment facts, computed on another thread (the probes in the sandbox): wait for them when
    /// they are needed, usually after the training.
    func startProbes(lockfileSHA256: String?, deadline: Date) throws -> Pending<EnvironmentFacts> {
        if sandbox { try Sandbox.check() }
        if let pin = settings.cpuPin { try MachineCPU.require(pin) }
        let probes = settings.probes
        var box = Sandbox(settings: settings)
        box.hiddenPaths = hiddenPaths
        let probeSandbox = box
        let isolated = sandbox
        let timeout = min(20, max(1, deadline.timeIntervalSinceNow))
        return Pending {
            EnvironmentFacts.collect(
                probes: probes, lockfileSHA256: lockfileSHA256, sandbox: probeSandbox, isolated: isolated,
                timeout: timeout)
        }
    }

    /// Runs `training` from the tree of `commit` (plus the untracked `data`, copied) and hands the outcome,
    /// the scratch tree and its `workdir` to `outputs` before the scratch tree is removed.
    func run<T>(
        _ training: Training, at commit: ObjectID, untracked data: [String], created: Date?, deadline: Date,
        onStart: () -> Void, onLine: (TimeInterval, Subprocess.Stream, String) -> Void,
        outputs: (_ outcome: Subprocess.Outcome, _ workdir: URL, _ scratch: URL) throws -> T
    ) throws -> T {
        if let stop = stopReason(deadline) { throw stop }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "modelgate-repro-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try repository.materialize(commit, into: scratch, paths: try Self.closurePaths(training, settings: settings))
        for path in data { try copyIntoScratch(path, scratch: scratch) }
        let workdir = training.workdir.isEmpty ? scratch : scratch.appendingPathComponent(training.workdir)
        guard FileManager.default.fileExists(atPath: workdir.path) else {
            throw ModelGateError.badInput(
                "workdir \(training.workdir) does not exist at \(commit.short)", at: training.location)
        }
        // The program is found first, so that one that cannot start is told apart from one that fails
        // (inside the sandbox, `bwrap` would only exit 1).
        var box = Sandbox(scratch: scratch, settings: settings)
        box.hiddenPaths = hiddenPaths
        let root = sandbox ? Sandbox.root : scratch.path
        let environment = box.environment(Self.variables(seed: training.seed, created: created, root: root))
        let program = training.command[0]
        if program.contains("/") {
            let resolved = program.hasPrefix("/") ? program : workdir.appendingPathComponent(program).path
            guard access(resolved, X_OK) == 0 else {
                throw ModelGateError.environment(
                    "cannot start \(program): no executable file there (in \(training.workdir.isEmpty ? "." : training.workdir))"
                )
            }
        } else {
            _ = try Subprocess.locate(program, path: environment["PATH"] ?? "/usr/bin:/bin")
        }
        let inside = training.workdir.isEmpty ? root : "\(root)/\(training.workdir)"
        var process = Subprocess(
            sandbox ? box.arguments(training.command, in: inside, environment: environment) : training.command,
            environment: environment, workingDirectory: sandbox ? nil : workdir,
            timeout: max(0, deadline.timeIntervalSinceNow))
        process.shouldStop = shouldStop
        let monitor = ResourceMonitor(limits: box.limits, scratch: scratch)
        process.monitor = monitor.check
        onStart()
        let runStart = Date()
        let outcome = try process.run { stream, text in onLine(Date().timeIntervalSince(runStart), stream, text) }
        return try outputs(monitor.explain(outcome), workdir, scratch)
    }

    /// What of the commit the scratch tree holds: the version's closure (`workdir`, the data, the lockfile
    /// and `training.inputs`) and nothing else, whatever `workdir` is. A path that reaches a place of the
    /// registry (its manifests, artifacts, attestations, keys, rules, the deploy folder) is refused here,
    /// before anything trains, whatever the manifest's validation said.
    static func closurePaths(_ training: Training, settings: RegistrySettings) throws -> [String] {
        if let (path, place) = VersionClosure.reservedPaths(of: training, deployPath: settings.deploy.path).first {
            let shown = path.isEmpty ? "the repository's root" : Quoted(path).description
            throw ModelGateError.badInput(
                "the training reads \(shown), which reaches \(Quoted(place)), a place of the registry: a training may not see its answers, rules or keys",
                at: training.location)
        }
        return VersionClosure.paths(of: training)
    }

    /// The commit a version's training is read at: its `training.source`, which must be a commit of the
    /// repository in the history of `commit`; `commit` itself for a version recorded without one.
    static func source(of training: Training, at commit: ObjectID, in repository: Repository) throws -> ObjectID {
        guard let source = training.source else { return commit }
        guard (try? repository.commit(source)) != nil else {
            throw ModelGateError.badInput(
                "training.source \(source.hex) is not a commit of this repository: fetch the full history (git fetch --unshallow) or the branch that holds it",
                at: training.location)
        }
        guard try repository.isAncestor(source, of: commit) else {
            throw ModelGateError.badInput(
                "training.source \(source.hex) is not in the history of \(commit.short)", at: training.location)
        }
        return source
    }

    /// The closure of `training` at `source`, its paths clear of the registry's places; a path the commit
    /// does not hold is refused, naming it.
    static func closure(
        of training: Training, at source: ObjectID, settings: RegistrySettings, in repository: Repository
    ) throws -> VersionClosure {
        _ = try closurePaths(training, settings: settings)
        switch try VersionClosure.read(training, at: source, in: repository) {
        case .success(let closure): return closure
        case .failure(let problem):
            throw ModelGateError.badInput(
                "the training cannot be read at \(source.short): \(problem)", at: training.location)
        }
    }

    /// Why the run must stop now, before the training starts (Ctrl-C, or the timeout passed), or nil.
    func stopReason(_ deadline: Date) -> ModelGateError? {
        if shouldStop() { return .environment("interrupted before the training started; nothing was left behind") }
        if Date() >= deadline { return .environment("--timeout passed before the training started") }
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
                let url = try untrackedURL(file.path, location: file.location)
                untracked.append((checks.count, url.path))
                checks.append(
                    .init(
                        path: file.path, recorded: file.sha256, actual: nil,
                        source: downloads == nil ? .workingTree : .download))
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
        let source = try untrackedURL(path, location: nil)
        let target = scratch.appendingPathComponent(path)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: source, to: target)
    }

    /// Where the untracked data file `path` is read: the download folder, else the working tree.
    func untrackedURL(_ path: String, location: SourceLocation?) throws -> URL {
        if let downloads { return downloads.appendingPathComponent(path) }
        return try WorkingTreeFile.url(path, in: repository, what: "data", location: location)
    }

    /// The JSON object of `outputs.metrics` (a regular file of at most 1 MiB inside the scratch tree).
    static func metricsObject(_ url: URL, scratch: URL) throws -> Data {
        try OutputFile.read(url, inside: scratch, maximumBytes: Int64(maximumMetricsBytes))
    }

    /// The largest metrics file read.
    public static let maximumMetricsBytes = 1 << 20
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

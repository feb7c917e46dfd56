import Crypto
import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// `modelgate record MODEL@VERSION`: trains a new version exactly as `repro` would retrain it (the same
/// `TrainingRunner`, sandbox and variables) and writes what the run established: the manifest and the
/// artifact beside it (`CommitTarget` commits them with `--commit`).
public struct Recorder {
    /// What to record.
    public struct Request: Sendable {
        public var model: String
        public var version: String
        /// Take the training settings of this version's manifest instead of `model.yaml`'s defaults.
        public var like: String?
        /// `--param K=V`, in order.
        public var parameters: [(name: String, value: String)] = []
        public var seed: Int?
        /// `-- COMMAND...`: replaces the command taken over.
        public var command: [String]?
        /// Where the artifact goes (default `artifacts/<model>/<version>/<file name>`).
        public var artifactPath: String?
        public var description: String?

        public init(model: String, version: String) {
            self.model = model
            self.version = version
        }
    }

    /// What a recording wrote.
    public struct Outcome: Sendable {
        public var manifestPath: String
        public var artifactPath: String
        /// `profiles/<model>/<version>.json`, when the training data holds CSV files.
        public var profilePath: String?
        public var metrics: [(name: String, value: Double)]
        /// Where `model.yaml` has no `serving.inputs`: the training data's columns, for the user to confirm.
        public var proposedInputs: [(name: String, type: String)] = []
        /// What the user should know about how the version was read (an MLflow store's newer schema).
        public var notes: [String] = []

        /// The artifact's files: the artifact itself, or each file of a folder artifact (an MLflow model).
        public var artifactFiles: [String] = []

        /// Every file the recording wrote, for `--commit`.
        public var paths: [String] {
            [manifestPath] + (artifactFiles.isEmpty ? [artifactPath] : artifactFiles) + (profilePath.map { [$0] } ?? [])
        }
    }

    public let repository: Repository
    public var sandbox = true
    public var timeout: TimeInterval = 3600
    public var shouldStop: () -> Bool = { false }
    public var now = Date()
    /// `--base`: the ref whose `sandbox`, `reproducibility` and probe settings the training uses; nil
    /// reads them at HEAD.
    public var trustedRef: String?
    /// Where the data Git does not hold is read (a training Job's download folder); nil, the working tree.
    public var downloads: URL?

    public init(repository: Repository) { self.repository = repository }

    /// Trains and writes the manifest and artifact into the working tree; `onLine` streams the training's output.
    ///
    /// Long on purpose: one recording's steps in order (settings, training, hashes, profile, manifest), sharing the
    /// request's state.
    public func record(
        _ request: Request, onStart: ([String]) -> Void = { _ in },
        onLine: (TimeInterval, Subprocess.Stream, String) -> Void = { _, _, _ in }
    ) throws -> Outcome {
        let deadline = Date().addingTimeInterval(timeout)
        let (root, commit, registry, model, manifestPath) = try prepare(request)
        var training = try settings(for: request, model: model, registry: registry)
        guard let metricsOutput = training.metricsOutput, let modelOutput = training.modelOutput else {
            throw ModelGateError.badInput("the training settings must name outputs.model and outputs.metrics")
        }
        try refuseUncommittedChanges(in: training, at: commit)

        var runner = TrainingRunner(
            repository: repository,
            settings: try TrainingRunner.settings(
                trustedRef: trustedRef, own: registry.settings, repository: repository))
        runner.sandbox = sandbox
        runner.shouldStop = shouldStop
        // The data and lockfile as they are now; what is recorded is what `repro` will verify.
        let data = try runner.verifyData(training.data, at: commit)
        for (index, check) in data.enumerated() {
            guard let actual = check.actual else {
                throw ModelGateError.badInput("data \(check.path) could not be read")
            }
            training.data[index].sha256 = actual
        }
        if let lockfile = training.lockfile {
            let hash = try runner.verifyData([lockfile], at: commit).first?.actual
            training.lockfile?.sha256 = hash
        }
        let pendingFacts = try runner.startProbes(lockfileSHA256: training.lockfile?.sha256, deadline: deadline)
        // The version is trained from HEAD's tree: what it reads there is its closure, recorded by commit.
        training.source = commit
        _ = try TrainingRunner.closure(of: training, at: commit, settings: runner.settings, in: repository)
        let created = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let untracked = data.filter { $0.source != .git }.map(\.path)
        let artifactPath =
            request.artifactPath ?? "artifacts/\(request.model)/\(request.version)/\(Self.fileName(modelOutput))"
        if let problem = RepositoryPath.problem(artifactPath) {
            throw ModelGateError.badInput("--artifact-path \(Quoted(artifactPath)) \(problem)")
        }
        // A link committed where a file will go is refused before the training runs: nothing is written.
        for path in [artifactPath, manifestPath, VersionProfile.path(model: request.model, version: request.version)] {
            try ConfinedPath(path, under: root).refuseLinks()
        }
        // A training that fails on a missing module is told which environment to make.
        var missingModule: String?
        let (outcome, metricsData, artifact) = try runner.run(
            training, at: commit, untracked: untracked, created: created, deadline: deadline,
            onStart: { onStart(training.command) },
            onLine: { elapsed, stream, text in
                if missingModule == nil, let range = text.range(of: "No module named ") {
                    missingModule = String(text[range.upperBound...])
                }
                onLine(elapsed, stream, text)
            }
        ) { outcome, workdir, scratch -> (Subprocess.Outcome, Data, Data) in
            guard outcome == .exited(0) else { return (outcome, Data(), Data()) }
            do {
                let metrics = try TrainingRunner.metricsObject(
                    workdir.appendingPathComponent(metricsOutput), scratch: scratch)
                let artifact = try OutputFile.read(
                    workdir.appendingPathComponent(modelOutput), inside: scratch, maximumBytes: Int64(Int32.max))
                return (outcome, metrics, artifact)
            } catch let problem as OutputFile.Problem {
                throw ModelGateError.badInput("the training's output: \(problem.message)")
            }
        }
        guard outcome == .exited(0) else {
            var message = "the training command did not succeed (\(outcome)); nothing was recorded"
            if let missingModule {
                let install = training.lockfile.map { "pip install -r \($0.path)" } ?? "pip install"
                message +=
                    "; the training's Python lacks the module \(missingModule): make its environment once "
                    + "(python3 -m venv ENV && ENV/bin/\(install)) and put ENV/bin first on PATH"
            }
            throw ModelGateError.environment(message)
        }
        let (metrics, slices) = try Self.readMetrics(metricsData, name: metricsOutput)
        let facts = pendingFacts.wait()
        training.facts = facts.facts.filter { $0.key != "lockfile" }
        training.signature = facts.signature

        // The profile of the data as it was verified; the manifest records its sha256.
        let profile = try VersionProfile.compute(
            model: request.model, version: request.version,
            files: zip(training.data, data).map { ($0.path, $1.source == .git) }, at: commit,
            in: repository)
        let record = ManifestWriter.Record(
            model: request.model, version: request.version, created: created, description: request.description,
            artifactURI: artifactPath, artifactSHA256: Hex.encode(SHA256.hash(data: artifact)),
            artifactSize: artifact.count,
            metrics: metrics, slices: slices, training: training,
            parent: request.like ?? Self.parent(in: model, ladder: registry.settings.stages),
            profile: profile.map { ($0.path, $0.sha256) })
        var written = try write(
            record, artifact: [(record.artifactURI, artifact)], profile: profile, manifestPath: manifestPath, root: root
        )
        if model.spec?.serving.inputs == nil, let profile {
            written.proposedInputs = profile.proposedInputs(target: training.target)
        }
        return written
    }

    /// Writes the artifact and the profile, then the manifest that names them, each atomically and never
    /// through a link (every path is checked before the first byte is written).
    func write(
        _ record: ManifestWriter.Record, artifact: [(String, Data)], profile: VersionProfile? = nil,
        manifestPath: String, root: URL
    ) throws -> Outcome {
        let files =
            artifact + (profile.map { [($0.path, $0.bytes)] } ?? [])
            + [(manifestPath, Data(ManifestWriter.render(record).utf8))]
        for (path, _) in files { try ConfinedPath(path, under: root).refuseLinks() }
        for (path, data) in files { try AtomicFile.write(data, to: root.appendingPathComponent(path), under: root) }
        var outcome = Outcome(
            manifestPath: manifestPath, artifactPath: record.artifactURI, profilePath: profile?.path,
            metrics: record.metrics)
        outcome.artifactFiles = artifact.map(\.0)
        return outcome
    }

    /// The working tree, HEAD, the registry there (its settings and the model's files valid), the model, and
    /// the path of the new manifest, which must not exist yet.
    func prepare(_ request: Request) throws -> (URL, ObjectID, Registry, Registry.Model, String) {
        guard let root = repository.workingDirectory else {
            throw ModelGateError.badInput("record writes into the working tree, and this repository has none")
        }
        let commit = try repository.resolveCommit("HEAD")
        let registry = try TrainingRunner.validRegistry(for: request.model, at: commit, in: repository)
        let model = try registry.model(request.model)
        let manifestPath = ModelVersion.path(model: request.model, version: request.version)
        if model.manifestFiles.contains(request.version)
            || FileManager.default.fileExists(atPath: root.appendingPathComponent(manifestPath).path)
        {
            throw ModelGateError.badInput(
                "\(request.model) \(request.version) already has a manifest (\(manifestPath)); a version is recorded once"
            )
        }
        return (root, commit, registry, model, manifestPath)
    }

    /// A version is trained from HEAD's tree and records it as its source: every path of its closure
    /// (`workdir`, the lockfile, the inputs and the data Git tracks) must be committed there as it is in the
    /// working tree, so that what trained is what `repro` finds. Data Git does not hold is verified by its
    /// recorded sha256 instead.
    func refuseUncommittedChanges(in training: Training, at commit: ObjectID) throws {
        let tree = try repository.treeID(ofCommit: commit)
        let untrackedData = try Set(
            training.data.map(\.path).filter { try repository.entry(at: $0, inTree: tree) == nil })
        let paths = VersionClosure.paths(of: training).filter { !untrackedData.contains($0) }
        let dirty = try repository.uncommittedPaths(under: "").filter { changed in
            paths.contains { changed == $0 || changed.hasPrefix($0 + "/") }
        }
        if !dirty.isEmpty {
            let shown = dirty.prefix(5).map { Escape.control($0) }.joined(separator: ", ")
            let more = dirty.count > 5 ? " and \(dirty.count - 5) more" : ""
            throw ModelGateError.badInput(
                "what the training reads has uncommitted changes (\(shown)\(more)); commit them first: a version records the commit it was trained from, and repro retrains from that commit"
            )
        }
    }

    /// The training settings: the `--like` manifest's, or `model.yaml`'s defaults; then the command,
    /// parameters and seed given.
    func settings(for request: Request, model: Registry.Model, registry: Registry) throws -> Training {
        var training: Training
        if let like = request.like {
            guard let manifest = model.versions[like] else {
                throw ModelGateError.badInput("--like \(Quoted(like)): \(request.model) has no version \(Quoted(like))")
            }
            guard let recorded = manifest.training else {
                throw ModelGateError.badInput("--like \(like): \(manifest.path) records no training settings")
            }
            training = recorded
        } else if let defaults = model.spec?.training {
            training = defaults
        } else {
            throw ModelGateError.badInput(
                "no training settings for \(request.model): pass --like VERSION, or add a training block to \(RegistryLayout.spec(of: request.model))"
            )
        }
        training.facts = [:]
        training.signature = nil
        training.source = nil
        if let command = request.command { training.command = command }
        guard !training.command.isEmpty else { throw ModelGateError.badInput("the training settings name no command") }
        for (name, value) in request.parameters {
            guard let filled = Self.substitute(name, value, in: training.command) else {
                let taken = Self.parameterNames(in: training.command)
                throw ModelGateError.badInput(
                    "--param \(Escape.control(name)): the command (\(Escape.control(training.command.joined(separator: " ")))) "
                        + "has no {\(Escape.control(name))} and no --\(Escape.control(name)), so the training would never get it; "
                        + (taken.isEmpty
                            ? "it takes no parameters: add {\(Escape.control(name))} to the command"
                            : "it takes \(taken.map(Escape.control).joined(separator: ", "))"))
            }
            training.command = filled
            if let index = training.params.firstIndex(where: { $0.name == name }) {
                training.params[index].value = value
            } else {
                training.params.append((name, value))
            }
        }
        // Placeholders left are filled from the parameters taken over; the manifest records the filled command.
        for (name, value) in training.params { training.command = Self.fill(name, value, in: training.command) }
        if let unfilled = training.command.lazy.flatMap({ Self.placeholders(in: $0) }).first {
            throw ModelGateError.badInput(
                "the command's {\(Escape.control(unfilled))} has no value: pass --param \(Escape.control(unfilled))=V or add it to params"
            )
        }
        training.seed = request.seed ?? training.seed ?? 0
        return training
    }

    /// `command` with `{NAME}` filled, the argument after `--NAME` or the value of `--NAME=…` replaced by
    /// `value`; nil where the command has none of them.
    static func substitute(_ name: String, _ value: String, in command: [String]) -> [String]? {
        var result = fill(name, value, in: command)
        var matched = result != command || command.contains { $0.contains("{\(name)}") }
        for index in result.indices {
            if result[index] == "--\(name)", index + 1 < result.count {
                result[index + 1] = value
                matched = true
            } else if result[index].hasPrefix("--\(name)=") {
                result[index] = "--\(name)=\(value)"
                matched = true
            }
        }
        return matched ? result : nil
    }

    /// `command` with every `{NAME}` replaced by `value`.
    static func fill(_ name: String, _ value: String, in command: [String]) -> [String] {
        command.map { $0.replacingOccurrences(of: "{\(name)}", with: value) }
    }

    /// The `{NAME}` placeholders of an argument.
    static func placeholders(in argument: String) -> [String] {
        argument.split(separator: "{", omittingEmptySubsequences: false).dropFirst().compactMap { part in
            guard let end = part.firstIndex(of: "}"), end != part.startIndex else { return nil }
            let name = part[..<end]
            return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }
                ? String(name) : nil
        }
    }

    /// What `--param` can set in a command: its placeholders (`{C}`) and its flags (`--C`).
    static func parameterNames(in command: [String]) -> [String] {
        var names: [String] = []
        for argument in command {
            names += placeholders(in: argument).map { "{\($0)}" }
            if argument.hasPrefix("--"), argument.count > 2 {
                names.append(String(argument.prefix { $0 != "=" }))
            }
        }
        return names.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// The holder of the highest rung of the ladder other than `archived`: whom a new version descends from.
    static func parent(in model: Registry.Model, ladder: [String]) -> String? {
        ladder.reversed().filter { $0 != "archived" }.lazy.compactMap { model.stages?.holder(of: $0) }.first
    }

    static func fileName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

    /// Top-level numbers are metrics; an object under `slices` maps slice names to objects of numbers.
    static func readMetrics(_ data: Data, name: String) throws
        -> ([(name: String, value: Double)], [(name: String, metrics: [(name: String, value: Double)])])
    {
        guard let file = MetricsFile(data) else {
            throw ModelGateError.badInput("\(name) is not a JSON object of metrics")
        }
        let metrics = file.metrics.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        guard !metrics.isEmpty else { throw ModelGateError.badInput("\(name) holds no numeric metric") }
        let slices = file.slices.sorted { $0.key < $1.key }.map { slice in
            (name: slice.key, metrics: slice.value.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) })
        }
        return (metrics, slices)
    }
}

import Crypto
import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

extension Recorder.Request {
    /// The request as `record`'s own arguments (`--like=…`, `--param=K=V`, `--seed=…`, `--artifact-path=…`,
    /// `--description=…`, `-- COMMAND…`): what a recording Job's steps are given to read it again. Each value
    /// is joined to its option, so that a value that starts with `-` is never read as an option.
    public var arguments: [String] {
        var arguments: [String] = []
        if let like { arguments.append("--like=\(like)") }
        for (name, value) in parameters { arguments.append("--param=\(name)=\(value)") }
        if let seed { arguments.append("--seed=\(seed)") }
        if let artifactPath { arguments.append("--artifact-path=\(artifactPath)") }
        if let description { arguments.append("--description=\(description)") }
        if let command { arguments += ["--"] + command }
        return arguments
    }
}

extension Recorder {
    /// A recording that trains elsewhere (`record --emit job`): what it trains and records, read from the
    /// repository at one commit and nothing else, so that the command that writes the Job and each of the
    /// Job's steps, given the same request and commit, read the same.
    public struct Plan {
        public var request: Request
        public var commit: ObjectID
        public var model: Registry.Model
        public var ladder: [String]
        public var manifestPath: String
        /// The training settings, with the data's and lockfile's hashes at the commit.
        public var training: Training
        public var metricsOutput: String
        public var modelOutput: String
        public var artifactPath: String
        /// The trusted ref's settings (`--base`).
        public var settings: RegistrySettings
        /// The commit's date: the version's `created`, and the clock the training sees.
        public var created: Date
    }

    /// The plan of `request` at `ref`. Its data must be in Git at that commit, or have a `uri` and a
    /// recorded sha256 (a cluster has no working tree to take other data from: the Job downloads it, and
    /// the steps check it in `downloads`); in a repository with a working tree, the training folder must have
    /// no uncommitted changes (the Job trains the commit, not what is on disk).
    public func plan(_ request: Request, at ref: String) throws -> Plan {
        let commit = try repository.resolveCommit(ref)
        let registry = try TrainingRunner.validRegistry(for: request.model, at: commit, in: repository)
        let model = try registry.model(request.model)
        let manifestPath = ModelVersion.path(model: request.model, version: request.version)
        if model.manifestFiles.contains(request.version) {
            throw ModelGateError.badInput(
                "\(request.model) \(request.version) already has a manifest (\(manifestPath)) at \(commit.short); a version is recorded once"
            )
        }
        var training = try settings(for: request, model: model, registry: registry)
        guard let metricsOutput = training.metricsOutput, let modelOutput = training.modelOutput else {
            throw ModelGateError.badInput("the training settings must name outputs.model and outputs.metrics")
        }
        if repository.workingDirectory != nil {
            try refuseUncommittedChanges(in: training, at: commit)
        }
        let settings = try TrainingRunner.settings(
            trustedRef: trustedRef, own: registry.settings, repository: repository)

        var runner = TrainingRunner(repository: repository, settings: settings)
        runner.downloads = downloads
        let tree = try repository.treeID(ofCommit: commit)
        let files = training.data + (training.lockfile.map { [$0] } ?? [])
        // Files in Git are hashed at the commit; the others are downloaded, and must say from where and
        // what they hash to (checked once downloaded, by the steps).
        var checked: [DataFile] = []
        for file in files {
            if try repository.entry(at: file.path, inTree: tree) != nil {
                checked.append(file)
            } else {
                _ = try DownloadedData.required(file, at: commit)
                if downloads != nil { checked.append(file) }
            }
        }
        for check in try runner.verifyData(checked, at: commit) {
            guard let actual = check.actual, check.source == .git || check.ok else {
                throw ModelGateError.badInput(
                    "data \(check.path) downloaded has sha256 \(check.actual ?? "(none)"), not the recorded \(check.recorded ?? "(none)")"
                )
            }
            if let index = training.data.firstIndex(where: { $0.path == check.path }) {
                training.data[index].sha256 = actual
            } else {
                training.lockfile?.sha256 = actual
            }
        }
        training.source = commit
        _ = try TrainingRunner.closure(of: training, at: commit, settings: settings, in: repository)
        let artifactPath =
            request.artifactPath ?? "artifacts/\(request.model)/\(request.version)/\(Self.fileName(modelOutput))"
        if let problem = RepositoryPath.problem(artifactPath) {
            throw ModelGateError.badInput("--artifact-path \(Quoted(artifactPath)) \(problem)")
        }
        return Plan(
            request: request, commit: commit, model: model, ladder: registry.settings.stages,
            manifestPath: manifestPath, training: training, metricsOutput: metricsOutput, modelOutput: modelOutput,
            artifactPath: artifactPath, settings: settings, created: try repository.commit(commit).committer.date)
    }

    /// The files a training that ran elsewhere establishes, its outputs in `scratch` (the scratch tree it ran
    /// in): the artifact, the data profile and the manifest, by path, and the metrics.
    ///
    /// The environment is what the training image was built from: the lockfile, whose hash the signature
    /// covers (the image's interpreter and libraries are the lockfile's, installed with their hashes).
    public func files(of plan: Plan, trainedIn scratch: URL) throws -> (
        files: [(path: String, bytes: Data)], metrics: [(name: String, value: Double)]
    ) {
        let workdir = plan.training.workdir.isEmpty ? scratch : scratch.appendingPathComponent(plan.training.workdir)
        let metricsData: Data
        let artifact: Data
        do {
            metricsData = try TrainingRunner.metricsObject(
                workdir.appendingPathComponent(plan.metricsOutput), scratch: scratch)
            artifact = try OutputFile.read(
                workdir.appendingPathComponent(plan.modelOutput), inside: scratch, maximumBytes: Int64(Int32.max))
        } catch let problem as OutputFile.Problem {
            throw ModelGateError.badInput("the training's output: \(problem.message)")
        }
        let (metrics, slices) = try Self.readMetrics(metricsData, name: plan.metricsOutput)
        var training = plan.training
        training.facts = [:]
        training.signature = EnvironmentFacts.signature(
            of: training.lockfile?.sha256.map { ["lockfile": $0] } ?? [:])
        let request = plan.request
        let profile = try VersionProfile.compute(
            model: request.model, version: request.version, files: training.data.map { ($0.path, true) },
            at: plan.commit, in: repository, untracked: downloads)
        let record = ManifestWriter.Record(
            model: request.model, version: request.version, created: plan.created, description: request.description,
            artifactURI: plan.artifactPath, artifactSHA256: Hex.encode(SHA256.hash(data: artifact)),
            artifactSize: artifact.count, metrics: metrics, slices: slices, training: training,
            parent: request.like ?? Self.parent(in: plan.model, ladder: plan.ladder),
            profile: profile.map { ($0.path, $0.sha256) })
        let files =
            [(plan.artifactPath, artifact)] + (profile.map { [($0.path, $0.bytes)] } ?? [])
            + [(plan.manifestPath, Data(ManifestWriter.render(record).utf8))]
        return (files.map { (path: $0.0, bytes: $0.1) }, metrics)
    }
}

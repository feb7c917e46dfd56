import Crypto
import Foundation
import ModelGateGate
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// The first step of a training Job: the clone, and the scratch tree the training runs in.
public enum JobFetch {
    /// The variable the fetch and record steps read a Git token from (`job.gitTokenSecret`).
    public static let tokenVariable = "MODELGATE_GIT_TOKEN"

    /// Clones `url` into `handoff` (bare) and writes into the empty folder `scratch` exactly the tree `repro`
    /// would train in: the training folder, data, lockfile and `training.inputs` of `model@version` at
    /// `commit`, with the settings of `base`. The data must be in Git at the commit, or have been downloaded
    /// into `downloads` by the download step, and match its hashes: a cluster has no working tree to take
    /// other data from.
    public static func run(
        repository url: String, model: String, version: String, commit: String, base: String, scratch: URL,
        handoff: URL, downloads: URL?, token: String?
    ) throws -> String {
        let clone = try self.clone(url, into: handoff, token: token)
        var reproducer = Reproducer(repository: clone)
        reproducer.ref = commit
        reproducer.trustedRef = base
        let plan = try reproducer.plan(model: model, version: version)
        try requireFullID(commit, of: plan.commit)
        var runner = TrainingRunner(repository: clone, settings: plan.settings)
        runner.downloads = downloads
        if downloads == nil, let file = try DownloadedData.files(of: plan.training, at: plan.source, in: clone).first {
            throw ModelGateError.badInput("data \(file.path) is downloaded: --step fetch needs --downloads")
        }
        for check in try runner.verifyData(plan.training.data, at: plan.source) {
            guard check.source == .git || check.source == .download else {
                throw ModelGateError.badInput(
                    "data \(check.path) is not in the repository at \(plan.source.short): a Job trains on data in Git only"
                )
            }
            guard check.ok else {
                throw ModelGateError.badInput(
                    "data \(check.path) has sha256 \(check.actual ?? "(none)"), not the recorded \(check.recorded ?? "(none)"): nothing to train"
                )
            }
        }
        try materialize(plan.training, at: plan.source, with: runner, into: scratch)
        return "fetched \(model)@\(version) at \(plan.source.short) into \(scratch.path)\n"
    }

    /// The same for a recording: the scratch tree `record` would train `request` in, from `commit`.
    public static func run(
        repository url: String, recording request: Recorder.Request, commit: String, base: String, scratch: URL,
        handoff: URL, downloads: URL?, token: String?
    ) throws -> String {
        let clone = try self.clone(url, into: handoff, token: token)
        var recorder = Recorder(repository: clone)
        recorder.trustedRef = base
        recorder.downloads = downloads
        let plan = try recorder.plan(request, at: commit)
        try requireFullID(commit, of: plan.commit)
        var runner = TrainingRunner(repository: clone, settings: plan.settings)
        runner.downloads = downloads
        try materialize(plan.training, at: plan.commit, with: runner, into: scratch)
        return
            "fetched the training of \(request.model)@\(request.version) at \(plan.commit.short) into \(scratch.path)\n"
    }

    /// The tree the training runs in: its files at `commit`, and the downloaded data copied in.
    static func materialize(_ training: Training, at commit: ObjectID, with runner: TrainingRunner, into scratch: URL)
        throws
    {
        let clone = runner.repository
        try clone.materialize(
            commit, into: scratch, paths: try TrainingRunner.closurePaths(training, settings: runner.settings))
        for file in try DownloadedData.files(of: training, at: commit, in: clone) {
            try runner.copyIntoScratch(file.path, scratch: scratch)
        }
    }

    static func clone(_ url: String, into handoff: URL, token: String?) throws -> Repository {
        try Repository.cloneBare(
            from: url, into: handoff.appendingPathComponent(TrainingJob.cloneName).path,
            credentials: GitCredentials(user: "x-access-token", token: token))
    }

    /// A step reads the commit the Job names, never a ref the repository could move.
    static func requireFullID(_ given: String, of commit: ObjectID) throws {
        guard commit.hex == given else {
            throw ModelGateError.badInput("--ref must be the full commit id the Job names, not \(Quoted(given))")
        }
    }
}

/// The last step of a recording Job: the new version's files, committed on a new branch of the clone on top
/// of the commit it was trained from, and the branch pushed to the Git host, for its pull request.
public enum JobRecord {
    /// The kind of the one JSON line the step prints: the branch, its commit and the artifact's hash.
    public static let kind = "modelgate.dev/recording/v1"

    public static func run(
        repository clone: Repository, request: Recorder.Request, commit: String, base: String, scratch: URL,
        downloads: URL?, branch: String, token: String?
    ) throws -> (line: String, metrics: [(name: String, value: Double)]) {
        var recorder = Recorder(repository: clone)
        recorder.downloads = downloads
        recorder.trustedRef = base
        let plan = try recorder.plan(request, at: commit)
        try JobFetch.requireFullID(commit, of: plan.commit)
        let (files, metrics) = try recorder.files(of: plan, trainedIn: scratch)
        let reference = "refs/heads/\(branch)"
        guard ReferenceName.isValidBranch(reference) else {
            throw ModelGateError.badInput("invalid branch name \(Quoted(branch))")
        }
        let author = Signature(name: "modelgate record", email: "modelgate@localhost")
        let message = "Record \(request.model) \(request.version)\n"
        let recorded = try clone.createCommit(
            changing: files.map { FileChange(path: $0.path, contents: $0.bytes) }, parent: plan.commit,
            message: message, author: author, committer: author)
        try clone.updateReference(reference, to: recorded, expecting: nil, log: "modelgate: \(message)")
        try clone.push(branch: branch, to: "origin", credentials: GitCredentials(user: "x-access-token", token: token))
        let artifact = files.first { $0.path == plan.artifactPath }.map { Hex.encode(SHA256.hash(data: $0.bytes)) }
        let line =
            JSONValue.object([
                ("kind", .string(kind)), ("model", .string(request.model)), ("version", .string(request.version)),
                ("branch", .string(branch)), ("commit", .string(recorded.hex)),
                ("artifactSHA256", .string(artifact ?? "")),
            ]).renderedOnOneLine() + "\n"
        return (line, metrics)
    }
}

/// The last step of a reproducing Job: the report of the training that ran in the scratch tree, signed, as
/// the one line of its log `repro --collect` reads.
public enum JobAttest {
    public static func run(
        repository: Repository, model: String, version: String, commit: String, base: String, scratch: URL,
        downloads: URL?, key: SigningKey
    ) throws -> (report: ReproReport, line: String) {
        var reproducer = Reproducer(repository: repository)
        reproducer.downloads = downloads
        reproducer.ref = commit
        reproducer.trustedRef = base
        let report = try reproducer.report(model: model, version: version, trainedIn: scratch)
        let envelope = try Attestation.envelope(report, signedBy: key)
        return (report, JobLog.line(path: AttestationCheck.path(model: model, version: version), envelope: envelope))
    }
}

import Foundation
import ModelGateGate
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// The first step of a retraining Job: the clone, and the scratch tree the training runs in.
public enum JobFetch {
    /// The variable the fetch step reads a Git token from (`job.gitTokenSecret`).
    public static let tokenVariable = "MODELGATE_GIT_TOKEN"

    /// Clones `url` into `handoff` (bare) and writes into the empty folder `scratch` exactly the tree `repro`
    /// would train in: the training folder, data, lockfile and `training.inputs` of `model@version` at
    /// `commit`, with the settings of `base`. The data must be in Git at the commit and match its hashes: a
    /// cluster has no working tree to take other data from.
    public static func run(
        repository url: String, model: String, version: String, commit: String, base: String, scratch: URL,
        handoff: URL, token: String?
    ) throws -> String {
        let clone = try Repository.cloneBare(
            from: url, into: handoff.appendingPathComponent(ReproJob.cloneName).path,
            credentials: GitCredentials(user: "x-access-token", token: token))
        var reproducer = Reproducer(repository: clone)
        reproducer.ref = commit
        reproducer.trustedRef = base
        let plan = try reproducer.plan(model: model, version: version)
        guard plan.commit.hex == commit else {
            throw ModelGateError.badInput("--ref must be the full commit id the Job names, not \(Quoted(commit))")
        }
        let runner = TrainingRunner(repository: clone, settings: plan.settings)
        for check in try runner.verifyData(plan.training.data, at: plan.commit) {
            guard check.source == .git else {
                throw ModelGateError.badInput(
                    "data \(check.path) is not in the repository at \(plan.commit.short): a Job trains on data in Git only"
                )
            }
            guard check.ok else {
                throw ModelGateError.badInput(
                    "data \(check.path) has sha256 \(check.actual ?? "(none)"), not the recorded \(check.recorded ?? "(none)"): nothing to train"
                )
            }
        }
        try clone.materialize(
            plan.commit, into: scratch,
            paths: try TrainingRunner.visiblePaths(plan.training, at: plan.commit, in: clone))
        return "fetched \(model)@\(version) at \(plan.commit.short) into \(scratch.path)\n"
    }
}

/// The last step of a retraining Job: the report of the training that ran in the scratch tree, signed, as
/// the one line of its log `repro --collect` reads.
public enum JobAttest {
    public static func run(
        repository: Repository, model: String, version: String, commit: String, base: String, scratch: URL,
        key: SigningKey
    ) throws -> (report: ReproReport, line: String) {
        var reproducer = Reproducer(repository: repository)
        reproducer.ref = commit
        reproducer.trustedRef = base
        let report = try reproducer.report(model: model, version: version, trainedIn: scratch)
        let envelope = try Attestation.envelope(report, signedBy: key)
        return (report, JobLog.line(path: AttestationCheck.path(model: model, version: version), envelope: envelope))
    }
}

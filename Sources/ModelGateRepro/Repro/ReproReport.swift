import Foundation
import ModelGateGit

/// The outcome of a reproducibility check: every comparison made, and the verdict.
public struct ReproReport: Sendable {
    /// `reproduced`, `reproduced-within-tolerance` or `failed`.
    public enum Verdict: String, Sendable {
        case reproduced
        case withinTolerance = "reproduced-within-tolerance"
        case failed
    }

    /// Where a data file's bytes were read.
    public enum Source: String, Sendable {
        /// Tracked at the ref: read through libgit2.
        case git
        /// Untracked: read from the working tree, streaming.
        case workingTree = "working tree"
        /// Untracked: downloaded from its `uri` by a training Job's download step.
        case download
    }

    /// One training data file or folder, checked against its recorded sha256.
    public struct DataCheck: Sendable {
        public var path: String
        public var recorded: String?
        public var actual: String?
        /// Where the bytes came from.
        public var source: Source
        public var ok: Bool { recorded != nil && recorded == actual }
    }

    /// One recorded metric against its reproduction.
    public struct MetricCheck: Sendable {
        public var name: String
        public var recorded: Double
        public var actual: Double?
        public var tolerance: Tolerance
        public var ok: Bool { actual.map { tolerance.accepts(actual: $0, recorded: recorded) } ?? false }
    }

    public var model: String
    public var version: String
    public var registryCommit: ObjectID
    public var manifestPath: String
    public var manifestBlob: ObjectID?
    public var artifactURI: String
    /// The training folder (`workdir`), and its Git tree id at the registry commit: what an attestation binds.
    public var workdir: String = ""
    public var trainingTree: ObjectID?
    /// The commit the training was read at (the version's `training.source`, else the registry commit).
    public var source: ObjectID?
    /// `VersionClosure.digest` there.
    public var closure: String?
    public var recordedFacts: [String: String]
    public var recordedSignature: String?
    public var currentFacts: EnvironmentFacts
    public var data: [DataCheck]
    public var metrics: [MetricCheck]
    /// The profile of the verified data, computed again (`predicate.profile`); nil when no data file is
    /// a CSV file.
    public var profile: (path: String, sha256: String)?
    /// The profile sha256 the manifest records, which `profile` must equal.
    public var recordedProfile: String?
    public var recordedArtifact: String?
    public var reproducedArtifact: String?
    /// How the training command ended, nil when it did not run (data failed verification).
    public var outcome: Subprocess.Outcome?
    public var sandboxed: Bool
    public var duration: TimeInterval
    /// Every reason the verdict is not `reproduced`, in order.
    public var reasons: [String]

    /// Why an artifact may differ: the facts that differ between the recording and now (a differing `cpu`
    /// is the usual one: the instruction set decides which BLAS kernel runs), as a clause for a reason.
    public var likelyCause: String {
        let differing = currentFacts.differences(from: recordedFacts)
        guard !differing.isEmpty else {
            return "; no environment fact differs: look for nondeterminism in the training (seeds, threads, timestamps)"
        }
        let described = differing.map { "\($0.key) (recorded \($0.recorded ?? "none"), now \($0.now ?? "none"))" }
        return "; likely cause, the facts that differ: " + described.joined(separator: ", ")
    }

    public var verdict: Verdict {
        if outcome != .exited(0) || data.contains(where: { !$0.ok }) || metrics.contains(where: { !$0.ok })
            || recordedProfile.map({ $0 != profile?.sha256 }) ?? false
        {
            return .failed
        }
        // No artifact (none written, or a FIFO, a link or a device where it should be): nothing was reproduced.
        guard let reproducedArtifact else { return .failed }
        return reproducedArtifact == recordedArtifact ? .reproduced : .withinTolerance
    }
}

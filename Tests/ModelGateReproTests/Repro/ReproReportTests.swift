import Foundation
import ModelGateGit
import Testing

@testable import ModelGateRepro

@Suite("ReproReport")
struct ReproReportTests {
    /// A run whose data verified and whose metrics all came back; the artifact as given.
    func report(reproduced artifact: String?, recordedFacts: [String: String] = ["cpu": "x86-64-v4"]) -> ReproReport {
        ReproReport(
            model: "churn", version: "1.0.0", registryCommit: ObjectID(hex: String(repeating: "a", count: 40))!,
            manifestPath: "models/churn/versions/1.0.0.yaml", manifestBlob: nil, artifactURI: "artifacts/model.pkl",
            recordedFacts: recordedFacts, recordedSignature: nil,
            currentFacts: EnvironmentFacts(facts: ["cpu": "x86-64-v3"]),
            data: [.init(path: "data/churn.csv", recorded: "x", actual: "x", source: .git)],
            metrics: [.init(name: "auc", recorded: 0.9, actual: 0.9, tolerance: .standard)],
            recordedArtifact: "r", reproducedArtifact: artifact, outcome: .exited(0), sandboxed: true, duration: 1,
            reasons: [])
    }

    @Test func noRegularArtifactFailsWhateverTheMetricsSay() {
        #expect(report(reproduced: nil).verdict == .failed, "a FIFO, a link or nothing where the model should be")
        #expect(report(reproduced: "r").verdict == .reproduced)
        #expect(report(reproduced: "other").verdict == .withinTolerance)
    }

    @Test func theLikelyCauseNamesTheDifferingFacts() {
        #expect(
            report(reproduced: "other").likelyCause
                == "; likely cause, the facts that differ: cpu (recorded x86-64-v4, now x86-64-v3)")
        #expect(
            report(reproduced: "other", recordedFacts: ["cpu": "x86-64-v3"]).likelyCause.contains(
                "no environment fact differs"))
    }
}

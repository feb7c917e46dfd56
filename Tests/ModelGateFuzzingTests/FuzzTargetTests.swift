import Foundation
import ModelGateFuzzing
import Testing

/// Every fuzz target over its seed corpus and over every input a fuzzing run found (Regressions/<target>/):
/// what once broke a promise keeps being checked.
@Suite("Fuzz targets") struct FuzzTargetTests {
    static let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Regressions")

    @Test(arguments: FuzzTarget.allCases)
    func seedsKeepThePromises(_ target: FuzzTarget) {
        let seeds = SeedCorpus.seeds(for: target)
        #expect(!seeds.isEmpty)
        for seed in seeds {
            #expect(throws: Never.self, "\(seed.name)") { try target.run(seed.data) }
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func regressionsKeepThePromises(_ target: FuzzTarget) throws {
        let folder = Self.regressions.appendingPathComponent(target.rawValue)
        // A target without a folder has no regression yet (Git keeps no empty folder).
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            #expect(throws: Never.self, "\(name)") { try target.run(data) }
        }
    }

    @Test func everyRegressionFolderNamesATarget() throws {
        // A misspelt folder would never be replayed; the README is the only other entry.
        let entries = try FileManager.default.contentsOfDirectory(atPath: Self.regressions.path)
        let targets = Set(FuzzTarget.allCases.map(\.rawValue))
        #expect(entries.filter { $0 != "README.md" && !targets.contains($0) }.isEmpty)
        #expect(entries.contains("README.md"))
    }

    @Test func theOraclesCatchBrokenPromises() throws {
        // A value that would break out of its YAML string and Dockerfile instruction, were it not refused,
        // is caught by the structure comparison: proven on the comparison itself.
        #expect(ShapeProbe.yamlShapesDiffer("a: \"x\"\n", "a: \"x\"\nb: 1\n"))
        #expect(ShapeProbe.dockerInstructionsDiffer("FROM a\nLABEL x=\"y\"\n", "FROM a\nLABEL x=\"y\"\nRUN evil\n"))
        // An attestation that names another manifest is not valid, and says why.
        let foreign = Data(
            #"{"_type": "https://in-toto.io/Statement/v1", "predicateType": "urn:modelgate:repro:v1", "predicate": {"manifest": {"blob": "00"}, "verdict": "reproduced"}}"#
                .utf8)
        #expect(throws: Never.self) { try FuzzTarget.attestation.run(foreign) }
        // A verifier that accepted what it must refuse is caught by the oracle, which judges without it.
        #expect(throws: (any Error).self) {
            try AttestationProbe.judgeAcceptance(of: foreign, verdict: "reproduced", signers: ["fuzz"])
        }
        let unsandboxed = AttestationProbe.signedEnvelope(verdict: "reproduced", sandbox: false)
        #expect(throws: (any Error).self) {
            try AttestationProbe.judgeAcceptance(of: unsandboxed, verdict: "reproduced", signers: ["fuzz"])
        }
        let failed = AttestationProbe.signedEnvelope(verdict: "failed", sandbox: true)
        #expect(throws: (any Error).self) {
            try AttestationProbe.judgeAcceptance(of: failed, verdict: "failed", signers: ["fuzz"])
        }
        // ...and lets a true acceptance through, so the cases above fail for the reason they name.
        let good = AttestationProbe.signedEnvelope(verdict: "reproduced", sandbox: true)
        #expect(throws: Never.self) {
            try AttestationProbe.judgeAcceptance(of: good, verdict: "reproduced", signers: ["fuzz"])
        }
        #expect(throws: Never.self) { try FuzzTarget.attestation.run(good) }
    }
}

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
        // Every target has its folder: a missing one would make this test pass on nothing.
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!names.isEmpty, "Regressions/\(target.rawValue) is empty")
        for name in names.sorted() {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            #expect(throws: Never.self, "\(name)") { try target.run(data) }
        }
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
    }
}

import Crypto
import Foundation
import ModelGateKit
import ModelGateTestSupport
import Testing

/// A version's data profile is evidence: the manifest records its sha256, the drift rule checks the bytes
/// at head against it, and a signed reproduction binds the profile it computed again from the verified data.
@Suite("profiles are evidence", .serialized)
struct ProfileEvidenceTests {
    /// Writes the data it was given as its model, so the artifact follows the data.
    static let trainer = """
        import json, os
        os.makedirs("out", exist_ok=True)
        open("out/model.bin", "w").write(open(os.path.join(os.environ["MODELGATE_REPO"], "data", "toy.csv")).read())
        json.dump({"score": 0.9}, open("out/metrics.json", "w"))

        """

    static let policy = """
        apiVersion: modelgate/v1
        kind: Policy
        name: toy-gate
        appliesTo:
          stages: [production]
          models: [toy]
        rules:
          - drift: psi
            against: production
            max: 0.2
          - require: reproducible

        """

    /// `x` from `start` upwards, 200 rows.
    static func data(from start: Int) -> String {
        "x\n" + (0..<200).map { "\(start + $0)\n" }.joined()
    }

    /// main: toy 1.0.0 recorded and in production, a trusted attestor; `pr`: toy 1.1.0 recorded on other
    /// data, reproduced and signed against main, proposed for production.
    func registry(key: URL) throws -> FixtureRegistry {
        let fixture = try FixtureRegistry(empty: true)
        #expect(try fixture.modelgate("keygen", "--out", key.path).status == 0)
        try fixture.write(
            "modelgate.yaml",
            FixtureRegistry.settings + "trust:\n  attestors:\n    - {name: ci, publicKeyFile: keys/ci.pub}\n")
        try fixture.write("keys/ci.pub", try String(contentsOfFile: key.path + ".pub", encoding: .utf8))
        try fixture.write("policies/toy-gate.yaml", Self.policy)
        try fixture.writeTrainableModel(
            "toy", trainer: Self.trainer, data: ("toy.csv", Self.data(from: 0)), artifact: "model.bin")
        try fixture.commit("A toy model")
        #expect(try fixture.modelgate("record", "toy@1.0.0", "--commit").status == 0)
        try fixture.write("models/toy/stages.yaml", FixtureRegistry.stages(["production": "1.0.0"], model: "toy"))
        try fixture.commit("toy 1.0.0 in production")

        _ = try fixture.git("checkout", "-q", "-b", "pr")
        try fixture.write("data/toy.csv", Self.data(from: 150))
        try fixture.commit("New data")
        let recorded = try fixture.modelgate("record", "toy@1.1.0", "--commit")
        #expect(recorded.status == 0, "\(recorded.stdout)\(recorded.stderr)")
        let signed = try fixture.modelgate("repro", "toy@1.1.0", "--base", "main", "--record", "--sign", key.path)
        #expect(signed.status == 0, "\(signed.stdout)\(signed.stderr)")
        try fixture.write("models/toy/stages.yaml", FixtureRegistry.stages(["production": "1.1.0"], model: "toy"))
        try fixture.commit("Attest toy 1.1.0 and promote it")
        return fixture
    }

    /// The gate's results for the promotion of toy, by rule.
    func results(_ fixture: FixtureRegistry) throws -> [(rule: String, status: String, message: String)] {
        let check = try fixture.modelgate("check", "--base", "main", "--format", "json")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        let evaluations = try #require(report["evaluations"] as? [[String: Any]])
        return evaluations.flatMap { ($0["results"] as? [[String: Any]]) ?? [] }.map {
            ($0["rule"] as? String ?? "", $0["status"] as? String ?? "", $0["message"] as? String ?? "")
        }
    }

    @Test func recordBindsTheProfileAndASwappedProfileIsCaught() throws {
        let secrets = ScratchDirectory()
        let fixture = try registry(key: secrets.url.appendingPathComponent("ci.key"))
        // The manifest records the sha256 of the profile written beside it.
        let profile = try Data(contentsOf: fixture.url.appendingPathComponent("profiles/toy/1.1.0.json"))
        let sha256 = Hex.encode(SHA256.hash(data: profile))
        #expect(
            try fixture.read("models/toy/versions/1.1.0.yaml").contains(
                "profile: {path: profiles/toy/1.1.0.json, sha256: \(sha256)}\n"))
        // The statement binds the profile the reproduction computed from the verified data.
        let envelope = try #require(
            try JSONSerialization.jsonObject(with: Data(fixture.read("attestations/toy/1.1.0.json").utf8))
                as? [String: Any])
        let payload = try #require(Data(base64Encoded: envelope["payload"] as? String ?? ""))
        let statement = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
        let predicate = try #require(statement["predicate"] as? [String: Any])
        #expect(
            predicate["profile"] as? [String: String] == ["path": "profiles/toy/1.1.0.json", "sha256": sha256])

        // Honest: the data moved, the drift rule says so; the attestation holds.
        let honest = try results(fixture)
        #expect(honest.contains { $0.rule == "x/drift.psi" && $0.status == "fail" && $0.message.contains("psi") })
        #expect(honest.contains { $0.rule == "require.reproducible" && $0.status == "pass" })

        // The attack: the holder's profile in place of the candidate's turns the psi into 0.
        try fixture.write(
            "profiles/toy/1.1.0.json",
            data: Data(contentsOf: fixture.url.appendingPathComponent("profiles/toy/1.0.0.json")))
        try fixture.commit("Nothing to see")
        let swapped = try results(fixture)
        #expect(
            swapped.contains {
                $0.rule == "drift.psi" && $0.status == "fail" && $0.message.contains("changed after it was recorded")
            }, "\(swapped)")
        #expect(!swapped.contains { $0.status == "pass" && $0.rule.contains("drift") })
        #expect(
            swapped.contains {
                $0.rule == "require.reproducible" && $0.status == "fail"
                    && $0.message.contains("the profile changed since")
            }, "\(swapped)")
        // `modelgate drift` refuses the swapped profile too.
        let drift = try fixture.modelgate("drift", "toy@1.1.0", "--data", "data/toy.csv")
        #expect(drift.status == 2)
        #expect(drift.stderr.contains("changed after it was recorded"), "\(drift.stderr)")
    }

    @Test func reproFailsWhereTheVerifiedDataProfileOtherwise() throws {
        let secrets = ScratchDirectory()
        let fixture = try registry(key: secrets.url.appendingPathComponent("ci.key"))
        // A manifest recording the sha256 of another profile: the data does not profile to it.
        let manifest = try fixture.read("models/toy/versions/1.1.0.yaml")
        let recorded = try #require(manifest.split(separator: "\n").first { $0.hasPrefix("profile:") })
        try fixture.write(
            "models/toy/versions/1.1.0.yaml",
            manifest.replacingOccurrences(
                of: String(recorded),
                with: "profile: {path: profiles/toy/1.1.0.json, sha256: \(String(repeating: "0", count: 64))}"))
        try fixture.commit("Another profile")
        let repro = try fixture.modelgate("repro", "toy@1.1.0")
        #expect(repro.status == 1, "\(repro.stdout)\(repro.stderr)")
        #expect(repro.stdout.contains("profile ✘ differs"))
        #expect(repro.stdout.contains("verdict: failed"))
        #expect(repro.stdout.contains("the verified data profile to sha256"))
    }

    @Test func aProfileElsewhereIsAValidationError() throws {
        let fixture = try FixtureRegistry()
        try fixture.write(
            "models/churn/versions/1.2.0.yaml",
            FixtureRegistry.manifest(
                "1.2.0", extra: "profile: {path: profiles/churn/1.0.0.json, sha256: \(FixtureRegistry.hash)}"))
        try fixture.commit("A borrowed profile")
        #expect(
            try fixture.problems().contains {
                $0.contains("1.2.0.yaml:") && $0.contains("must be this version's profiles/churn/1.2.0.json")
            })
    }
}

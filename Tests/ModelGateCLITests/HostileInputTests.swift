import Foundation
import ModelGateKit
import ModelGateTestSupport
import Testing

/// Hostile registries end to end: every one is refused with exit 2 and a positioned error, never a crash,
/// a hang or a weaker gate. (Per-format details live with each loader's tests; the fuzz targets generalise.)
@Suite("Hostile input") struct HostileInputTests {
    @Test func numbersOutOfRangeAreNamedWithTheirPosition() throws {
        let fixture = try FixtureRegistry()
        try fixture.write(
            "models/churn/versions/1.1.0.yaml",
            FixtureRegistry.manifest("1.1.0").replacingOccurrences(of: "accuracy: 0.85", with: "accuracy: 1e400")
                .replacingOccurrences(of: "seed: 42", with: "seed: 99999999999999999999"))
        try fixture.write(
            "models/churn/model.yaml", FixtureRegistry.model.replacingOccurrences(of: "port: 8080", with: "port: 70000")
        )
        try fixture.commit("out of range")
        let result = try fixture.modelgate("validate")
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "models/churn/versions/1.1.0.yaml:11:13: error: metric 'accuracy' '1e400' is out of range"))
        #expect(
            result.stderr.contains(
                "models/churn/versions/1.1.0.yaml:17:9: error: 'seed' '99999999999999999999' is out of range (a 64-bit integer)"
            ))
        #expect(result.stderr.contains("models/churn/model.yaml:7:9: error: port 70000 must be between 1 and 65535"))
    }

    @Test(arguments: [
        ("quote", "churn\\\"x"), ("newline", "churn\\nRUN curl evil"), ("dollar", "${HOME}"), ("backtick", "`id`"),
        ("confusable", "\u{0441}hurn"), ("fullwidth", "\u{FF43}hurn"), ("zero-width", "ch\u{200B}urn"),
    ])
    func namesThatWouldReachATemplateAreRefused(_ kind: String, _ name: String) throws {
        let fixture = try FixtureRegistry()
        try fixture.write(
            "models/churn/model.yaml",
            FixtureRegistry.model.replacingOccurrences(of: "name: churn", with: "name: \"\(name)\""))
        try fixture.write(
            "models/churn/versions/1.1.0.yaml",
            FixtureRegistry.manifest("1.1.0").replacingOccurrences(of: "model: churn", with: "model: \"\(name)\""))
        try fixture.commit(kind)
        for arguments in [["validate"], ["bundle", "churn@1.1.0", "--out", "out", "--force"]] {
            let result = try Shell.modelgate(arguments, in: fixture.url)
            #expect(result.status == 2, "\(kind): \(arguments)")
            #expect(
                result.stderr.contains("models/churn/model.yaml:3:7: error: model name"), "\(kind): \(result.stderr)")
            #expect(result.stderr.contains("models/churn/versions/1.1.0.yaml:3:8: error:"), "\(kind): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.url.appendingPathComponent("out").path))
    }

    @Test func aRegistryFileThatIsASymbolicLinkIsRefused() throws {
        let fixture = try FixtureRegistry()
        try fixture.remove("policies/production-gate.yaml")
        try FileManager.default.createSymbolicLink(
            atPath: fixture.url.appendingPathComponent("policies/production-gate.yaml").path,
            withDestinationPath: "/etc/passwd")
        try fixture.commit("link")
        let result = try fixture.modelgate("check")
        #expect(result.status == 2 || result.status == 1)
        #expect(
            result.stdout.contains("policies/production-gate.yaml is a symbolic link")
                || result.stderr.contains("policies/production-gate.yaml is a symbolic link"))
    }
}

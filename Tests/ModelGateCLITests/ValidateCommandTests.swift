import Foundation
import ModelGateTestSupport
import Testing

/// End to end: the built binary on real repositories, stdout, stderr and exit status.
@Suite("modelgate validate")
struct ValidateCommandTests {
    @Test func validRegistryExitsZero() throws {
        let fixture = try FixtureRegistry()
        let result = try fixture.modelgate("validate")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("valid: 1 models, 2 versions, 1 policies at "))
        #expect(result.stderr.isEmpty)
    }

    @Test func problemsGoToStderrSortedWithPositionsAndExitTwo() throws {
        let fixture = try FixtureRegistry()
        try fixture.write("policies/production-gate.yaml", FixtureRegistry.productionPolicy + "extra: 1\n")
        try fixture.write("models/churn/model.yaml", FixtureRegistry.model + "colour: blue\n")
        try fixture.commit("break")
        let result = try fixture.modelgate("validate")
        #expect(result.status == 2)
        #expect(
            result.stderr == """
                models/churn/model.yaml:8:1: error: unknown key 'colour' in model.yaml
                policies/production-gate.yaml:15:1: error: unknown key 'extra' in the policy

                """)
        #expect(result.stdout == "invalid: 2 errors at \(try fixture.git("rev-parse", "--short=7", "HEAD"))\n")
    }

    @Test func validatesAnyRefWithoutACheckout() throws {
        let fixture = try FixtureRegistry()
        try fixture.write("models/churn/stages.yaml", "not: [valid\n")
        try fixture.commit("break")
        #expect(try fixture.modelgate("validate").status == 2)
        #expect(try fixture.modelgate("validate", "--ref", "HEAD~1").status == 0)
        let unknown = try fixture.modelgate("validate", "--ref", "nope")
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "error: unknown revision 'nope'\n")
    }

    @Test func jsonReportAndOutputFile() throws {
        let fixture = try FixtureRegistry()
        try fixture.write("models/churn/model.yaml", FixtureRegistry.model + "colour: blue\n")
        try fixture.commit("break")
        let result = try fixture.modelgate("validate", "--format", "json", "--output", "report.json")
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let report = try JSONSerialization.jsonObject(
            with: Data(contentsOf: fixture.url.appendingPathComponent("report.json")))
        let object = try #require(report as? [String: Any])
        #expect(object["valid"] as? Bool == false)
        let errors = try #require(object["errors"] as? [[String: Any]])
        #expect(errors.count == 1)
        #expect(errors[0]["path"] as? String == "models/churn/model.yaml")
        #expect(errors[0]["line"] as? Int == 8)
        #expect(errors[0]["column"] as? Int == 1)
        #expect(errors[0]["message"] as? String == "unknown key 'colour' in model.yaml")
    }

    @Test func notARepositoryIsBadInput() throws {
        let scratch = ScratchDirectory()
        let result = try Shell.modelgate(["validate"], in: scratch.url)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: not a Git repository"))
        let missing = try Shell.modelgate(["validate", "--repo", "/no/such/dir"], in: scratch.url)
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: no such directory: /no/such/dir\n")
    }

    @Test func usageErrorsExitTwoNotSixtyFour() throws {
        let scratch = ScratchDirectory()
        for arguments in [
            ["validate", "--bogus"], ["frobnicate"], ["validate", "--format", "xml"],
            ["validate", "--format", "sarif"],
        ] {
            let result = try Shell.modelgate(arguments, in: scratch.url)
            #expect(result.status == 2, "\(arguments)")
            #expect(!result.stderr.isEmpty)
        }
        let help = try Shell.modelgate(["--help"], in: scratch.url)
        #expect(help.status == 0)
        #expect(help.stdout.contains("validate"))
    }

    @Test func worktreeChecksTheFilesOnDiskBeforeTheyAreCommitted() throws {
        let fixture = try FixtureRegistry()
        try fixture.write(
            "models/churn/versions/1.2.0.yaml", FixtureRegistry.manifest("1.2.0") + "linage: {parent: 1.1.0}\n")
        try fixture.write(".gitignore", "scratch/\n")
        try fixture.write("scratch/models/broken.yaml", "not: [valid")
        #expect(try fixture.modelgate("validate").status == 0, "HEAD is still valid")
        let result = try fixture.modelgate("validate", "--worktree")
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "models/churn/versions/1.2.0.yaml:20:1: error: unknown key 'linage' in the manifest; did you mean 'lineage'?"
            ))
        #expect(!result.stderr.contains("scratch/"), "ignored files are left out")
        #expect(result.stdout == "invalid: 1 error in the working tree\n")
        #expect(
            try fixture.git("status", "--porcelain") == "?? .gitignore\n?? models/churn/versions/1.2.0.yaml",
            "the index is untouched")
        try fixture.remove("models/churn/stages.yaml")
        try fixture.remove("models/churn/versions/1.2.0.yaml")
        let deleted = try fixture.modelgate("validate", "--worktree")
        #expect(deleted.status == 0, "a deleted file is gone from the check too: \(deleted.stderr)")
        #expect(try fixture.modelgate("validate", "--worktree", "--ref", "HEAD").status == 2)
    }

    @Test func seedsVersionsOfEqualPrecedenceAndByteOrderMarks() throws {
        let fixture = try FixtureRegistry()
        try fixture.write(
            "models/churn/versions/1.1.0.yaml",
            FixtureRegistry.manifest("1.1.0").replacingOccurrences(of: "seed: 42", with: "seed: -5"))
        try fixture.write("models/churn/versions/1.0.0+build.1.yaml", FixtureRegistry.manifest("1.0.0+build.1"))
        try fixture.write("models/churn/model.yaml", "\u{FEFF}" + FixtureRegistry.model)
        try fixture.commit("three problems, one of them not a problem")
        let result = try fixture.modelgate("validate")
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "models/churn/versions/1.1.0.yaml:17:9: error: seed -5 must be between 0 and 4294967295"))
        #expect(result.stderr.contains("has the same SemVer precedence as"))
        #expect(!result.stderr.contains("model.yaml"), "a UTF-8 byte order mark is accepted: \(result.stderr)")
    }

    @Test func hostileInputIsRefusedWithExitTwo() throws {
        let fixture = try FixtureRegistry()
        var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            bomb += "a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", "))]\n"
        }
        try fixture.write("policies/bomb.yaml", bomb)
        try fixture.write("models/churn/versions/2.0.0.yaml", data: Data(repeating: 0x61, count: 5 << 20))
        var invalid = Data("apiVersion: modelgate/v1\nkind: Model\nname: caf".utf8)
        invalid.append(0xE9)
        try fixture.write("models/cafe/model.yaml", data: invalid + Data("\n".utf8))
        try fixture.commit("hostile")
        let result = try fixture.modelgate("validate")
        #expect(result.status == 2)
        #expect(result.stderr.contains("models/cafe/model.yaml:3:10: error: invalid UTF-8 byte 0xe9"))
        #expect(result.stderr.contains("models/churn/versions/2.0.0.yaml:1:1: error: file is 5242880 bytes"))
        #expect(result.stderr.contains("policies/bomb.yaml:"))
        #expect(result.stderr.contains("expands past the limit"))
    }
}

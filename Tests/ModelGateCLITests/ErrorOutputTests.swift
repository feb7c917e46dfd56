import Foundation
import ModelGateTestSupport
import Testing

/// What a program reading modelgate sees when something goes wrong (`--format json`: one error object on
/// standard output) and what a script sees under `--quiet` when nothing does (nothing at all).
@Suite("errors and quiet")
struct ErrorOutputTests {
    func example() throws -> (scratch: ScratchDirectory, registry: URL) {
        let scratch = ScratchDirectory("modelgate-errors")
        let result = try Shell.modelgate(["init", "registry", "--example", "--quiet"], in: scratch.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty && result.stderr.isEmpty, "init --quiet: \(result.stdout)\(result.stderr)")
        return (scratch, scratch.url.appendingPathComponent("registry"))
    }

    func errorObject(_ stdout: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
        return try #require(value?["error"] as? [String: Any], "\(stdout)")
    }

    @Test func underJSONAnErrorIsOneObjectOnStandardOutput() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        // An unknown model: no position.
        let unknown = try Shell.modelgate(["show", "chrun", "--format", "json"], in: registry)
        #expect(unknown.status == 2)
        let object = try errorObject(unknown.stdout)
        #expect((object["message"] as? String)?.contains("did you mean 'churn'?") == true)
        #expect(object["exitCode"] as? Int == 2)
        #expect(object["file"] == nil && object["line"] == nil)
        #expect(unknown.stderr.contains("error: unknown model 'chrun'"), "people still read standard error")

        // A usage error, with `--format=json` spelled the other way.
        let usage = try Shell.modelgate(["status", "--format=json", "--bogus"], in: registry)
        #expect(usage.status == 2)
        #expect((try errorObject(usage.stdout)["message"] as? String)?.contains("--bogus") == true)

        // A command that wrote its report before it refused adds no second object: render, where production
        // must deploy by digest and no image has one.
        let settings = registry.appendingPathComponent("modelgate.yaml")
        let text0 = try String(contentsOf: settings, encoding: .utf8)
        try text0.replacingOccurrences(
            of: "  base: python:3.11.7-slim\n", with: "  base: python:3.11.7-slim\n  requireDigest: [production]\n"
        ).write(to: settings, atomically: true, encoding: .utf8)
        try Shell.git(["commit", "-qam", "Deploy production by digest"], in: registry)
        let render = try Shell.modelgate(["render", "--check", "--format", "json"], in: registry)
        #expect(render.status == 2, "\(render.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(render.stdout.utf8)) as? [String: Any]
        #expect(report?["holders"] != nil, "\(render.stdout)")

        // A file with a position.
        let model = registry.appendingPathComponent("models/churn/model.yaml")
        let text = try String(contentsOf: model, encoding: .utf8)
        try (text + "owner: [\n").write(to: model, atomically: true, encoding: .utf8)
        try Shell.git(["commit", "-qam", "Break model.yaml"], in: registry)
        let broken = try Shell.modelgate(["status", "--format", "json"], in: registry)
        #expect(broken.status == 2, "\(broken.stdout)")
        let positioned = try errorObject(broken.stdout)
        #expect(positioned["file"] as? String == "models/churn/model.yaml")
        #expect((positioned["line"] as? Int ?? 0) > 1 && positioned["column"] as? Int != nil)

        // Without --format json, standard output stays clean of errors; after `--`, a training's own
        // `--format json` is not modelgate's.
        let text2 = try Shell.modelgate(["show", "chrun"], in: registry)
        #expect(text2.status == 2 && text2.stdout.isEmpty)
        #expect(!text2.stderr.contains("{"))
    }

    @Test func quietPrintsNothingWhenNothingIsWrong() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        let out = scratch.url.appendingPathComponent("out")
        let commands: [[String]] = [
            ["validate"], ["check"], ["status"], ["show", "churn"], ["show", "churn@1.3.0"], ["history", "churn"],
            ["diff", "churn@1.1.0", "churn@1.3.0"], ["verify", "churn@1.3.0"],
            ["site", "--out", out.appendingPathComponent("site").path],
            ["render", "--out", "deploy-out"],
            ["bundle", "churn", "--stage", "production", "--out", out.appendingPathComponent("bundle").path],
            ["promote", "churn@1.2.0", "--to", "staging", "--branch", "quiet-promotion"],
        ]
        for command in commands {
            let result = try Shell.modelgate(command + ["--quiet"], in: registry)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(command) --quiet printed \(result.stdout)")
            #expect(result.stderr.isEmpty, "\(command) --quiet printed \(result.stderr)")
        }
        // An error is still said.
        let failing = try Shell.modelgate(["show", "chrun", "--quiet"], in: registry)
        #expect(failing.status == 2 && failing.stderr.contains("unknown model 'chrun'"))
    }
}

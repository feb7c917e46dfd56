import Crypto
import Foundation
import ModelGateKit
import ModelGateTestSupport
import Testing

/// The gate's `drift` rule on the example: the candidate's training-data profile against the production
/// holder's, read at the base.
@Suite("drift rule")
struct DriftRuleTests {
    /// The example with a PR on top that promotes churn 1.4.0 (1.3.0's manifest, trained on `data`'s profile).
    func promotion(profile shifted: Bool, rewriteHolder: Bool = false, withProfile: Bool = true) throws -> (
        ScratchDirectory, URL
    ) {
        let scratch = ScratchDirectory("modelgate-drift-rule")
        #expect(try Shell.modelgate(["init", "registry", "--example", "--quiet"], in: scratch.url).status == 0)
        let registry = scratch.url.appendingPathComponent("registry")
        let recent = scratch.url.appendingPathComponent("recent.csv")
        #expect(try Shell.run(["python3", "training/make_data.py", "--recent", recent.path], in: registry).status == 0)
        let source = shifted ? recent.path : registry.appendingPathComponent("data/churn.csv").path
        let profile = scratch.url.appendingPathComponent("profile.json")
        #expect(try Shell.modelgate(["profile", source, "--out", profile.path], in: registry).status == 0)
        let wrapped = "{\"data\": {\"data/churn.csv\": " + (try String(contentsOf: profile, encoding: .utf8)) + "}}\n"
        // 1.3.0's manifest, recording the profile written beside it.
        let manifest = try String(
            contentsOf: registry.appendingPathComponent("models/churn/versions/1.3.0.yaml"), encoding: .utf8
        )
        .replacingOccurrences(of: "version: 1.3.0", with: "version: 1.4.0")
        .replacing(
            #/profile: \{path: profiles/churn/1.3.0.json, sha256: [0-9a-f]+\}/#,
            with:
                "profile: {path: profiles/churn/1.4.0.json, sha256: \(Hex.encode(SHA256.hash(data: Data(wrapped.utf8))))}"
        )
        try Data(manifest.utf8).write(to: registry.appendingPathComponent("models/churn/versions/1.4.0.yaml"))
        if withProfile {
            try Data(wrapped.utf8).write(to: registry.appendingPathComponent("profiles/churn/1.4.0.json"))
        }
        if rewriteHolder {
            try Data(wrapped.utf8).write(to: registry.appendingPathComponent("profiles/churn/1.3.0.json"))
        }
        let stages = registry.appendingPathComponent("models/churn/stages.yaml")
        let text = try String(contentsOf: stages, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "production: 1.3.0", with: "production: 1.4.0").utf8).write(to: stages)
        try Shell.git(["add", "-A"], in: registry)
        try Shell.git(["commit", "-qm", "Promote churn 1.4.0"], in: registry)
        return (scratch, registry)
    }

    func results(_ registry: URL) throws -> [String: String] {
        let result = try Shell.modelgate(["check", "--base", "HEAD~1", "--format", "json"], in: registry)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let evaluations = object?["evaluations"] as? [[String: Any]] ?? []
        var statuses: [String: String] = [:]
        for evaluation in evaluations where evaluation["version"] as? String == "1.4.0" {
            for result in evaluation["results"] as? [[String: Any]] ?? [] {
                statuses["\(result["policy"]!)/\(result["rule"]!)"] = result["status"] as? String
            }
        }
        return statuses
    }

    @Test func theSameDataPassesEveryColumn() throws {
        let (scratch, registry) = try promotion(profile: false)
        defer { withExtendedLifetime(scratch) {} }
        let statuses = try results(registry)
        for column in ["region", "tenure", "monthly_charges", "support_tickets", "contract", "churned"] {
            #expect(statuses["churn-quality/\(column)/drift.psi"] == "pass", "\(column): \(statuses)")
        }
    }

    @Test func shiftedColumnsAndANewCategoryFailByName() throws {
        let (scratch, registry) = try promotion(profile: true)
        defer { withExtendedLifetime(scratch) {} }
        let statuses = try results(registry)
        #expect(statuses["churn-quality/tenure/drift.psi"] == "fail")
        #expect(statuses["churn-quality/region/drift.psi"] == "fail")
        #expect(statuses["churn-quality/monthly_charges/drift.psi"] == "fail")
        #expect(statuses["churn-quality/support_tickets/drift.psi"] == "pass")
        let markdown = try Shell.modelgate(["check", "--base", "HEAD~1", "--format", "markdown"], in: registry)
        #expect(markdown.stdout.contains("**Data drift**"))
        #expect(markdown.stdout.contains("| ❌ | tenure | psi |"), "\(markdown.stdout)")
    }

    /// The holder's profile is read at the base: a pull request that rewrites it to match gains nothing.
    @Test func rewritingTheHoldersProfileDoesNotHelp() throws {
        let (scratch, registry) = try promotion(profile: true, rewriteHolder: true)
        defer { withExtendedLifetime(scratch) {} }
        #expect(try results(registry)["churn-quality/tenure/drift.psi"] == "fail")
    }

    @Test func aMissingProfileFails() throws {
        let (scratch, registry) = try promotion(profile: false, withProfile: false)
        defer { withExtendedLifetime(scratch) {} }
        let statuses = try results(registry)
        #expect(statuses["churn-quality/drift.psi"] == "fail", "\(statuses)")
    }
}

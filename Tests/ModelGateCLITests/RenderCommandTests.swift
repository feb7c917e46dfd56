import Foundation
import ModelGateTestSupport
import Testing

/// `modelgate render` end to end on the example registry: the deploy folder, kustomize over it, the drift
/// check CI runs, and the rules for images.
@Suite("modelgate render")
struct RenderCommandTests {
    func example() throws -> (ScratchDirectory, URL) { try Example.registry("modelgate-render") }

    @Test func kustomizeBuildsEveryStageAndTheObjectsValidate() throws {
        let (scratch, registry) = try example()
        let render = try Shell.modelgate(["render"], in: registry)
        #expect(render.status == 0, "\(render.stderr)")
        let deploy = registry.appendingPathComponent("deploy")
        let written = try files(in: deploy)
        #expect(
            Set(written.keys) == [
                "images.yaml", "production/kustomization.yaml", "production/churn/kustomization.yaml",
                "production/churn/deployment.yaml", "production/demand/kustomization.yaml",
                "production/demand/deployment.yaml", "staging/kustomization.yaml", "staging/demand/kustomization.yaml",
                "staging/demand/deployment.yaml",
            ])
        for stage in ["staging", "production"] {
            let built = try Shell.run(["kubectl", "kustomize", deploy.appendingPathComponent(stage).path])
            #expect(built.status == 0, "kubectl kustomize \(stage): \(built.stderr)")
            #expect(!built.stdout.contains("registry-commit"))
            let file = scratch.url.appendingPathComponent("\(stage).yaml")
            try Data(built.stdout.utf8).write(to: file)
            let bin = URL(fileURLWithPath: Shell.python).deletingLastPathComponent()
            let valid = try Shell.run([bin.appendingPathComponent("kubernetes-validate").path, "--strict", file.path])
            #expect(valid.status == 0, "kubernetes-validate \(stage): \(valid.stdout)\(valid.stderr)")
        }
        // Two renders are byte-identical, and committing the render leaves --check passing.
        #expect(try Shell.modelgate(["render"], in: registry).status == 0)
        #expect(try files(in: deploy) == written)
        try Shell.git(["add", "deploy"], in: registry)
        try Shell.git(["commit", "-qm", "render"], in: registry)
        let check = try Shell.modelgate(["render", "--check"], in: registry)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    /// `render` and `bundle` share one code path: the same manifests, once the commit id is set aside.
    @Test func renderAndBundleWriteTheSameManifests() throws {
        let (scratch, registry) = try example()
        #expect(try Shell.modelgate(["render"], in: registry).status == 0)
        let bundle = scratch.url.appendingPathComponent("bundle")
        #expect(try Shell.modelgate(["bundle", "churn@1.3.0", "--out", bundle.path], in: registry).status == 0)
        func withoutCommit(_ data: Data) -> String {
            String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.contains("registry-commit") }
                .map {
                    $0.replacingOccurrences(
                        of: #" at registry commit [0-9a-f]{40}"#, with: "", options: .regularExpression)
                }
                .joined(separator: "\n")
        }
        let rendered = try Data(contentsOf: registry.appendingPathComponent("deploy/production/churn/deployment.yaml"))
        let bundled = try Data(contentsOf: bundle.appendingPathComponent("deployment.yaml"))
        #expect(rendered != bundled)
        #expect(withoutCommit(rendered) == withoutCommit(bundled))
    }

    @Test func aPromotionMovesOnlyThePromotedModelAndCheckCatchesIt() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        #expect(try Shell.modelgate(["render"], in: registry).status == 0)
        try Shell.git(["add", "deploy"], in: registry)
        try Shell.git(["commit", "-qm", "render"], in: registry)
        let before = try files(in: registry.appendingPathComponent("deploy"))
        // The example's production gate needs an approval: grace's (her demo key is in .modelgate/).
        let approved = try Shell.modelgate(
            ["approve", "demand@2.0.0", "--to", "production", "--key", ".modelgate/grace_ed25519"], in: registry)
        #expect(approved.status == 0, "\(approved.stderr)")
        try Shell.git(["add", "approvals"], in: registry)
        try Shell.git(["commit", "-qm", "approve demand 2.0.0"], in: registry)
        let promote = try Shell.modelgate(["promote", "demand@2.0.0", "--to", "production", "--force"], in: registry)
        #expect(promote.status == 0, "\(promote.stderr)")
        let stale = try Shell.modelgate(["render", "--check"], in: registry)
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("changed: production/demand/deployment.yaml"), "\(stale.stdout)")
        #expect(try Shell.modelgate(["render"], in: registry).status == 0)
        let after = try files(in: registry.appendingPathComponent("deploy"))
        let moved = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
        #expect(!moved.isEmpty)
        #expect(moved.allSatisfy { $0.contains("/demand/") || $0.hasSuffix("staging/kustomization.yaml") }, "\(moved)")
        #expect(before.filter { $0.key.contains("/churn/") } == after.filter { $0.key.contains("/churn/") })
        #expect(try Shell.modelgate(["render", "--check"], in: registry).status == 0)
    }

    @Test func productionWithoutADigestIsRefusedByName() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        try Example.requireProductionDigest(in: registry)
        let refused = try Shell.modelgate(["render"], in: registry)
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains("churn@1.3.0 (production), demand@1.1.0 (production) hold stages that deploy"),
            "every missing digest at once: \(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: registry.appendingPathComponent("deploy").path))
        // A script reading JSON gets JSON, with what to build, even when the render cannot be written.
        let report = try Shell.modelgate(["render", "--check", "--format", "json"], in: registry)
        #expect(report.status == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        #expect(object["missingDigests"] as? [String] == ["churn@1.3.0", "demand@1.1.0"])
        #expect((object["error"] as? String)?.contains("image.requireDigest") == true)
        let holders = try #require(object["holders"] as? [[String: Any]])
        #expect(holders.filter { $0["image"] is NSNull }.count == holders.count)
        let badImage = try Shell.modelgate(
            ["render", "--format", "json", "--image", "churn@1.3.0=ghcr.io/acme/churn:latest"], in: registry)
        #expect(badImage.status == 2)
        let failure = try #require(try JSONSerialization.jsonObject(with: Data(badImage.stdout.utf8)) as? [String: Any])
        #expect((failure["error"] as? String)?.contains("latest") == true, "\(badImage.stdout)")
        let digest = String(repeating: "ab", count: 32)
        let pinned = try Shell.modelgate(
            [
                "render", "--image", "churn@1.3.0=ghcr.io/acme/churn@sha256:\(digest)",
                "--image", "demand@1.1.0=ghcr.io/acme/demand@sha256:\(digest)", "--image",
                "demand@1.0.0=ghcr.io/acme/demand:1.0.0",
            ], in: registry)
        #expect(pinned.status == 0, "\(pinned.stderr)")
        let images = try String(contentsOf: registry.appendingPathComponent("deploy/images.yaml"), encoding: .utf8)
        #expect(images.contains("churn@1.3.0: \"ghcr.io/acme/churn@sha256:\(digest)\""))
        #expect(!images.contains("demand@1.0.0"), "only the holders' entries are kept")
        let deployment = try String(
            contentsOf: registry.appendingPathComponent("deploy/production/churn/deployment.yaml"), encoding: .utf8)
        #expect(deployment.contains("image: \"ghcr.io/acme/churn@sha256:\(digest)\""))
        let latest = try Shell.modelgate(
            ["render", "--image", "demand@2.0.0=ghcr.io/acme/demand:latest"], in: registry)
        #expect(latest.status == 2, "\(latest.stderr)")
        // Every holder pinned (staging too): checkov finds nothing in the deploy folder, image checks included.
        let staging = try Shell.modelgate(
            ["render", "--image", "demand@2.0.0=ghcr.io/acme/demand@sha256:\(digest)"], in: registry)
        #expect(staging.status == 0, "\(staging.stderr)")
        let bin = URL(fileURLWithPath: Shell.python).deletingLastPathComponent()
        let checkov = try Shell.run(
            [
                bin.appendingPathComponent("checkov").path, "-d", "deploy", "--framework", "kubernetes",
                "--skip-download", "--quiet", "--compact",
            ], in: registry, environment: ["BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE"])
        #expect(checkov.status == 0, "checkov: \(checkov.stdout)\(checkov.stderr)")
        #expect(checkov.stdout.contains("Failed checks: 0"), "\(checkov.stdout)")
    }

    @Test func aHolderThatFailsItsGateIsRefusedAndNothingIsWritten() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        let policy = registry.appendingPathComponent("policies/churn-quality.yaml")
        let text = try String(contentsOf: policy, encoding: .utf8)
        let raised = text.replacingOccurrences(of: #"min: 0\.7[0-9]*"#, with: "min: 0.99", options: .regularExpression)
        #expect(raised != text)
        try Data(raised.utf8).write(to: policy)
        try Shell.git(["commit", "-qam", "raise the bar"], in: registry)
        let refused = try Shell.modelgate(["render"], in: registry)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("churn 1.3.0"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: registry.appendingPathComponent("deploy").path))
    }
}

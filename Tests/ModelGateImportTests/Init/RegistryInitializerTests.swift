import Crypto
import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport
import ModelGateTestSupport
import Testing

@testable import ModelGateImport

@Suite("init")
struct RegistryInitializerTests {
    @Test func newRegistryIsValidAndCommitted() throws {
        let scratch = ScratchDirectory()
        let target = scratch.url.appendingPathComponent("registry")
        let outcome = try RegistryInitializer().initialize(at: target, example: false)
        #expect(outcome.createdRepository)
        #expect(outcome.commits.count == 1)
        let repository = try Repository.open(at: target.path)
        let registry = try RegistryLoader(repository: repository).load(at: repository.resolveCommit("HEAD"))
        #expect(registry.diagnostics.isEmpty)
        #expect(registry.policies.map(\.name) == ["production-gate", "staging-gate"])
        #expect(try Shell.git(["status", "--porcelain"], in: target).isEmpty)
        #expect(throws: ModelGateError.self) { try RegistryInitializer().initialize(at: target, example: false) }
    }

    @Test func starterPoliciesAreTheTopLevelFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        for file in EmbeddedFiles.starterPolicies {
            let onDisk = try Data(contentsOf: root.appendingPathComponent("policies").appendingPathComponent(file.path))
            #expect(file.data == onDisk, "\(file.path) is stale in the binary")
        }
        #expect(!EmbeddedFiles.starterPolicies.isEmpty)
    }

    @Test func exampleHasHistoryAndTrueHashes() throws {
        let scratch = ScratchDirectory()
        let outcome = try RegistryInitializer().initialize(at: scratch.url, example: true)
        #expect(outcome.commits.count >= 3)
        let repository = try Repository.open(at: scratch.path)
        let head = try repository.resolveCommit("HEAD")
        let registry = try RegistryLoader(repository: repository).load(at: head)
        #expect(registry.diagnostics.isEmpty)
        #expect(registry.modelNames == ["churn", "demand"])
        #expect(try Shell.git(["status", "--porcelain"], in: scratch.url).isEmpty)
        #expect(try Shell.git(["fsck", "--strict"], in: scratch.url).isEmpty)
        // The last commit is a promotion: it changes one stages.yaml, with the attestation CI's repro job signed
        // and the reviewer's approval.
        let parent = try repository.resolveCommit("HEAD~1")
        #expect(
            try repository.changedPaths(from: parent, to: head) == [
                "approvals/churn/1.3.0/production/grace.sig", "attestations/churn/1.3.0.json",
                "models/churn/stages.yaml",
            ])
        // The demo's private signing key is in the working tree, private, and ignored by Git.
        let key = scratch.url.appendingPathComponent(".modelgate/ci-repro.key")
        #expect(try FileManager.default.attributesOfItem(atPath: key.path)[.posixPermissions] as? Int == 0o600)
        #expect(
            try Shell.git(["check-ignore", ".modelgate/ci-repro.key"], in: scratch.url) == ".modelgate/ci-repro.key")
        let approver = scratch.url.appendingPathComponent(".modelgate/grace_ed25519")
        #expect(try FileManager.default.attributesOfItem(atPath: approver.path)[.posixPermissions] as? Int == 0o600)
        // Every recorded hash is the hash of the real bytes.
        func sha256(_ path: String) throws -> String {
            Hex.encode(SHA256.hash(data: try Data(contentsOf: scratch.url.appendingPathComponent(path))))
        }
        var checked = 0
        for model in registry.models.values {
            #expect(model.versions.count >= 3)
            for manifest in model.versions.values {
                #expect(try sha256(manifest.artifact.uri) == manifest.artifact.sha256)
                let training = try #require(manifest.training)
                for data in training.data { #expect(try sha256(data.path) == data.sha256) }
                let lockfile = try #require(training.lockfile)
                #expect(try sha256(lockfile.path) == lockfile.sha256)
                #expect(!manifest.metrics.isEmpty)
                checked += 1
            }
        }
        #expect(checked == 7)
        #expect(try registry.model("churn").stages?.holder(of: "production") == "1.3.0")
        #expect(registry.policies.contains { $0.name == "churn-quality" })
    }

    @Test func exampleRefusesARepositoryWithHistory() throws {
        let fixture = try FixtureRegistry(empty: true)
        try fixture.write("x", "1")
        try fixture.commit("first")
        #expect(throws: ModelGateError.self) { try RegistryInitializer().initialize(at: fixture.url, example: true) }
    }
}

import Foundation
import ModelGateKit
import ModelGateTestSupport
import Testing

/// Named approvals that live in Git, tried against the real OpenSSH `ssh-keygen` both ways and as a
/// forger would: each approval that must not count fails `require: approvals` with its own reason.
@Suite("Named approvals") struct ApprovalTests {
    /// Keys made by `ssh-keygen`: an Ed25519 one for ada, a P-256 one for bob, an RSA one for rex.
    final class Keys: @unchecked Sendable {
        let folder = ScratchDirectory("modelgate-approval-keys")

        init() throws {
            for (name, type) in [
                ("ada", ["-t", "ed25519"]), ("bob", ["-t", "ecdsa", "-b", "256"]), ("rex", ["-t", "rsa"]),
            ] {
                let made = try Shell.run(
                    ["ssh-keygen", "-q", "-N", "", "-C", "\(name)@example.com", "-f", path(name)] + type)
                guard made.status == 0 else { throw KeyError(message: made.stderr) }
            }
        }

        func path(_ name: String) -> String { folder.url.appendingPathComponent(name).path }
        func publicLine(_ name: String) throws -> String {
            try String(contentsOfFile: path(name) + ".pub", encoding: .utf8).trimmingCharacters(in: .newlines)
        }

        /// `ssh-keygen -Y sign` of `text` in `namespace` with `name`'s key: the armoured signature.
        func sign(_ text: String, with name: String, namespace: String = "modelgate-approval") throws -> Data {
            let message = folder.url.appendingPathComponent("message-\(UUID().uuidString)")
            try Data(text.utf8).write(to: message)
            let signed = try Shell.run(["ssh-keygen", "-Y", "sign", "-n", namespace, "-f", path(name), message.path])
            guard signed.status == 0 else { throw KeyError(message: signed.stderr) }
            return try Data(contentsOf: URL(fileURLWithPath: message.path + ".sig"))
        }
    }

    struct KeyError: Error { var message: String }

    /// The fixture registry with ada and bob as approvers and production needing `count` approvals.
    func registry(_ keys: Keys, count: Int = 1) throws -> FixtureRegistry {
        let fixture = try FixtureRegistry()
        try fixture.write(
            "modelgate.yaml",
            FixtureRegistry.settings + """
                trust:
                  approvers:
                    - {name: ada, publicKey: "\(try keys.publicLine("ada"))"}
                    - {name: bob, publicKey: "\(try keys.publicLine("bob"))"}

                """)
        try fixture.write(
            "policies/production-gate.yaml",
            FixtureRegistry.productionPolicy + "  - require: approvals\n    count: \(count)\n")
        try fixture.commit("approvers")
        return fixture
    }

    func line(_ fixture: FixtureRegistry, version: String = "1.1.0", stage: String = "production") throws -> String {
        let blob = try fixture.git("rev-parse", "HEAD:models/churn/versions/\(version).yaml")
        return "modelgate-approval v1 churn \(version) \(stage) \(blob)\n"
    }

    /// The promotion of 1.1.0 to production on a branch, with `approvals` (path → bytes) added, gated.
    func gate(_ fixture: FixtureRegistry, _ approvals: [String: Data]) throws -> ProcessResult {
        try fixture.git("switch", "-q", "-c", "promote")
        try fixture.write(
            "models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.1.0", "archived": "1.0.0"]))
        for (path, data) in approvals { try fixture.write(path, data: data) }
        try fixture.commit("promote 1.1.0 with approvals")
        return try fixture.modelgate("check", "--base", "main")
    }

    static let folder = "approvals/churn/1.1.0/production"

    @Test func modelgatesApprovalsVerifyWithSSHKeygen() throws {
        let keys = try Keys()
        let fixture = try registry(keys, count: 2)
        for name in ["ada", "bob"] {
            let approved = try fixture.modelgate(
                "approve", "churn@1.1.0", "--to", "production", "--key", keys.path(name))
            #expect(approved.status == 0, "\(approved.stderr)")
            #expect(approved.stdout.contains("\(Self.folder)/\(name).sig"))
        }
        let allowed = fixture.url.appendingPathComponent("allowed_signers")
        try Data(("ada \(try keys.publicLine("ada"))\nbob \(try keys.publicLine("bob"))\n").utf8).write(to: allowed)
        for name in ["ada", "bob"] {
            let verified = try Shell.run(
                [
                    "ssh-keygen", "-Y", "verify", "-n", "modelgate-approval", "-I", name, "-f", allowed.path, "-s",
                    fixture.url.appendingPathComponent("\(Self.folder)/\(name).sig").path,
                ], input: Data(try line(fixture).utf8))
            #expect(verified.status == 0, "\(name): \(verified.stdout)\(verified.stderr)")
            // The same signature over another stage's line is refused by OpenSSH too: the test can fail.
            let other = try Shell.run(
                [
                    "ssh-keygen", "-Y", "verify", "-n", "modelgate-approval", "-I", name, "-f", allowed.path, "-s",
                    fixture.url.appendingPathComponent("\(Self.folder)/\(name).sig").path,
                ], input: Data(try line(fixture, stage: "staging").utf8))
            #expect(other.status != 0)
        }
        // show, verify and the site list each approval and whether it counts (once committed, where they read).
        try fixture.commit("approvals of churn 1.1.0")
        let shown = try fixture.modelgate("show", "churn@1.1.0")
        #expect(
            shown.stdout.contains("approvals\n  production: ada counts\n  production: bob counts\n"), "\(shown.stdout)")
        let verified = try fixture.modelgate("verify", "churn@1.1.0", "--format", "json")
        let object = try JSONSerialization.jsonObject(with: Data(verified.stdout.utf8)) as? [String: Any] ?? [:]
        let listed = (object["approvals"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "") \($0["counts"] ?? "")" }
        #expect(listed == ["ada 1", "bob 1"] || listed == ["ada true", "bob true"], "\(verified.stdout)")
        let site = try fixture.modelgate("site", "--worktree", "--out", "site")
        #expect(site.status == 0, "\(site.stderr)")
        let page = try fixture.read("site/models/churn/1.1.0.html")
        #expect(page.contains("<h2>Approvals</h2>") && page.contains("production: bob"), "\(page)")
        let check = try gate(fixture, [:])
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.contains("require.approvals     approved for production by ada, bob (2 of 2 needed)"))
    }

    @Test func sshKeygensApprovalsCount() throws {
        let keys = try Keys()
        let fixture = try registry(keys, count: 2)
        let text = try line(fixture)
        let check = try gate(
            fixture,
            [
                "\(Self.folder)/ada.sig": try keys.sign(text, with: "ada"),
                "\(Self.folder)/bob.sig": try keys.sign(text, with: "bob"),
            ])
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.contains("approved for production by ada, bob"), "\(check.stdout)")
    }

    @Test func anApprovalThatMustNotCountSaysWhy() throws {
        let keys = try Keys()
        let fixture = try registry(keys)
        let production = try line(fixture)
        let signed = try keys.sign(production, with: "ada")
        let lines = String(decoding: signed, as: UTF8.self).split(separator: "\n").map(String.init)
        let blob = try #require(Data(base64Encoded: lines.dropFirst().dropLast().joined()))
        // The same blob less its last bytes, armoured again as ssh-keygen wraps it.
        let shortened = blob.prefix(blob.count - 8).base64EncodedString()
        let wrapped = stride(from: 0, to: shortened.count, by: 70).map { start in
            String(shortened.dropFirst(start).prefix(70))
        }
        let truncated = ([lines[0]] + wrapped + [lines[lines.count - 1]]).joined(separator: "\n") + "\n"
        let cases: [(String, Data, String)] = [
            (
                "ada", try keys.sign(try line(fixture, stage: "staging"), with: "ada"),
                "entering 'staging', not 'production'"
            ),
            ("ada", try keys.sign(try line(fixture, version: "1.0.0"), with: "ada"), "does not sign churn 1.1.0"),
            ("ada", try keys.sign(production, with: "ada", namespace: "git"), "signed in namespace 'git'"),
            ("rex", try keys.sign(production, with: "rex"), "key type ssh-rsa is not accepted"),
            ("eve", signed, "signed with ada's key under the name 'eve'"),
            ("bob", signed, "that is not bob's under trust.approvers"),
            ("ada", Data(truncated.utf8), "truncated or re-encoded"),
            ("ada", signed + Data("trailing garbage\n".utf8), "is not an armoured SSH signature"),
            ("ada", Data(repeating: 0x41, count: 10 << 20), "cannot be read (larger than 1 MiB"),
            ("ada", Data(repeating: 0x41, count: 9 << 10), "more than an SSH signature's"),
            ("ada", Data("U1NIU0lH\n".utf8), "is not an armoured SSH signature"),
        ]
        for (name, data, reason) in cases {
            let fixture = try registry(keys)
            let check = try gate(fixture, ["\(Self.folder)/\(name).sig": data])
            #expect(check.status == 1, "\(reason): \(check.stdout)")
            #expect(check.stdout.contains("0 of 1 approvals: no approval counts"), "\(reason): \(check.stdout)")
            #expect(check.stdout.contains(reason), "\(reason): \(check.stdout)")
        }
    }

    @Test func oneKeyUnderTwoNamesCountsOnce() throws {
        let keys = try Keys()
        let fixture = try FixtureRegistry()
        let ada = try keys.publicLine("ada")
        try fixture.write(
            "modelgate.yaml",
            FixtureRegistry.settings
                + "trust:\n  approvers:\n    - {name: ada, publicKey: \"\(ada)\"}\n    - {name: ada2, publicKey: \"\(ada)\"}\n"
        )
        try fixture.write(
            "policies/production-gate.yaml", FixtureRegistry.productionPolicy + "  - require: approvals\n    count: 2\n"
        )
        try fixture.commit("one person, two names")
        let signed = try keys.sign(try line(fixture), with: "ada")
        let check = try gate(fixture, ["\(Self.folder)/ada.sig": signed, "\(Self.folder)/ada2.sig": signed])
        #expect(check.status == 1)
        #expect(check.stdout.contains("same key as ada, which already counts"), "\(check.stdout)")
    }

    @Test func anApproverAddedByTheChangeItselfDoesNotCount() throws {
        let keys = try Keys()
        let fixture = try registry(keys)
        let settings = try fixture.read("modelgate.yaml")
        try fixture.git("switch", "-q", "-c", "self-approved")
        try fixture.write(
            "modelgate.yaml",
            settings.replacingOccurrences(
                of: "  approvers:\n",
                with: "  approvers:\n    - {name: rex, publicKey: \"\(try keys.publicLine("ada"))\"}\n"))
        try fixture.write(
            "models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.1.0", "archived": "1.0.0"]))
        try fixture.write("\(Self.folder)/rex.sig", data: try keys.sign(try line(fixture), with: "ada"))
        try fixture.commit("add myself as an approver and approve")
        let check = try fixture.modelgate("check", "--base", "main", "--allow-rule-change")
        #expect(check.status == 1, "\(check.stdout)")
        #expect(check.stdout.contains("signed with ada's key under the name 'rex'"), "\(check.stdout)")
    }

    @Test func approveRefusesWhatCannotCount() throws {
        let keys = try Keys()
        let fixture = try registry(keys)
        _ = try Shell.run(["ssh-keygen", "-q", "-p", "-N", "secret", "-f", keys.path("bob")])
        let encrypted = try fixture.modelgate("approve", "churn@1.1.0", "--to", "production", "--key", keys.path("bob"))
        #expect(encrypted.status == 2)
        #expect(encrypted.stderr.contains("encrypted with a passphrase"), "\(encrypted.stderr)")
        let rsa = try fixture.modelgate("approve", "churn@1.1.0", "--to", "production", "--key", keys.path("rex"))
        #expect(rsa.status == 2)
        #expect(rsa.stderr.contains("ssh-rsa is not accepted"), "\(rsa.stderr)")
        let wrongName = try fixture.modelgate(
            "approve", "churn@1.1.0", "--to", "production", "--key", keys.path("ada"), "--name", "bob")
        #expect(wrongName.status == 2)
        #expect(wrongName.stderr.contains("lists bob with another key"), "\(wrongName.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.url.appendingPathComponent("approvals").path))
        let stage = try fixture.modelgate("approve", "churn@1.1.0", "--to", "prod", "--key", keys.path("ada"))
        #expect(stage.status == 2)
    }

    @Test func anApprovalIsNeverPartOfATraining() throws {
        let fixture = try FixtureRegistry()
        try fixture.write(
            "models/churn/versions/1.1.0.yaml",
            FixtureRegistry.manifest("1.1.0").replacingOccurrences(
                of: "  seed: 42\n", with: "  seed: 42\n  inputs: [approvals/churn]\n"))
        try fixture.commit("a training that reads approvals")
        let validate = try fixture.modelgate("validate")
        #expect(validate.status == 2)
        #expect(validate.stderr.contains("input 'approvals/churn' reaches 'approvals'"), "\(validate.stderr)")
    }
}

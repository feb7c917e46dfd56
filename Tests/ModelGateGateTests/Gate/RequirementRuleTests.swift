import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport
import Testing

@testable import ModelGateGate

@Suite("Rule: require")
struct RequirementRuleTests {
    @Test func hashRulesVerifyWhatGitTracks() throws {
        let policy = try Parsed.policy(
            """
              - require: artifactHash
              - require: dataHashes
            """)
        let recordedArtifact = String(repeating: "0", count: 64)
        let recordedData = String(repeating: "1", count: 64)
        let candidate = try Parsed.manifest("1.0.0", metrics: "{auc: 1}")
        func statuses(_ contents: [String: TrackedContent]) -> [RuleResult] {
            Parsed.judge(policy, candidate: candidate, evidence: StaticEvidence(contents: contents)).results
        }
        let verified = statuses([
            "a.bin": .tracked(sha256: recordedArtifact, size: 3), "d.csv": .tracked(sha256: recordedData, size: 9),
        ])
        #expect(verified.map(\.status) == [.pass, .pass])
        // A well-formed hash that is not the bytes' fails, naming both.
        let other = String(repeating: "e", count: 64)
        let forged = statuses(["a.bin": .tracked(sha256: other, size: 3), "d.csv": .tracked(sha256: other, size: 9)])
        #expect(forged.map(\.status) == [.fail, .fail])
        #expect(forged[0].message == "artifact a.bin at head has sha256 eeeeeeeeeeee…, not the recorded 000000000000…")
        #expect(
            forged[1].message
                == "data d.csv at its source 5555555 has sha256 eeeeeeeeeeee…, not the recorded 111111111111…")
        // Untracked: recorded, not verified.
        let untracked = statuses([:])
        #expect(untracked.map(\.status) == [.warn, .warn])
        #expect(untracked[1].message.contains("d.csv is not tracked by Git at its source 5555555"))
        // Git LFS pointers are compared without fetching: oid, and the size where the manifest records one.
        #expect(statuses(["a.bin": .lfsPointer(sha256: recordedArtifact, size: 3)])[0].status == .pass)
        #expect(statuses(["a.bin": .lfsPointer(sha256: other, size: 3)])[0].status == .fail)
        var sized = candidate
        sized.artifact.size = 4
        #expect(
            Parsed.judge(
                policy, candidate: sized,
                evidence: StaticEvidence(contents: ["a.bin": .lfsPointer(sha256: recordedArtifact, size: 3)])
            ).results[0].status == .fail)

        var bad = candidate
        bad.artifact.sha256 = nil
        bad.training?.data.append(
            DataFile(path: "extra.csv", sha256: nil, location: SourceLocation(path: "m.yaml", line: 9)))
        let judged = Parsed.judge(policy, candidate: bad)
        #expect(judged.results.map(\.status) == [.fail, .fail])
        #expect(
            judged.results.map(\.message) == ["artifact.sha256 is missing", "training data without sha256: extra.csv"])
        bad.training = nil
        #expect(Parsed.judge(policy, candidate: bad).results[1].message == "the manifest records no training data")
    }

    @Test func lfsPointersAreRecognisedByTheirContent() throws {
        let oid = String(repeating: "a", count: 64)
        let text = "version https://git-lfs.github.com/spec/v1\noid sha256:\(oid)\nsize 12345\n"
        #expect(LFSPointer(Data(text.utf8)) == LFSPointer(Data(text.utf8)))
        #expect(LFSPointer(Data(text.utf8))?.sha256 == oid)
        #expect(LFSPointer(Data(text.utf8))?.size == 12345)
        #expect(LFSPointer(Data("version 1\n".utf8)) == nil)
        #expect(LFSPointer(Data(text.replacingOccurrences(of: "size 12345", with: "size x").utf8)) == nil)
    }

    @Test(
        arguments: [
            ("staging", nil, RuleResult.Status.pass), ("development", nil, .fail), (nil, nil, .fail),
            ("development", "[development, staging]", .pass),
        ] as [(String?, String?, RuleResult.Status)])
    func fromStage(_ from: String?, _ allowed: String?, _ expected: RuleResult.Status) throws {
        let rule = allowed.map { "  - require: from\n    stages: \($0)" } ?? "  - require: from"
        let evaluation = Parsed.judge(
            try Parsed.policy(rule), candidate: try Parsed.manifest("1.0.0", metrics: "{a: 1}"), fromStage: from)
        #expect(evaluation.results[0].status == expected)
    }

    @Test func reproducibleNeedsASignedAttestationForThisManifestAndTree() throws {
        let policy = try Parsed.policy("  - require: reproducible")
        var manifest = try Parsed.manifest("1.0.0", metrics: "{a: 1}", source: false)
        let blob = ObjectID(hex: String(repeating: "b", count: 40))!
        let tree = ObjectID(hex: String(repeating: "d", count: 40))!
        manifest.blob = blob
        let key = SigningKey()
        let stranger = SigningKey()
        let attestor = TrustedRules.Attestor(name: "ci-repro", key: key.publicKey)
        func statement(
            blob: String = blob.hex, tree: String = tree.hex, sandbox: Bool = true, verdict: String = "reproduced"
        ) -> Data {
            Data(
                """
                {"_type": "https://in-toto.io/Statement/v1", "predicateType": "urn:modelgate:repro:v1", "subject": [],
                 "predicate": {"manifest": {"path": "x", "blob": "\(blob)"}, "training": {"workdir": "", "tree": "\(tree)"},
                               "sandbox": \(sandbox), "verdict": "\(verdict)"}}
                """.utf8)
        }
        func signed(_ payload: Data, by signer: SigningKey = key) throws -> Data {
            var envelope = DSSEEnvelope(payloadType: DSSEEnvelope.inTotoPayloadType, payload: payload)
            try signer.sign(&envelope)
            return Data(envelope.json.rendered().utf8)
        }
        func judge(_ data: Data?, attestors: [TrustedRules.Attestor] = [attestor], rule: Policy = policy) -> RuleResult
        {
            let head = Parsed.registry([manifest], stages: ["production": "1.0.0"], policies: [rule])
            let evidence = StaticEvidence(
                files: data.map { ["attestations/churn/1.0.0.json": $0] } ?? [:], trees: ["training/churn": tree])
            let gate = Gate.judging(
                head, base: Parsed.registry([], stages: [:]), policies: [rule], evidence: evidence, attestors: attestors
            )
            return gate.evaluate([Gate.Candidate(model: "churn", version: "1.0.0", stage: "production")]).evaluations[0]
                .results[0]
        }
        let path = "attestations/churn/1.0.0.json"
        #expect(judge(try signed(statement())).status == .pass)
        #expect(judge(try signed(statement(verdict: "reproduced-within-tolerance"))).status == .pass)
        let cases: [(Data?, String)] = [
            (nil, "no attestation at \(path); run modelgate repro churn@1.0.0 --record --sign KEY"),
            (
                statement(),
                "attestation \(path) is an unsigned statement; only a DSSE envelope signed by a trusted attestor counts (repro --record --sign)"
            ),
            (
                try signed(statement(), by: stranger),
                "attestation \(path) is signed by an unknown key (keyid \(stranger.publicKey.keyID.prefix(16))); trusted attestors: ci-repro"
            ),
            (
                try signed(statement(sandbox: false)),
                "attestation \(path) was made without the sandbox (repro --no-sandbox); only a sandboxed run counts"
            ),
            (try signed(statement(verdict: "failed")), "attestation \(path) says 'failed'"),
            (Data("not json".utf8), "attestation \(path) is not a JSON object"),
        ]
        for (data, message) in cases {
            let result = judge(data)
            #expect(result.status == .fail)
            #expect(result.message == message)
        }
        // A signature over other bytes: the payload swapped after signing.
        var tampered = try #require(try? DSSEEnvelope.decode(signed(statement())).get())
        tampered.payload = statement(verdict: "reproduced ")
        let bad = judge(Data(tampered.json.rendered().utf8))
        #expect(
            bad.message
                == "attestation \(path) has a bad signature for attestor 'ci-repro': the envelope was altered after signing"
        )
        #expect(
            judge(try signed(statement(blob: String(repeating: "a", count: 40)))).message.contains(
                "the manifest changed since"))
        #expect(
            judge(try signed(statement(tree: String(repeating: "a", count: 40)))).message.contains(
                "the training code changed since"))
        #expect(judge(try signed(statement()), attestors: []).message.contains("trust.attestors"))
        // A rule that names its attestors accepts only those.
        let named = try Parsed.policy("  - require: reproducible\n    attestors: [release-team]")
        let other = judge(try signed(statement()), rule: named)
        #expect(other.status == .fail)
        #expect(other.message.contains("accepts only release-team (release-team not listed under trust.attestors)"))
    }

    @Test func dsseSignaturesCoverThePreAuthenticationEncoding() throws {
        let pae = DSSEEnvelope.preAuthenticationEncoding(
            payloadType: "http://example.com/HelloWorld", payload: Data("hello world".utf8))
        #expect(String(decoding: pae, as: UTF8.self) == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
        let key = SigningKey()
        var envelope = DSSEEnvelope(payloadType: "t", payload: Data("p".utf8))
        try key.sign(&envelope)
        #expect(key.publicKey.isValid(envelope.signatures[0].signature, for: envelope.signedBytes))
        #expect(!key.publicKey.isValid(envelope.signatures[0].signature, for: Data("DSSEv1 1 t 1 q".utf8)))
        let reread = try SigningKey(pem: key.pem, source: "k")
        #expect(reread.publicKey.keyID == key.publicKey.keyID)
        #expect(VerifyingKey(pem: key.publicKey.pem)?.keyID == key.publicKey.keyID)
    }

    /// The keyid is securesystemslib's default for the key (its value here computed by securesystemslib
    /// 1.6 for the example's key); a signature carrying the id modelgate wrote before, the SHA-256 of the
    /// DER key, still names the key.
    @Test func keyIDsAreSecuresystemslibsDefault() throws {
        let pem = """
            -----BEGIN PUBLIC KEY-----
            MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEdJgleTt103WcxI6M369gI5cJtBXk
            UcFAaelN0QplyL3K8Q7LRCqfF8eKyVXoz+BXuOJ2dyKwTZmEm1ZHiQsa2g==
            -----END PUBLIC KEY-----

            """
        let key = try #require(VerifyingKey(pem: pem))
        #expect(key.keyID == "e9357b1d39271b2f2dba8ef4b7b06bb00c2d1bcb5befc7d6c26e1f213b1470dd")
        #expect(key.acceptedKeyIDs.contains("7d96cb80710ea9b2336dbc6467a41356e6439a1c5fbafbd03a21255dd52ee132"))

        let signer = SigningKey()
        var envelope = DSSEEnvelope(payloadType: DSSEEnvelope.inTotoPayloadType, payload: Data("{}".utf8))
        try signer.sign(&envelope)
        let legacy = try #require(signer.publicKey.acceptedKeyIDs.first { $0 != signer.publicKey.keyID })
        envelope.signatures[0].keyID = legacy
        envelope.payload = Data("{\"altered\": true}".utf8)
        let check = AttestationCheck.check(
            Data(envelope.json.rendered().utf8), path: "a.json",
            binding: .init(manifestBlob: nil, trainingTree: nil, workdir: ""),
            attestors: [TrustedRules.Attestor(name: "ci", key: signer.publicKey)], target: "m@1.0.0")
        // The old id names the key: the altered envelope is a bad signature by it, not an unknown key's.
        #expect(
            check
                == .problem(
                    "attestation a.json has a bad signature for attestor 'ci': the envelope was altered after signing"))
    }
}

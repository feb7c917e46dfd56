import Foundation
import ModelGateKit

/// `require: reproducible`'s verifier: any bytes give `valid` or a problem with a message, and `valid` only
/// for an envelope whose signature verifies with the trusted key, around a sandboxed, passing statement
/// bound to the manifest blob and training tree it was asked about.
enum AttestationOracle {
    // Force unwrap: a literal 40-digit hex id.
    static let manifestBlob = ObjectID(hex: "3b18e512dba79e4c8300dd08aeb37f8e728b8dad")!
    static let trainingTree = ObjectID(hex: "4b825dc642cb6eb9a060e54bf8d69288fbee4904")!
    /// A fixed key, so that seeds written by one process verify in another. It signs nothing but fuzz input.
    static let key = fixture {
        try SigningKey(
            pem: """
                -----BEGIN PRIVATE KEY-----
                MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg4QXjmYCxt+kar/qN
                dRaDanZaV2e0eaGz39VvVVD4Be+hRANCAARC1XfcsKI+q6NXbUjB6JR9shKhEN5x
                XhvKJD8yPqupyF59YT60V25u5QA2P5FyildrV1Gvl/iQnMv9UH+tGldO
                -----END PRIVATE KEY-----
                """, source: "the fuzz key")
    }
    static let binding = AttestationCheck.Binding(
        manifestBlob: manifestBlob, trainingTree: trainingTree, workdir: "training/fuzz")

    static func run(_ data: Data) throws(FuzzViolation) {
        let attestor = TrustedRules.Attestor(name: "fuzz", key: key.publicKey)
        let check = AttestationCheck.check(
            data, path: "attestations/fuzz/2.0.0.json", binding: binding, attestors: [attestor], target: "fuzz@2.0.0")
        try judge(data, check)
    }

    /// Whether the verifier's answer `check` for `data` keeps the promise, checked without the verifier.
    static func judge(_ data: Data, _ check: AttestationCheck) throws(FuzzViolation) {
        switch check {
        case .valid(let verdict, let signers):
            guard ["reproduced", "reproduced-within-tolerance"].contains(verdict), signers == ["fuzz"] else {
                throw FuzzViolation("verdict \(verdict) by \(signers) was accepted")
            }
            guard case .success(let envelope) = DSSEEnvelope.decode(data),
                envelope.signatures.contains(where: { key.publicKey.isValid($0.signature, for: envelope.signedBytes) })
            else { throw FuzzViolation("an envelope without a valid signature was accepted") }
            let object = try? JSONSerialization.jsonObject(with: envelope.payload) as? [String: Any]
            let predicate = object?["predicate"] as? [String: Any]
            guard (predicate?["manifest"] as? [String: Any])?["blob"] as? String == manifestBlob.hex,
                (predicate?["training"] as? [String: Any])?["tree"] as? String == trainingTree.hex,
                predicate?["sandbox"] as? Bool == true
            else {
                throw FuzzViolation("an attestation for another manifest, tree or without the sandbox was accepted")
            }
        case .problem(let message):
            if message.isEmpty { throw FuzzViolation("a problem without a message") }
        }
    }

    /// A signed envelope around a statement with `verdict`, as `repro --record --sign` writes it.
    static func envelope(verdict: String, sandbox: Bool = true) -> String {
        let statement = """
            {"_type": "\(AttestationCheck.statementType)", "predicateType": "\(AttestationCheck.predicateType)",
             "subject": [{"name": "artifacts/fuzz/2.0.0/model.pkl", "digest": {"sha256": "\(String(repeating: "b", count: 64))"}}],
             "predicate": {"manifest": {"path": "models/fuzz/versions/2.0.0.yaml", "blob": "\(manifestBlob.hex)"},
                           "training": {"tree": "\(trainingTree.hex)"}, "sandbox": \(sandbox), "verdict": "\(verdict)"}}
            """
        var envelope = DSSEEnvelope(payloadType: DSSEEnvelope.inTotoPayloadType, payload: Data(statement.utf8))
        try? key.sign(&envelope)
        return envelope.json.rendered()
    }
}

/// The attestation oracle's judgement, exposed so the tests can show it catches a verifier that accepts what
/// it must refuse.
public enum AttestationProbe {
    /// Throws when the verifier's answer `valid(verdict, signers)` for `data` breaks the promise.
    public static func judgeAcceptance(of data: Data, verdict: String, signers: [String]) throws {
        try AttestationOracle.judge(data, .valid(verdict: verdict, signers: signers))
    }

    /// A correctly signed envelope, as `repro --record --sign` writes it, with `verdict` and `sandbox`.
    public static func signedEnvelope(verdict: String, sandbox: Bool) -> Data {
        Data(AttestationOracle.envelope(verdict: verdict, sandbox: sandbox).utf8)
    }
}

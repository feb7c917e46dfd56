import Foundation
import ModelGateKit

/// `require: approvals`'s reader: any bytes in an approval file give a reason it does not count, or count
/// only when an independent check agrees: the bytes are an armoured `SSHSIG` by the trusted key, in the
/// approval namespace, over the exact line of the version, stage and manifest blob asked about.
enum ApprovalOracle {
    // Force unwrap: a literal 40-digit hex id.
    static let manifestBlob = ObjectID(hex: "3b18e512dba79e4c8300dd08aeb37f8e728b8dad")!
    /// A fixed Ed25519 key made by ssh-keygen for the fuzzer alone; it signs nothing but fuzz input.
    static let key = fixture {
        try SSHPrivateKey(
            pem: """
                -----BEGIN OPENSSH PRIVATE KEY-----
                b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
                QyNTUxOQAAACBasnzaaanQBf5rvZ3Z7Z2rix/71H5oA8wwWNf6at6Z0gAAAJAWO+48Fjvu
                PAAAAAtzc2gtZWQyNTUxOQAAACBasnzaaanQBf5rvZ3Z7Z2rix/71H5oA8wwWNf6at6Z0g
                AAAEDv0lSmZeL661AnPBSY1JRz8BN0ulLeeegUgH8q6BD7RVqyfNppqdAF/mu9ndntnauL
                H/vUfmgDzDBY1/pq3pnSAAAADGZ1enpAZXhhbXBsZQE=
                -----END OPENSSH PRIVATE KEY-----
                """)
    }
    static let line = Array(
        Approval.line(model: "fuzz", version: "2.0.0", stage: "production", manifestBlob: manifestBlob).utf8)

    static func run(_ data: Data) throws(FuzzViolation) {
        let path = "approvals/fuzz/2.0.0/production/fuzzer.sig"
        let checks = Approval.check(
            model: "fuzz", version: "2.0.0", stage: "production", manifestBlob: manifestBlob,
            approvers: [TrustedRules.Approver(name: "fuzzer", key: key.publicKey)],
            ladder: RegistrySettings.defaultStages, evidence: StaticEvidence(files: [path: data]))
        guard checks.count == 1, let check = checks.first else { throw FuzzViolation("\(checks.count) checks") }
        if let problem = check.problem {
            guard !problem.isEmpty else { throw FuzzViolation("a void approval with no reason") }
            return
        }
        // It counts: the signature must verify independently of the approval reader.
        guard let signature = try? SSHSignature(armored: data), signature.publicKey == key.publicKey,
            signature.namespace == Approval.namespace, signature.isValid(for: line, namespace: Approval.namespace)
        else { throw FuzzViolation("an approval counted that does not verify") }
    }

    /// A valid approval, and the same signature over another stage's line.
    static var seeds: [(String, String)] {
        let stage = Array(
            Approval.line(model: "fuzz", version: "2.0.0", stage: "staging", manifestBlob: manifestBlob).utf8)
        return [
            ("valid", (try? key.sign(line, namespace: Approval.namespace).armored) ?? ""),
            ("staging", (try? key.sign(stage, namespace: Approval.namespace).armored) ?? ""),
            ("git-namespace", (try? key.sign(line, namespace: "git").armored) ?? ""),
        ]
    }
}

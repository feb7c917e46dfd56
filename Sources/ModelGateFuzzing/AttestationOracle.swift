import Foundation
import ModelGateKit

/// `require: reproducible`'s reader: any bytes give `valid` or a problem with a message, and `valid` only
/// for a passing statement bound to the manifest blob it was asked about.
enum AttestationOracle {
    static let manifestBlob = ObjectID(hex: "3b18e512dba79e4c8300dd08aeb37f8e728b8dad")!

    static func run(_ data: Data) throws(FuzzViolation) {
        switch AttestationCheck.check(data, path: "attestations/fuzz/2.0.0.json", manifestBlob: manifestBlob) {
        case .valid(let verdict):
            guard ["reproduced", "reproduced-within-tolerance"].contains(verdict) else {
                throw FuzzViolation("verdict \(verdict) was accepted")
            }
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            let predicate = object?["predicate"] as? [String: Any]
            guard (predicate?["manifest"] as? [String: Any])?["blob"] as? String == manifestBlob.hex else {
                throw FuzzViolation("an attestation naming another manifest was accepted")
            }
        case .problem(let message):
            if message.isEmpty { throw FuzzViolation("a problem without a message") }
        }
    }
}

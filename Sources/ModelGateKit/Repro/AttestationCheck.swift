import Foundation

/// Whether an attestation lets a manifest pass `require: reproducible`, or why it does not.
public enum AttestationCheck: Sendable, Equatable {
    /// A well-formed attestation for this exact manifest whose verdict is not `failed`.
    case valid(verdict: String)
    case problem(String)

    /// The in-toto statement type and modelgate's predicate type (SPEC §4).
    public static let statementType = "https://in-toto.io/Statement/v1"
    public static let predicateType = "urn:modelgate:repro:v1"

    /// `attestations/<model>/<version>.json`.
    public static func path(model: String, version: String) -> String { "attestations/\(model)/\(version).json" }

    /// Checks the attestation bytes at `path` against the manifest blob `manifestBlob` (the manifest at head).
    public static func check(_ data: Data?, path: String, manifestBlob: ObjectID?) -> AttestationCheck {
        guard let data else { return .problem("no attestation at \(path); run modelgate repro --record") }
        guard data.count <= YAMLLoader.defaultMaximumBytes else { return .problem("attestation \(path) is larger than 1 MiB") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return .problem("attestation \(path) is not a JSON object")
        }
        guard object["_type"] as? String == statementType else {
            return .problem("attestation \(path) is not an in-toto Statement v1 (_type)")
        }
        guard object["predicateType"] as? String == predicateType else {
            return .problem("attestation \(path) has predicateType other than \(predicateType)")
        }
        guard let predicate = object["predicate"] as? [String: Any],
            let manifest = predicate["manifest"] as? [String: Any], let blob = manifest["blob"] as? String,
            let verdict = predicate["verdict"] as? String
        else {
            return .problem("attestation \(path) lacks predicate.manifest.blob or predicate.verdict")
        }
        guard let manifestBlob, blob == manifestBlob.hex else {
            return .problem("attestation \(path) was made for manifest blob \(blob.prefix(12)), not the manifest at head (\(manifestBlob?.short ?? "none")): the manifest changed since")
        }
        guard ["reproduced", "reproduced-within-tolerance"].contains(verdict) else {
            return .problem("attestation \(path) says \(Quoted(verdict))")
        }
        return .valid(verdict: verdict)
    }
}

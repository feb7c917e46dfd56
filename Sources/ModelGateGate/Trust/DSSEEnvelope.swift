import Foundation
import ModelGateGit
import ModelGateSupport

/// A Dead Simple Signing Envelope (DSSE v1): a payload, its type, and signatures over the pre-authentication
/// encoding of both, as in-toto, sigstore and securesystemslib write and verify it.
public struct DSSEEnvelope: Sendable, Equatable {
    /// One signature: the key's id (hex SHA-256 of its DER public key) and the DER ECDSA signature.
    public struct Signature: Sendable, Equatable {
        public var keyID: String
        public var signature: Data
    }

    /// The payload type of an in-toto statement.
    public static let inTotoPayloadType = "application/vnd.in-toto+json"

    public var payloadType: String
    public var payload: Data
    public var signatures: [Signature]

    public init(payloadType: String, payload: Data, signatures: [Signature] = []) {
        self.payloadType = payloadType
        self.payload = payload
        self.signatures = signatures
    }

    /// `DSSEv1 <len(type)> <type> <len(body)> <body>`: the bytes a signature covers.
    public static func preAuthenticationEncoding(payloadType: String, payload: Data) -> Data {
        var bytes = Data("DSSEv1 \(payloadType.utf8.count) \(payloadType) \(payload.count) ".utf8)
        bytes.append(payload)
        return bytes
    }

    /// The bytes this envelope's signatures cover.
    public var signedBytes: Data { Self.preAuthenticationEncoding(payloadType: payloadType, payload: payload) }

    /// The envelope as JSON, keys in a fixed order.
    public var json: JSONValue {
        .object([
            ("payloadType", .string(payloadType)),
            ("payload", .string(payload.base64EncodedString())),
            (
                "signatures",
                .array(
                    signatures.map {
                        .object([("keyid", .string($0.keyID)), ("sig", .string($0.signature.base64EncodedString()))])
                    })
            ),
        ])
    }

    /// Reads an envelope from JSON; the reason when `data` is not one.
    public static func decode(_ data: Data) -> Result<DSSEEnvelope, DecodingProblem> {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return .failure(.notJSON)
        }
        if object["_type"] != nil { return .failure(.unsignedStatement) }
        guard let type = object["payloadType"] as? String, let text = object["payload"] as? String,
            let payload = Data(base64Encoded: text), let list = object["signatures"] as? [[String: Any]]
        else { return .failure(.malformed("an envelope has payloadType, payload (base64) and signatures")) }
        var signatures: [Signature] = []
        for item in list {
            guard let sig = (item["sig"] as? String).flatMap({ Data(base64Encoded: $0) }) else {
                return .failure(.malformed("a signature has no base64 'sig'"))
            }
            signatures.append(Signature(keyID: item["keyid"] as? String ?? "", signature: sig))
        }
        return .success(DSSEEnvelope(payloadType: type, payload: payload, signatures: signatures))
    }

    /// Why bytes are not a DSSE envelope.
    public enum DecodingProblem: Error, Sendable, Equatable {
        case notJSON
        /// A bare in-toto statement: well-formed, but nobody signed it.
        case unsignedStatement
        case malformed(String)
    }
}

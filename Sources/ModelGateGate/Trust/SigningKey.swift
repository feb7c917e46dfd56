import Crypto
import Foundation
import ModelGateGit
import ModelGateSupport

/// An ECDSA P-256 private key that signs attestations: `modelgate keygen` writes it, `repro --record --sign`
/// reads it (PKCS#8 PEM).
/// (`@unchecked Sendable`: swift-crypto's key types are immutable values that do not declare it.)
public struct SigningKey: @unchecked Sendable {
    let key: P256.Signing.PrivateKey

    /// A new random key.
    public init() { key = P256.Signing.PrivateKey() }

    /// Reads a PEM private key (PKCS#8, or SEC 1 `EC PRIVATE KEY`); `source` names it in errors.
    public init(pem: String, source: String) throws {
        do {
            key = try P256.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw ModelGateError.badInput("\(source) is not an ECDSA P-256 private key in PEM form")
        }
    }

    /// The private key as PKCS#8 PEM.
    public var pem: String { key.pemRepresentation + "\n" }

    public var publicKey: VerifyingKey { VerifyingKey(key.publicKey) }

    /// Signs `envelope`'s payload and type, adding one signature.
    public func sign(_ envelope: inout DSSEEnvelope) throws {
        let signature = try key.signature(for: envelope.signedBytes)
        envelope.signatures.append(
            DSSEEnvelope.Signature(keyID: publicKey.keyID, signature: signature.derRepresentation))
    }

    /// Writes a new key pair: `url` (the private key, mode 0600) and `url.pub`; refuses to replace either.
    public static func generate(at url: URL) throws -> SigningKey {
        let publicURL = URL(fileURLWithPath: url.path + ".pub")
        for file in [url, publicURL] where FileManager.default.fileExists(atPath: file.path) {
            throw ModelGateError.badInput("\(file.path) exists; keygen never replaces a key")
        }
        let key = SigningKey()
        try AtomicFile.write(Data(key.pem.utf8), to: url, permissions: 0o600)
        try AtomicFile.write(Data(key.publicKey.pem.utf8), to: publicURL, permissions: 0o644)
        return key
    }
}

/// An ECDSA P-256 public key that verifies attestations: an attestor's key from `trust.attestors`.
/// (`@unchecked Sendable`, as `SigningKey`.)
public struct VerifyingKey: @unchecked Sendable {
    let key: P256.Signing.PublicKey
    /// The `keyid` of the signatures this key makes: securesystemslib's default for it, the hex SHA-256 of
    /// the canonical JSON of `{"keytype": "ecdsa", "keyval": {"public": PEM}, "scheme":
    /// "ecdsa-sha2-nistp256"}`, so that DSSE and TUF tools find the key by the id they compute themselves.
    public let keyID: String
    /// The ids a signature by this key may carry: `keyID`, and the hex SHA-256 of the DER
    /// SubjectPublicKeyInfo that modelgate wrote before (attestations signed then still verify).
    public let acceptedKeyIDs: Set<String>

    init(_ key: P256.Signing.PublicKey) {
        self.key = key
        let pem = key.pemRepresentation + "\n"
        // Canonical JSON (OLPC) escapes only backslash and double quote; a PEM holds neither.
        let canonical = #"{"keytype":"ecdsa","keyval":{"public":""# + pem + #""},"scheme":"ecdsa-sha2-nistp256"}"#
        keyID = Hex.encode(SHA256.hash(data: Data(canonical.utf8)))
        acceptedKeyIDs = [keyID, Hex.encode(SHA256.hash(data: key.derRepresentation))]
    }

    /// Reads a PEM public key (SubjectPublicKeyInfo), or nil when `pem` is none.
    public init?(pem: String) {
        guard let key = try? P256.Signing.PublicKey(pemRepresentation: pem) else { return nil }
        self.init(key)
    }

    public var pem: String { key.pemRepresentation + "\n" }

    /// Whether `signature` (ASN.1 DER) is this key's ECDSA-P256-SHA256 signature of `bytes`.
    public func isValid(_ signature: Data, for bytes: Data) -> Bool {
        guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
        return key.isValidSignature(parsed, for: bytes)
    }
}

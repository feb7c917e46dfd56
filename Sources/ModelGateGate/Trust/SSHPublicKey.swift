import Crypto
import Foundation

/// An OpenSSH public key of the kinds developers sign Git commits with: `ssh-ed25519` or
/// `ecdsa-sha2-nistp256`, read from one line of a `.pub` file (`type base64 [comment]`) or from its wire
/// form inside a signature.
public struct SSHPublicKey: Sendable, Hashable {
    /// The key's algorithm and its raw public bytes (checked to be a key of that kind when read).
    public enum Kind: Sendable, Hashable {
        /// The 32 bytes of an Ed25519 public key.
        case ed25519([UInt8])
        /// The 65-byte uncompressed point of a P-256 public key.
        case p256([UInt8])
    }

    public var kind: Kind
    /// The key's wire encoding: what an SSHSIG signature embeds, and what the `.pub` line's base64 holds.
    public var wire: [UInt8]

    static let ed25519Name = "ssh-ed25519"
    static let p256Name = "ecdsa-sha2-nistp256"

    /// Why a key could not be read.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The key of a `.pub` line: `ssh-ed25519 AAAA… comment`.
    public init(line: String) throws(Problem) {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard words.count >= 2 else {
            throw Problem(description: "not an OpenSSH public key line (type, base64 key, optional comment)")
        }
        guard [Self.ed25519Name, Self.p256Name].contains(words[0]) else {
            throw Problem(
                description:
                    "key type \(words[0].prefix(40)) is not accepted; approvers sign with ssh-ed25519 or ecdsa-sha2-nistp256"
            )
        }
        guard let data = Data(base64Encoded: words[1]) else {
            throw Problem(description: "the key is not base64")
        }
        try self.init(wire: [UInt8](data))
        guard words[0] == typeName else {
            throw Problem(description: "the line says \(words[0]) and the key inside is \(typeName)")
        }
    }

    /// A key in its wire form.
    public init(wire: [UInt8]) throws(Problem) {
        var reader = SSHWireReader(wire)
        let type = reader.text()
        switch type {
        case Self.ed25519Name:
            guard let raw = reader.string(), raw.count == 32, reader.isAtEnd,
                (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil
            else { throw Problem(description: "a malformed ssh-ed25519 key") }
            kind = .ed25519(raw)
        case Self.p256Name:
            guard reader.text() == "nistp256", let point = reader.string(), reader.isAtEnd,
                (try? P256.Signing.PublicKey(x963Representation: point)) != nil
            else { throw Problem(description: "a malformed ecdsa-sha2-nistp256 key") }
            kind = .p256(point)
        default:
            throw Problem(
                description:
                    "key type \(String((type ?? "unknown").prefix(40))) is not accepted; approvers sign with ssh-ed25519 or ecdsa-sha2-nistp256"
            )
        }
        self.wire = wire
    }

    /// `ssh-ed25519` or `ecdsa-sha2-nistp256`.
    public var typeName: String {
        switch kind {
        case .ed25519: Self.ed25519Name
        case .p256: Self.p256Name
        }
    }

    /// The `.pub` line of the key, without a comment.
    public var line: String { "\(typeName) \(Data(wire).base64EncodedString())" }

    /// `SHA256:` and the unpadded base64 of the wire form's digest, as `ssh-keygen -l` prints it.
    public var fingerprint: String {
        "SHA256:" + Data(SHA256.hash(data: wire)).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    /// Whether `signature` (an SSH signature blob: its type and bytes) signs `data` with this key.
    func isValid(signature blob: [UInt8], for data: [UInt8]) -> Bool {
        var reader = SSHWireReader(blob)
        guard let type = reader.text(), let bytes = reader.string(), reader.isAtEnd, type == typeName else {
            return false
        }
        switch kind {
        case .ed25519(let raw):
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
            return bytes.count == 64 && key.isValidSignature(bytes, for: data)
        case .p256(let point):
            guard let key = try? P256.Signing.PublicKey(x963Representation: point) else { return false }
            var integers = SSHWireReader(bytes)
            guard let r = integers.positiveInteger(), let s = integers.positiveInteger(), integers.isAtEnd,
                r.count <= 32, s.count <= 32,
                let signature = try? P256.Signing.ECDSASignature(
                    rawRepresentation: [UInt8](repeating: 0, count: 32 - r.count) + r
                        + [UInt8](repeating: 0, count: 32 - s.count) + s)
            else { return false }
            return key.isValidSignature(signature, for: SHA256.hash(data: data))
        }
    }
}

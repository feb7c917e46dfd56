import Crypto
import Foundation

/// An unencrypted OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`, the `openssh-key-v1` format
/// `ssh-keygen` writes) of type `ssh-ed25519` or `ecdsa-sha2-nistp256`: what `modelgate approve` signs
/// with, natively, without `ssh-keygen` or an agent.
public struct SSHPrivateKey: Sendable {
    /// The private bytes, checked to make the public key when read.
    enum Secret: Sendable {
        /// The 32-byte Ed25519 seed.
        case ed25519([UInt8])
        /// The 32-byte P-256 scalar.
        case p256([UInt8])
    }

    let secret: Secret
    public let publicKey: SSHPublicKey
    /// The comment stored with the key (often `user@host`).
    public let comment: String

    static let begin = "-----BEGIN OPENSSH PRIVATE KEY-----"
    static let end = "-----END OPENSSH PRIVATE KEY-----"

    /// Reads the key file's text; an encrypted key is refused with what to do instead.
    public init(pem text: String) throws(SSHPublicKey.Problem) {
        func problem(_ text: String) -> SSHPublicKey.Problem { SSHPublicKey.Problem(description: text) }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = lines.firstIndex(of: Self.begin), let last = lines.lastIndex(of: Self.end), first < last,
            let blob = Data(base64Encoded: lines[(first + 1)..<last].joined())
        else { throw problem("not an OpenSSH private key (\(Self.begin)); ssh-keygen -t ed25519 writes one") }
        var reader = SSHWireReader(blob)
        guard reader.fixed(15) == Array("openssh-key-v1\0".utf8), let cipher = reader.text(),
            let kdf = reader.text(), reader.string() != nil, reader.uint32() == 1, let publicWire = reader.string(),
            let section = reader.string(), reader.isAtEnd
        else { throw problem("a malformed OpenSSH private key") }
        guard cipher == "none", kdf == "none" else {
            throw problem(
                "the key is encrypted with a passphrase (\(cipher)); approve reads an unencrypted key file (a copy made with ssh-keygen -p -N '' on a trusted machine); an agent is not used"
            )
        }
        publicKey = try SSHPublicKey(wire: publicWire)
        var inner = SSHWireReader(section)
        guard let check = inner.uint32(), inner.uint32() == check, let type = inner.text() else {
            throw problem("a malformed OpenSSH private key")
        }
        switch type {
        case SSHPublicKey.ed25519Name:
            guard let raw = inner.string(), raw.count == 32, let both = inner.string(), both.count == 64,
                let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: both[0..<32]),
                key.publicKey.rawRepresentation == Data(raw)
            else { throw problem("a malformed ssh-ed25519 private key") }
            secret = .ed25519(Array(key.rawRepresentation))
        case SSHPublicKey.p256Name:
            guard inner.text() == "nistp256", let point = inner.string(), let scalar = inner.positiveInteger(),
                scalar.count <= 32,
                let key = try? P256.Signing.PrivateKey(
                    rawRepresentation: [UInt8](repeating: 0, count: 32 - scalar.count) + scalar),
                key.publicKey.x963Representation == Data(point)
            else { throw problem("a malformed ecdsa-sha2-nistp256 private key") }
            secret = .p256(Array(key.rawRepresentation))
        default:
            throw problem(
                "key type \(type.prefix(40)) is not accepted; approvers sign with ssh-ed25519 or ecdsa-sha2-nistp256")
        }
        guard let comment = inner.text() else { throw problem("a malformed OpenSSH private key") }
        self.comment = comment
        // Then padding 1, 2, 3, … up to the cipher's block size.
        for (index, byte) in inner.rest.enumerated() where byte != UInt8(truncatingIfNeeded: index + 1) {
            throw problem("a malformed OpenSSH private key (its padding)")
        }
    }

    /// An `SSHSIG` signature of `message` in `namespace`, hashed with SHA-512 as `ssh-keygen -Y sign` does.
    public func sign(_ message: [UInt8], namespace: String) throws -> SSHSignature {
        let data = SSHSignature.signedData(message: message, namespace: namespace, hashAlgorithm: "sha512")
        var blob = SSHWireWriter()
        blob.string(publicKey.typeName)
        switch secret {
        case .ed25519(let seed):
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
            blob.string([UInt8](try key.signature(for: data)))
        case .p256(let scalar):
            let key = try P256.Signing.PrivateKey(rawRepresentation: scalar)
            let raw = [UInt8](try key.signature(for: SHA256.hash(data: data)).rawRepresentation)
            var integers = SSHWireWriter()
            integers.positiveInteger(Array(raw[0..<32]))
            integers.positiveInteger(Array(raw[32..<64]))
            blob.string(integers.bytes)
        }
        return SSHSignature(publicKey: publicKey, namespace: namespace, hashAlgorithm: "sha512", signature: blob.bytes)
    }
}

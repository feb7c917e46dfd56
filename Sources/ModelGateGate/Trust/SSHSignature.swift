import Crypto
import Foundation

/// An SSH signature in the `SSHSIG` format of `ssh-keygen -Y sign` (OpenSSH's `PROTOCOL.sshsig`): the
/// signer's public key, a namespace, a hash algorithm and the signature over
/// `"SSHSIG" ‖ string(namespace) ‖ string(reserved) ‖ string(hash algorithm) ‖ string(H(message))`,
/// armoured between `-----BEGIN SSH SIGNATURE-----` and `-----END SSH SIGNATURE-----`.
public struct SSHSignature: Sendable, Equatable {
    public var publicKey: SSHPublicKey
    public var namespace: String
    /// `sha512` (what `ssh-keygen` writes) or `sha256`.
    public var hashAlgorithm: String
    /// The signature blob: its type and bytes, in the wire encoding.
    var signature: [UInt8]

    static let magic = Array("SSHSIG".utf8)
    static let begin = "-----BEGIN SSH SIGNATURE-----"
    static let end = "-----END SSH SIGNATURE-----"
    /// The largest armoured signature read: an Ed25519 or P-256 one is well under 1 KiB.
    public static let maximumBytes = 8 << 10

    /// Why a signature file could not be read.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads an armoured signature: refused where it is oversized, not armoured, carries anything after its
    /// end line, or is not a version-1 `SSHSIG` of an accepted key type.
    public init(armored data: Data) throws(Problem) {
        guard data.count <= Self.maximumBytes else {
            throw Problem(description: "is \(data.count) bytes, more than an SSH signature's \(Self.maximumBytes)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw Problem(description: "is not UTF-8 text") }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard lines.first == Self.begin, lines.count >= 3, lines.last == Self.end else {
            throw Problem(
                description: "is not an armoured SSH signature (\(Self.begin) … \(Self.end), and nothing after it)")
        }
        let body = lines.dropFirst().dropLast()
        guard body.allSatisfy({ !$0.isEmpty && $0.count <= 76 }),
            let blob = Data(base64Encoded: body.joined())
        else { throw Problem(description: "holds no base64 signature between its armour lines") }
        try self.init(blob: [UInt8](blob))
    }

    /// Reads the binary `SSHSIG` blob.
    init(blob: [UInt8]) throws(Problem) {
        var reader = SSHWireReader(blob)
        guard reader.fixed(6) == Self.magic, reader.uint32() == 1 else {
            throw Problem(description: "is not an SSHSIG signature of version 1")
        }
        guard let key = reader.string(), let namespace = reader.text(), reader.string() != nil,
            let hash = reader.text(), let signature = reader.string(), reader.isAtEnd
        else { throw Problem(description: "is a truncated or re-encoded SSHSIG signature") }
        do {
            publicKey = try SSHPublicKey(wire: key)
        } catch {
            throw Problem(description: "is signed with \(error.description)")
        }
        guard ["sha512", "sha256"].contains(hash) else {
            throw Problem(description: "uses hash algorithm \(hash.prefix(20)), not sha512 or sha256")
        }
        self.namespace = namespace
        hashAlgorithm = hash
        self.signature = signature
    }

    init(publicKey: SSHPublicKey, namespace: String, hashAlgorithm: String, signature: [UInt8]) {
        self.publicKey = publicKey
        self.namespace = namespace
        self.hashAlgorithm = hashAlgorithm
        self.signature = signature
    }

    /// The bytes that are signed for `message` in `namespace`.
    static func signedData(message: [UInt8], namespace: String, hashAlgorithm: String) -> [UInt8] {
        let digest: [UInt8] =
            hashAlgorithm == "sha256" ? Array(SHA256.hash(data: message)) : Array(SHA512.hash(data: message))
        var writer = SSHWireWriter()
        writer.fixed(magic)
        writer.string(namespace)
        writer.string([UInt8]())
        writer.string(hashAlgorithm)
        writer.string(digest)
        return writer.bytes
    }

    /// Whether this signature, by its own key, signs `message` in `namespace`.
    public func isValid(for message: [UInt8], namespace expected: String) -> Bool {
        namespace == expected
            && publicKey.isValid(
                signature: signature,
                for: Self.signedData(message: message, namespace: namespace, hashAlgorithm: hashAlgorithm))
    }

    /// The armoured text `ssh-keygen -Y sign` writes: the base64 wrapped at 70 columns.
    public var armored: String {
        var writer = SSHWireWriter()
        writer.fixed(Self.magic)
        writer.uint32(1)
        writer.string(publicKey.wire)
        writer.string(namespace)
        writer.string([UInt8]())
        writer.string(hashAlgorithm)
        writer.string(signature)
        let base64 = Data(writer.bytes).base64EncodedString()
        var lines = [Self.begin]
        var index = base64.startIndex
        while index < base64.endIndex {
            let next = base64.index(index, offsetBy: 70, limitedBy: base64.endIndex) ?? base64.endIndex
            lines.append(String(base64[index..<next]))
            index = next
        }
        lines.append(Self.end)
        return lines.joined(separator: "\n") + "\n"
    }
}

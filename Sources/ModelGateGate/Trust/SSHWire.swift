import Foundation

/// The SSH wire encoding (RFC 4251 §5) that OpenSSH keys and signatures are made of: `uint32`, `string`
/// (a length and its bytes) and `mpint`. The reader never reads past its bytes: every length is checked.
struct SSHWireReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }
    init(_ data: Data) { self.bytes = [UInt8](data) }

    var isAtEnd: Bool { offset == bytes.count }
    /// What is left, unread.
    var rest: [UInt8] { Array(bytes[offset...]) }

    mutating func uint32() -> UInt32? {
        guard bytes.count - offset >= 4 else { return nil }
        let value = bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        offset += 4
        return value
    }

    mutating func fixed(_ count: Int) -> [UInt8]? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func string() -> [UInt8]? {
        guard let length = uint32(), length <= UInt32(bytes.count - offset) else { return nil }
        return fixed(Int(length))
    }

    mutating func text() -> String? {
        string().flatMap { String(bytes: $0, encoding: .utf8) }
    }

    /// An `mpint` as the unsigned big-endian bytes of a positive number, without leading zeros.
    mutating func positiveInteger() -> [UInt8]? {
        guard let raw = string(), let first = raw.first, first & 0x80 == 0 else { return nil }
        return Array(raw.drop { $0 == 0 })
    }
}

/// Writes the SSH wire encoding.
struct SSHWireWriter {
    private(set) var bytes: [UInt8] = []

    mutating func uint32(_ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    mutating func string<Bytes: Collection>(_ value: Bytes) where Bytes.Element == UInt8 {
        uint32(UInt32(value.count))
        bytes += value
    }

    mutating func string(_ value: String) { string(Array(value.utf8)) }

    mutating func fixed(_ value: [UInt8]) { bytes += value }

    /// A positive number's unsigned big-endian bytes as an `mpint`: no leading zeros, and a zero byte first
    /// where the high bit is set.
    mutating func positiveInteger(_ value: [UInt8]) {
        var trimmed = Array(value.drop { $0 == 0 })
        if let first = trimmed.first, first & 0x80 != 0 { trimmed.insert(0, at: 0) }
        string(trimmed)
    }
}

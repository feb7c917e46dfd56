/// Lowercase hexadecimal encoding through a lookup table (hot in hashing and object ids).
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` is exactly `count` lowercase hex digits.
    public static func isLowercase(_ text: String, count: Int) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count == count else { return false }
            for byte in bytes where !(byte &- 48 < 10 || byte &- 97 < 6) { return false }
            return true
        }
    }
}

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

    /// Appends the lowercase hex digits of raw bytes (a digest's) to `out`, with no `String` made on the way:
    /// not generic, so no iterator is called per byte across modules.
    public static func append(raw bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        digits.withUnsafeBufferPointer { digits in
            for byte in bytes {
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0f)])
            }
        }
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

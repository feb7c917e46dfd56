/// Lowercase hexadecimal encoding, written straight into the output (hot in hashing and object ids).
public enum Hex {
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Array(bytes).withUnsafeBytes { encode(raw: $0) }
    }

    /// The first `count` lowercase hex digits of raw bytes (all of them when `count` is nil), written straight
    /// into the string's storage: an object id's 40 digits, or the 7 of its short form, with no array on the
    /// way.
    public static func encode(raw bytes: UnsafeRawBufferPointer, count: Int? = nil) -> String {
        let length = min(count ?? bytes.count * 2, bytes.count * 2)
        return String(unsafeUninitializedCapacity: length) { out in
            for index in 0..<length {
                out[index] = digit(index % 2 == 0 ? bytes[index / 2] >> 4 : bytes[index / 2] & 0x0f)
            }
            return length
        }
    }

    /// Appends the lowercase hex digits of raw bytes (a digest's) to `out`, with no `String` made on the way:
    /// not generic, so no iterator is called per byte across modules.
    public static func append(raw bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        for byte in bytes {
            out.append(digit(byte >> 4))
            out.append(digit(byte & 0x0f))
        }
    }

    @inline(__always)
    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
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

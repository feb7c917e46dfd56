import Foundation
import ModelGateSupport

/// Byte- and line-level scans of a file's text, done before (or beside) the YAML parser.
enum TextScan {
    /// The offset and name of the first line break YAML reads and a reviewer's diff does not show as one:
    /// a carriage return (alone or before a line feed), U+0085, U+2028 or U+2029; nil where every line
    /// ends in a line feed. Call it on well-formed UTF-8.
    static func firstForeignLineBreak(in bytes: [UInt8]) -> (offset: Int, name: String)? {
        var found: (offset: Int, name: String)?
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
            var limit = buffer.count
            if let carriage = memchr(base, 0x0D, buffer.count) {
                let offset = base.distance(to: carriage.assumingMemoryBound(to: UInt8.self))
                found = (offset, "a carriage return (\\r)")
                limit = offset
            }
            // U+0085 is C2 85; U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
            var index = 0
            while index + 1 < limit {
                // Eight ASCII bytes at a time, as in the UTF-8 check.
                if index + 8 <= limit,
                    UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                {
                    index += 8
                    continue
                }
                let byte = buffer[index]
                if byte == 0xC2, buffer[index + 1] == 0x85 {
                    found = (index, "U+0085 (next line)")
                    return
                }
                if byte == 0xE2, index + 2 < limit, buffer[index + 1] == 0x80,
                    buffer[index + 2] == 0xA8 || buffer[index + 2] == 0xA9
                {
                    found = (
                        index, buffer[index + 2] == 0xA8 ? "U+2028 (line separator)" : "U+2029 (paragraph separator)"
                    )
                    return
                }
                index += 1
            }
        }
        return found
    }

    /// The offset of the first byte that is not part of well-formed UTF-8, or nil.
    static func firstInvalidUTF8(in bytes: [UInt8]) -> Int? {
        var index = 0
        let count = bytes.count
        while index < count {
            // Eight ASCII bytes at a time: registry files are nearly all ASCII.
            while index + 8 <= count,
                bytes.withUnsafeBytes({ $0.loadUnaligned(fromByteOffset: index, as: UInt64.self) })
                    & 0x8080_8080_8080_8080 == 0
            {
                index += 8
            }
            guard index < count else { break }
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch byte {
            case 0xC2...0xDF: (length, minimum, scalar) = (2, 0x80, UInt32(byte & 0x1F))
            case 0xE0...0xEF: (length, minimum, scalar) = (3, 0x800, UInt32(byte & 0x0F))
            case 0xF0...0xF4: (length, minimum, scalar) = (4, 0x10000, UInt32(byte & 0x07))
            default: return index
            }
            guard index + length <= count else { return index }
            for offset in 1..<length {
                let next = bytes[index + offset]
                guard next & 0xC0 == 0x80 else { return index }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return index }
            minimum = 0
            index += length
        }
        return nil
    }

    /// The 1-based line and column (in characters) of a byte offset.
    static func position(ofByte offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let column = bytes[lineStart..<min(offset, bytes.count)].filter { $0 & 0xC0 != 0x80 }.count + 1
        return (line, column)
    }
}

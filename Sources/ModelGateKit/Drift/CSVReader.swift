import Foundation

/// Reads a CSV file (RFC 4180) as a stream of records: fields separated by commas, records by LF or CRLF,
/// double-quoted fields that may hold commas, quotes (doubled) and line breaks; a UTF-8 byte order mark at
/// the start is skipped. Reads with read(2) into one reused buffer, so a file of any size costs constant
/// memory beyond the caller's own.
struct CSVReader {
    static let bufferSize = 1 << 20

    let path: String

    /// Calls `body` with every record's fields and the line the record starts on (1-based).
    func forEachRecord(_ body: (_ fields: [String], _ line: Int) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ModelGateError.badInput("cannot open \(path): \(errnoMessage())") }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: Self.bufferSize)
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var first = true
        var sawAnything = false
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        func endRecord() throws {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { try body(fields, recordLine) }
            fields.removeAll(keepingCapacity: true)
            sawAnything = false
        }
        var pendingCR = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ModelGateError.environment("cannot read \(path): \(errnoMessage())")
            }
            if count == 0 { break }
            var start = 0
            if first {
                first = false
                if count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
            }
            for index in start..<count {
                let byte = buffer[index]
                if pendingCR {
                    pendingCR = false
                    if byte == 0x0A { continue }
                }
                if quoted {
                    if byte == 0x22 {
                        quoted = false
                        afterQuote = true
                    } else {
                        if byte == 0x0A { line += 1 }
                        field.append(byte)
                    }
                    continue
                }
                switch byte {
                case 0x22:
                    if afterQuote {
                        field.append(0x22)  // "" inside a quoted field
                        quoted = true
                    } else if field.isEmpty {
                        quoted = true
                    } else {
                        field.append(byte)
                    }
                    afterQuote = false
                    sawAnything = true
                case 0x2C:
                    endField()
                    sawAnything = true
                case 0x0A, 0x0D:
                    if byte == 0x0D { pendingCR = true }
                    try endRecord()
                    line += 1
                    recordLine = line
                default:
                    if afterQuote { throw ModelGateError.badInput("\(path):\(line): text after a closing quote") }
                    field.append(byte)
                    sawAnything = true
                }
            }
        }
        if quoted { throw ModelGateError.badInput("\(path):\(recordLine): a quoted field is not closed") }
        if sawAnything || !field.isEmpty || !fields.isEmpty { try endRecord() }
    }
}

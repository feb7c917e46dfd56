import Foundation
import ModelGateSupport

/// Reads a CSV file (RFC 4180) as a stream of records: fields separated by commas, records by LF or CRLF,
/// double-quoted fields that may hold commas, quotes (doubled) and line breaks; a UTF-8 byte order mark at
/// the start is skipped. Reads with read(2) into one reused buffer and hands each record over as a view of
/// its field bytes (no string is made unless the caller asks), so a file of any size costs constant memory
/// beyond the caller's own.
struct CSVReader {
    static let bufferSize = 1 << 20

    let path: String

    /// One record: its fields' bytes, valid only during the call that received it.
    struct Record {
        fileprivate var bytes: UnsafeBufferPointer<UInt8>
        fileprivate var ends: UnsafeBufferPointer<Int>

        var count: Int { ends.count }

        /// The bytes of field `index`.
        func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
            let start = index == 0 ? 0 : ends[index - 1]
            return UnsafeBufferPointer(rebasing: bytes[start..<ends[index]])
        }

        func string(_ index: Int) -> String { String(decoding: field(index), as: UTF8.self) }

        var strings: [String] { (0..<count).map(string) }
    }

    /// Calls `body` with every record's fields as strings and the line the record starts on (1-based).
    func forEachRecord(_ body: (_ fields: [String], _ line: Int) throws -> Void) throws {
        try forEachRecordView { record, line in try body(record.strings, line) }
    }

    /// Calls `body` with a view of every record and the line the record starts on (1-based).
    func forEachRecordView(_ body: (_ record: Record, _ line: Int) throws -> Void) throws {
        let descriptor = try RegularFile.open(path)
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: Self.bufferSize)
        var state = State(path: path)
        var first = true
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
            try buffer.withUnsafeBufferPointer { chunk in
                try state.consume(UnsafeBufferPointer(rebasing: chunk[start..<count]), body)
            }
        }
        try state.finish(body)
    }

    /// The reader's state between chunks: a struct with mutating methods, so that the hot loop has no
    /// captured variables (and no dynamic exclusivity checks).
    private struct State {
        let path: String
        /// The record being read: every field's bytes one after the other, and where each field ends.
        var recordBytes: [UInt8] = []
        var ends: [Int] = []
        var fieldStart = 0
        var quoted = false
        var afterQuote = false
        var pendingCR = false
        var line = 1
        var recordLine = 1
        var sawAnything = false

        init(path: String) {
            self.path = path
            recordBytes.reserveCapacity(4096)
            ends.reserveCapacity(64)
        }

        mutating func endField() {
            ends.append(recordBytes.count)
            fieldStart = recordBytes.count
            afterQuote = false
        }

        mutating func endRecord(_ body: (Record, Int) throws -> Void) throws {
            endField()
            if !(ends.count == 1 && ends[0] == 0) {
                let line = recordLine
                try recordBytes.withUnsafeBufferPointer { bytes in
                    try ends.withUnsafeBufferPointer { ends in try body(Record(bytes: bytes, ends: ends), line) }
                }
            }
            recordBytes.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            fieldStart = 0
            sawAnything = false
        }

        mutating func consume(_ chunk: UnsafeBufferPointer<UInt8>, _ body: (Record, Int) throws -> Void) throws {
            let count = chunk.count
            var index = 0
            while index < count {
                let byte = chunk[index]
                if pendingCR {
                    pendingCR = false
                    if byte == 0x0A {
                        index += 1
                        continue
                    }
                }
                if quoted {
                    if byte == 0x22 {
                        quoted = false
                        afterQuote = true
                    } else {
                        if byte == 0x0A { line += 1 }
                        recordBytes.append(byte)
                    }
                    index += 1
                    continue
                }
                switch byte {
                case 0x22:
                    if afterQuote {
                        recordBytes.append(0x22)  // "" inside a quoted field
                        quoted = true
                    } else if recordBytes.count == fieldStart {
                        quoted = true
                    } else {
                        recordBytes.append(byte)
                    }
                    afterQuote = false
                    sawAnything = true
                case 0x2C:
                    endField()
                    sawAnything = true
                case 0x0A, 0x0D:
                    if byte == 0x0D { pendingCR = true }
                    try endRecord(body)
                    line += 1
                    recordLine = line
                default:
                    if afterQuote { throw ModelGateError.badInput("\(path):\(line): text after a closing quote") }
                    // A run of plain bytes up to the next special one, copied at once.
                    var end = index + 1
                    while end < count {
                        let next = chunk[end]
                        if next == 0x2C || next == 0x0A || next == 0x0D || next == 0x22 { break }
                        end += 1
                    }
                    recordBytes.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[index..<end]))
                    sawAnything = true
                    index = end
                    continue
                }
                index += 1
            }
        }

        mutating func finish(_ body: (Record, Int) throws -> Void) throws {
            if quoted { throw ModelGateError.badInput("\(path):\(recordLine): a quoted field is not closed") }
            if sawAnything || recordBytes.count > fieldStart || !ends.isEmpty { try endRecord(body) }
        }
    }
}

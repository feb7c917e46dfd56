import Foundation
import ModelGateSupport

extension Profiler {
    /// Files at least this large are read by several threads, each over its own range of lines.
    static let parallelMinimumBytes = 16 << 20

    /// What a scan collected: the header, one accumulator per column, the number of data rows.
    typealias Scan = (names: [String], columns: [Accumulator], rows: Int)

    /// Reads a large CSV file with one thread per core, each over its own range of whole lines. Only for
    /// the plain case: nil (read serially instead) when the file holds a quote anywhere (a quoted field may
    /// hold a line break, so a range could start inside one), or when a column's type changes inside a range
    /// or differs between ranges (the serial reader counts such columns' earlier rows again).
    static func parallelScan(_ path: String, minimumBytes: Int = parallelMinimumBytes) throws -> Scan? {
        let descriptor = try RegularFile.open(path)
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, Int(status.st_size) >= minimumBytes else { return nil }
        let size = Int(status.st_size)
        // The header: the first line, at most 1 MiB.
        var head = [UInt8](repeating: 0, count: min(size, 1 << 20))
        let read = head.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard read > 0, let newline = head[..<read].firstIndex(of: 0x0A) else { return nil }
        var headerBytes = Array(head[..<newline])
        if headerBytes.starts(with: [0xEF, 0xBB, 0xBF]) { headerBytes.removeFirst(3) }
        if headerBytes.last == 0x0D { headerBytes.removeLast() }
        guard !headerBytes.contains(0x22) else { return nil }
        let names = headerBytes.split(separator: 0x2C, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        try checkWidth(names.count, path: path)
        let dataStart = newline + 1
        // Range boundaries at line starts.
        let workers = max(2, ProcessInfo.processInfo.activeProcessorCount)
        var starts = [dataStart]
        for index in 1..<workers {
            var offset = dataStart + (size - dataStart) * index / workers
            var probe = [UInt8](repeating: 0, count: 1 << 16)
            var found: Int?
            while found == nil && offset < size {
                let count = probe.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
                guard count > 0 else { break }
                if let at = probe[..<count].firstIndex(of: 0x0A) { found = offset + at + 1 } else { offset += count }
            }
            // Force unwrap: `starts` begins with 0 and only grows.
            if let found, found > starts.last!, found < size { starts.append(found) }
        }
        let ranges = zip(starts, starts.dropFirst() + [size]).map { $0..<$1 }
        let scans = Concurrently.map(ranges.count) { RangeScan.read(path, range: ranges[$0], width: names.count) }
        var line = 2
        for scan in scans {
            if let problem = scan.failure { throw problem }
            if scan.quoted { return nil }
            if let ragged = scan.ragged {
                throw ModelGateError.badInput(
                    "\(path):\(line + ragged.line): the row has \(ragged.fields) fields, the header \(names.count)")
            }
            line += scan.lines
        }
        return merge(names: names, scans.map(\.columns), rows: scans.reduce(0) { $0 + $1.rows })
    }

    /// The ranges' accumulators as one, or nil where a column's type differs between or within ranges.
    static func merge(names: [String], _ parts: [[Accumulator]], rows: Int) -> Scan? {
        var merged: [Accumulator] = []
        for column in names.indices {
            let pieces = parts.map { $0[column] }
            // A range whose column turned categorical after numeric values needs those rows recounted.
            if pieces.contains(where: { ($0.numericUntil ?? 0) > 0 }) { return nil }
            let categorical = pieces.contains { !$0.isNumeric }
            if categorical && pieces.contains(where: { $0.isNumeric && !($0.values.isEmpty && $0.parts.isEmpty) }) {
                return nil
            }
            var total = Accumulator()
            total.isNumeric = !categorical
            for piece in pieces {
                total.missing += piece.missing
                total.categoricalMissing += piece.categoricalMissing
                if categorical {
                    total.categories.merge(piece.categories)
                } else {
                    total.parts += piece.parts + [piece.values]
                }
            }
            merged.append(total)
        }
        return (names, merged, rows)
    }

    /// One thread's range of whole lines.
    struct RangeScan {
        var columns: [Accumulator]
        var rows = 0
        /// Line breaks read: the next range starts this many lines later.
        var lines = 0
        var quoted = false
        var ragged: (line: Int, fields: Int)?
        var failure: ModelGateError?

        // Long on purpose: the chunked parallel read, whose chunk boundaries and merge share their state.
        static func read(_ path: String, range: Range<Int>, width: Int) -> RangeScan {
            var scan = RangeScan(columns: Array(repeating: Accumulator(), count: width))
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                scan.failure = .badInput("cannot open \(path): \(errnoMessage())")
                return scan
            }
            defer { close(descriptor) }
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            var carry: [UInt8] = []
            var ends = [Int](repeating: 0, count: width)
            var offset = range.lowerBound
            var reserved = false
            while offset < range.upperBound {
                let wanted = min(buffer.count, range.upperBound - offset)
                let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(offset)) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    scan.failure = .environment("cannot read \(path): \(errnoMessage())")
                    return scan
                }
                offset += count
                let last = offset >= range.upperBound
                let stop = buffer.withUnsafeBufferPointer { chunk -> Bool in
                    var lineStart = 0
                    var index = 0
                    while index < count {
                        let byte = chunk[index]
                        if byte == 0x22 {
                            scan.quoted = true
                            return true
                        }
                        if byte == 0x0A {
                            let keep: Bool
                            if carry.isEmpty {
                                keep = scan.line(UnsafeBufferPointer(rebasing: chunk[lineStart..<index]), ends: &ends)
                            } else {
                                carry.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[lineStart..<index]))
                                keep = carry.withUnsafeBufferPointer { scan.line($0, ends: &ends) }
                                carry.removeAll(keepingCapacity: true)
                            }
                            if !keep { return true }
                            lineStart = index + 1
                        }
                        index += 1
                    }
                    carry.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[lineStart..<count]))
                    if last && !carry.isEmpty {
                        let keep = carry.withUnsafeBufferPointer { scan.line($0, ends: &ends, terminated: false) }
                        carry.removeAll()
                        if !keep { return true }
                    }
                    return false
                }
                if stop { break }
                if !reserved && scan.rows > 0 {
                    // The range's rows, estimated from its first chunk: each numeric column's array is made
                    // once at (about) its final size, not grown and copied a dozen times.
                    reserved = true
                    let estimate = Int(
                        Double(range.count) / Double(offset - range.lowerBound) * Double(scan.rows) * 1.05)
                    for column in scan.columns.indices where scan.columns[column].isNumeric {
                        scan.columns[column].values.reserveCapacity(estimate)
                    }
                }
            }
            return scan
        }

        /// One line: counted, split at commas, added; false when the scan must stop (a ragged row).
        mutating func line(_ raw: UnsafeBufferPointer<UInt8>, ends: inout [Int], terminated: Bool = true) -> Bool {
            if terminated { lines += 1 }
            var bytes = raw
            if bytes.last == 0x0D { bytes = UnsafeBufferPointer(rebasing: bytes[..<(bytes.count - 1)]) }
            if bytes.isEmpty { return true }
            let width = ends.count
            let field = ends.withUnsafeMutableBufferPointer { ends -> Int in
                var field = 0
                for index in 0..<bytes.count where bytes[index] == 0x2C {
                    if field < width { ends[field] = index }
                    field &+= 1
                }
                if field + 1 == width { ends[field] = bytes.count }
                return field
            }
            guard field + 1 == width else {
                ragged = (terminated ? lines - 1 : lines, field + 1)
                return false
            }
            var start = 0
            for column in 0..<width {
                let end = ends[column]
                columns[column].add(
                    // Force unwrap: a non-empty chunk of the mapped file, which has an address.
                    UnsafeBufferPointer(start: bytes.baseAddress! + start, count: end - start), row: rows)
                start = end + 1
            }
            rows += 1
            return true
        }
    }
}

import Foundation
import ModelGateRegistry
import ModelGateSupport

/// Profiles a CSV file: one streaming pass typing and collecting every column (a second pass only for a
/// column that turns out categorical after numeric-looking values), then exact statistics.
public enum Profiler {
    /// How many categories a profile lists before `__other__`.
    public static let maximumCategories = 100

    /// The profile of the CSV file at `path`; a ragged row is bad input naming its line.
    public static func profile(_ path: String) throws -> DataProfile {
        try profile(path, parallelMinimumBytes: parallelMinimumBytes)
    }

    /// `profile`, reading files of at least `parallelMinimumBytes` with a thread per core where they allow.
    static func profile(_ path: String, parallelMinimumBytes: Int) throws -> DataProfile {
        let (names, columns, rows) = try parallelScan(path, minimumBytes: parallelMinimumBytes) ?? serialScan(path)
        // Each column's statistics on its own core.
        let finished = Concurrently.map(columns.count) { columns[$0].finish() }
        return DataProfile(rows: rows, columns: zip(names, finished).map { ($0, $1) })
    }

    /// The most columns a profile has: a profile is a summary, and a million-column file would take
    /// minutes and gigabytes to summarise into a file nobody reads.
    public static let maximumColumns = 10_000

    static func checkWidth(_ count: Int, path: String) throws {
        guard count <= maximumColumns else {
            throw ModelGateError.badInput(
                "\(Escape.control(path)) has \(count) columns; a profile has at most \(maximumColumns)")
        }
    }

    /// One streaming pass over the file (and a second for columns that turned categorical).
    static func serialScan(_ path: String) throws -> Scan {
        let reader = CSVReader(path: path)
        var header: [String]?
        var columns: [Accumulator] = []
        var rows = 0
        try reader.forEachRecordView { record, line in
            guard let names = header else {
                try Self.checkWidth(record.count, path: path)
                header = record.strings
                columns = (0..<record.count).map { _ in Accumulator() }
                return
            }
            guard record.count == names.count else {
                throw ModelGateError.badInput(
                    "\(path):\(line): the row has \(record.count) fields, the header \(names.count)")
            }
            for index in 0..<record.count { columns[index].add(record.field(index), row: rows) }
            rows += 1
        }
        guard let names = header else {
            throw ModelGateError.badInput("\(path) is empty: a CSV file starts with a header row")
        }
        // Columns that stopped looking numeric after their first rows: count those rows' values too.
        if columns.contains(where: { $0.numericUntil != nil }) {
            var row = -1
            try reader.forEachRecord { fields, _ in
                defer { row += 1 }
                guard row >= 0 else { return }
                for index in fields.indices {
                    if let until = columns[index].numericUntil, row < until {
                        columns[index].countCategory(fields[index])
                    }
                }
            }
        }
        return (names, columns, rows)
    }

    /// Powers of ten a double holds exactly.
    static let exactPowersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    /// `number` of a field's bytes. Plain decimals (`-12.375`: at most 15 significant digits, 22 after the
    /// point, no exponent) are parsed here: an integer below 2^53 divided by an exact power of ten is
    /// correctly rounded, as `Double` would give. Everything else goes through `Double`.
    static func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        let end = bytes.count
        var index = 0
        let sign = base[0]
        let negative = sign == UInt8(ascii: "-")
        if negative || sign == UInt8(ascii: "+") { index = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var point = false
        var sawDigit = false
        var plain = index < end
        while index < end {
            let digit = base[index] &- 0x30
            if digit < 10 {
                sawDigit = true
                guard digits < 15 || mantissa == 0 else {
                    plain = false
                    break
                }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                digits &+= mantissa != 0 ? 1 : 0
                fraction &+= point ? 1 : 0
            } else if base[index] == UInt8(ascii: ".") && !point {
                point = true
            } else {
                plain = false
                break
            }
            index &+= 1
        }
        if plain && sawDigit && fraction <= 22 {
            let value = Double(mantissa) / exactPowersOfTen[fraction]
            return negative ? -value : value
        }
        return number(String(decoding: bytes, as: UTF8.self))
    }

    /// A numeric-looking value: what `Double` parses, but not hexadecimal.
    static func number(_ text: String) -> Double? {
        // By bytes, in constant time: this runs for every cell. No surrounding space, and no hexadecimal
        // float (`0x…`, `-0x…`), which `Double` would accept.
        var bytes = text.utf8.makeIterator()
        guard var first = bytes.next(), first != 0x20, text.utf8.last != 0x20 else { return nil }
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { first = bytes.next() ?? 0 }
        if first == UInt8(ascii: "0"), let second = bytes.next(), second | 0x20 == UInt8(ascii: "x") { return nil }
        return Double(text)
    }

    /// One column while the file is read.
    struct Accumulator {
        /// The column's finite values, in file order: `parts` (other ranges', merged without copying) first.
        var values: [Double] = []
        var parts: [[Double]] = []
        var missing = 0
        var isNumeric = true
        /// Set when the column turned categorical: the rows before it still need counting as categories.
        var numericUntil: Int?
        var categories = CategoryCounts()
        var categoricalMissing = 0

        mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, row: Int) {
            if bytes.isEmpty {
                missing += 1
                categoricalMissing += 1
                return
            }
            if isNumeric {
                if let value = Profiler.number(bytes) {
                    if value.isFinite { values.append(value) } else { missing += 1 }
                    return
                }
                isNumeric = false
                numericUntil = row
                values = []
            }
            categories.add(bytes)
        }

        mutating func countCategory(_ text: String) {
            if !text.isEmpty { categories.add(text) }
        }

        // Long on purpose: one column's statistics, numeric and categorical, each computed once from the same counts.
        func finish() -> DataProfile.Column {
            guard isNumeric else {
                let sorted = categories.counts.sorted { ($0.count, $1.value) > ($1.count, $0.value) }
                var counts = Array(sorted.prefix(Profiler.maximumCategories))
                let rest = sorted.dropFirst(Profiler.maximumCategories).reduce(0) { $0 + $1.count }
                if rest > 0 { counts.append((DataProfile.other, rest)) }
                return .categorical(.init(count: categories.total, missing: categoricalMissing, counts: counts))
            }
            let parts = (self.parts + [values]).filter { !$0.isEmpty }
            let n = parts.reduce(0) { $0 + $1.count }
            guard n > 0 else {
                return .numeric(
                    .init(
                        count: 0, missing: missing, mean: .nan, std: .nan, min: .nan, max: .nan, edges: [], counts: []))
            }
            var sum = 0.0
            var compensation = 0.0
            var low = parts[0][0]
            var high = low
            for part in parts {
                for value in part {
                    let y = value - compensation
                    let t = sum + y
                    compensation = (t - sum) - y
                    sum = t
                    low = Swift.min(low, value)
                    high = Swift.max(high, value)
                }
            }
            let mean = sum / Double(n)
            let variance =
                parts.reduce(0.0) { total, part in part.reduce(total) { $0 + ($1 - mean) * ($1 - mean) } }
                / Double(n)
            // The deciles need only the order statistics around them: selected, not sorted.
            var ranks = Set<Int>()
            for q in 1...9 {
                let h = Double(n - 1) * Double(q) / 10
                let lo = Int(h.rounded(.down))
                ranks.insert(lo)
                if lo + 1 < n { ranks.insert(lo + 1) }
            }
            let statistics = Profiler.orderStatistics(parts, low: low, high: high, ranks: ranks.sorted())
            let edges = (1...9).map { q -> Double in
                let h = Double(n - 1) * Double(q) / 10
                let lo = Int(h.rounded(.down))
                // Force unwrap: the ranks asked of orderStatistics are exactly these, so each is there.
                guard lo + 1 < n else { return statistics[lo]! }
                return statistics[lo]! + (h - Double(lo)) * (statistics[lo + 1]! - statistics[lo]!)
            }
            // The bin of a value is the number of edges below it (the nine edges are sorted): no branches.
            let (e0, e1, e2, e3, e4) = (edges[0], edges[1], edges[2], edges[3], edges[4])
            let (e5, e6, e7, e8) = (edges[5], edges[6], edges[7], edges[8])
            var counts = [Int](repeating: 0, count: edges.count + 1)
            counts.withUnsafeMutableBufferPointer { counts in
                for part in parts {
                    for value in part {
                        var bin = (e0 < value ? 1 : 0) &+ (e1 < value ? 1 : 0) &+ (e2 < value ? 1 : 0)
                        bin &+= (e3 < value ? 1 : 0) &+ (e4 < value ? 1 : 0) &+ (e5 < value ? 1 : 0)
                        bin &+= (e6 < value ? 1 : 0) &+ (e7 < value ? 1 : 0) &+ (e8 < value ? 1 : 0)
                        counts[bin] &+= 1
                    }
                }
            }
            return .numeric(
                .init(
                    count: n, missing: missing, mean: mean, std: variance.squareRoot(), min: low, max: high,
                    edges: edges, counts: counts))
        }
    }
}

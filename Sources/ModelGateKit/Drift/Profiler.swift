import Foundation

/// Profiles a CSV file: one streaming pass typing and collecting every column (a second pass only for a
/// column that turns out categorical after numeric-looking values), then exact statistics.
public enum Profiler {
    /// How many categories a profile lists before `__other__`.
    public static let maximumCategories = 100

    /// The profile of the CSV file at `path`; a ragged row is bad input naming its line.
    public static func profile(_ path: String) throws -> DataProfile {
        let reader = CSVReader(path: path)
        var header: [String]?
        var columns: [Accumulator] = []
        var rows = 0
        try reader.forEachRecord { fields, line in
            guard let names = header else {
                header = fields
                columns = fields.map { _ in Accumulator() }
                return
            }
            guard fields.count == names.count else {
                throw ModelGateError.badInput(
                    "\(path):\(line): the row has \(fields.count) fields, the header \(names.count)")
            }
            for index in fields.indices { columns[index].add(fields[index], row: rows) }
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
        return DataProfile(rows: rows, columns: zip(names, columns).map { ($0, $1.finish()) })
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
        var values: [Double] = []
        var missing = 0
        var isNumeric = true
        /// Set when the column turned categorical: the rows before it still need counting as categories.
        var numericUntil: Int?
        var categories: [String: Int] = [:]
        var categoricalMissing = 0

        mutating func add(_ text: String, row: Int) {
            if text.isEmpty {
                missing += 1
                categoricalMissing += 1
                return
            }
            if isNumeric {
                if let value = Self.number(text) {
                    if value.isFinite { values.append(value) } else { missing += 1 }
                    return
                }
                isNumeric = false
                numericUntil = row
                values = []
            }
            categories[text, default: 0] += 1
        }

        mutating func countCategory(_ text: String) {
            if !text.isEmpty { categories[text, default: 0] += 1 }
        }

        static func number(_ text: String) -> Double? { Profiler.number(text) }

        func finish() -> DataProfile.Column {
            guard isNumeric else {
                let count = categories.values.reduce(0, +)
                let sorted = categories.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                var counts = sorted.prefix(Profiler.maximumCategories).map { (value: $0.key, count: $0.value) }
                let rest = sorted.dropFirst(Profiler.maximumCategories).reduce(0) { $0 + $1.value }
                if rest > 0 { counts.append((DataProfile.other, rest)) }
                return .categorical(.init(count: count, missing: categoricalMissing, counts: counts))
            }
            let sorted = values.sorted()
            let n = sorted.count
            guard n > 0 else {
                return .numeric(
                    .init(
                        count: 0, missing: missing, mean: .nan, std: .nan, min: .nan, max: .nan, edges: [], counts: []))
            }
            var sum = 0.0
            var compensation = 0.0
            for value in sorted {
                let y = value - compensation
                let t = sum + y
                compensation = (t - sum) - y
                sum = t
            }
            let mean = sum / Double(n)
            let variance = sorted.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
            let edges = (1...9).map { Profiler.quantile(sorted, Double($0) / 10) }
            return .numeric(
                .init(
                    count: n, missing: missing, mean: mean, std: variance.squareRoot(), min: sorted[0],
                    max: sorted[n - 1],
                    edges: edges, counts: Profiler.binCounts(sorted: sorted, edges: edges)))
        }
    }

    /// numpy's default (`linear`) quantile of sorted values: `x[lo] + (h - lo) * (x[lo + 1] - x[lo])`, h = (n-1)q.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down))
        guard lo + 1 < sorted.count else { return sorted[sorted.count - 1] }
        return sorted[lo] + (h - Double(lo)) * (sorted[lo + 1] - sorted[lo])
    }

    /// Counts per bin: `<= edges[0]`, `(edges[i-1], edges[i]]`, `> edges[last]`.
    static func binCounts(sorted: [Double], edges: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: edges.count + 1)
        var bin = 0
        for value in sorted {
            while bin < edges.count && value > edges[bin] { bin += 1 }
            counts[bin] += 1
        }
        return counts
    }
}

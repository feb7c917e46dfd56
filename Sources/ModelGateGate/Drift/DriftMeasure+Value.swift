import Foundation
import ModelGateRegistry
import ModelGateSupport

// The values of the measures: the registry names them, the gate computes them.
extension DriftMeasure {
    /// The floor of every proportion, so that an empty bin neither divides by zero nor vanishes.
    public static let epsilon = 1e-4

    /// The measure between reference counts `p` and current counts `q`, bin by bin.
    public func value(reference p: [Int], current q: [Int]) -> Double {
        value(reference: p.map(Double.init), current: q.map(Double.init))
    }

    /// The measure between reference and current (possibly fractional) counts, bin by bin.
    public func value(reference p: [Double], current q: [Double]) -> Double {
        let p = Self.proportions(p)
        let q = Self.proportions(q)
        switch self {
        case .l1: return zip(p, q).reduce(0) { $0 + abs($1.0 - $1.1) }
        case .psi: return zip(p, q).reduce(0) { $0 + ($1.1 - $1.0) * log($1.1 / $1.0) }
        case .ks:
            var cumulativeP = 0.0
            var cumulativeQ = 0.0
            var largest = 0.0
            for (a, b) in zip(p, q) {
                cumulativeP += a
                cumulativeQ += b
                largest = max(largest, abs(cumulativeP - cumulativeQ))
            }
            return largest
        }
    }

    /// Counts as proportions of their total, each floored at ε.
    static func proportions(_ counts: [Double]) -> [Double] {
        let total = counts.reduce(0, +)
        return counts.map { total > 0 ? max($0 / total, epsilon) : epsilon }
    }
}

/// A current sample counted on a reference profile's bins, column by column.
public struct BinnedSample: Sendable {
    /// One column of the sample: its counts on the reference's bins, or why it cannot be compared.
    public enum Column: Sendable, Equatable {
        case counts(reference: [Int], current: [Int])
        case mismatch(String)
        /// Not compared, and not a failure: the training target where the data has no such column.
        case leftOut(String)
    }

    public var rows: Int
    public var columns: [(name: String, column: Column)]

    /// Reads the CSV at `path` and counts each of `reference`'s columns on its bins; a column on one side
    /// only, or of another type, is a mismatch, but `target` (the label the model predicts) is left out
    /// where the data lacks it.
    ///
    /// Long on purpose: one pass over the CSV, binning every column as it reads.
    public static func read(_ path: String, on reference: DataProfile, target: String? = nil) throws -> BinnedSample {
        var header: [String]?
        var indices: [Int?] = []
        var counts: [[Int]] = []
        var nonNumeric = [Bool](repeating: false, count: reference.columns.count)
        var rows = 0
        try CSVReader(path: path).forEachRecord { fields, line in
            guard let names = header else {
                header = fields
                indices = reference.columns.map { column in fields.firstIndex(of: column.name) }
                counts = reference.columns.map { Array(repeating: 0, count: Self.binCount($0.column)) }
                return
            }
            guard fields.count == names.count else {
                throw ModelGateError.badInput(
                    "\(path):\(line): the row has \(fields.count) fields, the header \(names.count)")
            }
            rows += 1
            for (position, column) in reference.columns.enumerated() {
                guard let index = indices[position] else { continue }
                let text = fields[index]
                guard !text.isEmpty else { continue }
                switch column.column {
                case .numeric(let statistics):
                    guard !statistics.edges.isEmpty else { continue }
                    guard let value = Profiler.number(text) else {
                        nonNumeric[position] = true
                        continue
                    }
                    guard value.isFinite else { continue }
                    let bin = statistics.edges.firstIndex { value <= $0 } ?? statistics.edges.count
                    counts[position][bin] += 1
                case .categorical(let statistics):
                    let listed = statistics.counts.firstIndex { $0.value == text && $0.value != DataProfile.other }
                    let other =
                        statistics.counts.firstIndex { $0.value == DataProfile.other } ?? statistics.counts.count
                    counts[position][listed ?? other] += 1
                }
            }
        }
        guard header != nil else {
            throw ModelGateError.badInput("\(path) is empty: a CSV file starts with a header row")
        }
        var columns: [(String, Column)] = []
        for (position, column) in reference.columns.enumerated() {
            if indices[position] == nil, column.name == target {
                columns.append((column.name, .leftOut("the training target, which the data does not have")))
            } else if indices[position] == nil {
                columns.append((column.name, .mismatch("the column is missing from the data")))
            } else if case .numeric(let statistics) = column.column, statistics.edges.isEmpty {
                columns.append((column.name, .mismatch("the profile holds no value of this column to compare with")))
            } else if nonNumeric[position] {
                columns.append((column.name, .mismatch("the column is numeric in the profile, not in the data")))
            } else {
                columns.append(
                    (column.name, .counts(reference: Self.referenceCounts(column.column), current: counts[position])))
            }
        }
        for name in header ?? [] where !reference.columns.contains(where: { $0.name == name }) {
            columns.append((name, .mismatch("the column is not in the profile")))
        }
        return BinnedSample(rows: rows, columns: columns)
    }

    /// The bins of a reference column: ten for a numeric one, its categories plus `__other__` otherwise.
    static func binCount(_ column: DataProfile.Column) -> Int { referenceCounts(column).count }

    static func referenceCounts(_ column: DataProfile.Column) -> [Int] {
        switch column {
        case .numeric(let statistics): return statistics.counts
        case .categorical(let statistics):
            let hasOther = statistics.counts.contains { $0.value == DataProfile.other }
            return statistics.counts.map(\.count) + (hasOther ? [] : [0])
        }
    }
}

import Foundation
import ModelGateSupport

/// What a data file looks like, column by column: the reference `drift` compares new data with.
///
/// Numeric columns (every non-empty value a number) keep count, missing, mean, population std, min, max
/// and ten bins cut at the exact inner deciles (numpy's default `linear` quantile method); categorical
/// columns keep the counts of their 100 most frequent values and the rest as `__other__`. `nan`, `inf` and
/// empty cells count as missing.
public struct DataProfile: Sendable, Equatable {
    /// One column's statistics.
    public enum Column: Sendable, Equatable {
        case numeric(NumericStatistics)
        case categorical(CategoricalStatistics)

        public var count: Int {
            switch self {
            case .numeric(let statistics): statistics.count
            case .categorical(let statistics): statistics.count
            }
        }
    }

    /// A numeric column: every statistic over the values that are numbers, not missing.
    public struct NumericStatistics: Sendable, Equatable {
        public var count: Int
        public var missing: Int
        public var mean: Double
        public var std: Double
        public var min: Double
        public var max: Double
        /// The inner deciles 0.1 … 0.9.
        public var edges: [Double]
        /// Values `<= edges[0]`, then `(edges[i-1], edges[i]]`, the last `> edges[8]`.
        public var counts: [Int]

        package init(
            count: Int, missing: Int, mean: Double, std: Double, min: Double, max: Double, edges: [Double],
            counts: [Int]
        ) {
            self.count = count
            self.missing = missing
            self.mean = mean
            self.std = std
            self.min = min
            self.max = max
            self.edges = edges
            self.counts = counts
        }
    }

    /// A categorical column: value -> count, the 100 most frequent, the rest under `__other__`.
    public struct CategoricalStatistics: Sendable, Equatable {
        public var count: Int
        public var missing: Int
        public var counts: [(value: String, count: Int)]

        package init(count: Int, missing: Int, counts: [(value: String, count: Int)]) {
            self.count = count
            self.missing = missing
            self.counts = counts
        }

        public static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.count == rhs.count && lhs.missing == rhs.missing && lhs.counts.map(\.value) == rhs.counts.map(\.value)
                && lhs.counts.map(\.count) == rhs.counts.map(\.count)
        }
    }

    /// The bucket of the values a categorical profile does not list.
    public static let other = "__other__"

    public var rows: Int
    /// Column name -> statistics, in the order of the file's header.
    public var columns: [(name: String, column: Column)]

    package init(rows: Int, columns: [(name: String, column: Column)]) {
        self.rows = rows
        self.columns = columns
    }

    public static func == (lhs: DataProfile, rhs: DataProfile) -> Bool {
        lhs.rows == rhs.rows && lhs.columns.map(\.name) == rhs.columns.map(\.name)
            && lhs.columns.map(\.column) == rhs.columns.map(\.column)
    }

    /// `{"rows", "columns": {...}}`, columns in header order.
    public var json: JSONValue {
        .object([
            ("rows", .number(Double(rows))),
            ("columns", .object(columns.map { ($0.name, Self.json($0.column)) })),
        ])
    }

    static func json(_ column: Column) -> JSONValue {
        switch column {
        case .numeric(let s):
            return .object([
                ("type", .string("numeric")), ("count", .number(Double(s.count))),
                ("missing", .number(Double(s.missing))),
                // Optional, so that an empty column's NaN statistics are written as null.
                ("mean", .number(s.mean as Double?)), ("std", .number(s.std as Double?)),
                ("min", .number(s.min as Double?)),
                ("max", .number(s.max as Double?)),
                (
                    "bins",
                    .object([
                        ("edges", .array(s.edges.map { JSONValue.number($0) })),
                        ("counts", .array(s.counts.map { .number(Double($0)) })),
                    ])
                ),
            ])
        case .categorical(let s):
            return .object([
                ("type", .string("categorical")), ("count", .number(Double(s.count))),
                ("missing", .number(Double(s.missing))),
                ("counts", .object(s.counts.map { ($0.value, .number(Double($0.count))) })),
            ])
        }
    }
}

extension DataProfile {
    /// Reads a profile from its JSON (`{"rows", "columns"}`), columns in the file's order; nil with the
    /// reason when it is not one.
    public static func decode(_ object: Any, name: String) throws -> DataProfile {
        func fail(_ why: String) -> ModelGateError { .badInput("\(name) is not a data profile: \(why)") }
        guard let object = object as? [String: Any], let rows = object["rows"] as? Int,
            let columns = object["columns"] as? [String: Any]
        else { throw fail("it needs rows and columns") }
        // JSONSerialization loses key order; the columns are sorted by name.
        var result: [(String, Column)] = []
        for name in columns.keys.sorted() {
            guard let column = columns[name] as? [String: Any], let type = column["type"] as? String,
                let count = column["count"] as? Int, let missing = column["missing"] as? Int
            else { throw fail("column \(Quoted(name)) needs type, count and missing") }
            switch type {
            case "numeric":
                let bins = column["bins"] as? [String: Any]
                let edges = (bins?["edges"] as? [Double]) ?? []
                let counts = (bins?["counts"] as? [Int]) ?? []
                guard edges.isEmpty ? counts.isEmpty : (edges.count == 9 && counts.count == 10) else {
                    throw fail("column \(Quoted(name)) needs 9 edges and 10 counts")
                }
                func number(_ key: String) -> Double { (column[key] as? Double) ?? .nan }
                result.append(
                    (
                        name,
                        .numeric(
                            .init(
                                count: count, missing: missing, mean: number("mean"), std: number("std"),
                                min: number("min"), max: number("max"),
                                edges: edges, counts: counts))
                    ))
            case "categorical":
                guard let counts = column["counts"] as? [String: Int] else {
                    throw fail("column \(Quoted(name)) needs counts")
                }
                let sorted = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map {
                    (value: $0.key, count: $0.value)
                }
                result.append((name, .categorical(.init(count: count, missing: missing, counts: sorted))))
            default:
                throw fail("column \(Quoted(name)) has type \(Quoted(type))")
            }
        }
        return DataProfile(rows: rows, columns: result)
    }
}

import ModelGateRegistry

/// Two profiles compared column by column on the reference's bins, without the data: what the gate's
/// `drift` rule measures between a candidate's training data and the stage holder's.
///
/// Categorical columns compare exactly (the current counts of the reference's categories, the rest as
/// `__other__`). A numeric column's current distribution is known at its own deciles, minimum and maximum;
/// its share of each reference bin is read off that cumulative distribution, linear between those points.
/// Identical profiles measure exactly zero.
public enum ProfileComparison {
    /// One column: the two sides' counts on the reference's bins, or why they cannot be compared.
    public enum Column: Sendable, Equatable {
        case counts(reference: [Double], current: [Double])
        case mismatch(String)
    }

    /// Every column of either profile; a column on one side only, or of another type, is a mismatch.
    public static func compare(_ current: DataProfile, on reference: DataProfile) -> [(name: String, column: Column)] {
        var result: [(String, Column)] = []
        for (name, column) in reference.columns {
            guard let other = current.columns.first(where: { $0.name == name })?.column else {
                result.append((name, .mismatch("the column is missing from the candidate's data")))
                continue
            }
            switch (column, other) {
            case (.numeric(let r), .numeric(let c)):
                guard !r.edges.isEmpty else {
                    result.append((name, .mismatch("the reference profile holds no value of this column")))
                    continue
                }
                guard c.count > 0 else {
                    result.append((name, .mismatch("the candidate's profile holds no value of this column")))
                    continue
                }
                result.append((name, .counts(reference: r.counts.map(Double.init), current: share(of: c, on: r.edges))))
            case (.categorical(let r), .categorical(let c)):
                let reference = BinnedSample.referenceCounts(column).map(Double.init)
                var current = [Double](repeating: 0, count: reference.count)
                let otherIndex = r.counts.firstIndex { $0.value == DataProfile.other } ?? r.counts.count
                for (value, count) in c.counts {
                    let index = value == DataProfile.other ? nil : r.counts.firstIndex { $0.value == value }
                    current[index ?? otherIndex] += Double(count)
                }
                result.append((name, .counts(reference: reference, current: current)))
            default:
                result.append(
                    (name, .mismatch("the column is \(kind(column)) in the reference, \(kind(other)) in the candidate"))
                )
            }
        }
        for (name, _) in current.columns where !reference.columns.contains(where: { $0.name == name }) {
            result.append((name, .mismatch("the column is not in the reference's data")))
        }
        return result
    }

    static func kind(_ column: DataProfile.Column) -> String {
        if case .numeric = column { return "numeric" }
        return "categorical"
    }

    /// The counts of `statistics`' values in each bin of `edges` (≤ edges[0], (edges[i−1], edges[i]], > last).
    static func share(of statistics: DataProfile.NumericStatistics, on edges: [Double]) -> [Double] {
        // The cumulative distribution's known points: (min, 0)… at each of its own edges the count of
        // values ≤ it …(max, count).
        var points: [(x: Double, y: Double)] = []
        var cumulative = 0
        if statistics.edges.isEmpty {
            points = [(statistics.min, 0), (statistics.max, Double(statistics.count))]
        } else {
            points.append((statistics.min, 0))
            for (edge, count) in zip(statistics.edges, statistics.counts) {
                cumulative += count
                points.append((edge, Double(cumulative)))
            }
            points.append((statistics.max, Double(statistics.count)))
        }
        func below(_ x: Double) -> Double {
            if x < statistics.min { return 0 }
            if x >= statistics.max { return Double(statistics.count) }
            // The last point at or below x, so that a run of equal edges takes its full count.
            guard let index = points.lastIndex(where: { $0.x <= x }) else { return 0 }
            guard index + 1 < points.count else { return points[index].y }
            let (x0, y0) = points[index]
            let (x1, y1) = points[index + 1]
            return x1 > x0 ? y0 + (y1 - y0) * (x - x0) / (x1 - x0) : y1
        }
        var result: [Double] = []
        var previous = 0.0
        for edge in edges {
            let value = below(edge)
            result.append(max(value - previous, 0))
            previous = max(previous, value)
        }
        result.append(max(Double(statistics.count) - previous, 0))
        return result
    }
}

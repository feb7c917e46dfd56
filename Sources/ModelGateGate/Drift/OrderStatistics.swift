extension Profiler {
    /// How many equal-width buckets `orderStatistics` spreads values over.
    static let selectionBuckets = 1 << 16

    /// The values at `ranks` (sorted, distinct) of the sorted order of the values in `parts` (one column,
    /// read in parts that are never copied into one), whose least and greatest are `low` and `high`. Two
    /// passes: a histogram over equal-width buckets between `low` and `high` (a bucket's index grows with
    /// the value, so the buckets are in order), then the values of only the buckets that hold a wanted rank,
    /// collected and selected among (`select`): a small fraction of the column for any spread-out data.
    /// Exact whatever the data: a lopsided column only makes the selected part larger, up to all of it.
    static func orderStatistics(_ parts: [[Double]], low: Double, high: Double, ranks: [Int]) -> [Int: Double] {
        let span = high - low
        guard !ranks.isEmpty else { return [:] }
        guard span > 0, span.isFinite else {
            var scratch = Array(parts.joined())
            return select(&scratch, ranks: ranks)
        }
        let buckets = selectionBuckets
        let scale = Double(buckets) / span
        @inline(__always) func bucket(_ value: Double) -> Int {
            let position = (value - low) * scale
            return position < Double(buckets) ? Int(position) : buckets - 1
        }
        var histogram = [Int](repeating: 0, count: buckets)
        for part in parts {
            for value in part { histogram[bucket(value)] += 1 }
        }
        // The buckets holding a wanted rank, each with how many values sort before it.
        var slot = [Int](repeating: -1, count: buckets)
        var starts: [Int] = []
        var before = 0
        var remaining = ranks[...]
        for index in 0..<buckets where !remaining.isEmpty {
            let after = before + histogram[index]
            if let rank = remaining.first, rank < after {
                slot[index] = starts.count
                starts.append(before)
                remaining = remaining.drop(while: { $0 < after })
            }
            before = after
        }
        var selected = [[Double]](repeating: [], count: starts.count)
        for part in parts {
            for value in part {
                let index = slot[bucket(value)]
                if index >= 0 { selected[index].append(value) }
            }
        }
        var result: [Int: Double] = [:]
        for (index, start) in starts.enumerated() {
            let local = ranks.filter { $0 >= start && $0 < start + selected[index].count }.map { $0 - start }
            for (rank, value) in select(&selected[index], ranks: local) { result[rank + start] = value }
        }
        return result
    }

    /// The values at `ranks` (sorted, distinct) of the sorted order of `values`, found by a three-way
    /// quickselect that descends only into the parts holding a wanted rank; `values` is reordered.
    static func select(_ values: inout [Double], ranks: [Int]) -> [Int: Double] {
        var result: [Int: Double] = [:]
        var stack: [(lo: Int, hi: Int, ranks: ArraySlice<Int>)] = [(0, values.count - 1, ranks[...])]
        while let (lo, hi, wanted) = stack.popLast() {
            guard !wanted.isEmpty else { continue }
            if hi - lo < 16 {
                values[lo...hi].sort()
                for rank in wanted { result[rank] = values[rank] }
                continue
            }
            let a = values[lo]
            let b = values[(lo + hi) / 2]
            let c = values[hi]
            let pivot = Swift.max(Swift.min(a, b), Swift.min(Swift.max(a, b), c))
            var lt = lo
            var index = lo
            var gt = hi
            while index <= gt {
                let value = values[index]
                if value < pivot {
                    values.swapAt(lt, index)
                    lt += 1
                    index += 1
                } else if value > pivot {
                    values.swapAt(index, gt)
                    gt -= 1
                } else {
                    index += 1
                }
            }
            let left = wanted.prefix { $0 < lt }
            let rest = wanted.dropFirst(left.count)
            let middle = rest.prefix { $0 <= gt }
            for rank in middle { result[rank] = pivot }
            stack.append((lo, lt - 1, left))
            stack.append((gt + 1, hi, rest.dropFirst(middle.count)))
        }
        return result
    }
}

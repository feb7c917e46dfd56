import Foundation
import ModelGateRegistry
import ModelGateTestSupport
import Testing

@testable import ModelGateGate

@Suite("Profile comparison")
struct ProfileComparisonTests {
    func numeric(_ values: [Double]) -> DataProfile.Column {
        let sorted = values.sorted()
        func quantile(_ q: Double) -> Double {
            let position = q * Double(sorted.count - 1)
            let low = Int(position.rounded(.down))
            let high = min(low + 1, sorted.count - 1)
            return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
        }
        let edges = (1...9).map { quantile(Double($0) / 10) }
        var counts = [Int](repeating: 0, count: 10)
        for value in values { counts[edges.firstIndex { value <= $0 } ?? 9] += 1 }
        let mean = values.reduce(0, +) / Double(values.count)
        return .numeric(
            .init(
                count: values.count, missing: 0, mean: mean, std: 0, min: sorted.first!, max: sorted.last!,
                edges: edges,
                counts: counts))
    }

    @Test func identicalProfilesMeasureZero() {
        let column = numeric((0..<1000).map { Double($0 % 37) * 1.5 })
        let profile = DataProfile(rows: 1000, columns: [("x", column)])
        for (_, comparison) in ProfileComparison.compare(profile, on: profile) {
            guard case .counts(let p, let q) = comparison else {
                Issue.record("not comparable")
                continue
            }
            #expect(p == q)
            for measure in DriftMeasure.allCases { #expect(measure.value(reference: p, current: q) == 0) }
        }
    }

    @Test func aShiftIsMeasuredAndCategoriesCompareExactly() throws {
        let reference = DataProfile(
            rows: 1000,
            columns: [
                ("x", numeric((0..<1000).map(Double.init))),
                ("c", .categorical(.init(count: 10, missing: 0, counts: [("a", 6), ("b", 4)]))),
            ])
        let current = DataProfile(
            rows: 1000,
            columns: [
                ("x", numeric((0..<1000).map { Double($0) + 500 })),
                ("c", .categorical(.init(count: 10, missing: 0, counts: [("a", 5), ("z", 5)]))),
            ])
        let result = Dictionary(
            uniqueKeysWithValues: ProfileComparison.compare(current, on: reference).map { ($0.name, $0.column) })
        guard case .counts(let p, let q) = try #require(result["x"]) else {
            Issue.record("x is not comparable")
            return
        }
        #expect(abs(q.reduce(0, +) - 1000) < 1e-9)
        #expect(DriftMeasure.l1.value(reference: p, current: q) > 0.9)
        guard case .counts(let cp, let cq) = try #require(result["c"]) else {
            Issue.record("c is not comparable")
            return
        }
        #expect(cp == [6, 4, 0])
        #expect(cq == [5, 0, 5])
    }

    @Test func columnsOnOneSideOrOfAnotherTypeAreMismatches() {
        let reference = DataProfile(rows: 3, columns: [("x", numeric([1, 2, 3])), ("y", numeric([1, 2, 3]))])
        let current = DataProfile(
            rows: 3,
            columns: [
                ("x", .categorical(.init(count: 3, missing: 0, counts: [("a", 3)]))), ("z", numeric([1, 2, 3])),
            ])
        let result = ProfileComparison.compare(current, on: reference)
        #expect(result.map(\.name) == ["x", "y", "z"])
        for (_, column) in result {
            guard case .mismatch = column else {
                Issue.record("expected a mismatch")
                continue
            }
        }
    }
}

@Suite("Profiler internals")
struct ProfilerInternalsTests {
    /// The selected order statistics equal the sorted ones, with many ties and without.
    @Test(arguments: [1, 2, 17, 1000, 10_007])
    func selectionMatchesSorting(_ count: Int) {
        var generator = SystemRandomNumberGenerator()
        for distinct in [3, 1_000_000] {
            let values = (0..<count).map { _ in Double(Int.random(in: 0..<distinct, using: &generator)) / 7 }
            let sorted = values.sorted()
            let ranks = Array(Set((0..<20).map { _ in Int.random(in: 0..<count, using: &generator) })).sorted()
            var scratch = values
            let selected = Profiler.select(&scratch, ranks: ranks)
            for rank in ranks { #expect(selected[rank] == sorted[rank], "rank \(rank) of \(count)") }
        }
    }

    /// The bucketed selection equals sorting on spread-out, tied, lopsided (one huge outlier), constant
    /// and overflowing (a span beyond `Double`) columns.
    @Test(arguments: ["normal", "ties", "outlier", "constant", "overflow"])
    func orderStatisticsMatchSorting(_ shape: String) {
        var generator = SplitMix(seed: 42)
        var values = (0..<50_000).map { _ in Double(generator.next() % 1_000_000) / 1000 - 500 }
        switch shape {
        case "ties": values = values.map { ($0 / 100).rounded() }
        case "outlier": values.append(1e300)
        case "constant": values = values.map { _ in 2.5 }
        case "overflow": values += [-1.7e308, 1.7e308]
        default: break
        }
        let sorted = values.sorted()
        let ranks = [0, 1, 4_999, 5_000, 24_999, 25_000, 49_998, values.count - 1]
        let selected = Profiler.orderStatistics(
            [Array(values[..<20_000]), [], Array(values[20_000...])], low: sorted.first!, high: sorted.last!,
            ranks: ranks)
        for rank in ranks { #expect(selected[rank] == sorted[rank], "rank \(rank) of \(shape)") }
    }

    /// Plain decimals parsed from bytes equal what `Double` parses; everything else falls back to it.
    @Test(arguments: [
        "0", "-0", "12", "-12.375", "0.1", "100.000001", "123456789012345", "1234567890123456789",
        "1e5", ".5", "5.", "-", "", "+3.25", "0.0000000000000000000001", "nan", "inf", "0x10", " 1", "1 ",
    ])
    func bytesParseLikeDouble(_ text: String) {
        let parsed = Array(text.utf8).withUnsafeBufferPointer { Profiler.number($0) }
        let expected = Profiler.number(text)
        if let expected, expected.isNaN {
            #expect(parsed?.isNaN == true)
        } else {
            #expect(parsed == expected, "\(text)")
            #expect(parsed?.sign == expected?.sign, "\(text)")
        }
    }
}

@Suite("Profiler: parallel ranges")
struct ParallelProfileTests {
    func write(_ text: String) throws -> (ScratchFile, String) {
        let file = ScratchFile()
        try Data(text.utf8).write(to: URL(fileURLWithPath: file.path))
        return (file, file.path)
    }

    /// A class so the file is removed when the test ends.
    final class ScratchFile {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("profile-\(UUID().uuidString).csv")
            .path
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    func table(rows: Int, lineEnd: String = "\n", finalNewline: Bool = true, edit: (Int, String) -> String = { $1 })
        -> String
    {
        var generator = SplitMix(seed: 7)
        var lines = ["x,y,region"]
        for row in 0..<rows {
            let x = Double(Int.random(in: -100_000...100_000, using: &generator)) / 1000
            let y = row % 17 == 0 ? "" : String(Int.random(in: 0...9, using: &generator))
            let region = ["eu", "us", "apac"][Int.random(in: 0...2, using: &generator)]
            lines.append(edit(row, "\(x),\(y),\(region)"))
            if row % 500 == 0 { lines.append("") }
        }
        return lines.joined(separator: lineEnd) + (finalNewline ? lineEnd : "")
    }

    @Test(arguments: [("\n", true), ("\r\n", true), ("\n", false)])
    func parallelEqualsSerial(_ lineEnd: String, _ finalNewline: Bool) throws {
        let (file, path) = try write(table(rows: 20_000, lineEnd: lineEnd, finalNewline: finalNewline))
        defer { withExtendedLifetime(file) {} }
        #expect(try Profiler.parallelScan(path, minimumBytes: 0) != nil, "the plain file is read in parallel")
        let parallel = try Profiler.profile(path, parallelMinimumBytes: 0)
        let serial = try Profiler.profile(path, parallelMinimumBytes: .max)
        #expect(parallel.rows == serial.rows && parallel.rows == 20_000)
        for ((name, a), (_, b)) in zip(parallel.columns, serial.columns) {
            switch (a, b) {
            case (.numeric(let p), .numeric(let s)):
                #expect(
                    p.edges == s.edges && p.counts == s.counts && p.count == s.count && p.missing == s.missing,
                    "\(name)")
                #expect(p.min == s.min && p.max == s.max, "\(name)")
                #expect(
                    abs(p.mean - s.mean) <= 1e-12 * max(1, abs(s.mean)) && abs(p.std - s.std) <= 1e-12 * max(1, s.std),
                    "\(name)")
            case (.categorical(let p), .categorical(let s)):
                #expect(p == s, "\(name)")
            default:
                Issue.record("\(name) has another type in parallel")
            }
        }
    }

    @Test func aRaggedRowNamesItsLineFromAnyRange() throws {
        let (file, path) = try write(table(rows: 20_000) { row, line in row == 15_000 ? line + ",extra" : line })
        defer { withExtendedLifetime(file) {} }
        let expectedLine =
            try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasSuffix(",extra") }! + 1
        #expect {
            try Profiler.profile(path, parallelMinimumBytes: 0)
        } throws: { error in
            "\(error)".contains("\(path):\(expectedLine): the row has 4 fields, the header 3")
        }
    }

    @Test func quotesAndTypeChangesFallBackToTheSerialReader() throws {
        let (quotedFile, quoted) = try write(
            table(rows: 20_000) { row, line in row == 12_000 ? "1.5,3,\"a,\nb\"" : line })
        defer { withExtendedLifetime(quotedFile) {} }
        #expect(try Profiler.parallelScan(quoted, minimumBytes: 0) == nil)
        #expect(try Profiler.profile(quoted, parallelMinimumBytes: 0).rows == 20_000)
        let (typedFile, typed) = try write(table(rows: 20_000) { row, line in row == 15_000 ? "word,1,eu" : line })
        defer { withExtendedLifetime(typedFile) {} }
        #expect(try Profiler.parallelScan(typed, minimumBytes: 0) == nil)
        guard case .categorical(let x) = try Profiler.profile(typed, parallelMinimumBytes: 0).columns[0].column else {
            Issue.record("x should be categorical")
            return
        }
        #expect(x.count == 20_000)
    }
}

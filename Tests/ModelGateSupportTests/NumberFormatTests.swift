import Foundation
import Testing

@testable import ModelGateSupport

@Suite("Number formats")
struct NumberFormatTests {
    @Test func fixedPlacesRoundAsPrintfDoes() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [
            0, -0.0, 0.5, 1.0005, 2.675, 1e-7, -0.00005, 123.455, 1e9 + 0.125, 1.7976931348623157e308, -1e300,
        ]
        for _ in 0..<2_000 { values.append(Double.random(in: -1e6...1e6, using: &generator)) }
        for _ in 0..<500 { values.append(Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF)) }
        // Metric-like values, and exact binary ties and near-ties (the fast path must leave those to printf).
        for _ in 0..<2_000 { values.append(Double.random(in: -1...1, using: &generator)) }
        for k in 0..<400 { values += [Double(k) / 8, Double(k) / 1000, Double(k) / 1000 + 5e-5, -Double(k) / 16] }
        for value in values {
            for decimals in [0, 1, 2, 3, 4, 6, 9] {
                #expect(NumberFormat.fixed(value, decimals: decimals) == String(format: "%.\(decimals)f", value))
            }
        }
    }

    /// An integer of units written with its decimals: every digit kept, at the widest too.
    @Test func decimalsOfAnInteger() {
        for (units, decimals, trimming, negative, expected) in [
            (UInt64(1234), 2, false, false, "12.34"), (5, 2, false, false, "0.05"), (0, 0, false, false, "0"),
            (0, 1, true, false, "0"), (120, 1, true, false, "12"), (125, 1, true, true, "-12.5"),
            (1200, 3, false, true, "-1.200"), (UInt64.max, 0, false, false, "18446744073709551615"),
            (UInt64.max, 19, false, true, "-1.8446744073709551615"),
        ] {
            #expect(
                NumberFormat.decimal(units, decimals: decimals, trimmingZeros: trimming, negative: negative)
                    == expected, "\(units) \(decimals)")
        }
    }

    @Test func metricsAndDeltasAreShortAndSigned() {
        #expect(NumberFormat.metric(0.85) == "0.85")
        #expect(NumberFormat.metric(0.123456) == "0.1235")
        #expect(NumberFormat.metric(12.5) == "12.5")
        #expect(NumberFormat.metric(1_500) == "1500")
        #expect(NumberFormat.metric(1234.5678) == "1234.57")
        #expect(NumberFormat.metric(nil) == "—")
        #expect(NumberFormat.metric(-2.5e9 - 0.5) == "-2500000000.5")
        #expect(NumberFormat.metric(0.00001) == "0")
        #expect(NumberFormat.metric(-0.00001) == "-0")
        #expect(NumberFormat.delta(0.02) == "+0.02")
        #expect(NumberFormat.delta(-0.02) == "-0.02")
        #expect(NumberFormat.percent(0.0123) == "+1.23%")
        #expect(NumberFormat.percent(-0.5) == "-50.00%")
    }
}

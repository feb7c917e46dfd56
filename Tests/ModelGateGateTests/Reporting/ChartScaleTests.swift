import Foundation
import ModelGateGate
import Testing

/// The charts' vertical scale: every value inside, on round ticks.
@Suite("chart scale")
struct ChartScaleTests {
    @Test func theSitesOwnExampleReadsRound() {
        // churn's accuracy over its versions: the axis read 0.7154, 0.7281 before.
        let ticks = ChartScale.ticks(ChartScale.range([0.7154, 0.7281]))
        #expect(abs(ticks.step - 0.01) < 1e-12 && abs(ticks.low - 0.70) < 1e-9 && abs(ticks.high - 0.74) < 1e-9)
    }

    @Test(arguments: [
        [0.7154, 0.7281], [0.75, 0.7975, 0.7971], [11.523, 9.205, 15], [5, 5], [-3, 1200], [1e-6, 3e-6],
    ])
    func ticksAreRoundAndHoldEveryValue(_ values: [Double]) {
        let range = ChartScale.range(values)
        let ticks = ChartScale.ticks(range)
        let magnitude = pow(10, log10(ticks.step).rounded(.down))
        #expect(
            [1.0, 2.0, 2.5, 5.0].contains { abs($0 * magnitude - ticks.step) < ticks.step * 1e-9 },
            "\(ticks.step) is 1, 2, 2.5 or 5 times a power of ten")
        #expect(ticks.low <= range.low && ticks.high >= range.high, "every value inside")
        for end in [ticks.low, ticks.high] {
            let multiple = end / ticks.step
            #expect(abs(multiple - multiple.rounded()) < 1e-6, "\(end) is on a tick")
        }
        #expect(((ticks.high - ticks.low) / ticks.step).rounded() <= 7)
    }
}

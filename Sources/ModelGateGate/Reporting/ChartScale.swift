import Foundation

/// The vertical range of a metric chart, the same for the pull request's Markdown chart and the site's:
/// every plotted value, bound and baseline inside, padded by a tenth of the spread (at least a hundredth of
/// the top value's magnitude), so that a small wobble is drawn at its true size rather than filling the chart.
public enum ChartScale {
    /// `(low, high)` for `values` (finite ones; `(0, 1)` when there is none).
    public static func range(_ values: [Double]) -> (low: Double, high: Double) {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return (0, 1) }
        let pad = max((high - low) * 0.1, abs(high) * 0.01, 1e-9)
        return (low - pad, high + pad)
    }

    /// `range` widened to round ticks: a step of 1, 2, 2.5 or 5 times a power of ten that cuts the range into
    /// at most `count` intervals, and the low and high ends on multiples of it (so the axis reads 0.70, 0.75,
    /// 0.80 rather than 0.7154, 0.7281).
    public static func ticks(_ range: (low: Double, high: Double), count: Int = 5) -> (
        low: Double, high: Double, step: Double
    ) {
        let spread = max(range.high - range.low, 1e-12)
        let raw = spread / Double(max(count, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2.0, 2.5, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let low = (range.low / step).rounded(.down) * step
        let high = (range.high / step).rounded(.up) * step
        return (low, high == low ? low + step : high, step)
    }
}

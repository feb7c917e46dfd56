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
}

import ModelGateGate
import ModelGateSupport

/// An inline SVG line chart of one metric over a model's versions, with the policies' bounds as dashed
/// lines. The vertical range follows `ChartScale`, as the pull request's chart does; the chart carries a
/// title and a text description of every point and bound, for readers that do not see it.
struct MetricChart {
    var id: String
    var metric: String
    var points: [(version: String, value: Double)]
    var bounds: [(label: String, value: Double)]

    private static let width = 420.0
    private static let height = 260.0
    private static let left = 62.0
    private static let right = 12.0
    private static let top = 16.0
    private static let bottom = 62.0

    /// Writes the chart as a figure: the SVG, then its caption.
    func write(into html: inout HTMLWriter) {
        let scale = ChartScale.ticks(ChartScale.range(points.map(\.value) + bounds.map(\.value)))
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        func x(_ index: Int) -> Double {
            points.count == 1
                ? Self.left + plotWidth / 2 : Self.left + plotWidth * Double(index) / Double(points.count - 1)
        }
        func y(_ value: Double) -> Double {
            Self.top + plotHeight * (1 - (value - scale.low) / (scale.high - scale.low))
        }
        html.tag("figure") { html in
            html.tag(
                "svg",
                [
                    ("viewBox", "0 0 \(Int(Self.width)) \(Int(Self.height))"), ("role", "img"),
                    ("aria-labelledby", "\(id)-title \(id)-desc"),
                ]
            ) { html in
                html.tag("title", [("id", "\(id)-title")], text: "\(metric) by version")
                html.tag("desc", [("id", "\(id)-desc")], text: description)
                let steps = Int(((scale.high - scale.low) / scale.step).rounded())
                for step in 0...steps {
                    let value = scale.low + scale.step * Double(step)
                    line(Self.left, y(value), Self.width - Self.right, y(value), "axis", into: &html)
                    label(NumberFormat.metric(value), x: Self.left - 6, y: y(value) + 4, anchor: "end", into: &html)
                }
                for (index, point) in points.enumerated() {
                    let (px, py) = (Self.coordinate(x(index)), Self.coordinate(Self.height - Self.bottom + 16))
                    html.tag(
                        "text",
                        [("x", px), ("y", py), ("text-anchor", "end"), ("transform", "rotate(-35 \(px) \(py))")],
                        text: point.version)
                }
                for bound in bounds {
                    line(Self.left, y(bound.value), Self.width - Self.right, y(bound.value), "bound", into: &html)
                    label(
                        bound.label, x: Self.width - Self.right - 2, y: y(bound.value) - 4, anchor: "end", into: &html)
                }
                let path = points.enumerated().map {
                    "\(Self.coordinate(x($0.offset))),\(Self.coordinate(y($0.element.value)))"
                }
                html.empty("polyline", [("class", "series"), ("points", path.joined(separator: " "))])
                for (index, point) in points.enumerated() {
                    html.tag(
                        "circle",
                        [
                            ("class", "point"), ("cx", Self.coordinate(x(index))),
                            ("cy", Self.coordinate(y(point.value))),
                            ("r", "3.5"),
                        ]
                    ) { $0.tag("title", text: "\(point.version): \(NumberFormat.metric(point.value))") }
                }
            }
            html.tag(
                "figcaption",
                text: bounds.isEmpty
                    ? "\(metric) by version"
                    : "\(metric) by version; dashed: \(bounds.map(\.label).joined(separator: ", "))")
        }
    }

    /// The chart in words: every version's value, then the bounds.
    var description: String {
        let values = points.map { "\($0.version) \(NumberFormat.metric($0.value))" }.joined(separator: ", ")
        let lines = bounds.map(\.label).joined(separator: "; ")
        return "\(metric) of each version, oldest first: \(values)." + (lines.isEmpty ? "" : " Bounds: \(lines).")
    }

    private func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ kind: String, into html: inout HTMLWriter
    ) {
        // SVG elements take an end tag: in HTML, a start tag in SVG is not closed by the next one.
        html.empty(
            "line",
            [
                ("class", kind), ("x1", Self.coordinate(x1)), ("y1", Self.coordinate(y1)), ("x2", Self.coordinate(x2)),
                ("y2", Self.coordinate(y2)),
            ])
    }

    private func label(_ text: String, x: Double, y: Double, anchor: String, into html: inout HTMLWriter) {
        html.tag("text", [("x", Self.coordinate(x)), ("y", Self.coordinate(y)), ("text-anchor", anchor)], text: text)
    }

    /// A coordinate to a tenth of a unit, rounded half away from zero, `-12.5`, `40` (no `.0`): short, and
    /// the same bytes on every machine (a chart writes 66 of them, with no allocation of their own).
    static func coordinate(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return NumberFormat.decimal(
            UInt64(tenths.magnitude), decimals: 1, trimmingZeros: true, negative: tenths < 0)
    }
}

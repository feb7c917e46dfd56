import ModelGateSupport

/// How far a reproduced metric may be from the recorded one: `|actual - recorded| <= abs + rel * |recorded|`.
public struct Tolerance: Sendable, Equatable, CustomStringConvertible {
    public var absolute: Double
    public var relative: Double

    /// The default: `abs = 1e-9`, `rel = 0`.
    public static let standard = Tolerance(absolute: 1e-9, relative: 0)

    public init(absolute: Double, relative: Double) {
        self.absolute = absolute
        self.relative = relative
    }

    public func accepts(actual: Double, recorded: Double) -> Bool {
        guard actual.isFinite, recorded.isFinite else { return actual == recorded || (actual.isNaN && recorded.isNaN) }
        return abs(actual - recorded) <= absolute + relative * abs(recorded)
    }

    public var description: String {
        relative == 0
            ? "±\(JSONValue.format(absolute))" : "±\(JSONValue.format(absolute)) + \(JSONValue.format(relative * 100))%"
    }

    /// `METRIC=ABS` or `METRIC=REL%`, as `--tolerance` takes it.
    public static func parse(_ text: String) throws -> (metric: String, tolerance: Tolerance) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else {
            throw ModelGateError.badInput("--tolerance takes METRIC=ABS or METRIC=REL%, not \(Quoted(text))")
        }
        let value = parts[1]
        if value.hasSuffix("%"), let percent = Double(value.dropLast()), percent >= 0, percent.isFinite {
            return (parts[0], Tolerance(absolute: 0, relative: percent / 100))
        }
        guard let absolute = Double(value), absolute >= 0, absolute.isFinite else {
            throw ModelGateError.badInput(
                "--tolerance \(Quoted(text)): the tolerance must be a non-negative number or percentage")
        }
        return (parts[0], Tolerance(absolute: absolute, relative: 0))
    }
}

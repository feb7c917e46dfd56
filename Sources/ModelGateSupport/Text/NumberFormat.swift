import Foundation

/// How numbers are shown to people: metrics to four significant places, deltas with a sign.
public enum NumberFormat {
    public static func metric(_ value: Double?) -> String {
        guard let value else { return "—" }
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded(), abs(value) < 1e9 { return String(Int64(value)) }
        let magnitude = abs(value)
        let decimals = magnitude >= 100 ? 2 : magnitude >= 1 ? 3 : 4
        var text = String(format: "%.\(decimals)f", value)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    public static func delta(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        let text = metric(value)
        return value > 0 ? "+\(text)" : text
    }

    public static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        let text = String(format: "%.2f%%", value * 100)
        return value > 0 ? "+\(text)" : text
    }
}

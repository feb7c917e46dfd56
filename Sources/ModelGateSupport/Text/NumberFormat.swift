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
        return fixed(value, decimals: decimals, trimmingZeros: true)
    }

    public static func delta(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        let text = metric(value)
        return value > 0 ? "+\(text)" : text
    }

    public static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        let text = fixed(value * 100, decimals: 2) + "%"
        return value > 0 ? "+\(text)" : text
    }

    /// `value` with `decimals` places, rounded as C's `printf("%.*f")` rounds (the exact binary value, to
    /// nearest): through `vsnprintf` itself, since `String(format:)` goes through `NSString` and cost more
    /// than judging the rule whose message it wrote.
    /// With `trimmingZeros`, trailing zeros of the decimals go, and the point with them when none is left.
    static func fixed(_ value: Double, decimals: Int, trimmingZeros: Bool = false) -> String {
        // The longest is a finite Double's 309 integer digits, a point, the decimals and a sign.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 400) { buffer in
            let written = withVaList([Int32(decimals), value]) { arguments in
                buffer.withMemoryRebound(to: CChar.self) { vsnprintf($0.baseAddress, $0.count, "%.*f", arguments) }
            }
            var end = Int(min(max(written, 0), 399))
            if trimmingZeros, buffer[..<end].contains(UInt8(ascii: ".")) {
                while buffer[end - 1] == UInt8(ascii: "0") { end -= 1 }
                if buffer[end - 1] == UInt8(ascii: ".") { end -= 1 }
            }
            return String(decoding: buffer[..<end], as: UTF8.self)
        }
    }
}

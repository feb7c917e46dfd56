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
        if let quick = quickFixed(value, decimals: decimals, trimmingZeros: trimmingZeros) { return quick }
        // The longest is a finite Double's 309 integer digits, a point, the decimals and a sign.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 400) { buffer in
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

    /// `fixed` without `vsnprintf` where the answer is certain: `value × 10^decimals` is computed with one
    /// rounding (10^decimals is exact), so it is within one unit in the last place of the exact product; when
    /// its fraction is further than that from one half, rounding it gives what rounding the exact value
    /// gives. Nil (ask `vsnprintf`) near a tie, for large values and for more than 9 decimals.
    private static func quickFixed(_ value: Double, decimals: Int, trimmingZeros: Bool) -> String? {
        guard (0...9).contains(decimals), value.isFinite, abs(value) < 1e9 else { return nil }
        var power = 1.0
        for _ in 0..<decimals { power *= 10 }
        let scaled = abs(value) * power
        let fraction = scaled - scaled.rounded(.down)
        guard abs(fraction - 0.5) > 2 * scaled.ulp, scaled < 9e15 else { return nil }
        // printf writes the sign of a negative value even where it rounds to zero (-0.00).
        return decimal(
            UInt64(scaled.rounded(.toNearestOrAwayFromZero)), decimals: decimals, trimmingZeros: trimmingZeros,
            negative: value.sign == .minus)
    }

    /// `units` ÷ 10^`decimals`, written with `decimals` places (`1234`, 2: `12.34`; `5`, 2: `0.05`), a minus
    /// sign first when `negative`; with `trimmingZeros`, trailing zeros of the decimals go, and the point with
    /// them when none is left. Exact: the digits are the integer's. Written right to left into a buffer on
    /// the stack (the decimals, the point, at least one digit of the whole part, the sign), with no
    /// allocation but the string's own where it is longer than 15 bytes.
    public static func decimal(_ units: UInt64, decimals: Int, trimmingZeros: Bool, negative: Bool) -> String {
        precondition((0...19).contains(decimals), "at most 19 decimals")
        var remaining = units
        // At most 20 digits, a point and a sign.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var start = buffer.count
            var written = 0
            while remaining > 0 || written <= decimals {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                written += 1
                if written == decimals {
                    start -= 1
                    buffer[start] = UInt8(ascii: ".")
                }
            }
            var end = buffer.count
            if decimals > 0 && trimmingZeros {
                while buffer[end - 1] == UInt8(ascii: "0") { end -= 1 }
                if buffer[end - 1] == UInt8(ascii: ".") { end -= 1 }
            }
            if negative {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
        }
    }
}

import Foundation

/// The date formats of registry files and reports: ISO 8601 (RFC 3339) in UTC.
///
/// Parsed by hand: Foundation's `ISO8601DateFormatter` costs more than parsing a whole manifest.
public enum Dates {
    /// `2026-11-20T10:00:00Z`, with an optional fraction and a `Z` or `±hh:mm` offset.
    public static func parseTimestamp(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, let day = dayNumber(bytes[0..<10]),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            let hour = number(bytes[11..<13]), bytes[13] == UInt8(ascii: ":"), let minute = number(bytes[14..<16]),
            bytes[16] == UInt8(ascii: ":"), let second = number(bytes[17..<19]), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, let hours = number(bytes[(index + 1)..<(index + 3)]),
                bytes[index + 3] == UInt8(ascii: ":"), let minutes = number(bytes[(index + 4)..<(index + 6)]),
                hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 60 + minutes) * 60 * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        let seconds = day * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// `2026-12-15`: the start of that day in UTC.
    public static func parseDay(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, let day = dayNumber(bytes[0..<10]) else { return nil }
        return Date(timeIntervalSince1970: Double(day * 86_400))
    }

    /// `2026-11-20T10:00:00Z` (whole seconds).
    public static func format(_ date: Date) -> String {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let rest = total - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        guard (0...9999).contains(year) else {
            return String(
                format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, rest / 3_600, rest % 3_600 / 60, rest % 60)
        }
        // By digits into a buffer on the stack rather than `String(format:)`, which costs more than the rest
        // of a history row.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { text in
            var end = 0
            func append(_ value: Int, digits: Int, then separator: UInt8) {
                var value = value
                for index in stride(from: end + digits - 1, through: end, by: -1) {
                    text[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                text[end + digits] = separator
                end += digits + 1
            }
            append(year, digits: 4, then: UInt8(ascii: "-"))
            append(month, digits: 2, then: UInt8(ascii: "-"))
            append(day, digits: 2, then: UInt8(ascii: "T"))
            append(rest / 3_600, digits: 2, then: UInt8(ascii: ":"))
            append(rest % 3_600 / 60, digits: 2, then: UInt8(ascii: ":"))
            append(rest % 60, digits: 2, then: UInt8(ascii: "Z"))
            return String(decoding: UnsafeBufferPointer(rebasing: text[..<end]), as: UTF8.self)
        }
    }

    /// `2026-11-20`.
    public static func formatDay(_ date: Date) -> String { String(format(date).prefix(10)) }

    /// Days since 1970-01-01 of `yyyy-mm-dd`, or nil when it is not a real date.
    private static func dayNumber(_ bytes: ArraySlice<UInt8>) -> Int? {
        let start = bytes.startIndex
        guard let year = number(bytes[start..<(start + 4)]), bytes[start + 4] == UInt8(ascii: "-"),
            let month = number(bytes[(start + 5)..<(start + 7)]), bytes[start + 7] == UInt8(ascii: "-"),
            let day = number(bytes[(start + 8)..<(start + 10)]), (1...12).contains(month), day >= 1
        else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= lengths[month - 1] else { return nil }
        return days(fromCivil: year, month, day)
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    /// Howard Hinnant's days-from-civil algorithm (proleptic Gregorian calendar).
    private static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

import Foundation
import Testing

@testable import ModelGateSupport

@Suite("JSON values and dates")
struct ValuesTests {
    /// NaN and infinities have no JSON form: whichever way the number was built, it is written as null.
    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteNumbersAreNull(_ value: Double) throws {
        let built: [JSONValue] = [.number(value), .number(value as Double?)]
        for json in built {
            let text = JSONValue.object([("metric", json)]).rendered()
            #expect(text == "{\n  \"metric\": null\n}\n")
            #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
        }
    }

    /// Every byte as two lowercase digits, whichever way it is given; a prefix of the digits where asked.
    @Test func hexDigits() {
        let bytes = (0...255).map(UInt8.init)
        let expected = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(Hex.encode(bytes) == expected)
        #expect(bytes.withUnsafeBytes { Hex.encode(raw: $0) } == expected)
        #expect(bytes.withUnsafeBytes { Hex.encode(raw: $0, count: 7) } == String(expected.prefix(7)))
        var appended: [UInt8] = []
        bytes.withUnsafeBytes { Hex.append(raw: $0, to: &appended) }
        #expect(String(decoding: appended, as: UTF8.self) == expected)
    }

    @Test func numbersStringsAndOrder() throws {
        let value = JSONValue.object([
            ("b", .number(2)), ("a", .number(0.1)), ("s", .string("\"\\\n\u{1}é")), ("n", .null),
        ])
        let text = value.rendered()
        #expect(
            text.firstRange(of: "\"b\"")!.lowerBound < text.firstRange(of: "\"a\"")!.lowerBound, "keys keep their order"
        )
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(parsed?["b"] as? Int == 2)
        #expect(parsed?["a"] as? Double == 0.1)
        #expect(parsed?["s"] as? String == "\"\\\n\u{1}é")
        #expect(
            JSONValue.format(1e20) == "1e+20" || JSONValue.format(1e20) == "100000000000000000000.0"
                || Double(JSONValue.format(1e20)) == 1e20)
    }

    @Test(arguments: [
        ("2026-11-28T12:34:56Z", 1_795_869_296.0), ("2026-11-28T13:34:56+01:00", 1_795_869_296.0),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
    ])
    func timestampsParse(_ text: String, _ seconds: Double) {
        #expect(Dates.parseTimestamp(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: [
        "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "yesterday", "2026-11-28", "2026-11-28T25:00:00Z", "",
    ])
    func badTimestampsAreRefused(_ text: String) {
        #expect(Dates.parseTimestamp(text) == nil)
    }

    @Test func daysParseAndFormatRoundTrip() throws {
        let day = try #require(Dates.parseDay("2026-03-03"))
        #expect(Dates.formatDay(day) == "2026-03-03")
        #expect(Dates.format(day) == "2026-03-03T00:00:00Z")
        #expect(Dates.parseDay("2026-13-01") == nil)
        #expect(Dates.parseDay("2025-02-29") == nil)
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"), (-1.0, "1969-12-31T23:59:59Z"), (1_780_000_000.9, "2026-05-28T20:26:40Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"), (253_402_300_800, "10000-01-01T00:00:00Z"),
        (-62_135_596_800, "0001-01-01T00:00:00Z"),
    ])
    func timestampsFormatWithPaddedFields(_ seconds: Double, _ text: String) {
        #expect(Dates.format(Date(timeIntervalSince1970: seconds)) == text)
    }
}

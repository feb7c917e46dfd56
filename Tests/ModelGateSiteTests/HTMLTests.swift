import Testing

@testable import ModelGateSite

/// The HTML writer escapes every text and attribute value, whatever it holds.
@Suite("HTML")
struct HTMLTests {
    @Test func textAndAttributesAreEscaped() {
        let hostile = #"<script>alert("x")</script> & 'quoted' &lt;"#
        let html = HTMLWriter.fragment { $0.tag("a", [("href", hostile), ("title", hostile)], text: hostile) }
        let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; &amp;lt;"
        #expect(html == "<a href=\"\(escaped)\" title=\"\(escaped)\">\(escaped)</a>")
    }

    @Test func controlCharactersAreShownNotWritten() {
        #expect(
            HTMLWriter.fragment { $0.text("a\u{1B}[31mb\u{7F}c\u{85}d\te\nf") } == "a\\u{1B}[31mb\\u{7F}c\\u{85}d\te\nf"
        )
        #expect(HTMLWriter.fragment { $0.text("é ✓ 日本") } == "é ✓ 日本")
    }

    /// Plain runs are found eight bytes at a time: every byte that needs care is still found, at every
    /// position of a word, next to neighbours that share its bit patterns (`#` with `"`, `=` with `<`).
    @Test func everyByteIsFoundWhereverItStands() {
        let special: [(String, String)] = [
            ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\"", "&quot;"), ("'", "&#39;"), ("\u{01}", "\\u{01}"),
            ("\u{1F}", "\\u{1F}"), ("\u{7F}", "\\u{7F}"), ("\u{85}", "\\u{85}"), ("\t", "\t"), ("#", "#"),
            ("=", "="), ("?", "?"), ("é", "é"), ("@", "@"), ("~", "~"),
        ]
        for (raw, escaped) in special {
            for offset in 0..<20 {
                let padding = String(repeating: "a", count: offset)
                let tail = String(repeating: "z1 ", count: 4)
                #expect(HTMLWriter.fragment { $0.text(padding + raw + tail) } == padding + escaped + tail)
            }
        }
    }

    @Test func voidElementsHaveNoEndTag() {
        #expect(HTMLWriter.fragment { $0.void("input", [("id", "f")]) } == #"<input id="f">"#)
        #expect(HTMLWriter.fragment { $0.empty("script", [("src", "a.js")]) } == #"<script src="a.js"></script>"#)
        #expect(HTMLWriter.fragment { $0.tag("style", text: "a>b{}") } == "<style>a&gt;b{}</style>")
    }

    @Test func contentIsWrittenInsideItsElement() {
        let html = HTMLWriter.fragment { html in
            html.tag("ul", [("class", "a&b")]) { html in
                for item in ["<1>", "2"] { html.tag("li", text: item) }
            }
        }
        #expect(html == #"<ul class="a&amp;b"><li>&lt;1&gt;</li><li>2</li></ul>"#)
    }

    /// A chart's coordinates: tenths, rounded half away from zero, with no `.0`; checked against the same
    /// rule written with integer division over a grid of values, and at the edges of rounding and sign.
    @Test func coordinatesAreTenthsWithoutATrailingZero() {
        for (value, expected) in [
            (0.0, "0"), (-0.04, "0"), (-0.05, "-0.1"), (0.05, "0.1"), (12.25, "12.3"), (-12.25, "-12.3"),
            (40.0, "40"), (-40.0, "-40"), (408.0, "408"), (99.96, "100"), (-0.5, "-0.5"), (1234567.0, "1234567"),
        ] {
            #expect(MetricChart.coordinate(value) == expected, "\(value)")
        }
        for step in -50_000...50_000 {
            let value = Double(step) * 0.0137
            let tenths = Int((value * 10).rounded())
            let whole = "\(tenths.magnitude / 10)"
            let fraction = tenths.magnitude % 10 == 0 ? "" : ".\(tenths.magnitude % 10)"
            #expect(MetricChart.coordinate(value) == (tenths < 0 ? "-" : "") + whole + fraction, "\(value)")
        }
    }

    @Test func linksClimbOneFolderPerSlash() {
        #expect(SitePaths.link("style.css", from: "index.html") == "style.css")
        #expect(SitePaths.link("policies/a.html", from: "models/churn/1.3.0.html") == "../../policies/a.html")
        #expect(SitePaths.link("", from: "policies/a.html") == "../")
    }

    @Test func aSegmentCannotLeaveItsFolder() {
        #expect(SitePaths.segment("churn") == "churn")
        #expect(SitePaths.segment("1.3.0-rc.1+build") == "1.3.0-rc.1+build")
        #expect(SitePaths.segment("..") == "_..")
        #expect(SitePaths.segment("a/b\"c") == "a%2Fb%22c")
    }
}

import Testing

@testable import ModelGateSite

/// The HTML builder escapes every text and attribute value, whatever it holds.
@Suite("HTML")
struct HTMLTests {
    @Test func textAndAttributesAreEscaped() {
        let hostile = #"<script>alert("x")</script> & 'quoted' &lt;"#
        let html = HTML.tag("a", [("href", hostile), ("title", hostile)], text: hostile).rendered()
        let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; &amp;lt;"
        #expect(html == "<a href=\"\(escaped)\" title=\"\(escaped)\">\(escaped)</a>")
    }

    @Test func controlCharactersAreShownNotWritten() {
        #expect(HTML.text("a\u{1B}[31mb\u{7F}c\u{85}d\te\nf").rendered() == "a\\u{1B}[31mb\\u{7F}c\\u{85}d\te\nf")
        #expect(HTML.text("é ✓ 日本").rendered() == "é ✓ 日本")
    }

    @Test func voidElementsHaveNoEndTag() {
        #expect(HTML.void("input", attributes: [("id", "f")]).rendered() == #"<input id="f">"#)
        #expect(HTML.tag("style", [], text: "a>b{}").rendered() == "<style>a&gt;b{}</style>")
    }

    @Test func aSegmentCannotLeaveItsFolder() {
        #expect(SiteContext.segment("churn") == "churn")
        #expect(SiteContext.segment("1.3.0-rc.1+build") == "1.3.0-rc.1+build")
        #expect(SiteContext.segment("..") == "_..")
        #expect(SiteContext.segment("a/b\"c") == "a%2Fb%22c")
    }
}

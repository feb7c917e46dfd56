import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// One page of the site: where it is written, its title, the trail of links above it and its content;
/// `document` wraps it in the shell every page shares (head, policy, style, footer, script).
struct Page {
    /// The page's path in the site, `models/churn/1.3.0.html`.
    var path: String
    var title: String
    /// The breadcrumb, from the index (a nil link: the page itself).
    var trail: [(label: String, link: String?)]
    var content: [HTML]

    /// `../` as often as the page is deep: prefixed to a site path, a link that works from `file://`.
    var root: String { SiteContext.link("", from: path) }

    func document(_ site: SiteContext) -> [UInt8] {
        let crumbs = trail.map { crumb -> HTML in
            guard let link = crumb.link else { return .tag("li", [("aria-current", "page")], text: crumb.label) }
            return .tag("li", [], [.tag("a", [("href", root + link)], text: crumb.label)])
        }
        let head = HTML.tag(
            "head", [],
            [
                .void("meta", attributes: [("charset", "utf-8")]),
                .void("meta", attributes: [("name", "viewport"), ("content", "width=device-width, initial-scale=1")]),
                .void(
                    "meta",
                    attributes: [
                        ("http-equiv", "Content-Security-Policy"), ("content", SiteAssets.contentSecurityPolicy),
                    ]),
                .void("meta", attributes: [("name", "color-scheme"), ("content", "light dark")]),
                .void(
                    "meta", attributes: [("name", "generator"), ("content", "modelgate \(ModelGateVersion.current)")]),
                .void("link", attributes: [("rel", "icon"), ("href", "data:,")]),
                .tag("title", text: "\(title) · modelgate"),
                .void("link", attributes: [("rel", "stylesheet"), ("href", root + SiteAssets.stylePath)]),
            ])
        let body = HTML.tag(
            "body", [],
            [
                .tag("header", [], [.tag("nav", [("aria-label", "Breadcrumb")], [.tag("ol", [], crumbs)])]),
                .tag("main", [], [.tag("h1", text: title)] + content),
                .tag(
                    "footer", [],
                    [
                        .text("The registry at commit "), .tag("code", text: site.commit.short),
                        .text(" (\(site.commitDate)), written by modelgate \(ModelGateVersion.current)."),
                    ]),
                .tag("script", [("src", root + SiteAssets.scriptPath)]),
            ])
        return HTML.tag("html", [("lang", "en")], [head, body]).document()
    }
}

/// What every page may link to or mention: the commit, and the site paths of models, versions and policies.
struct SiteContext: Sendable {
    var commit: ObjectID
    var commitDate: String

    static func modelPath(_ model: String) -> String { "models/\(segment(model))/index.html" }
    static func versionPath(_ model: String, _ version: String) -> String {
        "models/\(segment(model))/\(segment(version)).html"
    }
    static func policyPath(_ policy: String) -> String { "policies/\(segment(policy)).html" }

    /// The relative link from the page at site path `page` to the site path `target`.
    static func link(_ target: String, from page: String) -> String {
        String(repeating: "../", count: page.count { $0 == "/" }) + target
    }

    /// A name as one path segment of a link and a file name: the registry's names are DNS labels and SemVer
    /// versions already; anything else is percent-encoded, so it can neither leave its folder nor end the link.
    static func segment(_ name: String) -> String {
        func plain(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "+"):
                true
            default: false
            }
        }
        var encoded = ""
        for byte in name.utf8 {
            if plain(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return encoded.isEmpty || encoded.allSatisfy({ $0 == "." }) ? "_" + encoded : encoded
    }
}

/// Small pieces the pages share.
enum Fragment {
    /// A status as a coloured badge whose text says it (the colour is never the only sign).
    static func badge(_ status: String) -> HTML { .tag("span", [("class", "badge \(status)")], text: status) }

    /// A table inside a horizontally scrolling box, with a header row; `sortable` adds the sorting script.
    static func table(
        _ headers: [(String, numeric: Bool)], rows: [HTML], caption: String? = nil, sortable: Bool = false
    ) -> HTML {
        let head = HTML.tag(
            "thead", [],
            [
                .tag(
                    "tr", [],
                    headers.map { .tag("th", [("scope", "col")] + ($0.numeric ? [("class", "num")] : []), text: $0.0) })
            ])
        var children: [HTML] = []
        if let caption { children.append(.tag("caption", [("class", "muted")], text: caption)) }
        children += [head, .tag("tbody", [], rows)]
        let attributes: [(String, String)] = sortable ? [("data-sortable", "")] : []
        return .tag("div", [("class", "scroll")], [.tag("table", attributes, children)])
    }

    /// A cell with a number right-aligned, sorting by its exact value.
    static func number(_ value: Double?) -> HTML {
        guard let value else { return .tag("td", [("class", "num"), ("data-sort", "")], text: "—") }
        return .tag("td", [("class", "num"), ("data-sort", JSONValue.format(value))], text: NumberFormat.metric(value))
    }

    /// A definition list of facts.
    static func facts(_ pairs: [(String, HTML)]) -> HTML {
        .tag("dl", [("class", "facts")], pairs.flatMap { [HTML.tag("dt", text: $0.0), .tag("dd", [], [$0.1])] })
    }

    /// A commit as its short id, with the full id for hovering.
    static func commit(_ id: ObjectID) -> HTML { .tag("code", [("title", id.hex)], text: id.short) }
}

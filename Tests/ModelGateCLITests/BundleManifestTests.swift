import Foundation
import ModelGateTestSupport
import Testing

/// What a bundle's manifests promise where they are applied: names per stage, images, the lockfile, the
/// drift check's memory of target and image, and the serving protocols against a real HTTP client.
@Suite("bundle manifests and serving")
struct BundleManifestTests {
    static let digest = "ghcr.io/acme/demand@sha256:" + String(repeating: "3e", count: 32)

    func example() throws -> (ScratchDirectory, URL) { try Example.registry("modelgate-manifests") }

    /// Every object of the staging and the production bundle of one model, as (kind, name, selector) rows.
    @Test func stagingAndProductionShareNoNameOrSelector() throws {
        let (scratch, registry) = try example()
        var objects: [String: [(kind: String, name: String, selector: String)]] = [:]
        for stage in ["staging", "production"] {
            let out = scratch.url.appendingPathComponent(stage)
            let result = try Shell.modelgate(
                ["bundle", "demand", "--stage", stage, "--image", Self.digest, "--out", out.path], in: registry)
            #expect(result.status == 0, "\(result.stderr)")
            let script = """
                import sys, yaml
                for doc in yaml.safe_load_all(open(sys.argv[1])):
                    spec = doc.get("spec", {})
                    selector = spec.get("selector", {}).get("matchLabels") or spec.get("podSelector", {}).get("matchLabels") \
                        or spec.get("selector") or {}
                    print(doc["kind"], doc["metadata"]["name"], sorted(selector.items()) if isinstance(selector, dict) else selector)
                """
            let listed = try Shell.run([Shell.python, "-c", script, out.appendingPathComponent("deployment.yaml").path])
            #expect(listed.status == 0, "\(listed.stderr)")
            objects[stage] = listed.stdout.split(separator: "\n").map { line in
                let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
                return (parts[0], parts[1], parts.count > 2 ? parts[2] : "")
            }
        }
        let staging = try #require(objects["staging"])
        let production = try #require(objects["production"])
        #expect(Set(staging.map(\.kind)).isSuperset(of: ["Deployment", "Service", "NetworkPolicy"]))
        #expect(Set(staging.map(\.name)) == ["demand-staging"])
        #expect(Set(production.map(\.name)) == ["demand-production"])
        let stagingSelectors = Set(staging.map(\.selector).filter { !$0.isEmpty && $0 != "[]" })
        #expect(stagingSelectors.isDisjoint(with: Set(production.map(\.selector))))
    }

    @Test func imagesAreRefusedUnlessExact() throws {
        let (scratch, registry) = try example()
        let out = scratch.url.appendingPathComponent("out").path
        for image in ["ghcr.io/acme/churn:latest", "ghcr.io/acme/churn"] {
            let result = try Shell.modelgate(["bundle", "churn@1.3.0", "--image", image, "--out", out], in: registry)
            #expect(result.status == 2, "\(image): \(result.stderr)")
        }
        try Example.requireProductionDigest(in: registry, pinnedBase: false)
        let tagged = try Shell.modelgate(["bundle", "churn@1.3.0", "--out", out], in: registry)
        #expect(tagged.status == 2)
        #expect(tagged.stderr.contains("production") && tagged.stderr.contains("digest"), "\(tagged.stderr)")
        let digestImage = "ghcr.io/acme/churn@sha256:" + String(repeating: "1", count: 64)
        // The image deployed by digest is not built from a base that can move.
        let taggedBase = try Shell.modelgate(
            ["bundle", "churn@1.3.0", "--image", digestImage, "--out", out], in: registry)
        #expect(taggedBase.status == 2)
        #expect(taggedBase.stderr.contains("image.base 'python:3.11.7-slim' is not"), "\(taggedBase.stderr)")
        let settings = registry.appendingPathComponent("modelgate.yaml")
        try Data(
            try String(contentsOf: settings, encoding: .utf8).replacingOccurrences(
                of: "base: python:3.11.7-slim\n", with: "base: \(Example.baseDigest)\n"
            ).utf8
        ).write(to: settings)
        try Shell.git(["commit", "-qam", "pin the base"], in: registry)
        let pinned = try Shell.modelgate(["bundle", "churn@1.3.0", "--image", digestImage, "--out", out], in: registry)
        #expect(pinned.status == 0, "\(pinned.stderr)")
        let dockerfile = try String(
            contentsOf: URL(fileURLWithPath: out).appendingPathComponent("Dockerfile"), encoding: .utf8)
        #expect(dockerfile.contains("FROM \(Example.baseDigest)"))
        let deployment = try String(
            contentsOf: URL(fileURLWithPath: out).appendingPathComponent("deployment.yaml"), encoding: .utf8)
        #expect(deployment.contains("imagePullPolicy: IfNotPresent"), "a digest cannot move")
        // What CI builds before it has a digest: the build context alone, no image named.
        let context = scratch.url.appendingPathComponent("context")
        let built = try Shell.modelgate(
            ["bundle", "churn@1.3.0", "--context-only", "--out", context.path], in: registry)
        #expect(built.status == 0, "\(built.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: context.path).sorted()
        #expect(
            names == [
                ".dockerignore", "Dockerfile", "SHA256SUMS", "bundle.json", "gunicorn.conf.py", "model",
                "modelgate_serve", "requirements.txt", "serve.py",
            ], "\(names)")
        let record = try String(contentsOf: context.appendingPathComponent("bundle.json"), encoding: .utf8)
        #expect(record.contains("\"image\": null"), "\(record)")
        let both = try Shell.modelgate(
            ["bundle", "churn@1.3.0", "--context-only", "--image", digestImage, "--out", context.path], in: registry)
        #expect(both.status == 2)
    }

    @Test func anEditedLockfileIsRefused() throws {
        let (scratch, registry) = try example()
        let lockfile = registry.appendingPathComponent("training/churn/requirements.lock")
        let original = try String(contentsOf: lockfile, encoding: .utf8)
        for (edit, expected) in [
            (original + "--index-url https://evil.example/simple\n", "sha256"),
            (original.replacingOccurrences(of: "numpy==2.4.6", with: "numpy==2.4.5"), "sha256"),
        ] {
            try Data(edit.utf8).write(to: lockfile)
            try Shell.git(["commit", "-qam", "edit the lockfile"], in: registry)
            let result = try Shell.modelgate(
                ["bundle", "churn@1.3.0", "--force", "--out", scratch.url.appendingPathComponent("out").path],
                in: registry)
            #expect(result.status == 2)
            #expect(result.stderr.contains(expected), "\(result.stderr)")
        }
    }

    @Test func checkUsesTheRecordedTargetAndImageAndComparesModes() throws {
        let (scratch, registry) = try example()
        let out = scratch.url.appendingPathComponent("kserve")
        let image = "ghcr.io/acme/churn@sha256:" + String(repeating: "4", count: 64)
        #expect(
            try Shell.modelgate(
                ["bundle", "churn@1.3.0", "--target", "kserve", "--image", image, "--out", out.path], in: registry
            ).status == 0)
        let clean = try Shell.modelgate(
            ["bundle", "churn@1.3.0", "--check", out.path, "--format", "json"], in: registry)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(
            clean.stdout.contains("\"upToDate\": true") && clean.stdout.contains("\"target\": \"kserve\""),
            "\(clean.stdout)")
        #expect(chmod(out.appendingPathComponent("serve.py").path, 0o755) == 0)
        let moded = try Shell.modelgate(["bundle", "churn@1.3.0", "--check", out.path], in: registry)
        #expect(moded.status == 1)
        #expect(moded.stdout == "mode: serve.py (755, not 644)\n", "\(moded.stdout)")
        #expect(chmod(out.appendingPathComponent("serve.py").path, 0o644) == 0)
        try FileManager.default.createSymbolicLink(
            atPath: out.appendingPathComponent("link").path, withDestinationPath: "/etc/passwd")
        let linked = try Shell.modelgate(["bundle", "churn@1.3.0", "--check", out.path], in: registry)
        #expect(linked.status == 2, "\(linked.stdout)\(linked.stderr)")
        #expect(linked.stderr.contains("symbolic link"))
    }

    /// The bundle's server started as its Dockerfile starts it (and the KServe bundle's as KServe runs its
    /// InferenceService), in a fresh virtual environment made from the bundle's own requirements.txt, checked
    /// route by route and payload by payload with a real HTTP client; nothing logged at ERROR on start.
    @Test func servesEveryProtocolAsTheImageWould() throws {
        let (scratch, registry) = try example()
        let plain = scratch.url.appendingPathComponent("plain")
        let unchecked = try Shell.modelgate(["bundle", "churn@1.3.0", "--out", plain.path], in: registry)
        #expect(unchecked.status == 0)
        #expect(unchecked.stderr.contains("warning: churn has no serving.inputs"), "\(unchecked.stderr)")
        let kserve = scratch.url.appendingPathComponent("kserve")
        #expect(
            try Shell.modelgate(["bundle", "churn@1.3.0", "--target", "kserve", "--out", kserve.path], in: registry)
                .status == 0)
        let model = registry.appendingPathComponent("models/churn/model.yaml")
        let schema = [
            "tenure", "monthly_charges", "support_tickets", "contract", "region_us", "region_eu", "region_apac",
            "short_tenure", "long_tenure",
        ].map { "    - {name: \($0), type: double}\n" }.joined()
        let text = try String(contentsOf: model, encoding: .utf8).replacingOccurrences(
            of: "  replicas: {min: 1, max: 3}\n",
            with: "  replicas: {min: 2, max: 4}\n  output: predict_proba\n  inputs:\n" + schema)
        try Data(text.utf8).write(to: model)
        try Shell.git(["commit", "-qam", "serve probabilities with an input schema"], in: registry)
        let proba = scratch.url.appendingPathComponent("proba")
        let bundled = try Shell.modelgate(["bundle", "churn@1.3.0", "--out", proba.path], in: registry)
        #expect(bundled.status == 0, "\(bundled.stderr)")
        #expect(bundled.stderr.isEmpty, "an input schema: no warning")
        let result = try Shell.serveProtocols([plain, kserve, proba])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("memory:"))
    }
}

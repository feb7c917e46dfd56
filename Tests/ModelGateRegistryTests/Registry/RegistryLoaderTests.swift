import Foundation
import ModelGateSupport
import ModelGateTestSupport
import Testing

@testable import ModelGateRegistry

/// Every check of the registry file formats, each asserting the exact `path:line:column` of its diagnostic.
@Suite("Registry validation")
struct RegistryLoaderTests {
    /// The problems after writing `files` over the base fixture and committing.
    func problems(_ files: [(String, String)], removing: [String] = []) throws -> [String] {
        let fixture = try FixtureRegistry()
        for (path, text) in files { try fixture.write(path, text) }
        for path in removing { try fixture.remove(path) }
        try fixture.commit("change")
        return try fixture.problems()
    }

    @Test func baseFixtureIsValid() throws {
        let registry = try FixtureRegistry().load()
        #expect(registry.diagnostics.isEmpty)
        #expect(registry.modelNames == ["churn"])
        #expect(registry.models["churn"]?.orderedVersions.map(\.version.description) == ["1.0.0", "1.1.0"])
        #expect(registry.models["churn"]?.stages?.holder(of: "production") == "1.0.0")
        #expect(registry.policies.map(\.name) == ["production-gate"])
        #expect(registry.policies[0].rules.map(\.id) == ["auc.min", "auc.baseline", "require.artifactHash"])
        let manifest = try registry.version("churn", "1.1.0")
        #expect(manifest.metrics["auc"]?.value == 0.9)
        #expect(
            manifest.metrics["auc"]?.location
                == SourceLocation(path: "models/churn/versions/1.1.0.yaml", line: 10, column: 8))
        #expect(manifest.slices["region=eu"]?["auc"]?.value == 0.89)
        #expect(manifest.blob != nil)
    }

    @Test func apiVersionAndKind() throws {
        let text = FixtureRegistry.model.replacingOccurrences(of: "modelgate/v1", with: "modelgate/v2")
            .replacingOccurrences(of: "kind: Model", with: "kind: Policy")
        #expect(
            try problems([("models/churn/model.yaml", text)]) == [
                "models/churn/model.yaml:1:13: apiVersion must be 'modelgate/v1', not 'modelgate/v2'",
                "models/churn/model.yaml:2:7: kind must be 'Model' in this file, not 'Policy'",
            ])
        let missing = "kind: Registry\nstages: [a]\n"
        #expect(
            try problems([("modelgate.yaml", missing)]).first
                == "modelgate.yaml:1:1: modelgate.yaml is missing 'apiVersion'")
    }

    @Test func unknownKeysAreReportedAtTheKey() throws {
        let text = FixtureRegistry.manifest("1.1.0", extra: "tpyo: 1\n").replacingOccurrences(
            of: "  sha256:", with: "  sha265: x\n  sha256:")
        #expect(
            try problems([("models/churn/versions/1.1.0.yaml", text)]) == [
                "models/churn/versions/1.1.0.yaml:8:3: unknown key 'sha265' in 'artifact'; did you mean 'sha256'?",
                "models/churn/versions/1.1.0.yaml:21:1: unknown key 'tpyo' in the manifest",
            ])
    }

    /// A probe is a list of words or one command line split without a shell; a line that does not split is
    /// refused where it is written.
    @Test func probesAreWordListsOrCommandLines() throws {
        let settings =
            FixtureRegistry.settings
            + "environment:\n  probes:\n    listed: [python3, -c, \"print(1)\"]\n    line: python3 -c 'print(2)'\n"
        let fixture = try FixtureRegistry()
        try fixture.write("modelgate.yaml", settings)
        try fixture.commit("probes")
        let probes = try fixture.load().settings.probes
        #expect(probes.map(\.name) == ["line", "listed"])
        #expect(probes.map(\.arguments) == [["python3", "-c", "print(2)"], ["python3", "-c", "print(1)"]])
        let broken = FixtureRegistry.settings + "environment:\n  probes:\n    open: python3 -c 'print(\n    none: []\n"
        let problems = try problems([("modelgate.yaml", broken)])
        #expect(problems.count == 2)
        #expect(problems.allSatisfy { $0.hasPrefix("modelgate.yaml:") })
        #expect(problems.contains { $0.contains("probe 'open' is not a command line") })
        #expect(problems.contains { $0.contains("probe 'none' must name a program") })
    }

    @Test func duplicateKeysAreErrors() throws {
        let text = FixtureRegistry.manifest("1.1.0").replacingOccurrences(
            of: "  accuracy: 0.85", with: "  accuracy: 0.85\n  auc: 0.1")
        #expect(
            try problems([("models/churn/versions/1.1.0.yaml", text)]) == [
                "models/churn/versions/1.1.0.yaml:12:3: duplicate key 'auc'"
            ])
    }

    @Test func versionMustBeSemVerAndMatchItsFile() throws {
        let wrong = FixtureRegistry.manifest("1.1.0").replacingOccurrences(of: "version: 1.1.0", with: "version: 1.2.0")
        let invalid = FixtureRegistry.manifest("1.1.0").replacingOccurrences(of: "version: 1.1.0", with: "version: v1")
        #expect(
            try problems([("models/churn/versions/1.1.0.yaml", wrong)]) == [
                "models/churn/versions/1.1.0.yaml:4:10: version '1.2.0' must equal the file name '1.1.0'.yaml"
            ])
        #expect(
            try problems([("models/churn/versions/1.1.0.yaml", invalid)]) == [
                "models/churn/versions/1.1.0.yaml:4:10: version 'v1' is not a SemVer 2.0 version"
            ])
        #expect(
            try problems([("models/churn/versions/latest.yaml", FixtureRegistry.manifest("1.1.0"))]) == [
                "models/churn/versions/latest.yaml:1:1: manifest file name 'latest' is not a SemVer 2.0 version"
            ])
    }

    @Test func modelMustMatchItsFolder() throws {
        let manifest = FixtureRegistry.manifest("1.1.0", model: "fraud")
        let spec = FixtureRegistry.model.replacingOccurrences(of: "name: churn", with: "name: fraud")
        #expect(
            try problems([("models/churn/versions/1.1.0.yaml", manifest), ("models/churn/model.yaml", spec)]) == [
                "models/churn/model.yaml:3:7: model name 'fraud' must equal its folder 'churn'",
                "models/churn/versions/1.1.0.yaml:3:8: model 'fraud' must equal its folder 'churn'",
            ])
    }

    @Test func modelNamesFollowTheGrammar() throws {
        let fixture = try FixtureRegistry()
        for folder in ["Churn", "churn\"x", "a;rm -rf", "chürn"] {
            try fixture.write("models/\(folder)/model.yaml", FixtureRegistry.model)
        }
        let spec = FixtureRegistry.model.replacingOccurrences(of: "name: churn", with: "name: \"$(touch x)\"")
        try fixture.write("models/churn/model.yaml", spec)
        try fixture.commit("hostile names")
        #expect(
            try fixture.problems() == [
                "models/Churn:1:1: model folder 'Churn' must match ^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$",
                "models/a;rm -rf:1:1: model folder 'a;rm -rf' must match ^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$",
                "models/churn\"x:1:1: model folder 'churn\"x' must match ^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$",
                "models/churn/model.yaml:3:7: model name '$(touch x)' must match ^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$",
                "models/chürn:1:1: model folder 'chürn' must match ^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$",
            ])
    }

    @Test func stagesMustBeOnTheLadderAndNameManifests() throws {
        let stages = FixtureRegistry.stages(["production": "1.0.0"]) + "  canary: 1.1.0\n  staging: 9.9.9\n"
        #expect(
            try problems([("models/churn/stages.yaml", stages)]) == [
                "models/churn/stages.yaml:6:3: stage 'canary' is not one of the registry's stages (development, staging, production, archived)",
                "models/churn/stages.yaml:7:12: stage 'staging' names version 9.9.9, which has no manifest at models/churn/versions/9.9.9.yaml",
            ])
    }

    @Test func aVersionHoldsOneStage() throws {
        let stages = FixtureRegistry.stages(["production": "1.0.0", "staging": "1.0.0"])
        #expect(
            try problems([("models/churn/stages.yaml", stages)]) == [
                "models/churn/stages.yaml:6:15: version 1.0.0 holds two stages ('staging' and 'production')"
            ])
    }

    @Test func settingsAreChecked() throws {
        let settings = """
            apiVersion: modelgate/v1
            kind: Registry
            stages: [dev, Prod, dev]
            ungated: [qa]
            image:
              base: python:latest
              registry: "ghcr.io/acme; rm"

            """
        #expect(
            try problems([("modelgate.yaml", settings)]) == [
                "modelgate.yaml:3:15: stage 'Prod' must match ^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$",
                "modelgate.yaml:3:21: stage 'dev' is listed twice",
                "modelgate.yaml:4:11: ungated stage 'qa' is not in 'stages'",
                "modelgate.yaml:6:9: base image 'python:latest' must name a tag or digest other than 'latest'",
                "modelgate.yaml:7:13: image registry 'ghcr.io/acme; rm' may hold only letters, digits and . - _ / : @",
                "models/churn/stages.yaml:5:3: stage 'staging' is not one of the registry's stages (dev)",
                "models/churn/stages.yaml:6:3: stage 'production' is not one of the registry's stages (dev)",
                "policies/production-gate.yaml:5:12: stage 'production' is not one of the registry's stages (dev)",
                "policies/production-gate.yaml:11:15: baseline stage 'production' is not one of the registry's stages (dev)",
            ])
    }

    @Test func policyShapeIsChecked() throws {
        let policy = """
            apiVersion: modelgate/v1
            kind: Policy
            name: production-gate
            appliesTo:
              stages: [production, canary]
            rules:
              - metric: auc
                min: 0.9
                max: 0.8
              - metric: auc
                baseline: production
                maxRegression: 0.01
              - metric: f1
                min: 0.5
              - metric: f1
                min: 0.6
              - require: magic
              - metric: loss
                baseline: production
                direction: sideways
                maxRegression: 0.1
              - metric: x
              - require: from
                stages: [nowhere]

            """
        #expect(
            try problems([("policies/production-gate.yaml", policy)]) == [
                "policies/production-gate.yaml:5:24: stage 'canary' is not one of the registry's stages (development, staging, production, archived)",
                "policies/production-gate.yaml:8:10: min 0.9 is greater than max 0.8: the rule can never pass",
                "policies/production-gate.yaml:10:5: a baseline rule needs 'direction' (higher or lower)",
                "policies/production-gate.yaml:15:5: duplicate rule id 'f1.min' (first at line 13); give one of them an 'id'",
                "policies/production-gate.yaml:17:14: unknown requirement 'magic'; expected one of artifactHash, dataHashes, reproducible, from, approvals",
                "policies/production-gate.yaml:20:16: direction 'sideways' must be higher or lower",
                "policies/production-gate.yaml:22:5: a metric rule needs 'min', 'max', 'baseline' or 'slices'",
                "policies/production-gate.yaml:24:14: stage 'nowhere' is not one of the registry's stages (development, staging, production, archived)",
            ])
    }

    @Test func policyNameMatchesItsFile() throws {
        let policy = FixtureRegistry.productionPolicy.replacingOccurrences(
            of: "name: production-gate", with: "name: other")
        #expect(
            try problems([("policies/production-gate.yaml", policy)]) == [
                "policies/production-gate.yaml:3:7: policy name 'other' must equal its file name 'production-gate'"
            ])
    }

    @Test func hashesAreLowercaseHex() throws {
        let text = FixtureRegistry.manifest("1.1.0").replacingOccurrences(
            of: "  sha256: \(FixtureRegistry.hash)", with: "  sha256: \(FixtureRegistry.hash.uppercased())"
        )
        .replacingOccurrences(of: "sha256: \(FixtureRegistry.hash)}", with: "sha256: abc}")
        #expect(
            try problems([("models/churn/versions/1.1.0.yaml", text)]) == [
                "models/churn/versions/1.1.0.yaml:8:11: 'sha256' must be 64 lowercase hex digits, not '\(FixtureRegistry.hash.uppercased())'",
                "models/churn/versions/1.1.0.yaml:19:38: 'sha256' must be 64 lowercase hex digits, not 'abc'",
            ])
    }

    @Test func pathsStayInsideTheRepository() throws {
        let text = FixtureRegistry.manifest("1.1.0")
            .replacingOccurrences(of: "uri: artifacts/churn-1.1.0.bin", with: "uri: ../../etc/passwd")
            .replacingOccurrences(of: "workdir: training/churn", with: "workdir: /tmp")
            .replacingOccurrences(of: "{path: data/churn.csv", with: "{path: data/./x/../../y")
        #expect(
            try problems([("models/churn/versions/1.1.0.yaml", text)]) == [
                "models/churn/versions/1.1.0.yaml:7:8: artifact path '../../etc/passwd' must stay inside the repository (no '..')",
                "models/churn/versions/1.1.0.yaml:16:12: path '/tmp' in 'workdir' must be relative to the repository",
                "models/churn/versions/1.1.0.yaml:19:14: path 'data/./x/../../y' in 'path' must stay inside the repository (no '..')",
            ])
    }

    @Test func remoteArtifactURIsAreAccepted() throws {
        for uri in ["s3://bucket/m.bin", "gs://b/m", "https://example.com/m.bin", "oci://ghcr.io/acme/m:1"] {
            let text = FixtureRegistry.manifest("1.1.0").replacingOccurrences(
                of: "artifacts/churn-1.1.0.bin", with: uri)
            #expect(try problems([("models/churn/versions/1.1.0.yaml", text)]) == [])
        }
        let bad = FixtureRegistry.manifest("1.1.0").replacingOccurrences(
            of: "artifacts/churn-1.1.0.bin", with: "ftp://x/y")
        #expect(
            try problems([("models/churn/versions/1.1.0.yaml", bad)]) == [
                "models/churn/versions/1.1.0.yaml:7:8: artifact uri 'ftp://x/y' must be a repository path or s3://, gs://, https://, oci://"
            ])
    }

    @Test func metricsMustBeNumbers() throws {
        let text = FixtureRegistry.manifest("1.1.0").replacingOccurrences(
            of: "accuracy: 0.85", with: "accuracy: \"0.85\"\n  f1: high\n  loss: .nan")
        #expect(
            try problems([("models/churn/versions/1.1.0.yaml", text)]) == [
                "models/churn/versions/1.1.0.yaml:11:13: metric 'accuracy' must be a number",
                "models/churn/versions/1.1.0.yaml:12:7: metric 'f1' must be a number",
            ])
    }

    @Test func missingModelSpecAndInvalidYAMLAreReportedTogether() throws {
        let fixture = try FixtureRegistry()
        try fixture.remove("models/churn/model.yaml")
        try fixture.write("models/fraud/model.yaml", "apiVersion: modelgate/v1\nkind: Model\nname: fraud\nserving: [\n")
        try fixture.write("policies/broken.yaml", "a: b: c\n")
        try fixture.commit("break things")
        #expect(
            try fixture.problems() == [
                "models/churn:1:1: model folder has no model.yaml",
                "models/fraud/model.yaml:5:1: invalid YAML: while parsing a flow node: did not find expected node content",
                "policies/broken.yaml:1:5: invalid YAML: mapping values are not allowed in this context",
            ])
    }

    @Test func oversizedAndSymlinkedFilesAreRefused() throws {
        let fixture = try FixtureRegistry()
        try fixture.write("models/churn/versions/1.2.0.yaml", String(repeating: "# padding\n", count: 120_000))
        try FileManager.default.createSymbolicLink(
            atPath: fixture.url.appendingPathComponent("models/churn/versions/1.3.0.yaml").path,
            withDestinationPath: "/etc/passwd")
        try fixture.commit("hostile files")
        #expect(
            try fixture.problems() == [
                "models/churn/versions/1.2.0.yaml:1:1: file is 1200000 bytes, more than the limit of 1048576 bytes for a registry file",
                "models/churn/versions/1.3.0.yaml:1:1: models/churn/versions/1.3.0.yaml is a symbolic link; registry files must be regular files",
            ])
    }

    @Test func waiversAreRead() throws {
        let waiver = """
            waivers:
              - rule: production-gate/auc.min
                reason: Measured on the old pool.
                owner: jane@example.com
                expires: 2026-12-15
              - rule: nonsense
                reason: x
                owner: y
                expires: someday

            """
        let text = FixtureRegistry.manifest("1.1.0", extra: waiver)
        #expect(
            try problems([("models/churn/versions/1.1.0.yaml", text)]) == [
                "models/churn/versions/1.1.0.yaml:25:11: waiver rule 'nonsense' must be <policy>/<rule id>",
                "models/churn/versions/1.1.0.yaml:28:14: expires 'someday' must be a date like 2026-12-15",
            ])
    }

    @Test func loadsOnlyTheNamedModels() throws {
        let fixture = try FixtureRegistry()
        try fixture.write("models/fraud/model.yaml", "broken: [\n")
        try fixture.commit("another model")
        let repository = try fixture.repository()
        let registry = try RegistryLoader(repository: repository).load(
            models: ["churn"], at: repository.resolveCommit("HEAD"))
        #expect(registry.modelNames == ["churn"])
        #expect(registry.diagnostics.isEmpty)
    }

    /// One loader reads a file at one commit, then at another a link whose blob is that file's bytes (a
    /// link's blob is its target's text): the link is refused all the same, not served from what was decoded.
    @Test func aLinkWithAFilesBlobIsRefusedAfterTheFileWasRead() throws {
        let fixture = try FixtureRegistry()
        let file = fixture.url.appendingPathComponent("models/churn/versions/1.1.0.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        let before = try fixture.git("rev-parse", "HEAD")
        try FileManager.default.removeItem(at: file)
        try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: text)
        try fixture.commit("the manifest as a link")
        let blob = { (ref: String) in try fixture.git("rev-parse", "\(ref):models/churn/versions/1.1.0.yaml") }
        #expect(try blob(before) == blob("HEAD"), "the same blob id, a file's at one commit and a link's at the next")
        let repository = try fixture.repository()
        let loader = RegistryLoader(repository: repository)
        #expect(try loader.load(at: repository.resolveCommit(before)).diagnostics.isEmpty)
        let after = try loader.load(at: repository.resolveCommit("HEAD"))
        #expect(
            after.diagnostics.map(\.description).contains(
                "models/churn/versions/1.1.0.yaml:1:1: error: models/churn/versions/1.1.0.yaml is a symbolic link; registry files must be regular files"
            ), "\(after.diagnostics)")
        #expect(after.models["churn"]?.versions["1.1.0"] == nil)
    }
}

import Foundation
import ModelGateSupport
import ModelGateTestSupport
import ModelGateYAML
import Testing

@testable import ModelGateRegistry

@Suite("Manifest diff")
struct ManifestDiffTests {
    func manifest(_ version: String, auc: Double, extra: String) throws -> (ModelVersion, YAMLNode) {
        let text = FixtureRegistry.manifest(version, auc: auc, extra: extra)
        let path = "models/churn/versions/\(version).yaml"
        let node = try YAMLLoader().load(Data(text.utf8), path: path)
        let (document, diagnostics) = RegistryDocument.decode(Data(text.utf8), path: path)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        guard case .manifest(let manifest?)? = document else { throw ModelGateError.badInput("not a manifest") }
        return (manifest, node)
    }

    @Test func metricsHaveDeltasAndOtherFieldsAreListedByPath() throws {
        let (a, nodeA) = try manifest("1.0.0", auc: 0.8, extra: "description: first\n")
        let (b, nodeB) = try manifest("1.1.0", auc: 0.9, extra: "description: second\nlineage:\n  parent: 1.0.0\n")
        let diff = try ManifestDiff(
            a: ModelReference(parsing: "churn@1.0.0"), b: ModelReference(parsing: "churn@1.1.0"),
            manifestA: a, manifestB: b, nodeA: nodeA, nodeB: nodeB)
        let auc = try #require(diff.metrics.first { $0.name == "auc" && $0.slice == nil })
        #expect(abs(auc.delta! - 0.1) < 1e-12)
        #expect(abs(auc.relative! - 0.125) < 1e-12)
        // The version itself, metrics and slices are not "other fields"; equal fields are not listed.
        #expect(diff.fields.map(\.path) == ["artifact.uri", "description", "lineage.parent"])
        #expect(diff.fields.last?.a == nil && diff.fields.last?.b == "1.0.0")
    }

    @Test func aZeroOrMissingBaseHasNoRelativeChange() {
        #expect(ManifestDiff.MetricRow(slice: nil, name: "m", a: 0, b: 1).relative == nil)
        #expect(ManifestDiff.MetricRow(slice: nil, name: "m", a: nil, b: 1).delta == nil)
        #expect(ManifestDiff.MetricRow(slice: nil, name: "m", a: -2, b: -1).relative == 0.5)
    }

    @Test func flattenNamesEveryScalarByItsPath() throws {
        let node = try YAMLLoader().load(Data("a:\n  b: [x, {c: y}]\n  d: z\n".utf8), path: "f.yaml")
        #expect(ManifestDiff.flatten(node) == ["a.b[0]": "x", "a.b[1].c": "y", "a.d": "z"])
    }
}

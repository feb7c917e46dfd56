import Foundation
import ModelGateRegistry
import ModelGateSupport
import Testing

@testable import ModelGateBundle

@Suite("images.yaml and deploy settings")
struct ImageMapTests {
    @Test func roundTripsSorted() throws {
        var map = ImageMap()
        try map.set("demand@1.1.0=ghcr.io/acme/demand:1.1.0")
        try map.set("churn@1.3.0=ghcr.io/acme/churn@sha256:" + String(repeating: "a", count: 64))
        let parsed = try ImageMap(parsing: Data(map.text.utf8), path: "deploy/images.yaml")
        #expect(parsed == map)
        #expect(map.text.split(separator: "\n").dropFirst().first?.hasPrefix("churn@1.3.0:") == true)
        #expect(try ImageMap(parsing: Data(ImageMap().text.utf8), path: "x").images.isEmpty)
    }

    @Test(arguments: ["churn: ghcr.io/x:1", "churn@1.3: ghcr.io/x:1", "churn@1.3.0: \"a b\"", "- churn@1.3.0"])
    func refusesWithAPosition(_ text: String) {
        #expect {
            try ImageMap(parsing: Data((text + "\n").utf8), path: "deploy/images.yaml")
        } throws: { error in
            (error as? InvalidRegistryError)?.diagnostics.first?.description.hasPrefix("deploy/images.yaml:1:") == true
        }
    }

    @Test(arguments: ["churn@1.3.0", "churn@1.3.0=", "=ghcr.io/x:1", "Churn@1.3.0=ghcr.io/x:1"])
    func refusesBadAssignments(_ assignment: String) {
        var map = ImageMap()
        #expect(throws: ModelGateError.self) { try map.set(assignment) }
    }

    @Test func deployedStagesDefaultToTheLadderWithoutItsEnds() {
        var settings = DeploySettings()
        #expect(
            settings.deployedStages(on: ["development", "staging", "production", "archived"]) == [
                "staging", "production",
            ])
        settings.stages = ["production"]
        #expect(settings.deployedStages(on: ["development", "staging", "production", "archived"]) == ["production"])
    }
}

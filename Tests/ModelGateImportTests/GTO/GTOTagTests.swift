import Testing

@testable import ModelGateImport

/// The tag names GTO writes (1.x, and the assignment form of GTO before 1.0), and names it does not.
@Suite("GTO tags")
struct GTOTagTests {
    @Test(arguments: [
        ("churn@v1.2.3", GTOTag.registration(model: "churn", version: "1.2.3")),
        ("churn@v1.2.3!", .deregistration(model: "churn", version: "1.2.3")),
        ("churn#prod#4", .assignment(model: "churn", stage: "prod", number: 4, version: nil)),
        ("churn#prod!#5", .unassignment(model: "churn", stage: "prod", number: 5)),
        ("churn@v0.1.0#staging", .assignment(model: "churn", stage: "staging", number: nil, version: "0.1.0")),
        ("churn@deprecated", .deprecation(model: "churn")),
        ("churn@v1.0.0-rc.1", .registration(model: "churn", version: "1.0.0-rc.1")),
    ])
    func parses(_ name: String, _ expected: GTOTag) {
        #expect(GTOTag(name) == expected)
    }

    @Test(arguments: [
        "v1.0.0", "churn@1.0.0", "churn@v1.0", "churn#prod", "churn#prod#x", "#prod#1", "@v1.0.0", "release-2026",
    ])
    func leavesOtherTagsAlone(_ name: String) {
        #expect(GTOTag(name) == nil)
    }
}

import Testing

@testable import ModelGateRegistry

@Suite("SemVer")
struct SemanticVersionTests {
    @Test(arguments: [
        "1.0.0", "0.0.1", "10.20.30", "1.0.0-rc.1", "1.0.0-alpha-a.b-c", "1.0.0+build.5", "2.0.0-rc.1+sha.5114f85",
    ])
    func accepts(_ text: String) {
        #expect(SemanticVersion(text) != nil)
    }

    @Test(arguments: [
        "1.0", "1", "01.0.0", "1.0.0-", "1.0.0-01", "1.0.0+", "v1.0.0", "1.0.0.0", "1..0", "", "1.0.0-a..b", "1.0.x",
    ])
    func rejects(_ text: String) {
        #expect(SemanticVersion(text) == nil)
    }

    @Test func ordersByPrecedence() {
        let ordered = [
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0",
        ]
        let versions = ordered.compactMap(SemanticVersion.init)
        #expect(versions.count == ordered.count)
        #expect(versions.shuffled().sorted().map(\.description) == ordered)
        #expect(!(SemanticVersion("1.0.0+a")! < SemanticVersion("1.0.0+b")!))
    }
}

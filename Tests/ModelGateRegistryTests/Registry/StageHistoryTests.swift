import Foundation
import ModelGateGit
import ModelGateSupport
import ModelGateTestSupport
import Testing

@testable import ModelGateRegistry

@Suite("Stage history")
struct StageHistoryTests {
    /// A fixture whose production moves 1.0.0 → 1.1.0 → 1.0.0 on dated commits, with an unrelated commit
    /// between (which must not appear).
    func fixture() throws -> FixtureRegistry {
        let fixture = try FixtureRegistry()
        let path = "models/churn/stages.yaml"
        try fixture.write(path, FixtureRegistry.stages(["production": "1.1.0", "staging": "1.1.0"]))
        try fixture.commit("promote 1.1.0", author: "Ada <ada@example.com>", date: "2026-03-01T12:00:00Z")
        try fixture.write("notes.txt", "unrelated\n")
        try fixture.commit("unrelated", date: "2026-03-02T12:00:00Z")
        try fixture.write(path, FixtureRegistry.stages(["production": "1.0.0", "staging": "1.1.0"]))
        try fixture.commit("roll back", author: "Grace <grace@example.com>", date: "2026-03-03T12:00:00Z")
        return fixture
    }

    @Test func changesAreNewestFirstWithTheirAuthorsAndHolders() throws {
        let fixture = try fixture()
        let repository = try fixture.repository()
        let history = StageHistory(repository: repository, model: "churn")
        let changes = try history.changes(from: repository.resolveCommit("HEAD"))
        let production = changes.filter { $0.stage == "production" }
        #expect(production.map(\.subject) == ["roll back", "promote 1.1.0", "Create registry"])
        #expect(production.map(\.toVersion) == ["1.0.0", "1.1.0", "1.0.0"])
        #expect(production.map(\.fromVersion) == ["1.1.0", "1.0.0", nil])
        #expect(production[0].author.name == "Grace")
        #expect(!changes.contains { $0.subject == "unrelated" })
    }

    /// One walk for every model finds what one walk per model finds: on the example's history (two models,
    /// promotions, a rollback-free archive) and on a fixture where a model is added, changed, left alone,
    /// deleted and recreated.
    @Test func oneWalkForEveryModelIsAWalkPerModel() throws {
        let fixture = try fixture()
        try fixture.write(
            "models/demand/model.yaml", FixtureRegistry.model.replacingOccurrences(of: "churn", with: "demand"))
        try fixture.write("models/demand/stages.yaml", FixtureRegistry.stages(["staging": "2.0.0"], model: "demand"))
        try fixture.commit("demand appears")
        try fixture.write("models/demand/README.md", "not the stages file\n")
        try fixture.commit("demand's folder changes, not its stages")
        try fixture.remove("models/demand/stages.yaml")
        try fixture.commit("demand's stages go")
        try fixture.write("models/demand/stages.yaml", FixtureRegistry.stages(["production": "2.0.0"], model: "demand"))
        try fixture.commit("and come back")
        let example = ScratchDirectory("modelgate-history-example")
        _ = try Shell.modelgate(["init", "registry", "--example", "--quiet"], in: example.url)
        for repository in [
            try fixture.repository(), try Repository.open(at: example.url.appendingPathComponent("registry").path),
        ] {
            let head = try repository.resolveCommit("HEAD")
            let all = try StageHistory.changesOfEveryModel(in: repository, from: head)
            #expect(!all.isEmpty)
            for model in ["churn", "demand"] {
                let one = try StageHistory(repository: repository, model: model).changes(from: head)
                let fromAll = all[model] ?? []
                #expect(fromAll.map(\.commit) == one.map(\.commit), "\(model)")
                #expect(fromAll.map(\.stage) == one.map(\.stage), "\(model)")
                #expect(fromAll.map(\.toVersion) == one.map(\.toVersion), "\(model)")
                #expect(fromAll.map(\.fromVersion) == one.map(\.fromVersion), "\(model)")
            }
        }
        let demand =
            try StageHistory.changesOfEveryModel(
                in: try fixture.repository(), from: try fixture.repository().resolveCommit("HEAD"))["demand"] ?? []
        #expect(demand.map(\.subject) == ["and come back", "demand's stages go", "demand appears"])
    }

    @Test func holdingsNameTheChangeThatPutEachHolderThere() throws {
        let fixture = try fixture()
        let repository = try fixture.repository()
        let history = StageHistory(repository: repository, model: "churn")
        let holdings = try history.holdings(at: repository.resolveCommit("HEAD"))
        #expect(holdings.map(\.stage) == ["production", "staging"])
        #expect(holdings.first?.version == "1.0.0")
        #expect(holdings.first?.since?.subject == "roll back")
        #expect(
            try history.previousHolder(of: "production", at: repository.resolveCommit("HEAD")) == ("1.0.0", "1.1.0"))
        #expect(throws: ModelGateError.self) {
            try history.previousHolder(of: "development", at: repository.resolveCommit("HEAD"))
        }
    }

    @Test func aDateFindsTheNewestCommitAtOrBeforeIt() throws {
        let fixture = try fixture()
        let repository = try fixture.repository()
        let history = StageHistory(repository: repository, model: "churn")
        let head = try repository.resolveCommit("HEAD")
        let endOfSecond = try #require(Dates.parseTimestamp("2026-03-02T23:59:59Z"))
        #expect(try repository.firstParentCommit(at: endOfSecond, from: head) == repository.resolveCommit("HEAD~1"))
        #expect(try repository.firstParentCommit(at: Date(timeIntervalSince1970: 0), from: head) == nil)
        // --at: a day means its end (UTC), a revision is resolved, anything else is refused.
        #expect(
            try repository.firstParentCommit(atDateOrRevision: "2026-03-02", from: head)
                == repository.resolveCommit("HEAD~1"))
        #expect(
            try repository.firstParentCommit(atDateOrRevision: "HEAD~2", from: head)
                == repository.resolveCommit("HEAD~2"))
        #expect(throws: ModelGateError.self) {
            try repository.firstParentCommit(atDateOrRevision: "2020-01-01", from: head)
        }
        #expect(throws: ModelGateError.self) {
            try repository.firstParentCommit(atDateOrRevision: "not-a-ref", from: head)
        }
    }

    /// Old or odd files are read leniently: what is not a stage → version mapping is left out.
    @Test func holdersAreReadLeniently() {
        let odd = Data("stages:\n  production: 1.0.0\n  staging: [1, 2]\n".utf8)
        #expect(StageHistory.holders(in: odd, path: "s.yaml") == ["production": "1.0.0"])
        #expect(StageHistory.holders(in: Data("- not a mapping\n".utf8), path: "s.yaml").isEmpty)
        #expect(StageHistory.holders(in: Data("stages: [\n".utf8), path: "s.yaml").isEmpty)
    }
}

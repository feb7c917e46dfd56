import Foundation
import ModelGateTestSupport
import Testing

@Suite("modelgate history, promote and rollback")
struct PromotionCommandTests {
    /// A registry whose churn stages changed in several commits by different authors.
    func history() throws -> FixtureRegistry {
        let fixture = try FixtureRegistry()
        try fixture.write("models/churn/versions/1.2.0.yaml", FixtureRegistry.manifest("1.2.0", auc: 0.91))
        try fixture.write(
            "models/churn/stages.yaml",
            FixtureRegistry.stages(["production": "1.1.0", "staging": "1.2.0", "archived": "1.0.0"]))
        try fixture.commit(
            "Promote 1.1.0, stage 1.2.0", author: "Ada Lovelace <ada@example.com>", date: "2026-03-01T10:00:00Z")
        try fixture.write("README.md", "unrelated\n")
        try fixture.commit("Docs", author: "Bob Builder <bob@example.com>", date: "2026-03-02T10:00:00Z")
        try fixture.write(
            "models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.2.0", "archived": "1.1.0"]))
        try fixture.commit("Promote 1.2.0", author: "Grace Hopper <grace@example.com>", date: "2026-03-05T10:00:00Z")
        return fixture
    }

    /// `promote` and `rollback` print, in every format, exactly the report `check --base <branch> --head
    /// <the new commit>` prints, and exit as it does: a promotion, one that empties a stage (a warning, failing
    /// under --fail-on-warn), one refused, and a rollback.
    @Test(arguments: [
        ["promote", "churn@1.1.0", "--to", "production"],
        ["promote", "churn@1.1.0", "--to", "production", "--fail-on-warn"],
        ["promote", "churn@1.0.0", "--to", "staging"], ["promote", "churn@1.2.0", "--to", "production", "--force"],
        ["rollback", "churn", "--stage", "production"],
    ])
    func promoteAndRollbackAreCheck(_ command: [String]) throws {
        let fixture = try history()
        try fixture.write("models/churn/versions/1.2.0.yaml", FixtureRegistry.manifest("1.2.0", auc: 0.5))
        try fixture.write(
            "models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.0.0", "staging": "1.1.0"]))
        try fixture.commit("Start again from 1.0.0 in production")
        let failOnWarn = command.contains("--fail-on-warn") ? ["--fail-on-warn"] : []
        for format in ["json", "markdown", "text"] {
            try fixture.git("switch", "-q", "main")
            try? fixture.git("branch", "-q", "-D", "change")
            let moved = try Shell.modelgate(
                command + ["--branch", "change", "--format", format, "--quiet"], in: fixture.url)
            let head = (try? fixture.git("rev-parse", "--verify", "-q", "change")) ?? ""
            if head.isEmpty {
                #expect(moved.status == 1, "\(command): \(moved.stdout)")
                continue
            }
            let check = try Shell.modelgate(
                ["check", "--base", "main", "--head", "change", "--format", format, "--quiet"] + failOnWarn,
                in: fixture.url)
            #expect(moved.stdout == check.stdout, "\(command) \(format)")
            let forced = command.contains("--force")
            #expect(moved.status == (forced ? 0 : check.status), "\(command) \(format): \(moved.stderr)")
            // --quiet says errors only: a text report of a passing gate is empty.
            #expect(check.stdout.isEmpty == (format == "text" && check.status == 0), "\(command) \(format)")
        }
    }

    @Test func historyListsEveryStageChangeWithAuthorsAndCommits() throws {
        let fixture = try history()
        let result = try fixture.modelgate("history", "churn")
        #expect(result.status == 0)
        let head = try fixture.git("rev-parse", "--short=7", "HEAD")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("DATE"))
        #expect(lines.count == 1 + 3 + 3 + 2)
        let first = lines[1].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        #expect(
            Array(first.prefix(8)) == [
                "2026-03-05T10:00:00Z", head, "Grace", "Hopper", "archived", "1.0.0", "1.1.0", "Promote",
            ])
        #expect(lines[2].contains("production  1.1.0  1.2.0  Promote 1.2.0"))
        #expect(lines[4].contains("Ada Lovelace  "), "the name, not the email (which JSON carries)")
        #expect(!result.stdout.contains("@example.com"))
        #expect(!result.stdout.contains("Bob Builder"), "a commit that leaves stages.yaml alone is no change")
        let json = try JSONSerialization.jsonObject(
            with: Data(
                try fixture.modelgate("history", "churn", "--stage", "production", "--format", "json").stdout.utf8))
        let changes = try #require((json as? [String: Any])?["changes"] as? [[String: Any]])
        #expect(
            changes.map { "\($0["fromVersion"] as? String ?? "-")>\($0["toVersion"] as? String ?? "-")" } == [
                "1.1.0>1.2.0", "1.0.0>1.1.0", "->1.0.0",
            ])
        #expect((changes[0]["author"] as? [String: String])?["name"] == "Grace Hopper")
    }

    @Test func historyAtADateOrRef() throws {
        let fixture = try history()
        let early = try fixture.modelgate("history", "churn", "--at", "2026-03-03")
        #expect(early.status == 0)
        #expect(early.stdout.contains("production  1.1.0    2026-03-01T10:00:00Z"))
        #expect(early.stdout.contains("Ada Lovelace"))
        let late = try fixture.modelgate("history", "churn", "--at", "HEAD", "--stage", "production")
        #expect(late.stdout.contains("production  1.2.0"))
        #expect(late.stdout.contains("Grace Hopper"))
        #expect(try fixture.modelgate("history", "churn", "--at", "1999-01-01").status == 2)
        #expect(try fixture.modelgate("history", "nosuch").status == 2)
    }

    @Test func promoteOnTheCurrentBranchWritesOneCommitAndArchives() throws {
        let fixture = try FixtureRegistry()
        let before = try fixture.git("rev-parse", "HEAD")
        let result = try fixture.modelgate("promote", "churn@1.1.0", "--to", "production")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try fixture.git("rev-parse", "HEAD~1") == before)
        #expect(try fixture.git("diff", "--name-only", "HEAD~1", "HEAD") == "models/churn/stages.yaml")
        #expect(try fixture.git("status", "--porcelain").isEmpty)
        #expect(
            try fixture.read("models/churn/stages.yaml")
                == FixtureRegistry.stages(["production": "1.1.0", "archived": "1.0.0"]))
        let message = try fixture.git("log", "-1", "--format=%B")
        #expect(message.hasPrefix("Promote churn 1.1.0 to production\n\nGate: pass"))
        #expect(message.contains("Previous holder 1.0.0 moves to archived."))
        #expect(try fixture.git("log", "-1", "--format=%an <%ae>") == "Fixture Author <fixture@example.com>")
        #expect(try fixture.git("fsck", "--strict", "--no-dangling").isEmpty)
    }

    @Test func promoteOnANewBranchLeavesTheCurrentOneAlone() throws {
        let fixture = try FixtureRegistry()
        let main = try fixture.git("rev-parse", "HEAD")
        let result = try fixture.modelgate(
            "promote", "churn@1.1.0", "--to", "production", "--branch", "promote/churn-1.1.0", "--message", "Ship it",
            "--author", "Release Bot <bot@example.com>")
        #expect(result.status == 0)
        #expect(try fixture.git("rev-parse", "HEAD") == main)
        #expect(try fixture.git("rev-parse", "promote/churn-1.1.0~1") == main)
        #expect(try fixture.git("log", "-1", "--format=%s|%an", "promote/churn-1.1.0") == "Ship it|Release Bot")
        #expect(try fixture.git("status", "--porcelain").isEmpty)
        // The branch is what a pull request would carry: check judges it like CI would.
        #expect(try fixture.modelgate("check", "--base", "main", "--head", "promote/churn-1.1.0").status == 0)
        #expect(
            try fixture.modelgate("promote", "churn@1.1.0", "--to", "production", "--branch", "promote/churn-1.1.0")
                .status == 2)
    }

    @Test func refusedByTheGateMakesNoCommitUnlessForced() throws {
        let fixture = try FixtureRegistry()
        try fixture.write("models/churn/versions/1.2.0.yaml", FixtureRegistry.manifest("1.2.0", auc: 0.5))
        let before = try fixture.commit("weak version")
        let refused = try fixture.modelgate("promote", "churn@1.2.0", "--to", "production")
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("✘ fail   production-gate/auc.min"))
        #expect(refused.stdout.contains("refused: the gate failed; nothing was committed"))
        #expect(try fixture.git("rev-parse", "HEAD") == before)
        let forced = try fixture.modelgate("promote", "churn@1.2.0", "--to", "production", "--force")
        #expect(forced.status == 0)
        #expect(try fixture.git("log", "-1", "--format=%B").contains("Forced with --force past a failing gate."))
    }

    @Test func dirtyStagesFileIsRefused() throws {
        let fixture = try FixtureRegistry()
        try fixture.write("models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.0.0"]) + "# edited\n")
        let result = try fixture.modelgate("promote", "churn@1.1.0", "--to", "production")
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "error: models/churn/stages.yaml has uncommitted changes; commit or discard them before promoting\n")
    }

    @Test func badPromotionsAreBadInput() throws {
        let fixture = try FixtureRegistry()
        #expect(try fixture.modelgate("promote", "churn@1.1.0", "--to", "canary").status == 2)
        #expect(try fixture.modelgate("promote", "churn@9.0.0", "--to", "production").status == 2)
        #expect(try fixture.modelgate("promote", "churn@1.0.0", "--to", "production").status == 2)
        #expect(
            try fixture.modelgate("promote", "churn@1.1.0", "--to", "production", "--branch", "../evil").status == 2)
        #expect(try fixture.modelgate("promote", "churn@1.1.0", "--to", "production", "--author", "nobody").status == 2)
    }

    @Test func rollbackRestoresThePreviousHolderThroughTheGate() throws {
        let fixture = try history()
        let result = try fixture.modelgate("rollback", "churn", "--stage", "production")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try fixture.git("log", "-1", "--format=%s") == "Roll back churn production to 1.1.0 (from 1.2.0)")
        #expect(
            try fixture.read("models/churn/stages.yaml")
                == FixtureRegistry.stages(["production": "1.1.0", "archived": "1.2.0"]))
        #expect(try fixture.git("status", "--porcelain").isEmpty)
        let fresh = try FixtureRegistry()
        #expect(try fresh.modelgate("rollback", "churn", "--stage", "production").status == 2)
    }

    /// Eight processes promote eight models on one branch at once, twenty times: every promotion lands.
    @Test func concurrentPromotionsNeverLoseOneAnother() throws {
        // 16 processes promoting 16 models on one branch at once, 50 times over.
        let models = (0..<16).map { "model-\($0)" }
        for round in 0..<50 {
            let fixture = try FixtureRegistry(empty: true)
            try fixture.write("modelgate.yaml", FixtureRegistry.settings)
            try fixture.write("policies/production-gate.yaml", FixtureRegistry.productionPolicy)
            for model in models {
                try fixture.write(
                    "models/\(model)/model.yaml",
                    FixtureRegistry.model.replacingOccurrences(of: "name: churn", with: "name: \(model)"))
                try fixture.write(
                    "models/\(model)/versions/1.0.0.yaml", FixtureRegistry.manifest("1.0.0", model: model, auc: 0.88))
                try fixture.write(
                    "models/\(model)/versions/1.1.0.yaml", FixtureRegistry.manifest("1.1.0", model: model, auc: 0.9))
                try fixture.write(
                    "models/\(model)/stages.yaml",
                    FixtureRegistry.stages(["production": "1.0.0", "staging": "1.1.0"], model: model))
            }
            let base = try fixture.commit("registry")
            let processes = try models.map { model -> Process in
                let process = Process()
                process.executableURL = Shell.modelgateBinary
                process.arguments = ["promote", "\(model)@1.1.0", "--to", "production", "--quiet"]
                process.currentDirectoryURL = fixture.url
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                return process
            }
            for process in processes { process.waitUntilExit() }
            let statuses = processes.map(\.terminationStatus)
            #expect(statuses.allSatisfy { $0 == 0 || $0 == 3 }, "round \(round): \(statuses)")
            let landed = try fixture.git("log", "--format=%s", "\(base)..HEAD").split(separator: "\n")
            #expect(landed.count == statuses.filter { $0 == 0 }.count, "round \(round)")
            #expect(statuses.filter { $0 == 0 }.count == models.count, "round \(round): every promotion should land")
            for (model, status) in zip(models, statuses) where status == 0 {
                #expect(
                    try fixture.read("models/\(model)/stages.yaml").contains("production: 1.1.0"),
                    "round \(round): \(model)")
                let atTip = try fixture.git("show", "HEAD:models/\(model)/stages.yaml")
                #expect(atTip.contains("production: 1.1.0"), "round \(round): \(model) lost at the tip")
            }
            #expect(try fixture.git("fsck", "--strict", "--no-dangling").isEmpty)
            #expect(try fixture.git("status", "--porcelain").isEmpty, "round \(round)")
        }
    }

    @Test func promotesOfOneModelInOneWorkingTreeTakeTurns() throws {
        // 8 processes promoting 8 versions of one model into one stage at once, 20 times over: each lands in
        // turn, none fails because another left stages.yaml half-updated.
        let versions = (1...8).map { "1.\($0).0" }
        for round in 0..<20 {
            let fixture = try FixtureRegistry(empty: true)
            try fixture.write("modelgate.yaml", FixtureRegistry.settings + "ungated: [staging]\n")
            try fixture.write("models/churn/model.yaml", FixtureRegistry.model)
            for version in versions {
                try fixture.write("models/churn/versions/\(version).yaml", FixtureRegistry.manifest(version))
            }
            let base = try fixture.commit("registry")
            let processes = try versions.map { version -> Process in
                let process = Process()
                process.executableURL = Shell.modelgateBinary
                process.arguments = ["promote", "churn@\(version)", "--to", "staging", "--quiet"]
                process.currentDirectoryURL = fixture.url
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                return process
            }
            for process in processes { process.waitUntilExit() }
            #expect(processes.map(\.terminationStatus) == Array(repeating: 0, count: versions.count), "round \(round)")
            #expect(
                try fixture.git("log", "--format=%s", "\(base)..HEAD").split(separator: "\n").count == versions.count)
            #expect(try fixture.git("status", "--porcelain").isEmpty, "round \(round)")
        }
    }
}

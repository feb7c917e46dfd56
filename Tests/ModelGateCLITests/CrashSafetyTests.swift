import Foundation
import ModelGateTestSupport
import Testing

/// SIGKILL at every step: what modelgate writes is either the old state or the complete new one, never a
/// half-written file, folder or commit. The kills land where the code says a step ends (`CrashPoint`,
/// through `MODELGATE_CRASH_AT`), each once, so the verdict does not depend on how fast the machine is.
@Suite("Crash safety") struct CrashSafetyTests {
    /// Runs `arguments` killed at the `point`-th crash point it reaches; the point's name, or nil when the run
    /// reached fewer points and finished (its result then in `finished`).
    static func run(
        _ arguments: [String], in directory: URL, killedAt point: Int, finished: inout ProcessResult?
    ) throws -> String? {
        let result = try Shell.modelgate(arguments, in: directory, environment: ["MODELGATE_CRASH_AT": "\(point)"])
        let prefix = "modelgate: killed at "
        guard let line = result.stderr.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else {
            finished = result
            return nil
        }
        return String(line.dropFirst(prefix.count))
    }

    /// Kills `arguments` at each of its crash points in turn, calling `prepare` before and `check` after each
    /// run (with the point's name); returns the names, in order, once a run finishes without reaching its
    /// point. At most `limit` points: a command that writes in a loop must not loop the test forever.
    static func killAtEveryPoint(
        _ arguments: [String], in directory: URL, limit: Int = 64, prepare: () throws -> Void,
        check: (String) throws -> Void
    ) throws -> [String] {
        var points: [String] = []
        for point in 1...limit {
            try prepare()
            var finished: ProcessResult?
            guard let name = try run(arguments, in: directory, killedAt: point, finished: &finished) else {
                #expect(finished?.status == 0, "the run past every crash point: \(finished?.stderr ?? "")")
                return points
            }
            points.append(name)
            try check(name)
        }
        Issue.record("\(arguments.joined(separator: " ")) reached more than \(limit) crash points")
        return points
    }

    func example() throws -> (ScratchDirectory, URL) {
        let scratch = ScratchDirectory("modelgate-kill")
        #expect(try Shell.modelgate(["init", "registry", "--example", "--quiet"], in: scratch.url).status == 0)
        return (scratch, scratch.url.appendingPathComponent("registry"))
    }

    @Test func bundleKilledAnywhereLeavesTheOldBundleOrTheNewOne() throws {
        let (scratch, registry) = try example()
        let out = scratch.url.appendingPathComponent("out").path
        // The two complete states --out may hold: the kubernetes bundle and the compose one.
        let oldArguments = ["bundle", "churn", "--stage", "production", "--out", out, "--force-overwrite"]
        let newArguments = oldArguments + ["--target", "compose"]
        for fresh in [true, false] {
            let points = try Self.killAtEveryPoint(newArguments, in: registry) { () throws in
                try? FileManager.default.removeItem(atPath: out)
                if !fresh { #expect(try Shell.modelgate(oldArguments, in: registry).status == 0) }
            } check: { (point: String) throws in
                guard FileManager.default.fileExists(atPath: out) else {
                    #expect(fresh, "killed at \(point): the old bundle vanished")
                    return
                }
                let asNew = try Shell.modelgate(
                    ["bundle", "churn", "--stage", "production", "--target", "compose", "--check", out], in: registry)
                let asOld = try Shell.modelgate(
                    ["bundle", "churn", "--stage", "production", "--check", out], in: registry)
                #expect(
                    asNew.status == 0 || asOld.status == 0,
                    "killed at \(point): a partial bundle\n\(asNew.stdout)\(asOld.stdout)")
            }
            #expect(points.contains("folder: staged, not moved"), "\(points)")
            #expect(points.contains(fresh ? "folder: renamed into place" : "folder: exchanged, old one not removed"))
        }
    }

    @Test func checkOutputKilledAnywhereIsTheOldReportOrTheNewOne() throws {
        let (scratch, registry) = try example()
        let output = scratch.url.appendingPathComponent("report.json")
        let old = Data("{\"old\": true}\n".utf8)
        let arguments = ["check", "--base", "HEAD~1", "--format", "json", "--output", output.path]
        var kept: [String] = []
        let points = try Self.killAtEveryPoint(arguments, in: registry) { () throws in
            try old.write(to: output)
        } check: { (point: String) throws in
            let written = try Data(contentsOf: output)
            if written == old {
                kept.append(point)
                return
            }
            let report = try? JSONSerialization.jsonObject(with: written) as? [String: Any]
            #expect(report?["verdict"] as? String == "pass", "killed at \(point): a report of \(written.count) bytes")
        }
        #expect(kept == ["file: temporary sibling complete, not renamed"], "\(points)")
        #expect(points.contains("file: renamed into place"))
    }

    @Test func promoteKilledAtEveryStepLeavesTheOldTipOrACompleteCommit() throws {
        let arguments = ["promote", "churn@1.1.0", "--to", "production", "--quiet"]
        let fixture = try FixtureRegistry()
        let start = try fixture.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let stages = fixture.url.appendingPathComponent("models/churn/stages.yaml")
        var landed = 0
        let points = try Self.killAtEveryPoint(arguments, in: fixture.url) { () throws in
            _ = try fixture.git("reset", "-q", "--hard", start)
        } check: { (point: String) throws in
            let now = try fixture.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
            let onDisk = try String(contentsOf: stages, encoding: .utf8)
            if now != start {
                landed += 1
                #expect(
                    try fixture.git("rev-parse", "HEAD~1").trimmingCharacters(in: .whitespacesAndNewlines) == start,
                    "killed at \(point)")
                #expect(
                    try fixture.git("show", "HEAD:models/churn/stages.yaml").contains("production: 1.1.0"),
                    "killed at \(point)")
                // Landed: the files were written first, so nothing staged or modified would revert it.
                #expect(onDisk.contains("production: 1.1.0"), "killed at \(point): the working tree reverts it")
                #expect(
                    try fixture.git("status", "--porcelain", "--untracked-files=no").isEmpty,
                    "killed at \(point): the index or working tree differs from the landed promotion")
            }
            #expect(try fixture.git("fsck", "--strict", "--no-dangling").isEmpty, "killed at \(point)")
            // Whatever the kill left, the next promote repairs it: nothing staged or modified would revert
            // the landed promotion at the next `git commit`.
            // (Where it landed, the promote finishes what the kill left and then says the stage is held.)
            let repair = try fixture.modelgate("promote", "churn@1.1.0", "--to", "production", "--quiet")
            #expect(
                repair.status == 0 || (now != start && repair.stderr.contains("already holds production")),
                "killed at \(point): \(repair.stderr)")
            #expect(try fixture.git("diff", "--cached", "--name-only").isEmpty, "killed at \(point)")
            #expect(
                try fixture.git("status", "--porcelain", "--untracked-files=all").isEmpty, "killed at \(point)")
            #expect(
                try fixture.git("show", "HEAD:models/churn/stages.yaml").contains("production: 1.1.0"),
                "killed at \(point): the next promote did not land")
        }
        for step in [
            "promote: commit created, nothing else changed", "working tree: files written, index not",
            "working tree: index written", "promote: branch moved, journal not finished",
        ] {
            #expect(points.contains(step), "\(points)")
        }
        #expect(landed > 0 && landed < points.count, "\(points)")
    }

    /// A kill inside libgit2's own reference or index update (no crash point reaches in there) can leave its
    /// lock file, as git's can: the next promote says so plainly instead of reporting a race.
    @Test(arguments: [
        (".git/index.lock", "index.lock exists: another git or modelgate is writing the index"),
        (
            ".git/refs/heads/main.lock",
            "main.lock exists: another git or modelgate is updating refs/heads/main, or one was killed mid-update"
        ),
    ])
    func aStaleLockIsNamed(_ lock: String, _ message: String) throws {
        let fixture = try FixtureRegistry()
        try Data().write(to: fixture.url.appendingPathComponent(lock))
        let result = try fixture.modelgate("promote", "churn@1.1.0", "--to", "production")
        #expect(result.status == 3)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        try FileManager.default.removeItem(at: fixture.url.appendingPathComponent(lock))
        #expect(try fixture.modelgate("promote", "churn@1.1.0", "--to", "production", "--quiet").status == 0)
    }
}

import Foundation
import ModelGateTestSupport
import Testing

/// SIGKILL at random moments: what modelgate writes is either the old state or the complete new one, never
/// a half-written file, folder or commit.
@Suite("Crash safety") struct CrashSafetyTests {
    /// Starts `arguments`, kills it with SIGKILL after a random delay in `0..<window`, and waits; returns
    /// whether it had already finished.
    static func killAtRandom(
        _ arguments: [String], in directory: URL, window: TimeInterval,
        using generator: inout some RandomNumberGenerator
    ) throws -> Bool {
        let process = Process()
        process.executableURL = Shell.modelgateBinary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(UInt32(Double.random(in: 0..<window, using: &generator) * 1_000_000))
        let finished = !process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return finished
    }

    /// The kill moments' generator: seeded from `MODELGATE_KILL_SEED`, else at random; the seed is printed so
    /// that a failing run can be replayed.
    static func generator(_ test: String) -> SplitMix {
        let seed =
            ProcessInfo.processInfo.environment["MODELGATE_KILL_SEED"].flatMap(UInt64.init)
            ?? UInt64.random(in: 0...UInt64.max)
        print("\(test): kill moments from MODELGATE_KILL_SEED=\(seed)")
        return SplitMix(seed: seed)
    }

    /// How long `arguments` takes once (the window the kills are spread over).
    /// The slowest of three runs: kills drawn from a window measured on one quick run all landed before the
    /// write when the machine got busier afterwards, and the test then tested nothing.
    static func duration(_ arguments: [String], in directory: URL) throws -> TimeInterval {
        try (0..<3).map { _ in
            let start = Date()
            _ = try Shell.modelgate(arguments, in: directory)
            return Date().timeIntervalSince(start)
        }.max()!
    }

    func example() throws -> (ScratchDirectory, URL) {
        let scratch = ScratchDirectory("modelgate-kill")
        #expect(try Shell.modelgate(["init", "registry", "--example", "--quiet"], in: scratch.url).status == 0)
        return (scratch, scratch.url.appendingPathComponent("registry"))
    }

    @Test func bundleKilledAnywhereLeavesTheOldBundleOrTheNewOne() throws {
        var generator = Self.generator("bundle")
        let (scratch, registry) = try example()
        let out = scratch.url.appendingPathComponent("out").path
        // The two complete states --out may hold: the kubernetes bundle and the compose one.
        let oldArguments = ["bundle", "churn", "--stage", "production", "--out", out, "--force-overwrite"]
        let newArguments = oldArguments + ["--target", "compose"]
        let window = try Self.duration(newArguments, in: registry) * 1.5
        var finished = 0
        for round in 0..<30 {
            let fresh = round.isMultiple(of: 3)
            try? FileManager.default.removeItem(atPath: out)
            if !fresh { #expect(try Shell.modelgate(oldArguments, in: registry).status == 0) }
            if try Self.killAtRandom(newArguments, in: registry, window: window, using: &generator) { finished += 1 }
            guard FileManager.default.fileExists(atPath: out) else {
                #expect(fresh, "round \(round): the old bundle vanished")
                continue
            }
            let asNew = try Shell.modelgate(
                ["bundle", "churn", "--stage", "production", "--target", "compose", "--check", out], in: registry)
            let asOld = try Shell.modelgate(["bundle", "churn", "--stage", "production", "--check", out], in: registry)
            #expect(
                asNew.status == 0 || asOld.status == 0,
                "round \(round): a partial bundle\n\(asNew.stdout)\(asOld.stdout)")
        }
        #expect(finished < 30, "every run finished before its kill: the kills tested nothing")
    }

    @Test func checkOutputKilledAnywhereIsTheOldReportOrTheNewOne() throws {
        var generator = Self.generator("check --output")
        let (scratch, registry) = try example()
        let output = scratch.url.appendingPathComponent("report.json")
        let old = Data("{\"old\": true}\n".utf8)
        let arguments = ["check", "--base", "HEAD~1", "--format", "json", "--output", output.path]
        let window = try Self.duration(arguments, in: registry) * 1.5
        var interrupted = 0
        for round in 0..<30 {
            try old.write(to: output)
            _ = try Self.killAtRandom(arguments, in: registry, window: window, using: &generator)
            let written = try Data(contentsOf: output)
            if written == old {
                interrupted += 1
                continue
            }
            let report = try? JSONSerialization.jsonObject(with: written) as? [String: Any]
            #expect(
                report?["verdict"] as? String == "pass", "round \(round): a partial report of \(written.count) bytes")
        }
        #expect(interrupted > 0 && interrupted < 30, "the kills must land both before and after the write")
    }

    @Test func promoteKilledAnywhereLeavesTheOldTipOrACompleteCommit() throws {
        var generator = Self.generator("promote")
        let arguments = ["promote", "churn@1.1.0", "--to", "production", "--quiet"]
        let timing = try FixtureRegistry()
        let window = try Self.duration(arguments, in: timing.url) * 1.5
        var landed = 0
        var staleLocks = 0
        var ahead = 0
        // One registry, promoted and put back each round: 200 kills in about a minute.
        let fixture = try FixtureRegistry()
        let start = try fixture.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let stages = fixture.url.appendingPathComponent("models/churn/stages.yaml")
        let rounds = 200
        for round in 0..<rounds {
            _ = try fixture.git("reset", "-q", "--hard", start)
            let tip = start
            _ = try Self.killAtRandom(arguments, in: fixture.url, window: window, using: &generator)
            let now = try fixture.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
            let onDisk = try String(contentsOf: stages, encoding: .utf8)
            if now != tip {
                landed += 1
                #expect(
                    try fixture.git("rev-parse", "HEAD~1").trimmingCharacters(in: .whitespacesAndNewlines) == tip,
                    "round \(round)")
                #expect(
                    try fixture.git("show", "HEAD:models/churn/stages.yaml").contains("production: 1.1.0"),
                    "round \(round)")
                // Landed: the files were written first, so nothing staged or modified would revert it.
                #expect(onDisk.contains("production: 1.1.0"), "round \(round): the working tree reverts the promotion")
                #expect(
                    try fixture.git("status", "--porcelain", "--untracked-files=no").isEmpty,
                    "round \(round): the index or working tree differs from the landed promotion")
            } else if onDisk.contains("production: 1.1.0") {
                // Not landed, the files already the new commit's: a `git commit -a` would promote, not revert.
                ahead += 1
            }
            #expect(try fixture.git("fsck", "--strict", "--no-dangling").isEmpty, "round \(round)")
            // A kill inside libgit2's reference or index update can leave its lock, as it can git's: the next
            // promote must say so plainly instead of reporting a race.
            let locks = [
                (".git/index.lock", "index.lock exists: another git or modelgate is writing the index"),
                (
                    ".git/refs/heads/main.lock",
                    "main.lock exists: another git or modelgate is updating refs/heads/main, or one was killed mid-update"
                ),
            ]
            for (path, message) in locks {
                let lock = fixture.url.appendingPathComponent(path)
                guard FileManager.default.fileExists(atPath: lock.path) else { continue }
                staleLocks += 1
                let next = try fixture.modelgate("promote", "churn@1.1.0", "--to", "production")
                #expect(next.status == 3, "round \(round)")
                #expect(next.stderr.contains(message), "round \(round): \(next.stderr)")
                try FileManager.default.removeItem(at: lock)
            }
            // Whatever the kill left, the next promote repairs it: nothing staged or modified would revert
            // the landed promotion at the next `git commit`.
            _ = try fixture.modelgate("promote", "churn@1.1.0", "--to", "production", "--quiet")
            #expect(try fixture.git("diff", "--cached", "--name-only").isEmpty, "round \(round)")
            #expect(try fixture.git("status", "--porcelain", "--untracked-files=all").isEmpty, "round \(round)")
        }
        #expect(landed < rounds, "every promotion finished before its kill: the kills tested nothing")
        print(
            "promote killed \(rounds) times: \(landed) landed, \(rounds - landed) did not (\(ahead) with the new files already written), \(staleLocks) left a stale lock"
        )
    }
}

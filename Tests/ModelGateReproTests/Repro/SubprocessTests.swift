import Foundation
import ModelGateSupport
import Testing

@testable import ModelGateRepro

@Suite("Subprocess")
struct SubprocessTests {
    @Test func linesArriveByStreamAndTheExitStatusIsReturned() throws {
        var lines: [(Subprocess.Stream, String)] = []
        let outcome = try Subprocess(["/bin/sh", "-c", "echo one; echo two >&2; printf three; exit 3"]).run {
            lines.append(($0, $1))
        }
        #expect(outcome == .exited(3))
        #expect(lines.filter { $0.0 == .output }.map(\.1) == ["one", "three"])
        #expect(lines.filter { $0.0 == .error }.map(\.1) == ["two"])
    }

    @Test func theEnvironmentAndWorkingDirectoryAreTheGivenOnes() throws {
        var output: [String] = []
        let outcome = try Subprocess(
            ["/bin/sh", "-c", "pwd; echo \"$ONLY\"; echo \"${HOME:-unset}\""], environment: ["ONLY": "this"],
            workingDirectory: URL(fileURLWithPath: "/tmp")
        ).run { _, line in output.append(line) }
        #expect(outcome == .exited(0))
        #expect(output == ["/tmp", "this", "unset"])
    }

    @Test func aSignalATimeoutAndAStopAreTold() throws {
        #expect(try Subprocess(["/bin/sh", "-c", "kill -TERM $$"]).run() == .signalled(SIGTERM))
        var slow = Subprocess(["/bin/sh", "-c", "sleep 30"])
        slow.timeout = 0.3
        #expect(try slow.run() == .timedOut)
        var stopped = Subprocess(["/bin/sh", "-c", "sleep 30"])
        stopped.shouldStop = { true }
        #expect(try stopped.run() == .interrupted)
    }

    @Test func longLinesAreSplitAndProgramsAreFoundOnPath() throws {
        var lengths: [Int] = []
        let count = Subprocess.maximumLineBytes + 10
        _ = try Subprocess(["/bin/sh", "-c", "head -c \(count) /dev/zero | tr '\\\\0' x; echo"]).run {
            lengths.append($1.utf8.count)
        }
        #expect(lengths == [Subprocess.maximumLineBytes, 10])
        #expect(try Subprocess.locate("sh", path: "/nonexistent:/bin") == "/bin/sh")
        #expect(throws: ModelGateError.self) { try Subprocess.locate("no-such-program", path: "/bin") }
        #expect(throws: ModelGateError.self) { try Subprocess([]).run() }
    }
}

import Foundation
import Synchronization

/// The moments between the steps of a write where a test has the process killed, so that a crash test
/// visits every such moment once instead of killing at random times (which land where the machine's speed
/// puts them).
///
/// With `MODELGATE_CRASH_AT=N` in the environment, the N-th point reached (counted over all threads)
/// writes `modelgate: killed at <name>` to standard error and sends SIGKILL to its own process: no handler,
/// no cleanup, as a power cut or the OOM killer would. A run that reaches fewer than N points finishes
/// normally, which tells the test it has visited them all. Without the variable a point costs one check.
/// (Whoever can set the environment of a modelgate process can kill it anyway.)
public enum CrashPoint {
    private static let target: Int? = ProcessInfo.processInfo.environment["MODELGATE_CRASH_AT"].flatMap(Int.init)
    private static let reached = Atomic<Int>(0)

    /// Marks that the step before `name` is complete and the one after it has not begun.
    public static func reach(_ name: StaticString) {
        guard let target else { return }
        let count = reached.add(1, ordering: .sequentiallyConsistent).newValue
        guard count == target else { return }
        FileHandle.standardError.write(Data("modelgate: killed at \(name)\n".utf8))
        kill(getpid(), SIGKILL)
        // SIGKILL cannot be caught; nothing past this line runs.
        while true { pause() }
    }
}

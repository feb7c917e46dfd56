/// The process exit codes of every modelgate command.
public enum ExitStatus: Int32, Sendable, Comparable {
    /// Success, or the gate passed.
    case success = 0
    /// The gate or check failed: a verdict, not an error.
    case verdictFailed = 1
    /// Bad input: usage, an unreadable or invalid file, an unknown model, version, stage or ref.
    case badInput = 2
    /// The environment failed: I/O, libgit2, a command that could not start.
    case environmentFailed = 3

    public static func < (lhs: ExitStatus, rhs: ExitStatus) -> Bool { lhs.rawValue < rhs.rawValue }
}

internal import CGit2
import ModelGateSupport

/// A failure reported by libgit2, keeping its return code, error class and message.
public struct GitError: Error, Sendable, CustomStringConvertible {
    /// libgit2's return code (`GIT_ENOTFOUND` is -3, `GIT_EMODIFIED` -15, …).
    public var code: Int32
    /// libgit2's error class (`GIT_ERROR_REFERENCE`, `GIT_ERROR_ODB`, …), 0 when none was set.
    public var errorClass: Int32
    public var message: String

    public init(code: Int32, errorClass: Int32, message: String) {
        self.code = code
        self.errorClass = errorClass
        self.message = message
    }

    /// The error libgit2 recorded on this thread for the return code `code`.
    static func last(_ code: Int32, _ context: String) -> GitError {
        if let error = git_error_last() {
            let message = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
            return GitError(code: code, errorClass: error.pointee.klass, message: "\(context): \(message)")
        }
        return GitError(code: code, errorClass: 0, message: "\(context): libgit2 error \(code)")
    }

    public var isNotFound: Bool { code == GIT_ENOTFOUND.rawValue }
    /// The repository belongs to another user, and libgit2 refuses it as git's `safe.directory` check does.
    public var isOwnedByAnotherUser: Bool { code == GIT_EOWNER.rawValue || message.contains("safe.directory") }
    /// A reference moved under us (compare-and-swap lost) or its lock file was held by another writer.
    public var isConcurrentUpdate: Bool { code == GIT_EMODIFIED.rawValue || code == GIT_ELOCKED.rawValue }
    /// A lock file (`<ref>.lock`, `index.lock`) is held by someone else.
    public var isLocked: Bool { code == GIT_ELOCKED.rawValue }

    public var description: String { message }
}

/// Throws the libgit2 error for a negative return code.
func check(_ code: Int32, _ context: @autoclosure () -> String) throws(GitError) {
    if code < 0 { throw GitError.last(code, context()) }
}

/// libgit2's global state, set up once per process before any other call.
enum GitLibrary {
    private static let initialized: Bool = {
        git_libgit2_init()
        _ = modelgate_git_trust_object_ids()
        return true
    }()

    static func ensureInitialized() { _ = initialized }
}

import Foundation

/// Writes files so that a reader sees the old bytes or the new ones, never a part: a temporary
/// sibling, flushed, then renamed into place; and never through a symbolic link.
public enum AtomicFile {
    /// Writes `data` to `url`, reached from `root` without following a link (`ConfinedPath`); without a
    /// root, `url` is a path the user gave. `permissions` sets the mode of the new file before any byte
    /// is written.
    public static func write(_ data: Data, to url: URL, under root: URL? = nil, permissions: Int? = nil) throws {
        let path = try root.map { try ConfinedPath(url, under: $0) } ?? ConfinedPath(file: url)
        try path.write(data, permissions: permissions.map { mode_t($0) })
    }

    public static func write(_ text: String, to url: URL, under root: URL? = nil) throws {
        try write(Data(text.utf8), to: url, under: root)
    }
}

/// The text of the current `errno`.
public func errnoMessage() -> String { String(cString: strerror(errno)) }

/// Runs `body` while holding an exclusive `flock` on `url` (created if need be, never removed), waiting up
/// to `timeout` seconds for another holder. The lock dies with its holder: a killed process leaves no stale
/// lock behind.
public func withFileLock<T>(_ url: URL, timeout: TimeInterval = 30, _ body: () throws -> T) throws -> T {
    let descriptor = open(url.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
        throw ModelGateError.environment("cannot open the lock \(url.path): \(errnoMessage())")
    }
    defer { close(descriptor) }
    let deadline = Date().addingTimeInterval(timeout)
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
        guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
            throw ModelGateError.environment(
                "another modelgate holds \(url.path) (waited \(Int(timeout))s): \(errnoMessage())")
        }
        usleep(2_000)
    }
    return try body()
}

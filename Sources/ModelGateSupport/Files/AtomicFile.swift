import Foundation

/// Writes files so that a reader sees the old bytes or the new ones, never a part: a temporary
/// sibling, flushed, then renamed into place.
public enum AtomicFile {
    /// Writes `data` to `url`; `permissions` sets the mode of a new file before any byte is written.
    public static func write(_ data: Data, to url: URL, permissions: Int? = nil) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let attributes = permissions.map { [FileAttributeKey.posixPermissions: NSNumber(value: $0)] }
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: attributes) else {
            throw ModelGateError.environment("cannot write \(temporary.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, url.path) == 0 else {
                throw ModelGateError.environment("cannot move \(temporary.path) to \(url.path): \(errnoMessage())")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if error is ModelGateError { throw error }
            throw ModelGateError.environment("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
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

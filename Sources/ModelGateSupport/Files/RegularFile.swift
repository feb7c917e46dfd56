import Foundation

/// Opens a file for reading only when it is a regular file: a FIFO, a device (`/dev/zero`) or a socket is
/// refused at once, never read forever. Opened without blocking, so a FIFO with no writer cannot hang the
/// open itself.
public enum RegularFile {
    /// A read-only descriptor of the regular file at `path` (following a link the user named); the caller
    /// closes it.
    public static func open(_ path: String) throws -> Int32 {
        let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            if errno == ENOENT { throw ModelGateError.badInput("no such file: \(Escape.control(path))") }
            throw ModelGateError.environment("cannot open \(Escape.control(path)): \(errnoMessage())")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw ModelGateError.badInput(
                "\(Escape.control(path)) is not a regular file (a FIFO, device or socket is never read)")
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return descriptor
    }

    /// The bytes of the regular file at `path`.
    public static func read(_ path: String) throws -> Data {
        let descriptor = try open(path)
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw ModelGateError.environment("cannot read \(Escape.control(path)): \(error.localizedDescription)")
        }
    }
}

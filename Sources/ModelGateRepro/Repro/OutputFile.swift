import Foundation
import ModelGateSupport

/// What a training wrote, read with suspicion: only a regular file inside the scratch tree, opened without
/// following a link and without blocking (a FIFO or a device never stalls modelgate), and of bounded size.
enum OutputFile {
    /// Why an output was refused.
    struct Problem: Error {
        var message: String
    }

    /// The bytes of the output at `url`.
    static func read(_ url: URL, inside scratch: URL, maximumBytes: Int64) throws -> Data {
        try withOpened(url, inside: scratch, maximumBytes: maximumBytes) { descriptor, size in
            var data = Data(count: Int(size))
            let count = data.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, Int(size)) }
            guard count == Int(size) else { throw Problem(message: "could not be read whole") }
            return data
        }
    }

    /// The hex SHA-256 of the output at `url`.
    static func hash(_ url: URL, inside scratch: URL, maximumBytes: Int64) throws -> String {
        try withOpened(url, inside: scratch, maximumBytes: maximumBytes) { descriptor, _ in
            let hasher = FileHasher()
            return try hasher.hash(descriptor: descriptor, path: url.path)
        }
    }

    private static func withOpened<T>(
        _ url: URL, inside scratch: URL, maximumBytes: Int64, _ body: (Int32, Int64) throws -> T
    )
        throws -> T
    {
        var status = stat()
        guard lstat(url.path, &status) == 0 else { throw Problem(message: "the training command wrote no such file") }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw Problem(message: "is not a regular file (a link, FIFO, device or folder); refused")
        }
        let root = scratch.resolvingSymlinksInPath().path + "/"
        guard url.resolvingSymlinksInPath().path.hasPrefix(root) else {
            throw Problem(message: "resolves outside the scratch tree; refused")
        }
        let descriptor = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw Problem(message: "cannot be opened: \(errnoMessage())") }
        defer { close(descriptor) }
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw Problem(message: "is not a regular file; refused")
        }
        guard Int64(status.st_size) <= maximumBytes else {
            throw Problem(message: "is \(status.st_size) bytes, more than the limit of \(maximumBytes)")
        }
        return try body(descriptor, Int64(status.st_size))
    }
}

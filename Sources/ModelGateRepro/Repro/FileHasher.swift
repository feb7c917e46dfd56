import Crypto
import Foundation
import ModelGateSupport

/// SHA-256 of files and folders as manifests record them: raw bytes (equal to `sha256sum`), and for a
/// folder the SHA-256 of its listing, one `<sha256>  <relative path>\n` per file sorted by the path's UTF-8
/// bytes. Reads with `read(2)` into one reused 1 MiB buffer per hasher (one per worker), freed with it; a
/// folder's files are hashed by a thread per core, each file opened relative to the folder.
public final class FileHasher {
    public static let bufferSize = 1 << 20

    private let buffer: UnsafeMutableRawBufferPointer

    public init() {
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferSize, alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// The hex SHA-256 of one regular file.
    public func hashFile(at path: String) throws -> String {
        let descriptor = try RegularFile.open(path)
        defer { close(descriptor) }
        return try hash(descriptor: descriptor, path: path)
    }

    /// The hex SHA-256 of what remains to be read from an open file; `path` names it in errors.
    public func hash(descriptor: Int32, path: String) throws -> String {
        Hex.encode(try digest(descriptor: descriptor, size: nil, path: path))
    }

    /// The SHA-256 of what remains to be read from an open file. With the file's `size` known, reading
    /// stops once that many bytes are in: a small file takes one `read`.
    func digest(descriptor: Int32, size: Int?, path: @autoclosure () -> String) throws -> SHA256.Digest {
        if (size ?? Self.bufferSize) >= Self.bufferSize { _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL) }
        var hasher = SHA256()
        var total = 0
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw ModelGateError.environment("cannot read \(path()): \(errnoMessage())")
            }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            total += count
            if total == size { break }
        }
        return hasher.finalize()
    }

    /// The hex SHA-256 of a file, or of a folder's listing.
    public func hash(at path: String) throws -> String {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT { throw ModelGateError.badInput("no such file: \(Escape.control(path))") }
            throw ModelGateError.environment("cannot read \(Escape.control(path)): \(errnoMessage())")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else { return try hashFile(at: path) }
        return try Self.hashFolder(path)
    }

    /// The hex SHA-256 of a folder's listing, its files hashed by a thread per core.
    static func hashFolder(_ path: String) throws -> String {
        let listing = try FolderListing(folder: path)
        let root = listing.root
        let digests = listing.bytes.withUnsafeBufferPointer { bytes in
            let paths = listing.paths
            return Concurrently.map(
                paths.count, workers: ProcessInfo.processInfo.activeProcessorCount, state: { _ in FileHasher() }
            ) { hasher, index -> Result<SHA256.Digest, ModelGateError> in
                // Force unwrap: the path table is non-empty: it holds this path.
                let relative = UnsafeRawPointer(bytes.baseAddress! + paths[index].lowerBound)
                    .assumingMemoryBound(to: CChar.self)
                do {
                    return .success(try hasher.digest(at: relative, under: root, folder: path))
                } catch let error as ModelGateError {
                    return .failure(error)
                } catch {
                    return .failure(.environment("\(path): \(error)"))
                }
            }
        }
        var text: [UInt8] = []
        text.reserveCapacity(listing.bytes.count + listing.paths.count * 67)
        for (index, result) in digests.enumerated() {
            try result.get().withUnsafeBytes { Hex.append(raw: $0, to: &text) }
            text.append(contentsOf: [0x20, 0x20])
            text.append(contentsOf: listing.bytes[listing.paths[index]])
            text.append(0x0A)
        }
        return Hex.encode(SHA256.hash(data: text))
    }

    /// The SHA-256 of the regular file at `relative` below the open folder `root`: opened without
    /// following a link and without blocking, refused unless regular, read to its size.
    func digest(at relative: UnsafePointer<CChar>, under root: Int32, folder: String) throws -> SHA256.Digest {
        func named() -> String { "\(folder)/\(Escape.control(String(cString: relative)))" }
        let descriptor = openat(root, relative, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else { throw ModelGateError.environment("cannot open \(named()): \(errnoMessage())") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw ModelGateError.badInput("\(named()) is no longer a regular file")
        }
        return try digest(descriptor: descriptor, size: Int(status.st_size), path: named())
    }

    /// Hashes every path, files in parallel (results in the order of `paths`).
    public static func hashAll(_ paths: [String]) -> [Result<String, ModelGateError>] {
        Concurrently.map(
            paths.count, workers: ProcessInfo.processInfo.activeProcessorCount, state: { _ in FileHasher() }
        ) { hasher, index in
            do {
                return .success(try hasher.hash(at: paths[index]))
            } catch let error as ModelGateError {
                return .failure(error)
            } catch {
                return .failure(.environment("\(paths[index]): \(error)"))
            }
        }
    }
}

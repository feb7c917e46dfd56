import Crypto
import Foundation

/// SHA-256 of files and folders as manifests record them: raw bytes (equal to `sha256sum`), and for a
/// folder the SHA-256 of its listing, one `<sha256>  <relative path>\n` per file sorted by the path's UTF-8
/// bytes. Reads with `read(2)` into one reused 1 MiB buffer per hasher (one per worker), freed with it.
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
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        var hasher = SHA256()
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw ModelGateError.environment("cannot read \(path): \(errnoMessage())")
            }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return Hex.encode(hasher.finalize())
    }

    /// The hex SHA-256 of a file, or of a folder's listing.
    public func hash(at path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ModelGateError.badInput("no such file: \(path)")
        }
        guard isDirectory.boolValue else { return try hashFile(at: path) }
        let files = try Self.regularFiles(under: path)
        let listing = try files.map { "\(try hashFile(at: path + "/" + $0))  \($0)\n" }.joined()
        return Hex.encode(SHA256.hash(data: Data(listing.utf8)))
    }

    /// Relative paths of the regular files below `root`, sorted by UTF-8 bytes; symbolic links are refused.
    static func regularFiles(under root: String) throws -> [String] {
        var result: [String] = []
        func walk(_ directory: String, _ prefix: String) throws {
            for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
                let full = directory + "/" + name
                let relative = prefix.isEmpty ? name : prefix + "/" + name
                let type = try FileManager.default.attributesOfItem(atPath: full)[.type] as? FileAttributeType
                switch type {
                case .typeDirectory?: try walk(full, relative)
                case .typeRegular?: result.append(relative)
                case .typeSymbolicLink?:
                    throw ModelGateError.badInput(
                        "\(relative) in \(root) is a symbolic link; data folders hold regular files only")
                default: break
                }
            }
        }
        try walk(root, "")
        return result.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
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

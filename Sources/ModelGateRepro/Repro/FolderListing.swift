import Foundation
import ModelGateSupport

/// The regular files below a data folder, in the order a folder hash lists them: by the bytes of their
/// relative paths. Found with `openat`/`fdopendir`/`readdir` relative to each folder, the file type taken
/// from the directory entry (`fstatat` only where the file system gives none), every path's bytes in one
/// buffer: no `String` and no Foundation enumeration per file. A symbolic link anywhere below is refused;
/// FIFOs, devices and sockets are left out, as they always were.
struct FolderListing: ~Copyable {
    /// The folder, open: files are opened relative to it.
    let root: Int32
    /// The relative paths, each followed by a NUL so that `openat` takes it as it is.
    private(set) var bytes: [UInt8] = []
    /// Where each path lies in `bytes` (its NUL excluded), sorted by the paths' bytes.
    private(set) var paths: [Range<Int>] = []

    init(folder: String) throws {
        root = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { throw ModelGateError.environment("cannot open \(folder): \(errnoMessage())") }
        var prefix: [UInt8] = []
        do {
            try walk(dup(root), prefix: &prefix, folder: folder)
        } catch {
            close(root)
            throw error
        }
        bytes.withUnsafeBufferPointer { bytes in
            paths.sort { Self.precedes(bytes, $0, $1) }
        }
    }

    deinit { close(root) }

    /// Adds the regular files below `directory` (an open descriptor this call closes) whose relative path
    /// starts with `prefix`.
    ///
    /// Long on purpose: the iterative walk with its open descriptors, refusing links as it goes.
    private mutating func walk(_ directory: Int32, prefix: inout [UInt8], folder: String) throws {
        guard directory >= 0, let stream = fdopendir(directory) else {
            if directory >= 0 { close(directory) }
            throw ModelGateError.environment(
                "cannot read \(folder)/\(String(decoding: prefix, as: UTF8.self)): \(errnoMessage())")
        }
        defer { closedir(stream) }
        let descriptor = dirfd(stream)
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 {
                    throw ModelGateError.environment(
                        "cannot read \(folder)/\(String(decoding: prefix, as: UTF8.self)): \(errnoMessage())")
                }
                return
            }
            let type = entry.pointee.d_type
            try withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                try tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                    name in
                    let length = strlen(name)
                    let nameBytes = UnsafeRawBufferPointer(start: name, count: length).bindMemory(to: UInt8.self)
                    if nameBytes.elementsEqual([0x2E]) || nameBytes.elementsEqual([0x2E, 0x2E]) { return }
                    var kind = type
                    if kind == UInt8(DT_UNKNOWN) {
                        var status = stat()
                        guard fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else {
                            throw ModelGateError.environment(
                                "cannot read \(folder)/\(String(decoding: prefix + nameBytes, as: UTF8.self)): \(errnoMessage())"
                            )
                        }
                        switch status.st_mode & S_IFMT {
                        case S_IFDIR: kind = UInt8(DT_DIR)
                        case S_IFREG: kind = UInt8(DT_REG)
                        case S_IFLNK: kind = UInt8(DT_LNK)
                        default: return
                        }
                    }
                    switch kind {
                    case UInt8(DT_REG):
                        let start = bytes.count
                        bytes.append(contentsOf: prefix)
                        bytes.append(contentsOf: nameBytes)
                        paths.append(start..<bytes.count)
                        bytes.append(0)
                    case UInt8(DT_DIR):
                        let mark = prefix.count
                        prefix.append(contentsOf: nameBytes)
                        prefix.append(UInt8(ascii: "/"))
                        defer { prefix.removeSubrange(mark...) }
                        try walk(
                            openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), prefix: &prefix,
                            folder: folder)
                    case UInt8(DT_LNK):
                        throw ModelGateError.badInput(
                            "\(Escape.control(String(decoding: prefix + nameBytes, as: UTF8.self))) in \(folder) is a symbolic link; "
                                + "data folders hold regular files only")
                    default: return
                    }
                }
            }
        }
    }

    /// Whether the path at `a` sorts before the one at `b`, by bytes.
    private static func precedes(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        // Force unwrap: the listing's buffer holds both paths, so it is not empty.
        let base = bytes.baseAddress!
        let order = memcmp(base + a.lowerBound, base + b.lowerBound, min(a.count, b.count))
        return order != 0 ? order < 0 : a.count < b.count
    }
}

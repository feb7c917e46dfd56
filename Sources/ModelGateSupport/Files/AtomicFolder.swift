internal import CSystem
import Foundation

/// Writes a folder so that a reader sees the old folder or the new one, never a part: every file goes into
/// a temporary sibling, which is renamed into place at the end, or swapped with the old folder in one
/// atomic `renameat2(RENAME_EXCHANGE)`.
public enum AtomicFolder {
    /// The names in the folder at `target`, to decide whether it may be replaced; nil when nothing is there.
    /// A file there is refused: a folder can replace only a folder.
    public static func entries(at target: URL) throws -> [String]? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isFolder) else { return nil }
        guard isFolder.boolValue else { throw ModelGateError.badInput("\(target.path) is a file, not a folder") }
        return try FileManager.default.contentsOfDirectory(atPath: target.path)
    }

    /// Writes `files` (relative path -> bytes, each with `mode`) as folder `target`, replacing the folder
    /// there when `replacing` (the caller has decided it may).
    /// A link on the way to `target` (from `root`, else from where the user's path starts) is refused
    /// before anything is written.
    public static func install(
        _ files: [String: Data], at target: URL, under root: URL? = nil, replacing: Bool, mode: UInt32 = 0o644
    ) throws {
        let paths = files.keys.sorted()
        // Force unwrap: `paths` are the keys of `files`.
        try install(paths: paths, at: target, under: root, replacing: replacing, mode: mode) { files[paths[$0]]! }
    }

    /// Writes the files at `paths` (relative, each with `mode`) as folder `target`, as `install(_:at:…)`
    /// does, asking `contents` for the bytes of `paths[index]` only when that file is written: many files
    /// are made and written on every core, and no file's bytes are held longer than its writing.
    /// `contents` is called from several threads at once.
    public static func install(
        paths: [String], at target: URL, under root: URL? = nil, replacing: Bool, mode: UInt32 = 0o644,
        contents: (Int) -> Data
    ) throws {
        try (root.map { try ConfinedPath(target, under: $0) } ?? ConfinedPath(file: target)).refuseLinks()
        let manager = FileManager.default
        let parent = target.deletingLastPathComponent()
        try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).modelgate-\(UUID().uuidString)")
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            try write(paths, contents, into: staging.path, mode: mode)
            CrashPoint.reach("folder: staged, not moved")
            if replacing {
                // Filesystems without RENAME_EXCHANGE get two renames (a moment with the old folder beside,
                // not in, place).
                if modelgate_exchange(staging.path, target.path) != 0 {
                    guard errno == EINVAL || errno == ENOSYS else {
                        throw ModelGateError.environment(
                            "cannot move the new folder into \(target.path): \(errnoMessage())")
                    }
                    let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(UUID().uuidString)")
                    try manager.moveItem(at: target, to: old)
                    CrashPoint.reach("folder: old one moved aside")
                    try manager.moveItem(at: staging, to: target)
                    CrashPoint.reach("folder: new one moved in, old one not removed")
                    removeAll(old)
                } else {
                    CrashPoint.reach("folder: exchanged, old one not removed")
                    removeAll(staging)
                }
            } else {
                guard rename(staging.path, target.path) == 0 else {
                    throw ModelGateError.environment(
                        "cannot move the new folder into \(target.path): \(errnoMessage())")
                }
                CrashPoint.reach("folder: renamed into place")
            }
        } catch {
            try? manager.removeItem(at: staging)
            if error is ModelGateError { throw error }
            throw ModelGateError.environment("cannot write \(target.path): \(error.localizedDescription)")
        }
    }

    /// Removes the old folder `folder` and everything in it, as far as it can: a folder holding a site's
    /// 11,000 pages takes as long to remove as to write, so the entries two levels down are removed on
    /// every core. Links are removed, never followed.
    private static func removeAll(_ folder: URL) {
        let manager = FileManager.default
        func entries(_ folder: String) -> [String] {
            ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).map { folder + "/" + $0 }
        }
        func isFolder(_ path: String) -> Bool {
            var status = stat()
            return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
        }
        let items = entries(folder.path).flatMap { isFolder($0) ? entries($0) : [$0] }
        let workers = items.count < 256 ? 1 : ProcessInfo.processInfo.activeProcessorCount
        _ = Concurrently.map(items.count, workers: workers, state: { _ in () }) { _, index in
            try? FileManager.default.removeItem(atPath: items[index])
        }
        try? manager.removeItem(at: folder)
    }

    /// Writes every file into the fresh staging folder `root` (no file is there yet, no link on the way: the
    /// folder is this process's own): each folder made once, then the files, created exclusively and written
    /// with plain system calls, on every core when there are many. Nothing is flushed file by file: the
    /// folder becomes visible only by the rename.
    private static func write(_ paths: [String], _ contents: (Int) -> Data, into root: String, mode: UInt32) throws {
        var folders: Set<Substring> = [""]
        for path in paths {
            var folder = path[..<(path.lastIndex(of: "/") ?? path.startIndex)]
            var missing: [Substring] = []
            while !folders.contains(folder) {
                missing.append(folder)
                folder = folder[..<(folder.lastIndex(of: "/") ?? folder.startIndex)]
            }
            for created in missing.reversed() {
                guard mkdir(root + "/" + created, 0o755) == 0 || errno == EEXIST else {
                    throw ModelGateError.environment("cannot create \(root)/\(created): \(errnoMessage())")
                }
                folders.insert(created)
            }
        }
        let workers = paths.count < 256 ? 1 : ProcessInfo.processInfo.activeProcessorCount
        let failures = Concurrently.map(paths.count, workers: workers, state: { _ in () }) { _, index in
            writeFile(contents(index), at: root + "/" + paths[index], mode: mode)
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw ModelGateError.environment(failure) }
    }

    /// Creates `path` and writes `data` into it; the problem, if any.
    private static func writeFile(_ data: Data, at path: String, mode: UInt32) -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode_t(mode))
        guard descriptor >= 0 else { return "cannot write \(path): \(errnoMessage())" }
        defer { close(descriptor) }
        // The mode as asked, whatever the umask.
        guard fchmod(descriptor, mode_t(mode)) == 0 else {
            return "cannot set the mode of \(path): \(errnoMessage())"
        }
        return data.withUnsafeBytes { buffer -> String? in
            var offset = 0
            while offset < buffer.count {
                // Force unwrap: the loop runs only while bytes remain, so the buffer has an address.
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return "cannot write \(path): \(errnoMessage())" }
                offset += written
            }
            return nil
        }
    }
}

#if canImport(Glibc)
    import Glibc
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    import Darwin
    private let systemWrite = Darwin.write
#endif

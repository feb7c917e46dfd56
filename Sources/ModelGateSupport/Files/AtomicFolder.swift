internal import CSystem
import Foundation

/// Writes a folder so that a reader sees the old folder or the new one, never a part: every file goes into
/// a temporary sibling, which is renamed into place at the end, or swapped with the old folder in one
/// atomic `renameat2(RENAME_EXCHANGE)`.
public enum AtomicFolder {
    /// Writes `files` (relative path -> bytes, each with `mode`) as folder `target`, replacing the folder
    /// there when `replacing` (the caller has decided it may).
    /// A link on the way to `target` (from `root`, else from where the user's path starts) is refused
    /// before anything is written.
    public static func install(
        _ files: [String: Data], at target: URL, under root: URL? = nil, replacing: Bool, mode: UInt32 = 0o644
    ) throws {
        try (root.map { try ConfinedPath(target, under: $0) } ?? ConfinedPath(file: target)).refuseLinks()
        let manager = FileManager.default
        let parent = target.deletingLastPathComponent()
        try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).modelgate-\(UUID().uuidString)")
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            for path in files.keys.sorted() {
                let url = staging.appendingPathComponent(path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard manager.createFile(atPath: url.path, contents: files[path], attributes: [.posixPermissions: mode])
                else {
                    throw ModelGateError.environment("cannot write \(url.path)")
                }
            }
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
                    try manager.moveItem(at: staging, to: target)
                    try? manager.removeItem(at: old)
                } else {
                    try? manager.removeItem(at: staging)
                }
            } else {
                guard rename(staging.path, target.path) == 0 else {
                    throw ModelGateError.environment(
                        "cannot move the new folder into \(target.path): \(errnoMessage())")
                }
            }
        } catch {
            try? manager.removeItem(at: staging)
            if error is ModelGateError { throw error }
            throw ModelGateError.environment("cannot write \(target.path): \(error.localizedDescription)")
        }
    }
}

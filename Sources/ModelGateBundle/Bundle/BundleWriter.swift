import Foundation
import ModelGateSupport

/// Writes a bundle so that an interrupted run leaves no half-written folder (through `AtomicFolder`), never
/// over anything but an earlier bundle. Also compares a folder with a bundle (`--check`).
public enum BundleWriter {
    /// Why `target` may not be replaced, or nil when it is a folder holding an earlier bundle.
    static func replacementProblem(_ target: URL, status: stat, protected: [URL]) -> String? {
        guard status.st_mode & S_IFMT == S_IFDIR else { return "it is not a folder (a file or a symbolic link)" }
        let real = target.resolvingSymlinksInPath().path
        for folder in protected {
            let guarded = folder.standardizedFileURL.resolvingSymlinksInPath().path
            if guarded == real || guarded.hasPrefix(real == "/" ? "/" : real + "/") {
                return "it is \(guarded == real ? "" : "a parent of ")\(guarded), which a bundle never replaces"
            }
        }
        let isEmpty = (try? FileManager.default.contentsOfDirectory(atPath: target.path))?.isEmpty ?? false
        return isEmpty ? nil : notABundle(target)
    }

    /// Why `folder` is not an earlier bundle, or nil when it is one: its `bundle.json` lists every other file
    /// in it (`files`), its `SHA256SUMS` is one of them and names only files of it, and it holds nothing
    /// else (no link, no other file). What the files hold is not compared: a bundle edited by hand is still
    /// a bundle.
    static func notABundle(_ folder: URL) -> String? {
        let present: [String: mode_t]
        do {
            present = try listFiles(folder)
        } catch {
            return (error as? ModelGateError)?.message ?? "\(error)"
        }
        let advice = "only an earlier bundle is replaced"
        guard present["bundle.json"] != nil,
            let data = try? RegularFile.read(folder.appendingPathComponent("bundle.json").path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let files = object["files"] as? [String: Any]
        else { return "it holds no bundle.json listing its files; \(advice)" }
        let listed = Set(files.keys).union(["bundle.json"])
        if let unlisted = Set(present.keys).subtracting(listed).sorted().first {
            return "bundle.json does not list \(Escape.control(unlisted)); \(advice)"
        }
        if let missing = listed.subtracting(present.keys).sorted().first {
            return "bundle.json lists \(Escape.control(missing)), which is not there; \(advice)"
        }
        guard files["SHA256SUMS"] != nil,
            let sums = try? RegularFile.read(folder.appendingPathComponent("SHA256SUMS").path)
        else { return "it holds no SHA256SUMS; \(advice)" }
        for line in String(decoding: sums, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, Hex.isLowercase(String(parts[0]), count: 64),
                listed.contains(String(parts[1].drop { $0 == " " || $0 == "*" }))
            else { return "SHA256SUMS names a file the bundle does not hold; \(advice)" }
        }
        return nil
    }

    /// Writes `files` as folder `directory`. An existing non-empty folder is refused unless `overwrite`, and
    /// even then only an earlier bundle (a folder its `bundle.json` and `SHA256SUMS` describe) is replaced:
    /// never a file, a link,
    /// one of the `protected` folders (the repository, the current directory, home) or a parent of one.
    public static func write(_ files: [String: Data], to directory: URL, overwrite: Bool, protected: [URL] = []) throws
    {
        let manager = FileManager.default
        let target = directory.standardizedFileURL
        let parent = target.deletingLastPathComponent()
        // The folders on the way are checked for links here (the target itself is judged below).
        if parent.path != "/" { try ConfinedPath(file: parent).refuseLinks() }
        try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        var existing = false
        var status = stat()
        if lstat(target.path, &status) == 0 {
            let contents = (try? manager.contentsOfDirectory(atPath: target.path)) ?? ["?"]
            if !contents.isEmpty && !overwrite {
                throw ModelGateError.badInput("\(target.path) exists and is not empty (--force-overwrite replaces it)")
            }
            if let problem = replacementProblem(target, status: status, protected: protected) {
                throw ModelGateError.badInput("--force-overwrite refuses \(target.path): \(problem)")
            }
            existing = true
        }
        try AtomicFolder.install(files, at: target, replacing: existing, mode: fileMode)
    }

    /// The mode every bundle file is written with.
    static let fileMode: mode_t = 0o644

    /// The differences between `directory` and `files`: `changed: X`, `mode: X`, `missing: X`,
    /// `unexpected: X`, sorted. A symbolic link anywhere in `directory` is refused: a bundle has none, and
    /// following one would compare (and later build) files from outside the folder.
    public static func differences(_ files: [String: Data], in directory: URL) throws -> [FolderDifference] {
        var status = stat()
        guard lstat(directory.path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw ModelGateError.badInput("no such folder: \(directory.path)")
        }
        return FolderDifference.compare(
            expected: files, present: try listFiles(directory), in: directory, mode: fileMode)
    }

    /// Every regular file below `directory`, as relative paths, with its permission bits.
    static func listFiles(_ directory: URL) throws -> [String: mode_t] {
        var result: [String: mode_t] = [:]
        func walk(_ url: URL, _ prefix: String) throws {
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path) {
                let child = url.appendingPathComponent(name)
                let path = prefix.isEmpty ? name : "\(prefix)/\(name)"
                var status = stat()
                guard lstat(child.path, &status) == 0 else {
                    throw ModelGateError.environment("cannot read \(child.path)")
                }
                switch status.st_mode & S_IFMT {
                case S_IFDIR: try walk(child, path)
                case S_IFREG: result[path] = status.st_mode & 0o7777
                case S_IFLNK:
                    throw ModelGateError.badInput("\(child.path) is a symbolic link; a bundle folder holds none")
                default: throw ModelGateError.badInput("\(child.path) is not a regular file")
                }
            }
        }
        try walk(directory, "")
        return result
    }
}

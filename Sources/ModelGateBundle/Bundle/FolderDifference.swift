import Foundation

/// One way a folder on disk differs from the files `bundle` or `render` would write there: what
/// `--check` reports, and what writing changes.
public struct FolderDifference: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A file that would be written is not there.
        case missing
        /// A file is there that would not be written.
        case unexpected
        /// The file's bytes differ.
        case changed
        /// The bytes match, the permission bits do not.
        case mode(found: mode_t, expected: mode_t)
    }

    public var kind: Kind
    /// The file's path inside the folder.
    public var path: String

    /// The line `--check` prints: `missing: X`, `unexpected: X`, `changed: X`, `mode: X (755, not 644)`.
    public var checkLine: String {
        switch kind {
        case .missing: "missing: \(path)"
        case .unexpected: "unexpected: \(path)"
        case .changed: "changed: \(path)"
        case .mode(let found, let expected):
            "mode: \(path) (\(String(found, radix: 8)), not \(String(expected, radix: 8)))"
        }
    }

    /// The line writing prints, saying what it did: `added: X`, `removed: X`, `changed: X`, `mode: X …`.
    public var writtenLine: String {
        switch kind {
        case .missing: "added: \(path)"
        case .unexpected: "removed: \(path)"
        case .changed, .mode: checkLine
        }
    }

    /// The differences, sorted by path, between `expected` (path → bytes, to be written with `mode`) and
    /// `present` (path → permission bits of the regular files in `folder`); `anyMode` lists files whose bits
    /// are not checked.
    static func compare(
        expected: [String: Data], present: [String: mode_t], in folder: URL, mode: mode_t, anyMode: Set<String> = []
    ) -> [FolderDifference] {
        Set(expected.keys).union(present.keys).sorted().compactMap { path in
            guard let found = present[path] else { return FolderDifference(kind: .missing, path: path) }
            guard let bytes = expected[path] else { return FolderDifference(kind: .unexpected, path: path) }
            if FileManager.default.contents(atPath: folder.appendingPathComponent(path).path) != bytes {
                return FolderDifference(kind: .changed, path: path)
            }
            if !anyMode.contains(path) && found != mode {
                return FolderDifference(kind: .mode(found: found, expected: mode), path: path)
            }
            return nil
        }
    }
}

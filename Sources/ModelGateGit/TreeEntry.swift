import ModelGateSupport

/// One entry of a Git tree: a file, a folder or something else (a submodule, a symlink).
public struct TreeEntry: Hashable, Sendable {
    /// What a tree entry points at.
    public enum Kind: Hashable, Sendable {
        case blob
        case executable
        case symlink
        case tree
        case submodule
    }

    public var name: String
    public var id: ObjectID
    public var kind: Kind

    public init(name: String, id: ObjectID, kind: Kind) {
        self.name = name
        self.id = id
        self.kind = kind
    }

    /// Whether a tree entry's name stays inside its folder when written: not empty, `.` or `..`, without `/`
    /// or NUL, and not `.git` in any letter case.
    public static func isSafeName(_ name: String) -> Bool {
        let bytes = name.utf8
        return !bytes.isEmpty && name != "." && name != ".." && !bytes.contains(UInt8(ascii: "/")) && !bytes.contains(0)
            && !(bytes.count == 4 && name.lowercased() == ".git")
    }

    /// A regular file (plain or executable): the only kind of entry modelgate reads as a file.
    public var isFile: Bool { kind == .blob || kind == .executable }
}

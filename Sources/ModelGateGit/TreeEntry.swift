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
        var name = name
        return name.withUTF8 { isSafeName(UnsafeRawBufferPointer($0)) }
    }

    /// `isSafeName(_:)` of a name's bytes.
    static func isSafeName(_ name: UnsafeRawBufferPointer) -> Bool {
        let dot = UInt8(ascii: ".")
        switch name.count {
        case 0: return false
        case 1 where name[0] == dot: return false
        case 2 where name[0] == dot && name[1] == dot: return false
        case 4
        where name[0] == dot && name[1] | 0x20 == UInt8(ascii: "g") && name[2] | 0x20 == UInt8(ascii: "i")
            && name[3] | 0x20 == UInt8(ascii: "t"):
            return false
        default: return !name.contains(UInt8(ascii: "/")) && !name.contains(0)
        }
    }

    /// A regular file (plain or executable): the only kind of entry modelgate reads as a file.
    public var isFile: Bool { kind == .blob || kind == .executable }
}

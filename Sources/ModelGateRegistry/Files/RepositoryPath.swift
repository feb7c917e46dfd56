/// Checks a path written in a registry file: relative, normalised, and inside the repository.
public enum RepositoryPath {
    /// The problem with `path`, or nil when it is a clean relative path (`data/train.csv`).
    public static func problem(_ path: String) -> String? {
        var path = path
        return path.withUTF8(problem(of:))
    }

    /// One pass over the bytes and components of a path (this runs for every path of every manifest).
    private static func problem(of bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let slash = UInt8(ascii: "/")
        let dot = UInt8(ascii: ".")
        let backslash = UInt8(ascii: "\\")
        guard let first = bytes.first else { return "is empty" }
        if first == slash || first == UInt8(ascii: "~") || first == backslash {
            return "must be relative to the repository"
        }
        var control = false
        var sawBackslash = false
        var dotDot = false
        var unnormal = false
        var firstIsGit = false
        var start = 0
        var component = 0
        for index in 0...bytes.count {
            let byte = index < bytes.count ? bytes[index] : slash
            if byte < 0x20 || byte == 0x7F { control = true }
            if byte == backslash { sawBackslash = true }
            guard byte == slash else { continue }
            let part = UnsafeBufferPointer(rebasing: bytes[start..<index])
            if part.isEmpty || (part.count == 1 && part[0] == dot) { unnormal = true }
            if part.count == 2 && part[0] == dot && part[1] == dot { dotDot = true }
            if component == 0 && part.elementsEqual(".git".utf8) { firstIsGit = true }
            start = index + 1
            component += 1
        }
        if control { return "contains a control character" }
        if sawBackslash { return "must use '/' as separator" }
        if dotDot { return "must stay inside the repository (no '..')" }
        if unnormal { return "must be normalised (no empty or '.' components, no trailing '/')" }
        if firstIsGit { return "must not point into .git" }
        return nil
    }

    /// Whether `uri` holds `://` anywhere (a scheme this registry may not know), by bytes: the string
    /// searches of Foundation and of the standard library cost more than the rest of reading an artifact.
    public static func hasScheme(_ uri: String) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in uri.utf8 {
            if byte == UInt8(ascii: "/") && previous == (UInt8(ascii: ":"), UInt8(ascii: "/")) { return true }
            previous = (previous.1, byte)
        }
        return false
    }

    /// Whether a URI names a remote artifact rather than a repository path.
    public static func isRemote(_ uri: String) -> Bool {
        ["s3://", "gs://", "https://", "oci://", "http://"].contains { uri.hasPrefix($0) }
    }

}

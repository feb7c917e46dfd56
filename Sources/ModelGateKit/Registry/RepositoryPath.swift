/// Checks a path written in a registry file: relative, normalised, and inside the repository.
public enum RepositoryPath {
    /// The problem with `path`, or nil when it is a clean relative path (`data/train.csv`).
    public static func problem(_ path: String) -> String? {
        let bytes = path.utf8
        guard let first = bytes.first else { return "is empty" }
        if first == UInt8(ascii: "/") || first == UInt8(ascii: "~") || first == UInt8(ascii: "\\") {
            return "must be relative to the repository"
        }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return "contains a control character" }
        if bytes.contains(UInt8(ascii: "\\")) { return "must use '/' as separator" }
        // One pass over the components, by bytes (Foundation's string search is slow on a hot path).
        var start = bytes.startIndex
        var index = 0
        var sawDotDot = false
        var sawUnnormal = false
        var firstIsGit = false
        while true {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.endIndex
            let component = bytes[start..<end]
            if component.elementsEqual("..".utf8) { sawDotDot = true }
            if component.isEmpty || component.elementsEqual(".".utf8) { sawUnnormal = true }
            if index == 0 && component.elementsEqual(".git".utf8) { firstIsGit = true }
            guard end != bytes.endIndex else { break }
            start = bytes.index(after: end)
            index += 1
        }
        if sawDotDot { return "must stay inside the repository (no '..')" }
        if sawUnnormal { return "must be normalised (no empty or '.' components, no trailing '/')" }
        if firstIsGit { return "must not point into .git" }
        return nil
    }

    /// Whether a URI names a remote artifact rather than a repository path.
    public static func isRemote(_ uri: String) -> Bool {
        ["s3://", "gs://", "https://", "oci://", "http://"].contains { uri.hasPrefix($0) }
    }

}

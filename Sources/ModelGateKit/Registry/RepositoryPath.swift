/// Checks a path written in a registry file: relative, normalised, and inside the repository.
public enum RepositoryPath {
    /// The problem with `path`, or nil when it is a clean relative path (`data/train.csv`).
    public static func problem(_ path: String) -> String? {
        if path.isEmpty { return "is empty" }
        if path.hasPrefix("/") || path.hasPrefix("~") || path.hasPrefix("\\") { return "must be relative to the repository" }
        if path.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return "contains a control character" }
        if path.contains("\\") { return "must use '/' as separator" }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        if components.contains("..") { return "must stay inside the repository (no '..')" }
        if components.contains(where: { $0.isEmpty || $0 == "." }) {
            return "must be normalised (no empty or '.' components, no trailing '/')"
        }
        if components.first == ".git" { return "must not point into .git" }
        return nil
    }

    /// Whether a URI names a remote artifact rather than a repository path.
    public static func isRemote(_ uri: String) -> Bool {
        ["s3://", "gs://", "https://", "oci://", "http://"].contains { uri.hasPrefix($0) }
    }

    /// `base` joined with a relative `path` (both already checked).
    public static func join(_ base: String, _ path: String) -> String {
        base.isEmpty ? path : "\(base)/\(path)"
    }
}

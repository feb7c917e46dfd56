import Foundation

/// Shell-style glob matching (`*`, `?`, `[a-z]`) of model names, as `fnmatch(3)` does it.
public enum Glob {
    public static func matches(_ pattern: String, _ name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }
}

import ModelGateRegistry

extension VersionProfile {
    /// Why the bytes at `path` are not the recorded profile, or nil when their sha256 is `recorded`.
    package static func mismatch(_ content: TrackedContent, recorded: DataFile) -> String? {
        switch content {
        case .tracked(let sha256, _) where sha256 == recorded.sha256: nil
        case .tracked(let sha256, _):
            "\(recorded.path) has sha256 \(sha256), not the \(recorded.sha256 ?? "(none)") its manifest records: the profile changed after it was recorded"
        case .untracked: "\(recorded.path) is missing: its manifest records a profile"
        case .lfsPointer: "\(recorded.path) is a Git LFS pointer; a profile is committed as JSON"
        case .unverifiable(let why): why
        }
    }
}

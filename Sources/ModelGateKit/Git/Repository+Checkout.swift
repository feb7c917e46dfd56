import Foundation

extension Repository {
    /// Writes the files of `commit`'s tree into `directory` (which must exist): what a checkout would write,
    /// without touching this repository's index or working tree. Symbolic links and submodules are skipped;
    /// executables keep their mode.
    public func materialize(_ commit: ObjectID, into directory: URL) throws {
        try materializeTree(try treeID(ofCommit: commit), into: directory)
    }

    private func materializeTree(_ tree: ObjectID, into directory: URL) throws {
        for entry in try entries(ofTree: tree) {
            let url = directory.appendingPathComponent(entry.name)
            switch entry.kind {
            case .tree:
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
                try materializeTree(entry.id, into: url)
            case .blob, .executable:
                let mode: Int = entry.kind == .executable ? 0o755 : 0o644
                guard FileManager.default.createFile(atPath: url.path, contents: try blob(entry.id), attributes: [.posixPermissions: mode])
                else { throw ModelGateError.environment("cannot write \(url.path)") }
            case .symlink, .submodule:
                continue
            }
        }
    }
}

import Foundation
import ModelGateSupport

extension Repository {
    /// Writes the files of `commit`'s tree into `directory` (which must exist): what a checkout would write,
    /// without touching this repository's index or working tree. Symbolic links and submodules are skipped;
    /// executables keep their mode.
    /// Every entry name is checked before the first file is written.
    public func materialize(_ commit: ObjectID, into directory: URL) throws {
        let root = try treeID(ofCommit: commit)
        try checkNames(root)
        try materializeTree(root, into: directory)
    }

    /// Walks the tree, refusing a crafted entry name anywhere in it (`entries(ofTree:)` checks each level).
    private func checkNames(_ tree: ObjectID) throws {
        for entry in try entries(ofTree: tree) where entry.kind == .tree { try checkNames(entry.id) }
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
                guard
                    FileManager.default.createFile(
                        atPath: url.path, contents: try blob(entry.id), attributes: [.posixPermissions: mode])
                else { throw ModelGateError.environment("cannot write \(url.path)") }
            case .symlink, .submodule:
                continue
            }
        }
    }
}

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

    /// Writes only `paths` (folders or files; those absent at the commit are skipped) of the commit's tree
    /// into `directory`, each at its own path: what a training may see, and nothing else of the repository.
    /// Every entry name of the whole tree is checked first, as for a full checkout.
    public func materialize(_ commit: ObjectID, into directory: URL, paths: [String]) throws {
        let root = try treeID(ofCommit: commit)
        try checkNames(root)
        for path in paths {
            guard let entry = try entry(at: path, inTree: root) else { continue }
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try write(entry, at: url)
        }
    }

    private func materializeTree(_ tree: ObjectID, into directory: URL) throws {
        for entry in try entries(ofTree: tree) { try write(entry, at: directory.appendingPathComponent(entry.name)) }
    }

    /// One entry at `url`: a folder with its contents, or a file with its mode; links and submodules are
    /// left out.
    private func write(_ entry: TreeEntry, at url: URL) throws {
        switch entry.kind {
        case .tree:
            if !FileManager.default.fileExists(atPath: url.path) {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
            }
            try materializeTree(entry.id, into: url)
        case .blob, .executable:
            let mode: Int = entry.kind == .executable ? 0o755 : 0o644
            guard
                FileManager.default.createFile(
                    atPath: url.path, contents: try blob(entry.id), attributes: [.posixPermissions: mode])
            else { throw ModelGateError.environment("cannot write \(url.path)") }
        case .symlink, .submodule:
            return
        }
    }
}

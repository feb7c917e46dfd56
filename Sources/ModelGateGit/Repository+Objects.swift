internal import CGit2
import Foundation
import ModelGateSupport

extension Repository {
    /// The commit's metadata: tree, parents, author, committer and subject.
    public func commit(_ id: ObjectID) throws -> CommitInfo {
        try withCommit(id) { commit in
            let parents = (0..<git_commit_parentcount(commit)).compactMap { ObjectID(git_commit_parent_id(commit, $0)) }
            return CommitInfo(
                id: id,
                tree: ObjectID(git_commit_tree_id(commit).pointee),
                parents: parents,
                author: Signature(git_commit_author(commit).pointee),
                committer: Signature(git_commit_committer(commit).pointee),
                summary: git_commit_summary(commit).map { String(cString: $0) } ?? "")
        }
    }

    /// The commit's whole message.
    public func commitMessage(_ id: ObjectID) throws -> String {
        try withCommit(id) { git_commit_message($0).map { String(cString: $0) } ?? "" }
    }

    /// The id of the commit's root tree.
    public func treeID(ofCommit id: ObjectID) throws -> ObjectID {
        try withCommit(id) { ObjectID(git_commit_tree_id($0).pointee) }
    }

    /// The entry at a slash-separated `path` below the tree `root`, or nil when nothing is there.
    public func entry(at path: String, inTree root: ObjectID) throws -> TreeEntry? {
        try withTree(root) { tree in
            var entry: OpaquePointer?
            let code = git_tree_entry_bypath(&entry, tree, path)
            if code == GIT_ENOTFOUND.rawValue { return nil }
            try check(code, "cannot read \(path)")
            defer { git_tree_entry_free(entry) }
            // Force unwrap: libgit2 sets the out-parameter when it returns success (checked above).
            return TreeEntry(entry!)
        }
    }

    /// The entries of one tree, in Git's order (by name). A tree from a stranger may be crafted: an entry
    /// whose name could leave the folder it is written into (empty, `.`, `..`, holding `/`, or `.git` in any
    /// letter case) is refused as bad input.
    public func entries(ofTree id: ObjectID) throws -> [TreeEntry] {
        let entries = try withTree(id) { tree in
            (0..<git_tree_entrycount(tree)).compactMap { index in
                git_tree_entry_byindex(tree, index).map(TreeEntry.init)
            }
        }
        if let bad = entries.first(where: { !TreeEntry.isSafeName($0.name) }) { throw Self.crafted(id, bad.name) }
        return entries
    }

    /// Walks tree `id` and every tree under it (each distinct tree once), refusing a crafted entry name anywhere
    /// (bad input), as `entries(ofTree:)` refuses one in a single tree. Reads raw records: no string is made
    /// for a name that passes.
    public func refuseCraftedNames(under id: ObjectID) throws {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "cannot open the object database")
        defer { git_odb_free(odb) }
        var pending = [id]
        var seen: Set<ObjectID> = [id]
        while let tree = pending.popLast() {
            // Force unwrap: libgit2 sets the out-parameter when it returns success (checked above).
            try RawTree.read(tree, odb: odb!) { entries in
                for entry in entries {
                    guard TreeEntry.isSafeName(entry.name) else { throw Self.crafted(tree, entry.nameString) }
                    if entry.isTree, case let child = entry.objectID, seen.insert(child).inserted {
                        pending.append(child)
                    }
                }
            }
        }
    }

    private static func crafted(_ tree: ObjectID, _ name: String) -> ModelGateError {
        .badInput(
            "tree \(tree.short) has an entry named \(Quoted(name)), which could write outside its folder: refused (a crafted tree)"
        )
    }

    /// The bytes of a blob.
    public func blob(_ id: ObjectID) throws -> Data {
        var oid = id.raw
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, pointer, &oid), "cannot read blob \(id)")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let content = git_blob_rawcontent(blob) else { return Data() }
        return Data(bytes: content, count: size)
    }

    /// The size of a blob in bytes, read from the object header without loading it.
    public func blobSize(_ id: ObjectID) throws -> Int {
        var oid = id.raw
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "cannot open the object database")
        defer { git_odb_free(odb) }
        var size = 0
        var type = GIT_OBJECT_ANY
        try check(git_odb_read_header(&size, &type, odb, &oid), "cannot read object \(id)")
        return size
    }

    /// Writes `data` as a blob and returns its id.
    public func writeBlob(_ data: Data) throws -> ObjectID {
        var oid = git_oid()
        try data.withUnsafeBytes { buffer in
            try check(git_blob_create_from_buffer(&oid, pointer, buffer.baseAddress, buffer.count), "cannot write blob")
        }
        return ObjectID(oid)
    }

    func withCommit<T>(_ id: ObjectID, _ body: (OpaquePointer) throws -> T) throws -> T {
        var oid = id.raw
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, pointer, &oid), "cannot read commit \(id)")
        defer { git_commit_free(commit) }
        // Force unwrap: libgit2 sets the out-parameter when it returns success (checked above).
        return try body(commit!)
    }

    func withTree<T>(_ id: ObjectID, _ body: (OpaquePointer) throws -> T) throws -> T {
        var oid = id.raw
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &oid), "cannot read tree \(id)")
        defer { git_tree_free(tree) }
        // Force unwrap: libgit2 sets the out-parameter when it returns success (checked above).
        return try body(tree!)
    }
}

extension TreeEntry {
    init(_ entry: OpaquePointer) {
        let kind: Kind
        switch git_tree_entry_filemode(entry) {
        case GIT_FILEMODE_TREE: kind = .tree
        case GIT_FILEMODE_BLOB_EXECUTABLE: kind = .executable
        case GIT_FILEMODE_LINK: kind = .symlink
        case GIT_FILEMODE_COMMIT: kind = .submodule
        default: kind = .blob
        }
        self.init(
            name: String(cString: git_tree_entry_name(entry)), id: ObjectID(git_tree_entry_id(entry).pointee),
            kind: kind)
    }
}

internal import CGit2
import Foundation
import ModelGateSupport

/// One file a new commit writes or removes.
public struct FileChange: Sendable, Hashable {
    public var path: String
    /// The new bytes, or nil to delete the file.
    public var contents: Data?

    public init(path: String, contents: Data?) {
        self.path = path
        self.contents = contents
    }
}

extension Repository {
    /// Creates a commit whose tree is `parent`'s with `changes` applied. No reference moves.
    public func createCommit(
        changing changes: [FileChange], parent: ObjectID?, message: String, author: Signature, committer: Signature
    ) throws -> ObjectID {
        let tree = try writeTree(applying: changes, to: parent.map(treeID(ofCommit:)))
        var treeOid = tree.raw
        var treeObject: OpaquePointer?
        try check(git_tree_lookup(&treeObject, pointer, &treeOid), "cannot read tree \(tree)")
        defer { git_tree_free(treeObject) }
        var parentObject: OpaquePointer?
        if let parent {
            var parentOid = parent.raw
            try check(git_commit_lookup(&parentObject, pointer, &parentOid), "cannot read commit \(parent)")
        }
        defer { git_commit_free(parentObject) }
        var oid = git_oid()
        try author.withRaw { author in
            try committer.withRaw { committer in
                var parents: [OpaquePointer?] = parentObject.map { [$0] } ?? []
                try parents.withUnsafeMutableBufferPointer { buffer in
                    try check(
                        git_commit_create(
                            &oid, pointer, nil, author, committer, nil, message, treeObject, buffer.count,
                            buffer.baseAddress),
                        "cannot create commit")
                }
            }
        }
        return ObjectID(oid)
    }

    /// Moves reference `name` to `new` only if it still points at `expected` (nil: only if it does not exist).
    ///
    /// Throws a `GitError` whose `isConcurrentUpdate` is true when another writer moved it first.
    public func updateReference(_ name: String, to new: ObjectID, expecting expected: ObjectID?, log: String) throws {
        var newOid = new.raw
        var ref: OpaquePointer?
        if let expected {
            var oldOid = expected.raw
            try check(
                git_reference_create_matching(&ref, pointer, name, &newOid, 1, &oldOid, log), "cannot update \(name)")
        } else {
            let code = git_reference_create(&ref, pointer, name, &newOid, 0, log)
            if code == GIT_EEXISTS.rawValue {
                throw GitError(code: GIT_EMODIFIED.rawValue, errorClass: 0, message: "\(name) already exists")
            }
            try check(code, "cannot create \(name)")
        }
        git_reference_free(ref)
    }

    /// Writes `paths` from the commit `commit` into the working tree and the index, so that `git status`
    /// shows them clean. For the branch that is checked out, after it moved to `commit`.
    /// The caller holds `withWorkingTreeLock` where other modelgate processes may write the same tree.
    public func syncWorkingTree(paths: [String], toCommit commit: ObjectID) throws {
        guard let root = workingDirectory else { return }
        let tree = try treeID(ofCommit: commit)
        do {
            for path in paths {
                let file = root.appendingPathComponent(path)
                if let entry = try entry(at: path, inTree: tree) {
                    try AtomicFile.write(try blob(entry.id), to: file, under: root)
                } else if FileManager.default.fileExists(atPath: file.path) {
                    try ConfinedPath(path, under: root).refuseLinks()
                    try FileManager.default.removeItem(at: file)
                }
            }
            CrashPoint.reach("working tree: files written, index not")
            var index: OpaquePointer?
            try check(git_repository_index(&index, pointer), "cannot open the index")
            defer { git_index_free(index) }
            try check(git_index_read(index, 1), "cannot read the index")
            for path in paths {
                if FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) {
                    try check(git_index_add_bypath(index, path), "cannot stage \(path)")
                } else {
                    try check(git_index_remove_bypath(index, path), "cannot unstage \(path)")
                }
            }
            try check(git_index_write(index), "cannot write the index")
            CrashPoint.reach("working tree: index written")
        }
    }

    /// Whether `path` differs, in the index or the working tree, from HEAD.
    /// Runs `body` holding the repository's working-tree lock (`.git/modelgate.lock`, an `flock` that dies with
    /// its holder): modelgate commands that write the checked-out branch and its files take turns.
    public func withWorkingTreeLock<T>(_ body: () throws -> T) throws -> T {
        try withFileLock(gitDirectory.appendingPathComponent("modelgate.lock"), body)
    }

    /// The bytes of `path` in the working tree, or nil.
    public func workingTreeBytes(_ path: String) -> Data? {
        workingDirectory.flatMap { FileManager.default.contents(atPath: $0.appendingPathComponent(path).path) }
    }

    public func hasUncommittedChanges(at path: String) throws -> Bool {
        var flags: UInt32 = 0
        let code = git_status_file(&flags, pointer, path)
        if code == GIT_ENOTFOUND.rawValue { return false }
        try check(code, "cannot read the status of \(path)")
        return flags != GIT_STATUS_CURRENT.rawValue && flags != GIT_STATUS_IGNORED.rawValue
    }

    /// Applies `changes` to the tree `base` (nil: the empty tree) through an in-memory index.
    private func writeTree(applying changes: [FileChange], to base: ObjectID?) throws -> ObjectID {
        var index: OpaquePointer?
        try check(git_index_new(&index), "cannot create an index")
        defer { git_index_free(index) }
        if let base {
            try withTree(base) { tree in try check(git_index_read_tree(index, tree), "cannot read tree \(base)") }
        }
        for change in changes {
            if let contents = change.contents {
                let blob = try writeBlob(contents)
                var entry = git_index_entry()
                entry.mode = UInt32(GIT_FILEMODE_BLOB.rawValue)
                entry.id = blob.raw
                try change.path.withCString { path in
                    entry.path = path
                    try check(git_index_add(index, &entry), "cannot stage \(change.path)")
                }
            } else {
                _ = git_index_remove(index, change.path, 0)
            }
        }
        var oid = git_oid()
        try check(git_index_write_tree_to(&oid, index, pointer), "cannot write tree")
        return ObjectID(oid)
    }
}

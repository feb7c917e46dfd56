internal import CGit2

/// A commit on the first-parent line where one path's content changed.
public struct PathChange: Sendable {
    public var commit: CommitInfo
    /// The blob at the commit, nil where the commit deleted the path.
    public var blob: ObjectID?
    /// The blob at the first parent, nil where the commit created the path.
    public var previousBlob: ObjectID?
}

extension Repository {
    /// The commits of the first-parent history from `start` (newest first) where the blob at `path` changed.
    ///
    /// Compares blob ids only: no file is read or parsed for a commit that left `path` alone.
    public func firstParentChanges(of path: String, from start: ObjectID) throws -> [PathChange] {
        var changes: [PathChange] = []
        var current: ObjectID? = start
        var currentBlob = try blobID(at: path, inCommit: start)
        while let commitID = current {
            let parent = try withCommit(commitID) { ObjectID(git_commit_parent_id($0, 0)) }
            let parentBlob = try parent.flatMap { try blobID(at: path, inCommit: $0) }
            if parentBlob != currentBlob {
                changes.append(PathChange(commit: try commit(commitID), blob: currentBlob, previousBlob: parentBlob))
            }
            current = parent
            currentBlob = parentBlob
        }
        return changes
    }

    /// The id of the blob at `path` in a commit, nil when there is none.
    public func blobID(at path: String, inCommit commit: ObjectID) throws -> ObjectID? {
        let entry = try entry(at: path, inTree: treeID(ofCommit: commit))
        return entry.flatMap { $0.kind == .tree ? nil : $0.id }
    }
}

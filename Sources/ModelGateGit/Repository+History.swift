internal import CGit2
import Foundation
import ModelGateSupport

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
    /// Reads each commit once and compares object ids only, from the root down: where a commit's subtree
    /// on the way to `path` is the one its child had, the blob is too, and nothing below is read. No file is
    /// read or parsed for a commit that left `path` alone.
    public func firstParentChanges(of path: String, from start: ObjectID) throws -> [PathChange] {
        try firstParentWalk(of: path, from: start).changes
    }

    /// What a first-parent walk saw: the changes, how many commits it read, and, in a shallow clone, the
    /// commit whose parent the clone does not have (the walk stops there).
    public struct FirstParentWalk: Sendable {
        public var changes: [PathChange]
        public var commitsSeen: Int
        public var shallowBoundary: ObjectID?
    }

    /// `firstParentChanges`, stopping at a shallow clone's boundary instead of failing there.
    public func firstParentWalk(of path: String, from start: ObjectID) throws -> FirstParentWalk {
        try withFirstParentReader { odb, shallow, treeAndFirstParent in
            try firstParentWalk(of: path, from: start, odb: odb, shallow: shallow, treeAndFirstParent)
        }
    }

    private func firstParentWalk(
        of path: String, from start: ObjectID, odb: OpaquePointer, shallow: Bool,
        _ treeAndFirstParent: (ObjectID) throws -> (ObjectID, ObjectID?)
    ) throws -> FirstParentWalk {
        let components = path.split(separator: "/").map(String.init)
        var changes: [PathChange] = []
        var current = start
        var seen = 1
        var (tree, parent) = try treeAndFirstParent(start)
        var trail = try self.trail(components, root: tree, known: nil, odb: odb)
        while true {
            var parentTrail: [ObjectID?] = Array(repeating: nil, count: components.count + 1)
            var grandparent: ObjectID?
            if let parent {
                let parentTree: ObjectID
                do {
                    (parentTree, grandparent) = try treeAndFirstParent(parent)
                } catch let error as GitError where shallow && error.code == GIT_ENOTFOUND.rawValue {
                    // The clone ends here: what the boundary commit changed is unknown.
                    return FirstParentWalk(changes: changes, commitsSeen: seen, shallowBoundary: current)
                }
                parentTrail = try self.trail(components, root: parentTree, known: trail, odb: odb)
            }
            // Force unwrap: a trail starts at the root tree, so it is never empty.
            if parentTrail.last! != trail.last! {
                changes.append(
                    PathChange(commit: try commit(current), blob: trail.last!, previousBlob: parentTrail.last!))
            }
            guard let next = parent else {
                return FirstParentWalk(changes: changes, commitsSeen: seen, shallowBoundary: nil)
            }
            (current, parent, trail) = (next, grandparent, parentTrail)
            seen += 1
        }
    }

    /// For every subfolder of `folder`, the commits of the first-parent history from `start` (newest first)
    /// where the blob at `folder/<subfolder>/<file>` changed: what `firstParentWalk` of each such path finds,
    /// in one walk. A commit that left `folder` alone costs one comparison; one that changed it lists
    /// `folder` once, and reads `file` only in the subfolders whose ids changed. Stops at a shallow clone's
    /// boundary (returned), as `firstParentWalk` does.
    public func firstParentChanges(ofFile file: String, inEachFolderOf folder: String, from start: ObjectID)
        throws -> (changes: [String: [PathChange]], shallowBoundary: ObjectID?)
    {
        try withFirstParentReader { odb, shallow, treeAndFirstParent in
            try firstParentChanges(
                ofFile: file, inEachFolderOf: folder, from: start, odb: odb, shallow: shallow, treeAndFirstParent)
        }
    }

    // Long on purpose: the first-parent walk, whose shallow boundary, trail cache and commit-graph lookups share
    // their state.
    private func firstParentChanges(
        ofFile file: String, inEachFolderOf folder: String, from start: ObjectID, odb: OpaquePointer,
        shallow: Bool, _ treeAndFirstParent: (ObjectID) throws -> (ObjectID, ObjectID?)
    ) throws -> (changes: [String: [PathChange]], shallowBoundary: ObjectID?) {
        let components = folder.split(separator: "/").map(String.init)
        func folderID(in root: ObjectID) throws -> ObjectID? {
            var id: ObjectID? = root
            for name in components {
                guard let tree = id else { return nil }
                id = try entry(named: name, inTree: tree, odb: odb, wantTree: true)
            }
            return id
        }
        func subfolders(of id: ObjectID?) throws -> [String: ObjectID] {
            try RawTree.read(id, odb: odb) { entries in
                var result: [String: ObjectID] = [:]
                for entry in entries where entry.isTree { result[entry.nameString] = entry.objectID }
                return result
            }
        }
        var blobs: [ObjectID: ObjectID?] = [:]
        func blob(in subfolder: ObjectID?) throws -> ObjectID? {
            guard let subfolder else { return nil }
            if let known = blobs[subfolder] { return known }
            let found = try entry(named: file, inTree: subfolder, odb: odb, wantTree: false)
            blobs[subfolder] = found
            return found
        }
        var changes: [String: [PathChange]] = [:]
        var current = start
        var (tree, parent) = try treeAndFirstParent(start)
        var folderTree = try folderID(in: tree)
        var listing = try subfolders(of: folderTree)
        while true {
            var parentFolder: ObjectID?
            var parentListing: [String: ObjectID] = [:]
            var grandparent: ObjectID?
            if let parent {
                do {
                    (tree, grandparent) = try treeAndFirstParent(parent)
                } catch let error as GitError where shallow && error.code == GIT_ENOTFOUND.rawValue {
                    return (changes, current)
                }
                parentFolder = try folderID(in: tree)
                parentListing = parentFolder == folderTree ? listing : try subfolders(of: parentFolder)
            }
            if parentFolder != folderTree {
                var info: CommitInfo?
                for name in Set(listing.keys).union(parentListing.keys).sorted()
                where listing[name] != parentListing[name] {
                    let after = try blob(in: listing[name])
                    let before = try blob(in: parentListing[name])
                    guard after != before else { continue }
                    if info == nil { info = try commit(current) }
                    // Force unwrap: set on the line above when nil.
                    changes[name, default: []].append(PathChange(commit: info!, blob: after, previousBlob: before))
                }
            }
            guard let next = parent else { return (changes, nil) }
            (current, parent, folderTree, listing) = (next, grandparent, parentFolder, parentListing)
        }
    }

    /// Runs `body` with what a first-parent walk reads: the object database, whether the clone is shallow,
    /// and a commit's root tree and first parent (from the commit-graph file when it lists the commit, else
    /// from the commit object).
    private func withFirstParentReader<Result>(
        _ body: (OpaquePointer, Bool, (ObjectID) throws -> (ObjectID, ObjectID?)) throws -> Result
    ) throws -> Result {
        var handle: OpaquePointer?
        try check(git_repository_odb(&handle, pointer), "cannot open the object database")
        defer { git_odb_free(handle) }
        // Force unwrap: libgit2 sets the out-parameter when it returns success (checked above).
        let odb = handle!
        let shallow = isShallow
        let graph = CommitGraph(
            objects: URL(fileURLWithPath: String(cString: git_repository_commondir(pointer)))
                .appendingPathComponent("objects"),
            shallow: shallow)
        return try body(odb, shallow) { commit in
            if let known = graph?.treeAndFirstParent(of: commit) { return known }
            return try rootAndFirstParent(of: commit, in: odb)
        }
    }

    /// The ids along `components` from `root`: the root, each subtree, then the blob (nil from where the
    /// path is missing, or where it names a tree). Below a subtree equal to the one in `known`, `known`'s
    /// ids are reused without reading.
    private func trail(_ components: [String], root: ObjectID, known: [ObjectID?]?, odb: OpaquePointer) throws
        -> [ObjectID?]
    {
        var ids: [ObjectID?] = [root]
        for (depth, name) in components.enumerated() {
            guard let tree = ids[depth] else {
                ids.append(nil)
                continue
            }
            if let known, known[depth] == tree { return ids + known[(depth + 1)...] }
            let child = try entry(named: name, inTree: tree, odb: odb, wantTree: depth < components.count - 1)
            ids.append(child)
        }
        return ids
    }

    /// The id of entry `name` of a tree, scanning its raw records without building the tree: nil when
    /// absent, or when it is not a tree (`wantTree`) or not a regular file.
    private func entry(named name: String, inTree tree: ObjectID, odb: OpaquePointer, wantTree: Bool) throws
        -> ObjectID?
    {
        var wanted = name
        return try wanted.withUTF8 { wanted in
            try RawTree.entry(named: UnsafeRawBufferPointer(wanted), in: tree, odb: odb) { entry in
                guard let entry, wantTree ? entry.isTree : entry.isFile else { return nil }
                return entry.objectID
            }
        }
    }

    /// A commit's root tree and first parent, from its raw object: the header lines `tree <hex>` and the first
    /// `parent <hex>` are all the walk needs, so the rest (signatures, message) is never parsed.
    private func rootAndFirstParent(of id: ObjectID, in odb: OpaquePointer) throws -> (ObjectID, ObjectID?) {
        try rawObject(id, GIT_OBJECT_COMMIT, named: "commit", odb: odb) { bytes in
            func objectID(after prefix: String, at offset: Int) -> ObjectID? {
                let start = offset + prefix.utf8.count
                guard bytes.count >= start + 41, bytes[start + 40] == 0x0A,
                    zip(prefix.utf8, bytes[offset...]).allSatisfy({ $0 == $1 })
                else { return nil }
                var oid = git_oid()
                // Force unwrap: `bytes` holds at least start + 41 bytes (checked above).
                let hex = bytes.baseAddress!.advanced(by: start).assumingMemoryBound(to: CChar.self)
                guard git_oid_fromstrn(&oid, hex, 40) == 0 else { return nil }
                return ObjectID(oid)
            }
            guard let tree = objectID(after: "tree ", at: 0) else {
                throw GitError(code: GIT_EINVALID.rawValue, errorClass: 0, message: "commit \(id) has no tree line")
            }
            return (tree, objectID(after: "parent ", at: 46))
        }
    }

    /// The id of the blob at `path` in a commit, nil when there is none.
    public func blobID(at path: String, inCommit commit: ObjectID) throws -> ObjectID? {
        let entry = try entry(at: path, inTree: treeID(ofCommit: commit))
        return entry.flatMap { $0.kind == .tree ? nil : $0.id }
    }
}

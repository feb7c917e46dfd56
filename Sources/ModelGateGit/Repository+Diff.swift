internal import CGit2
import ModelGateSupport

extension Repository {
    /// The file paths whose content differs between two commits, below `prefix` when given.
    ///
    /// Compares trees top-down and skips every subtree whose id is unchanged, so a change of one file
    /// in a large registry costs a handful of object reads.
    public func changedPaths(from old: ObjectID, to new: ObjectID, under prefix: String? = nil) throws -> [String] {
        var oldTree: ObjectID? = try treeID(ofCommit: old)
        var newTree: ObjectID? = try treeID(ofCommit: new)
        if let prefix {
            oldTree = try oldTree.flatMap { try entry(at: prefix, inTree: $0) }.flatMap {
                $0.kind == .tree ? $0.id : nil
            }
            newTree = try newTree.flatMap { try entry(at: prefix, inTree: $0) }.flatMap {
                $0.kind == .tree ? $0.id : nil
            }
        }
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "cannot open the object database")
        defer { git_odb_free(odb) }
        var paths: [String] = []
        // Force unwrap: libgit2 sets the out-parameter when it returns success (checked above).
        try compare(oldTree, newTree, path: prefix ?? "", odb: odb!, into: &paths)
        return paths.sorted()
    }

    /// Both trees' records walked side by side in Git's order (no lookup tables): only names whose
    /// entries differ become strings, and only subtrees whose ids differ are read.
    private func compare(
        _ old: ObjectID?, _ new: ObjectID?, path: String, odb: OpaquePointer, into paths: inout [String]
    ) throws {
        guard old != new else { return }
        try RawTree.read(old, odb: odb) { oldEntries in
            try RawTree.read(new, odb: odb) { newEntries in
                var (o, n) = (0, 0)
                while o < oldEntries.count || n < newEntries.count {
                    let order: Int32 =
                        o == oldEntries.count
                        ? 1 : n == newEntries.count ? -1 : RawTree.Entry.gitOrder(oldEntries[o], newEntries[n])
                    let before = order <= 0 ? oldEntries[o] : nil
                    let after = order >= 0 ? newEntries[n] : nil
                    if order <= 0 { o += 1 }
                    if order >= 0 { n += 1 }
                    if let before, let after, before.mode.elementsEqual(after.mode), before.id.elementsEqual(after.id) {
                        continue
                    }
                    // Force unwrap: the merge loop runs while either side has an entry.
                    let name = (before ?? after)!.nameString
                    guard TreeEntry.isSafeName(name) else {
                        throw ModelGateError.badInput(
                            "a tree has an entry named \(Quoted(name)), which could write outside its folder: refused (a crafted tree)"
                        )
                    }
                    let child = path.isEmpty ? name : "\(path)/\(name)"
                    let oldTree = before.flatMap { $0.isTree ? $0.objectID : nil }
                    let newTree = after.flatMap { $0.isTree ? $0.objectID : nil }
                    if oldTree != nil || newTree != nil {
                        try compare(oldTree, newTree, path: child, odb: odb, into: &paths)
                    }
                    if before.map({ !$0.isTree }) ?? false || after.map({ !$0.isTree }) ?? false { paths.append(child) }
                }
            }
        }
    }
}

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
        var paths: [String] = []
        try compare(oldTree, newTree, path: prefix ?? "", into: &paths)
        return paths.sorted()
    }

    private func compare(_ old: ObjectID?, _ new: ObjectID?, path: String, into paths: inout [String]) throws {
        guard old != new else { return }
        let oldEntries = try old.map(entries(ofTree:)) ?? []
        let newEntries = try new.map(entries(ofTree:)) ?? []
        var byName: [String: (old: TreeEntry?, new: TreeEntry?)] = [:]
        for entry in oldEntries { byName[entry.name, default: (nil, nil)].old = entry }
        for entry in newEntries { byName[entry.name, default: (nil, nil)].new = entry }
        for (name, pair) in byName where pair.old != pair.new {
            let child = path.isEmpty ? name : "\(path)/\(name)"
            let oldTree = pair.old.flatMap { $0.kind == .tree ? $0.id : nil }
            let newTree = pair.new.flatMap { $0.kind == .tree ? $0.id : nil }
            if oldTree != nil || newTree != nil { try compare(oldTree, newTree, path: child, into: &paths) }
            let oldFile = pair.old.map { $0.kind != .tree } ?? false
            let newFile = pair.new.map { $0.kind != .tree } ?? false
            if oldFile || newFile { paths.append(child) }
        }
    }
}

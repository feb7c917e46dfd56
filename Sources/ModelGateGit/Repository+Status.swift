internal import CGit2
import Foundation
import ModelGateSupport

extension Repository {
    /// Paths below `folder` (the whole working tree for ""; the file itself where `folder` is a file) that
    /// differ from HEAD as `git status` sees them: tracked files modified or staged, and untracked files
    /// Git does not ignore.
    public func uncommittedPaths(under folder: String) throws -> [String] {
        guard workingDirectory != nil else { return [] }
        var options = git_status_options()
        try check(
            git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "cannot prepare status options")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags =
            GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH.rawValue
        var list: OpaquePointer?
        let prefix = folder.isEmpty ? "" : folder + "/"
        try check(git_status_list_new(&list, pointer, &options), "cannot read the status of the working tree")
        defer { git_status_list_free(list) }
        var paths: [String] = []
        for index in 0..<git_status_list_entrycount(list) {
            guard let entry = git_status_byindex(list, index)?.pointee, entry.status != GIT_STATUS_CURRENT,
                entry.status.rawValue & GIT_STATUS_IGNORED.rawValue == 0
            else { continue }
            let delta = entry.index_to_workdir ?? entry.head_to_index
            guard let file = delta?.pointee.new_file.path ?? delta?.pointee.old_file.path else { continue }
            let path = String(cString: file)
            if prefix.isEmpty || path.hasPrefix(prefix) || path == folder { paths.append(path) }
        }
        return paths.sorted()
    }
}

extension Repository {
    /// The tree of the working tree as `git add -A` would stage it (tracked, modified and untracked files;
    /// ignored ones left out; deleted ones gone), without touching the index on disk. Its blobs and trees
    /// are written to the object database, as `git add` would, so that the registry can be read from them.
    public func workingTreeTree() throws -> ObjectID {
        guard workingDirectory != nil else {
            throw ModelGateError.badInput("the repository has no working tree (it is bare)")
        }
        var index: OpaquePointer?
        try check(git_repository_index(&index, pointer), "cannot open the index")
        defer {
            // Back to what is on disk: this index object is shared with the repository handle.
            _ = git_index_read(index, 1)
            git_index_free(index)
        }
        var everything = git_strarray()
        try check(
            git_index_add_all(index, &everything, GIT_INDEX_ADD_DEFAULT.rawValue, nil, nil),
            "cannot read the working tree")
        try check(git_index_update_all(index, &everything, nil, nil), "cannot read the working tree")
        var tree = git_oid()
        try check(git_index_write_tree(&tree, index), "cannot write the working tree's tree")
        return ObjectID(tree)
    }
}

import Foundation
internal import CGit2

extension Repository {
    /// Paths below `folder` (the whole working tree for "") that differ from HEAD as `git status` sees
    /// them: tracked files modified or staged, and untracked files Git does not ignore.
    public func uncommittedPaths(under folder: String) throws -> [String] {
        guard workingDirectory != nil else { return [] }
        var options = git_status_options()
        try check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "cannot prepare status options")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
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
            if prefix.isEmpty || path.hasPrefix(prefix) { paths.append(path) }
        }
        return paths.sorted()
    }
}

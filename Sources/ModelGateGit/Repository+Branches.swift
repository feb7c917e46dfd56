internal import CGit2
import Foundation
import ModelGateSupport

extension Repository {
    /// The local branches (`refs/heads/…`, full names, sorted) and the commits they point at; a symbolic
    /// branch or one whose target cannot be read is left out.
    public func localBranches() throws -> [(name: String, tip: ObjectID)] {
        var iterator: OpaquePointer?
        try check(git_branch_iterator_new(&iterator, pointer, GIT_BRANCH_LOCAL), "cannot list the branches")
        defer { git_branch_iterator_free(iterator) }
        var branches: [(name: String, tip: ObjectID)] = []
        while true {
            var reference: OpaquePointer?
            var type = GIT_BRANCH_LOCAL
            let code = git_branch_next(&reference, &type, iterator)
            if code == GIT_ITEROVER.rawValue { break }
            try check(code, "cannot list the branches")
            defer { git_reference_free(reference) }
            guard let name = git_reference_name(reference), let target = git_reference_target(reference) else {
                continue
            }
            branches.append((String(cString: name), ObjectID(target.pointee)))
        }
        return branches.sorted { $0.name < $1.name }
    }

    /// Points HEAD at the branch `name` (`refs/heads/…`, which must exist), as `git switch` does for a
    /// branch whose commit the index and working tree already match; nothing else is touched.
    public func switchHead(to name: String) throws {
        try check(git_repository_set_head(pointer, name), "cannot point HEAD at \(name)")
    }
}

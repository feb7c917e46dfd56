internal import CGit2
import ModelGateSupport

extension Repository {
    /// The best common ancestor of two commits (where a branch was cut from its target), or nil when the
    /// histories share none.
    public func mergeBase(_ one: ObjectID, _ other: ObjectID) throws -> ObjectID? {
        var result = git_oid()
        var first = one.raw
        var second = other.raw
        let code = git_merge_base(&result, pointer, &first, &second)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "cannot find the merge base of \(one.short) and \(other.short)")
        return ObjectID(result)
    }

    /// Whether `ancestor` is `commit` or in its history.
    public func isAncestor(_ ancestor: ObjectID, of commit: ObjectID) throws -> Bool {
        try ancestor == commit || mergeBase(ancestor, commit) == ancestor
    }
}

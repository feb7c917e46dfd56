internal import CGit2
import Foundation
import ModelGateSupport

/// A tag as `modelgate import gto` reads it: its name, the commit it points at, and its date (the
/// tagger's for an annotated tag, the commit's committer's for a lightweight one).
public struct GitTag: Hashable, Sendable {
    public var name: String
    public var commit: ObjectID
    public var date: Date
    /// Whether the tag is an annotated tag object (GTO writes those).
    public var isAnnotated: Bool
}

extension Repository {
    /// Every tag that points, at last, at a commit, sorted by name; tags of trees or blobs are left out.
    public func tags() throws -> [GitTag] {
        var names = git_strarray()
        try check(git_tag_list(&names, pointer), "cannot list the tags")
        defer { git_strarray_dispose(&names) }
        var tags: [GitTag] = []
        for index in 0..<names.count {
            guard let raw = names.strings[index] else { continue }
            let name = String(cString: raw)
            var object: OpaquePointer?
            guard git_revparse_single(&object, pointer, "refs/tags/\(name)") == 0 else { continue }
            defer { git_object_free(object) }
            var commit: OpaquePointer?
            guard git_object_peel(&commit, object, GIT_OBJECT_COMMIT) == 0 else { continue }
            defer { git_object_free(commit) }
            let id = ObjectID(git_object_id(commit).pointee)
            // Force unwrap: libgit2 gives every parsed commit a committer.
            var date = Signature(git_commit_committer(commit)!.pointee).date
            let annotated = git_object_type(object) == GIT_OBJECT_TAG
            if annotated, let tagger = git_tag_tagger(object) {
                date = Signature(tagger.pointee).date
            }
            tags.append(GitTag(name: name, commit: id, date: date, isAnnotated: annotated))
        }
        return tags.sorted { $0.name < $1.name }
    }
}

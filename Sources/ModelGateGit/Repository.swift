internal import CGit2
import Foundation
import ModelGateSupport

/// A Git repository opened through libgit2: the registry's only door to Git.
///
/// Not thread-safe (libgit2 objects are not): open one `Repository` per task.
public final class Repository {
    let pointer: OpaquePointer

    /// The working tree's root, or nil for a bare repository.
    public let workingDirectory: URL?
    /// The `.git` folder (or the bare repository itself).
    public let gitDirectory: URL

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
        workingDirectory = git_repository_workdir(pointer).map {
            URL(fileURLWithPath: String(cString: $0), isDirectory: true).standardizedFileURL
        }
        gitDirectory =
            URL(fileURLWithPath: String(cString: git_repository_path(pointer)), isDirectory: true)
            .standardizedFileURL
    }

    deinit { git_repository_free(pointer) }

    /// Opens the repository at `path`, or the nearest one above it when `search` is true.
    public static func open(at path: String, search: Bool = true) throws -> Repository {
        GitLibrary.ensureInitialized()
        var handle: OpaquePointer?
        let flags = search ? 0 : GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue
        let code = git_repository_open_ext(&handle, path, flags, nil)
        if code < 0 { throw GitError.last(code, "cannot open repository at \(path)") }
        guard let handle else { throw ModelGateError.environment("libgit2 returned no repository for \(path)") }
        return Repository(pointer: handle)
    }

    /// Another handle on this repository, for another thread: libgit2's handles must not be shared
    /// between threads, but several may read one repository at once.
    public func reopened() throws -> Repository {
        try Repository.open(at: gitDirectory.path, search: false)
    }

    /// Creates a new repository (with a working tree) at `path`, on branch `main`.
    public static func create(at path: String, initialBranch: String = "main") throws -> Repository {
        GitLibrary.ensureInitialized()
        var options = git_repository_init_options()
        try check(
            git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
            "cannot prepare repository options")
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue
        var handle: OpaquePointer?
        try initialBranch.withCString { branch in
            options.initial_head = branch
            try check(git_repository_init_ext(&handle, path, &options), "cannot create repository at \(path)")
        }
        guard let handle else { throw ModelGateError.environment("libgit2 returned no repository for \(path)") }
        return Repository(pointer: handle)
    }

    /// The commit a revision names: anything `git rev-parse` takes (branch, tag, `HEAD~2`, short id).
    public func resolveCommit(_ revision: String) throws -> ObjectID {
        guard let commit = try commitIfPresent(revision) else {
            throw ModelGateError.badInput("unknown revision '\(revision)'")
        }
        return commit
    }

    /// The commit `revision` names, or nil when it names nothing in this repository (a branch not fetched);
    /// an ambiguous or malformed revision, or one that is not a commit, is still an error.
    public func commitIfPresent(_ revision: String) throws -> ObjectID? {
        var object: OpaquePointer?
        let code = git_revparse_single(&object, pointer, revision)
        if code == GIT_ENOTFOUND.rawValue, !(revision == "HEAD" && git_repository_head_unborn(pointer) == 1) {
            return nil
        }
        if code < 0 {
            let error = GitError.last(code, "unknown revision '\(revision)'")
            if revision == "HEAD" && git_repository_head_unborn(pointer) == 1 {
                throw ModelGateError.badInput(
                    "this repository has no commits yet: commit the registry first (`modelgate validate --worktree` checks the files before that)"
                )
            }
            if code == GIT_EINVALIDSPEC.rawValue || code == GIT_EAMBIGUOUS.rawValue {
                throw ModelGateError.badInput(
                    code == GIT_EAMBIGUOUS.rawValue
                        ? "ambiguous revision '\(revision)'" : "unknown revision '\(revision)'")
            }
            throw error
        }
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        let peeled = git_object_peel(&commit, object, GIT_OBJECT_COMMIT)
        if peeled < 0 { throw ModelGateError.badInput("revision '\(revision)' does not name a commit") }
        defer { git_object_free(commit) }
        return ObjectID(git_object_id(commit).pointee)
    }

    /// Whether this is a shallow clone (its history stops at grafted commits whose parents are missing).
    public var isShallow: Bool { git_repository_is_shallow(pointer) == 1 }

    /// The full name of the branch HEAD points at (`refs/heads/main`), or nil when HEAD is detached.
    public func currentBranch() throws -> String? {
        var ref: OpaquePointer?
        let code = git_reference_lookup(&ref, pointer, "HEAD")
        if code < 0 { throw GitError.last(code, "cannot read HEAD") }
        defer { git_reference_free(ref) }
        guard git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC, let target = git_reference_symbolic_target(ref)
        else { return nil }
        return String(cString: target)
    }

    /// The commit a reference points at, or nil when it does not exist (an unborn branch).
    public func referenceTarget(_ name: String) throws -> ObjectID? {
        var oid = git_oid()
        let code = git_reference_name_to_id(&oid, pointer, name)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "cannot read reference \(name)")
        return ObjectID(oid)
    }

    /// The signature Git's configuration gives (`user.name`, `user.email`), now; nil when it gives none.
    public func defaultSignature() -> Signature? {
        var signature: UnsafeMutablePointer<git_signature>?
        guard git_signature_default(&signature, pointer) == 0, let signature else { return nil }
        defer { git_signature_free(signature) }
        return Signature(signature.pointee)
    }
}

extension Signature {
    init(_ raw: git_signature) {
        self.init(
            name: String(cString: raw.name),
            email: String(cString: raw.email),
            date: Date(timeIntervalSince1970: TimeInterval(raw.when.time)),
            timeZoneOffset: Int(raw.when.offset))
    }

    /// A libgit2 signature for the duration of `body`.
    func withRaw<T>(_ body: (UnsafeMutablePointer<git_signature>) throws -> T) throws -> T {
        var raw: UnsafeMutablePointer<git_signature>?
        try check(
            git_signature_new(&raw, name, email, git_time_t(date.timeIntervalSince1970), Int32(timeZoneOffset)),
            "invalid signature \(name) <\(email)>")
        defer { git_signature_free(raw) }
        // Force unwrap: libgit2 sets the out-parameter when it returns success (checked above).
        return try body(raw!)
    }
}

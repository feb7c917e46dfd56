import Crypto
import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport
import ModelGateYAML

/// What the gate may look at in the tree it judges, beyond the registry's own files: attestations, the
/// bytes behind recorded hashes, and the training code's tree. Reading it through this protocol keeps the
/// gate a function of values; `GitEvidence` is the real source.
public protocol Evidence {
    /// A small file (an attestation) at head, or nil when there is none.
    func file(_ path: String) -> Data?
    /// What Git holds at `path` at head, hashed as manifests record it.
    func content(at path: String) -> TrackedContent
    /// The Git tree id of the folder at `path` at head (the root for ""), or nil.
    func treeID(at path: String) -> ObjectID?
    /// What Git holds at `path` (its object id and kind), or nil: what a version's closure is made of.
    func entry(at path: String) -> TreeEntry?
    /// The names of the files in the folder at `path` at head, sorted; none where there is no such folder.
    func fileNames(in folder: String) -> [String]
    /// The same evidence at a version's `training.source`, or why it cannot be read there: the commit is
    /// not in this repository, or not in head's history.
    func source(_ commit: ObjectID) -> SourceLookup
}

/// Where a version's closure is read: its source commit's evidence, or why the gate cannot reach it.
public enum SourceLookup {
    case found(any Evidence)
    case unreachable(String)
}

extension Evidence {
    /// The closure of `training` as this evidence holds it, or why it cannot be made.
    public func closure(of training: Training) -> Result<VersionClosure, VersionClosure.Problem> {
        // `make` throws only what its lookup throws, and this one does not.
        (try? VersionClosure.make(training) { entry(at: $0) }) ?? .failure(.missing(VersionClosure.paths(of: training)))
    }
}

/// The bytes behind a path at head, as far as the gate can tell without fetching anything.
public enum TrackedContent: Sendable, Equatable {
    /// A file or folder Git tracks: its SHA-256 as manifests record it (a folder's is its listing's).
    case tracked(sha256: String, size: Int?)
    /// A Git LFS pointer: the object's SHA-256 and size, read from the pointer, the object not fetched.
    case lfsPointer(sha256: String, size: Int)
    /// Nothing Git tracks is there.
    case untracked
    /// Something is there but cannot be hashed here (a folder holding LFS pointers or links); says why.
    case unverifiable(String)
}

/// Evidence read from one commit of a repository through libgit2, hashes cached by blob id.
public final class GitEvidence: Evidence {
    let repository: Repository
    let root: ObjectID?
    /// The commit whose history a version's source must be in (head's; HEAD's under `--worktree`).
    let head: ObjectID?
    private var hashes: [ObjectID: String] = [:]
    private var sources: [ObjectID: SourceLookup] = [:]

    public init(repository: Repository, commit: ObjectID) {
        self.repository = repository
        root = try? repository.treeID(ofCommit: commit)
        head = commit
    }

    /// Evidence read from the tree `root` (the working tree's, for `--worktree`), with `head` the commit
    /// whose history sources must be in.
    public init(repository: Repository, tree root: ObjectID, head: ObjectID? = nil) {
        self.repository = repository
        self.root = root
        self.head = head
    }

    /// Evidence where `registry` was read from: its tree, else its commit.
    public convenience init(repository: Repository, registry: Registry) {
        if let tree = registry.tree {
            self.init(repository: repository, tree: tree, head: registry.commit)
        } else {
            self.init(repository: repository, commit: registry.commit)
        }
    }

    public func entry(at path: String) -> TreeEntry? { entry(path) }

    public func fileNames(in folder: String) -> [String] {
        guard let tree = treeID(at: folder), let entries = try? repository.entries(ofTree: tree) else { return [] }
        return entries.filter(\.isFile).map(\.name).sorted()
    }

    public func source(_ commit: ObjectID) -> SourceLookup {
        if let known = sources[commit] { return known }
        let lookup: SourceLookup
        if (try? repository.commit(commit)) == nil {
            lookup = .unreachable(
                "training.source \(commit.hex) is not a commit of this repository (a shallow clone or a force-push: fetch the full history, git fetch --unshallow)"
            )
        } else if let head, (try? repository.isAncestor(commit, of: head)) != true {
            lookup = .unreachable(
                "training.source \(commit.hex) is not in the history of \(head.short): the version's training cannot be read where it is judged"
            )
        } else {
            lookup = .found(GitEvidence(repository: repository, commit: commit))
        }
        sources[commit] = lookup
        return lookup
    }

    public func file(_ path: String) -> Data? {
        guard let entry = entry(path), entry.isFile,
            (try? repository.blobSize(entry.id)) ?? .max <= YAMLLoader.defaultMaximumBytes
        else { return nil }
        return try? repository.blob(entry.id)
    }

    public func treeID(at path: String) -> ObjectID? {
        if path.isEmpty { return root }
        guard let entry = entry(path), entry.kind == .tree else { return nil }
        return entry.id
    }

    public func content(at path: String) -> TrackedContent {
        guard let entry = entry(path) else { return .untracked }
        do {
            switch entry.kind {
            case .blob, .executable:
                let size = try repository.blobSize(entry.id)
                if size <= LFSPointer.maximumSize, let pointer = LFSPointer(try repository.blob(entry.id)) {
                    return .lfsPointer(sha256: pointer.sha256, size: pointer.size)
                }
                return .tracked(sha256: try hash(entry.id), size: size)
            case .tree:
                return try folderHash(entry.id).map { .tracked(sha256: $0, size: nil) }
                    ?? .unverifiable("\(path) holds Git LFS pointers or links, which are not hashed without fetching")
            case .symlink, .submodule:
                return .unverifiable("\(path) is a link or a submodule in Git")
            }
        } catch {
            return .unverifiable("\(path) cannot be read: \(error)")
        }
    }

    private func entry(_ path: String) -> TreeEntry? {
        guard let root, !path.isEmpty else { return nil }
        return try? repository.entry(at: path, inTree: root)
    }

    private func hash(_ blob: ObjectID) throws -> String {
        if let known = hashes[blob] { return known }
        let digest = Hex.encode(SHA256.hash(data: try repository.blob(blob)))
        hashes[blob] = digest
        return digest
    }

    /// A folder's hash as `modelgate hash` computes it from the files on disk, or nil where it holds
    /// something other than plain files.
    private func folderHash(_ tree: ObjectID) throws -> String? {
        var lines: [(path: String, line: String)] = []
        func walk(_ tree: ObjectID, _ prefix: String) throws -> Bool {
            for entry in try repository.entries(ofTree: tree) {
                let path = prefix.isEmpty ? entry.name : "\(prefix)/\(entry.name)"
                switch entry.kind {
                case .tree: guard try walk(entry.id, path) else { return false }
                case .blob, .executable:
                    if try repository.blobSize(entry.id) <= LFSPointer.maximumSize,
                        LFSPointer(try repository.blob(entry.id)) != nil
                    {
                        return false
                    }
                    lines.append((path, "\(try hash(entry.id))  \(path)\n"))
                case .symlink, .submodule: return false
                }
            }
            return true
        }
        guard try walk(tree, "") else { return nil }
        let listing = lines.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }.map(\.line).joined()
        return Hex.encode(SHA256.hash(data: Data(listing.utf8)))
    }
}

/// A Git LFS pointer file (`version https://git-lfs.github.com/spec/v1`, `oid sha256:…`, `size …`),
/// recognised by its content whatever `.gitattributes` says.
public struct LFSPointer: Sendable, Equatable {
    /// Pointer files are small; the specification caps them at 1024 bytes.
    public static let maximumSize = 1024

    public var sha256: String
    public var size: Int

    public init?(_ data: Data) {
        guard data.count <= Self.maximumSize, let text = String(data: data, encoding: .utf8),
            text.hasPrefix("version https://git-lfs.github.com/spec/v1\n")
        else { return nil }
        var oid: String?
        var size: Int?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("oid sha256:") { oid = String(line.dropFirst("oid sha256:".count)) }
            if line.hasPrefix("size ") { size = Int(line.dropFirst(5)) }
        }
        guard let oid, Hex.isLowercase(oid, count: 64), let size, size >= 0 else { return nil }
        sha256 = oid
        self.size = size
    }
}

/// Evidence given as values: what a gate sees when it judges registries assembled in memory (fuzzing,
/// unit tests) rather than read from Git.
public struct StaticEvidence: Evidence {
    public var files: [String: Data]
    public var contents: [String: TrackedContent]
    public var trees: [String: ObjectID]
    /// What a path holds, for closures (`trees` count as folders too).
    public var entries: [String: TreeEntry] = [:]
    /// The evidence at each source commit reachable from head.
    public var sources: [ObjectID: StaticEvidence] = [:]

    public init(files: [String: Data] = [:], contents: [String: TrackedContent] = [:], trees: [String: ObjectID] = [:])
    {
        self.files = files
        self.contents = contents
        self.trees = trees
    }

    public func file(_ path: String) -> Data? { files[path] }
    public func content(at path: String) -> TrackedContent { contents[path] ?? .untracked }
    public func treeID(at path: String) -> ObjectID? { trees[path] }
    public func entry(at path: String) -> TreeEntry? {
        entries[path] ?? trees[path].map { TreeEntry(name: path, id: $0, kind: .tree) }
    }
    public func fileNames(in folder: String) -> [String] {
        files.keys.filter { $0.hasPrefix(folder + "/") && !$0.dropFirst(folder.count + 1).contains("/") }
            .map { String($0.dropFirst(folder.count + 1)) }.sorted()
    }
    public func source(_ commit: ObjectID) -> SourceLookup {
        sources[commit].map { .found($0) } ?? .unreachable("training.source \(commit.hex) is not in head's history")
    }
}

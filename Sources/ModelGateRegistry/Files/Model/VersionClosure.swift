import Crypto
import Foundation
import ModelGateGit
import ModelGateSupport

/// What a version was trained from, read at its `training.source` commit: the `workdir` tree, each
/// `training.data` file, the lockfile and each `training.inputs` path, each by its Git object id (a data
/// entry with a `uri`, or one Git does not hold, by its recorded sha256).
///
/// The one place that says what a version's training may read: `repro` builds its scratch tree from these
/// paths and nothing else, `record` refuses a working tree that differs from them, the attestation binds
/// the digest, and the gate recomputes it. Reading it at the source commit, never at head, is what lets the
/// next version's edits leave every recorded version as it was.
public struct VersionClosure: Sendable, Equatable {
    /// One path of the closure and what it is bound to.
    public struct Entry: Sendable, Equatable {
        public var path: String
        /// A Git object id (a blob for a file, a tree for a folder), or a recorded sha256 in hex.
        public var id: String
    }

    /// The entries, sorted by path (bytes), one per path.
    public var entries: [Entry]

    /// `sha256:` of the lines `<id> <path>\n`, in `entries`' order: what an attestation's
    /// `predicate.closure` holds.
    public var digest: String {
        let lines = entries.map { "\($0.id) \($0.path)\n" }.joined()
        return "sha256:" + Hex.encode(SHA256.hash(data: Data(lines.utf8)))
    }

    /// The paths a training reads, in the order the manifest names them, each once: the folder it runs
    /// in, its data, its lockfile, its inputs. The scratch tree holds these and nothing else.
    public static func paths(of training: Training) -> [String] {
        var seen = Set<String>()
        let all =
            [training.workdir] + training.data.map(\.path) + (training.lockfile.map { [$0.path] } ?? [])
            + training.inputs
        return all.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The paths of `training` that reach a place of the registry (`deployPath` included), with the place:
    /// refused before anything trains, whatever the manifest's validation said.
    public static func reservedPaths(of training: Training, deployPath: String) -> [(path: String, place: String)] {
        let workdir = training.workdir.isEmpty ? [""] : []
        return (workdir + paths(of: training)).compactMap { path in
            RegistryLayout.reservedPlace(of: path, deployPath: deployPath).map { (path, $0) }
        }
    }

    /// Why a closure cannot be read.
    public enum Problem: Error, Sendable, Equatable {
        /// Paths the commit does not hold (and that have no recorded sha256 to stand in).
        case missing([String])
        /// A path that is a link or a submodule there.
        case notContent(String)
    }

    /// The closure of `training` with `lookup` saying what the source commit holds at a path (its object id
    /// and whether it is a file, folder, link or submodule), or nil where nothing is there.
    public static func make(
        _ training: Training, lookup: (String) throws -> TreeEntry?
    ) throws -> Result<VersionClosure, Problem> {
        let recorded = Dictionary(
            training.data.compactMap { file in
                file.sha256.map { (file.path, (sha256: $0, isDownload: file.uri != nil)) }
            },
            uniquingKeysWith: { first, _ in first })
        var entries: [Entry] = []
        var missing: [String] = []
        for path in paths(of: training) {
            if let data = recorded[path], data.isDownload {
                entries.append(Entry(path: path, id: data.sha256))
                continue
            }
            guard let entry = try lookup(path) else {
                if let data = recorded[path] {
                    entries.append(Entry(path: path, id: data.sha256))
                } else {
                    missing.append(path)
                }
                continue
            }
            switch entry.kind {
            case .blob, .executable, .tree: entries.append(Entry(path: path, id: entry.id.hex))
            case .symlink, .submodule: return .failure(.notContent(path))
            }
        }
        if !missing.isEmpty { return .failure(.missing(missing)) }
        entries.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return .success(VersionClosure(entries: entries))
    }

    /// The closure of `training` at `commit` of `repository`.
    public static func read(_ training: Training, at commit: ObjectID, in repository: Repository) throws -> Result<
        VersionClosure, Problem
    > {
        let tree = try repository.treeID(ofCommit: commit)
        return try make(training) { try repository.entry(at: $0, inTree: tree) }
    }
}

extension VersionClosure.Problem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .missing(let paths): "it does not hold \(paths.map(Escape.control).joined(separator: ", "))"
        case .notContent(let path): "\(Escape.control(path)) is a link or a submodule there"
        }
    }
}

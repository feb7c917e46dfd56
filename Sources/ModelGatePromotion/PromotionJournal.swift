import Foundation
import ModelGateGit
import ModelGateSupport

/// `.git/modelgate-promote`: what a promotion of the checked-out branch is doing while it does it — the
/// branch, the tip it started from, the commit it is landing and the files that commit changes. Written
/// before the working tree and index take the new files, removed once the branch has moved (or the files
/// are put back). A promote killed in between leaves it, and the next one finishes the job: the files
/// follow the branch, wherever a kill left it, and an edit made since is kept.
struct PromotionJournal: Equatable {
    var branch: String
    var tip: ObjectID
    var commit: ObjectID
    var paths: [String]

    static func url(in repository: Repository) -> URL {
        repository.gitDirectory.appendingPathComponent("modelgate-promote")
    }

    /// One line: branch, tip, commit, then the paths, separated by tabs.
    func write(in repository: Repository) throws {
        let line = ([branch, tip.hex, commit.hex] + paths).joined(separator: "\t") + "\n"
        try AtomicFile.write(line, to: Self.url(in: repository), under: repository.gitDirectory)
    }

    static func read(in repository: Repository) -> PromotionJournal? {
        guard let data = try? RegularFile.read(url(in: repository).path) else { return nil }
        let fields = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines).split(separator: "\t")
            .map(String.init)
        guard fields.count >= 3, let tip = ObjectID(hex: fields[1]), let commit = ObjectID(hex: fields[2]) else {
            return nil
        }
        return PromotionJournal(branch: fields[0], tip: tip, commit: commit, paths: Array(fields.dropFirst(3)))
    }

    static func remove(in repository: Repository) {
        try? FileManager.default.removeItem(at: url(in: repository))
    }

    /// Puts the files where the branch is now — the commit's where it landed, the tip's where it did not,
    /// another writer's where one moved it — for files that still hold the tip's or the commit's bytes, and
    /// removes what a killed write left beside them.
    func finish(in repository: Repository) throws {
        if let current = try repository.referenceTarget(branch) {
            let old = try repository.treeID(ofCommit: tip)
            let new = try repository.treeID(ofCommit: commit)
            let ours = try paths.filter { path in
                let onDisk = repository.workingTreeBytes(path)
                let versions = try [old, new].map { tree in
                    try repository.entry(at: path, inTree: tree).map { try repository.blob($0.id) }
                }
                return versions.contains(onDisk)
            }
            try repository.syncWorkingTree(paths: ours, toCommit: current)
        }
        if let root = repository.workingDirectory {
            for path in paths {
                let file = root.appendingPathComponent(path)
                let folder = file.deletingLastPathComponent()
                for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
                where ConfinedPath.isLeftover(entry, of: file.lastPathComponent) {
                    try? FileManager.default.removeItem(at: folder.appendingPathComponent(entry))
                }
            }
        }
        Self.remove(in: repository)
    }
}

import Foundation
import ModelGateGit
import ModelGateSupport

/// Where `promote` and `record --commit` commit: the checked-out branch, or a new branch created from HEAD.
public struct CommitTarget: Sendable {
    /// `refs/heads/<name>`.
    public var reference: String
    /// The commit the new one goes on top of.
    public var tip: ObjectID
    /// Whether it is the checked-out branch (whose index and working tree follow the commit).
    public var checkedOut: Bool
    /// Whether HEAD moves to the new branch once it holds the commit, as `git switch -c` would (`record`:
    /// the next command sees the version); otherwise the files leave the working tree (`promote`).
    public var switchesHead = false

    /// The checked-out branch, or `branch` (which must not exist yet) created from HEAD; with `switching`,
    /// HEAD follows the new branch.
    public static func resolve(branch: String?, switching: Bool = false, in repository: Repository) throws
        -> CommitTarget
    {
        if let branch {
            let name = branch.hasPrefix("refs/heads/") ? branch : "refs/heads/\(branch)"
            guard ReferenceName.isValidBranch(name) else {
                throw ModelGateError.badInput("invalid branch name \(Quoted(branch))")
            }
            if try repository.referenceTarget(name) != nil {
                throw ModelGateError.badInput("branch \(Quoted(branch)) already exists")
            }
            var target = CommitTarget(reference: name, tip: try repository.resolveCommit("HEAD"), checkedOut: false)
            target.switchesHead = switching && repository.workingDirectory != nil
            return target
        }
        guard let current = try repository.currentBranch() else {
            throw ModelGateError.badInput("HEAD is detached: check out a branch or pass --branch")
        }
        guard let tip = try repository.referenceTarget(current) else {
            throw ModelGateError.badInput("\(current) has no commits yet")
        }
        return CommitTarget(reference: current, tip: tip, checkedOut: repository.workingDirectory != nil)
    }

    /// The author a command was given, else the one Git's configuration names.
    static func signature(_ author: Signature?, in repository: Repository) throws -> Signature {
        guard let signature = author ?? repository.defaultSignature() else {
            throw ModelGateError.badInput(
                "no author: set user.name and user.email in the repository's Git config, or pass --author")
        }
        return signature
    }

    /// Commits `paths` (read from the working tree) on the target in one compare-and-swap, holding the
    /// working-tree lock; on the checked-out branch, or a new one HEAD switches to, the index follows so
    /// that `git status` stays clean; on another branch the files leave the working tree (they are in that
    /// branch's commit).
    public func commit(_ paths: [String], message: String, author: Signature?, in repository: Repository) throws
        -> ObjectID
    {
        guard let root = repository.workingDirectory else {
            throw ModelGateError.badInput("this repository has no working tree")
        }
        let signature = try Self.signature(author, in: repository)
        return try repository.withWorkingTreeLock {
            let changes = try paths.map { path -> FileChange in
                guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
                    throw ModelGateError.environment("cannot read \(path) to commit it")
                }
                return FileChange(path: path, contents: data)
            }
            let commit = try repository.createCommit(
                changing: changes, parent: tip, message: message.hasSuffix("\n") ? message : message + "\n",
                author: signature,
                committer: signature)
            do {
                try repository.updateReference(
                    reference, to: commit, expecting: checkedOut ? tip : nil, log: "modelgate: \(message)")
            } catch let error as GitError where error.isConcurrentUpdate || error.isLocked {
                throw ModelGateError.environment(
                    "\(reference) moved while committing (\(error.message)); nothing was committed, try again")
            }
            if checkedOut {
                try repository.syncWorkingTree(paths: paths, toCommit: commit)
            } else if switchesHead {
                // The index first: a kill before HEAD moves leaves the files staged on the old branch.
                try repository.syncWorkingTree(paths: paths, toCommit: commit)
                try repository.switchHead(to: reference)
            } else {
                for path in paths { try? FileManager.default.removeItem(at: root.appendingPathComponent(path)) }
            }
            return commit
        }
    }
}

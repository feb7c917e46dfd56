import Foundation
import ModelGateGit
import ModelGateSupport
import ModelGateYAML

/// One change of one stage of a model, as Git recorded it.
public struct StageChange: Sendable {
    public var date: Date
    public var commit: ObjectID
    public var author: Signature
    public var stage: String
    /// The holder before the change (nil: the stage was empty).
    public var fromVersion: String?
    /// The holder after it (nil: the stage was emptied).
    public var toVersion: String?
    public var subject: String
}

/// A stage's holder at a point of the history, and the change that put it there.
public struct StageHolding: Sendable {
    public var stage: String
    public var version: String
    public var since: StageChange?
}

/// Every stage change of a model, read from the first-parent history of its `stages.yaml`.
///
/// Only the commits where the file's blob id changed are parsed (a few hundred in a history of tens of
/// thousands); a merge counts as one change on the first-parent line, its second parent's commits are not
/// walked.
public struct StageHistory {
    public let repository: Repository
    public let model: String

    public init(repository: Repository, model: String) {
        self.repository = repository
        self.model = model
    }

    var path: String { StageAssignments.path(model) }

    /// Every change, newest first, from `start` back to the root.
    public func changes(from start: ObjectID) throws -> [StageChange] { try walk(from: start).changes }

    /// Every change, newest first, from `start` back to the root or to a shallow clone's boundary; with the
    /// number of commits read and that boundary.
    public func walk(from start: ObjectID) throws -> (
        changes: [StageChange], commitsSeen: Int, shallowBoundary: ObjectID?
    ) {
        let walk = try repository.firstParentWalk(of: path, from: start)
        return (try Self.stageChanges(walk.changes, path: path, in: repository), walk.commitsSeen, walk.shallowBoundary)
    }

    /// Every model's changes, newest first, from `start` back to the root (or a shallow clone's boundary),
    /// in one walk of the history: what `changes(from:)` gives for each model, for a reader of all of them.
    public static func changesOfEveryModel(in repository: Repository, from start: ObjectID) throws
        -> [String: [StageChange]]
    {
        let walk = try repository.firstParentChanges(
            ofFile: RegistryLayout.stagesFile, inEachFolderOf: RegistryLayout.models, from: start)
        // Each model's stage files are read and parsed on every core, a repository handle per worker.
        let models = Array(walk.changes)
        let workers = models.count < 64 ? 1 : ProcessInfo.processInfo.activeProcessorCount
        let parsed = Concurrently.map(
            models.count, workers: workers,
            state: { worker in Result { worker == 0 ? repository : try repository.reopened() } }
        ) { handle, index in
            handle.flatMap { handle in
                Result {
                    try stageChanges(models[index].value, path: StageAssignments.path(models[index].key), in: handle)
                }
            }
        }
        var result: [String: [StageChange]] = [:]
        for (model, changes) in zip(models, parsed) { result[model.key] = try changes.get() }
        return result
    }

    /// The stage changes of the commits where `path` changed: each stage whose holder differs.
    private static func stageChanges(_ changes: [PathChange], path: String, in repository: Repository) throws
        -> [StageChange]
    {
        var cache: [ObjectID: [String: String]] = [:]
        func holders(_ blob: ObjectID?) throws -> [String: String] {
            guard let blob else { return [:] }
            if let known = cache[blob] { return known }
            let parsed = Self.holders(in: try repository.blob(blob), path: path)
            cache[blob] = parsed
            return parsed
        }
        var result: [StageChange] = []
        for change in changes {
            let after = try holders(change.blob)
            let before = try holders(change.previousBlob)
            for stage in Set(after.keys).union(before.keys).sorted() where after[stage] != before[stage] {
                result.append(
                    StageChange(
                        date: change.commit.author.date, commit: change.commit.id, author: change.commit.author,
                        stage: stage, fromVersion: before[stage], toVersion: after[stage],
                        subject: change.commit.summary))
            }
        }
        return result
    }

    /// Who held each stage at `commit` (its `stages.yaml` there), with the change that put each holder there.
    public func holdings(at commit: ObjectID) throws -> [StageHolding] {
        let history = try changes(from: commit)
        guard let blob = try repository.blobID(at: path, inCommit: commit) else { return [] }
        let current = Self.holders(in: try repository.blob(blob), path: path)
        return current.sorted { $0.key < $1.key }.map { stage, version in
            StageHolding(
                stage: stage, version: version, since: history.first { $0.stage == stage && $0.toVersion == version })
        }
    }

    /// The stage -> version pairs of a `stages.yaml`, read leniently (history must survive old, odd files).
    static func holders(in data: Data, path: String) -> [String: String] {
        guard let node = try? YAMLLoader().load(data, path: path), case .mapping(let pairs) = node.kind,
            let stages = pairs.first(where: { $0.key == "stages" }), case .mapping(let entries) = stages.value.kind
        else { return [:] }
        var holders: [String: String] = [:]
        for entry in entries {
            if case .scalar(let version, _) = entry.value.kind { holders[entry.key] = version }
        }
        return holders
    }
}

extension StageHistory {
    /// The version that held `stage` before its current holder at `commit`: what `rollback` restores.
    public func previousHolder(of stage: String, at commit: ObjectID) throws -> (current: String, previous: String) {
        var bag = DiagnosticBag()
        try RegistrySettings.requireStage(
            stage, on: RegistryLoader(repository: repository).settings(at: commit, bag: &bag).stages)
        let history = try changes(from: commit)
        guard let current = try holdings(at: commit).first(where: { $0.stage == stage })?.version else {
            throw ModelGateError.badInput("no version of \(model) holds \(stage)")
        }
        guard let change = history.first(where: { $0.stage == stage && $0.toVersion == current }),
            let previous = change.fromVersion
        else {
            throw ModelGateError.badInput(
                "no version held \(stage) before \(model) \(current): nothing to roll back to")
        }
        return (current, previous)
    }
}

/// A point of the history as `--at` names it: any model's, or none in particular (`history --at`, `dossier`).
extension Repository {
    /// The newest commit of the first-parent line from `start` whose commit time is at or before `date`.
    public func firstParentCommit(at date: Date, from start: ObjectID) throws -> ObjectID? {
        var current: ObjectID? = start
        while let id = current {
            let info: CommitInfo
            do {
                info = try commit(id)
            } catch  where isShallow {
                throw ModelGateError.badInput(
                    "the history stops at \(id.short) before \(Dates.format(date)): this clone is shallow. \(FetchAdvice.shallow)"
                )
            }
            if info.committer.date <= date { return id }
            current = info.parents.first
        }
        return nil
    }

    /// The commit `--at` names: a day (its end, UTC), a timestamp (the newest first-parent commit at or
    /// before it), or a revision.
    public func firstParentCommit(atDateOrRevision text: String, from start: ObjectID) throws -> ObjectID {
        if let date = Dates.parseTimestamp(text) ?? Dates.parseDay(text).map({ $0.addingTimeInterval(86_399) }) {
            guard let found = try firstParentCommit(at: date, from: start) else {
                throw ModelGateError.badInput("the history starts after \(text)")
            }
            return found
        }
        do {
            return try resolveCommit(text)
        } catch {
            throw ModelGateError.badInput(
                "--at \(Quoted(text)) is neither a date nor a revision: give a day (2026-03-03, the end of that day in UTC), a timestamp (2026-03-03T12:00:00Z), or a ref (main, a tag, a commit id)"
            )
        }
    }
}

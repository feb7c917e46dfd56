import Foundation
import ModelGateGate
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// `modelgate promote`: judges the would-be `stages.yaml` with the gate and writes it as one commit,
/// moving the branch with a compare-and-swap and retrying (re-reading and re-judging) when another writer
/// moved it first.
public struct Promoter {
    /// What a promotion did.
    public struct Outcome: Sendable {
        /// The gate's report on the would-be change (at the tip it was finally judged on).
        public var report: GateReport
        /// The new commit, nil when the gate refused.
        public var commit: ObjectID?
        public var branch: String
        public var message: String
        /// The version that held the stage before, and where it went.
        public var previousHolder: String?
        public var archived: Bool
        /// How many times the branch moved under us before the commit landed.
        public var retries: Int
    }

    public let repository: Repository
    /// Commit even when the gate fails (said in the commit message).
    public var force = false
    public var message: String?
    public var author: Signature?
    /// Create this branch from HEAD and commit there, instead of on the checked-out branch.
    public var branch: String?
    public var failOnWarn = false
    /// How many times a promotion is re-judged on a tip that moved under it before it gives up (exit 3).
    public var maximumAttempts = 20
    /// How long a promotion waits, in all, for another writer's lock on the branch to go away.
    public var lockPatience: TimeInterval = 10
    public var now = Date()

    public init(repository: Repository) { self.repository = repository }

    /// On the checked-out branch the whole promotion holds the working-tree lock (an `flock` that dies with
    /// its holder), so promotes in one working tree take turns instead of seeing one another's half-written
    /// `stages.yaml`; a promotion that was killed after its commit landed is repaired first.
    public func promote(model: String, version: String, to stage: String, subject: String? = nil) throws -> Outcome {
        let (branchRef, startTip, checkedOut) = try targetBranch()
        guard checkedOut else {
            return try promote(
                model: model, version: version, to: stage, subject: subject, on: branchRef, from: startTip,
                checkedOut: false)
        }
        return try repository.withWorkingTreeLock {
            // A git (or a modelgate killed mid-write) holding the index: say so before writing anything.
            let indexLock = repository.gitDirectory.appendingPathComponent("index.lock")
            if FileManager.default.fileExists(atPath: indexLock.path) {
                throw ModelGateError.environment(
                    "\(indexLock.path) exists: another git or modelgate is writing the index, or one was killed mid-write; nothing was committed (if no such process is running, delete the lock and try again)"
                )
            }
            try repairInterruptedPromotion(on: branchRef)
            let tip = try repository.referenceTarget(branchRef) ?? startTip
            return try promote(
                model: model, version: version, to: stage, subject: subject, on: branchRef, from: tip, checkedOut: true)
        }
    }

    /// Finishes a promotion a kill interrupted (`PromotionJournal`): the files follow the branch.
    func repairInterruptedPromotion(on branch: String) throws {
        guard let journal = PromotionJournal.read(in: repository), journal.branch == branch else { return }
        try journal.finish(in: repository)
    }

    // Long on purpose: the compare-and-swap in its order (journal, gate, commit, branch, working tree, journal done),
    // with the crash points between its steps in one place.
    private func promote(
        model: String, version: String, to stage: String, subject: String?, on branchRef: String,
        from startTip: ObjectID,
        checkedOut: Bool
    ) throws -> Outcome {
        let path = StageAssignments.path(model)
        if checkedOut, try repository.hasUncommittedChanges(at: path) {
            throw ModelGateError.badInput("\(path) has uncommitted changes; commit or discard them before promoting")
        }
        let signature = try CommitTarget.signature(author, in: repository)
        var tip = startTip
        var attempt = 0
        let lockDeadline = Date().addingTimeInterval(lockPatience)
        while true {
            attempt += 1
            var plan = try judge(model: model, version: version, stage: stage, at: tip, by: signature)
            let text =
                message
                ?? Self.message(
                    subject: subject ?? "Promote \(model) \(version) to \(stage)", plan: plan,
                    forced: force && plan.report.verdict == .fail)
            guard plan.report.verdict == .pass || force else {
                return Outcome(
                    report: plan.report, commit: nil, branch: branchRef, message: text, previousHolder: plan.previous,
                    archived: plan.archived, retries: attempt - 1)
            }
            let commit = try repository.createCommit(
                changing: [FileChange(path: path, contents: Data(plan.stagesText.utf8))], parent: tip,
                message: text.hasSuffix("\n") ? text : text + "\n", author: signature, committer: signature)
            // The commit differs from the one judged in its message alone (which carries the verdict), and
            // the check reads trees and the base's history, never a message: the report is this commit's.
            plan.report.head = commit
            CrashPoint.reach("promote: commit created, nothing else changed")
            let expected = attempt == 1 && branch != nil ? nil : tip
            let log = "modelgate: \(text.prefix { $0 != "\n" })"
            // The index and working tree first, then the branch: a kill at any moment leaves the old state or
            // files that already match the new commit, never a branch whose files would revert it.
            let journal = PromotionJournal(branch: branchRef, tip: tip, commit: commit, paths: [path])
            if checkedOut {
                try journal.write(in: repository)
                try repository.syncWorkingTree(paths: [path], toCommit: commit)
            }
            var update: Swap
            do {
                update = try swap(branchRef, to: commit, expecting: expected, log: log)
                // Another writer holds the branch's lock and has not moved it yet: wait, the same commit in hand.
                while case .locked = update, Date() < lockDeadline, try repository.referenceTarget(branchRef) == tip {
                    usleep(useconds_t.random(in: 1_000...10_000))
                    update = try swap(branchRef, to: commit, expecting: expected, log: log)
                }
            } catch {
                if checkedOut { try journal.finish(in: repository) }
                throw error
            }
            if case .landed = update { CrashPoint.reach("promote: branch moved, journal not finished") }
            if checkedOut { try journal.finish(in: repository) }
            switch update {
            case .landed:
                break
            case .locked(let error) where Date() >= lockDeadline:
                let lock = repository.gitDirectory.appendingPathComponent(branchRef + ".lock").path
                guard FileManager.default.fileExists(atPath: lock) else {
                    throw ModelGateError.environment("cannot update \(branchRef): \(error.message)")
                }
                throw ModelGateError.environment(
                    "\(lock) exists: another git or modelgate is updating \(branchRef), or one was killed mid-update; nothing was committed (if no such process is running, delete the lock and try again)"
                )
            case .locked, .moved:
                // The tip moved under us: judge again on the new tip.
                guard attempt < maximumAttempts, let moved = try repository.referenceTarget(branchRef) else {
                    throw ModelGateError.environment(
                        "\(branchRef) kept moving while promoting (\(attempt) attempts); nothing was committed, try again"
                    )
                }
                tip = moved
                usleep(useconds_t.random(in: 1_000...20_000))
                continue
            }
            return Outcome(
                report: plan.report, commit: commit, branch: branchRef, message: text, previousHolder: plan.previous,
                archived: plan.archived, retries: attempt - 1)
        }
    }

    /// How one compare-and-swap of the branch went.
    private enum Swap {
        case landed
        /// The branch is not at the expected tip (or, for a new branch, already exists).
        case moved
        /// Another writer holds the branch's lock file.
        case locked(GitError)
    }

    private func swap(_ branch: String, to commit: ObjectID, expecting expected: ObjectID?, log: String) throws -> Swap
    {
        do {
            try repository.updateReference(branch, to: commit, expecting: expected, log: log)
            return .landed
        } catch let error as GitError where error.isLocked {
            return .locked(error)
        } catch let error as GitError where error.isConcurrentUpdate {
            return .moved
        }
    }

    private func targetBranch() throws -> (String, ObjectID, Bool) {
        let target = try CommitTarget.resolve(branch: branch, in: repository)
        return (target.reference, target.tip, target.checkedOut)
    }

    /// The would-be `stages.yaml` at `tip` and the gate's verdict on it.
    struct Plan {
        var report: GateReport
        var stagesText: String
        var previous: String?
        var archived: Bool
    }

    /// The change a promotion makes, judged exactly as `check --base <tip> --head <the change>` judges it:
    /// the would-be commit is written (an object no branch points at yet) and the check runs on it, so
    /// that `promote`, `rollback` and CI's `check` are one gate with one report.
    func judge(model: String, version: String, stage: String, at tip: ObjectID, by signature: Signature) throws
        -> Plan
    {
        let current = try RegistryLoader(repository: repository).load(models: [model], at: tip)
        let modelErrors = current.diagnostics.filter {
            $0.location.map { RegistryLayout.isInFolder(of: model, $0.path) } ?? false
        }
        if !modelErrors.isEmpty { throw InvalidRegistryError(modelErrors) }
        _ = try current.version(model, version, in: repository)
        let ladder = current.settings.stages
        try RegistrySettings.requireStage(stage, on: ladder)
        var holders = (current.models[model]?.stages?.stages ?? [:]).mapValues(\.version)
        if holders[stage] == version { throw ModelGateError.badInput("\(model) \(version) already holds \(stage)") }
        let previous = holders[stage]
        holders = holders.filter { $0.value != version }
        holders[stage] = version
        var archived = false
        if let previous, stage != "archived", ladder.contains("archived") {
            holders["archived"] = previous
            archived = true
        }
        let text = StageAssignments.render(model: model, stages: holders, ladder: ladder)
        let change = try repository.createCommit(
            changing: [FileChange(path: StageAssignments.path(model), contents: Data(text.utf8))], parent: tip,
            message: "modelgate: the change being judged\n", author: signature, committer: signature)
        var runner = CheckRunner(repository: repository)
        runner.failOnWarn = failOnWarn
        runner.now = now
        let report = try runner.run(base: tip.hex, head: change.hex, policiesFrom: nil)
        return Plan(report: report, stagesText: text, previous: previous, archived: archived)
    }

    /// `Promote churn 1.3.0 to production`, then the gate's verdict and what moved.
    static func message(subject: String, plan: Plan, forced: Bool) -> String {
        var body = "\(subject)\n\nGate: \(plan.report.verdict.rawValue) (\(plan.report.summary))"
        if forced { body += "\nForced with --force past a failing gate." }
        if let previous = plan.previous {
            body += "\nPrevious holder \(previous)\(plan.archived ? " moves to archived" : " leaves the stage")."
        }
        return body + "\n\nPromoted-by: modelgate \(ModelGateVersion.current)\n"
    }
}

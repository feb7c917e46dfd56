import Foundation
import ModelGateGit
import ModelGateRegistry

extension CheckRunner {
    /// `check --policies-from REF --replay [--since DATE]`: back-testing a policy. Every promotion of the
    /// first-parent history of `start` (each commit where a stage took a new holder, a merged pull request
    /// counting once) is judged again, as `check` judged it against that commit's first parent, but under
    /// the rules at `rules`; and under the rules of its own time, to tell what would newly fail from what
    /// failed then too. Waivers are read as of each commit's date. The report has one evaluation per
    /// replayed promotion and stage, newest first, each carrying its commit.
    ///
    /// `since` keeps the promotions committed on or after it; `limit` the newest that many commits.
    public func replay(from start: String, rules rulesRef: String, since: Date? = nil, limit: Int? = nil) throws
        -> GateReport
    {
        let head = try repository.resolveCommit(start)
        let rules = try repository.resolveCommit(rulesRef)
        let changes = try StageHistory.changesOfEveryModel(in: repository, from: head)
        // Each promotion's commit once, by its commit date (what `--since` and the waivers go by).
        var seen = Set<ObjectID>()
        var commits: [CommitInfo] = []
        for change in changes.values.joined() where change.toVersion != nil && seen.insert(change.commit).inserted {
            commits.append(try repository.commit(change.commit))
        }
        commits.sort { ($0.committer.date, $0.id.hex) > ($1.committer.date, $1.id.hex) }
        if let since { commits = commits.filter { $0.committer.date >= since } }
        let limited = limit.map { commits.count > $0 } ?? false
        if let limit { commits = Array(commits.prefix(limit)) }

        var evaluations: [Evaluation] = []
        let replayedRules = try loader.rulesFingerprint(at: rules)
        for commit in commits {
            var runner = self
            runner.now = commit.committer.date
            // A root commit that makes promotions has no base: its assignments are audited.
            let base = commit.parents.first
            let now = try runner.run(base: base?.hex, head: commit.id.hex, policiesFrom: rules.hex)
            // Where the rules of the time are the replayed ones, the verdict then is the verdict now.
            let sameRules = try loader.rulesFingerprint(at: base ?? commit.id) == replayedRules
            let then = sameRules ? now : try runner.run(base: base?.hex, head: commit.id.hex, policiesFrom: nil)
            for var evaluation in now.evaluations {
                let passedThen =
                    !(then.evaluations.first {
                        $0.model == evaluation.model && $0.stage == evaluation.stage && $0.version == evaluation.version
                    }?.fails(failOnWarn: failOnWarn) ?? false)
                evaluation.replayed = (commit.id, commit.committer.date, passedThen)
                evaluations.append(evaluation)
            }
        }
        var report = GateReport(base: nil, head: head, evaluations: evaluations, errors: [], failOnWarn: failOnWarn)
        report.replay = (rules, commits.count, limited)
        return report
    }

    /// For a change that edits the rules (a `modelgate/rules.changed` result): its rules at `head` replayed over the
    /// newest `limit` promotions of `base`'s history, keeping the evaluations they decide otherwise.
    public func changeReplay(of report: GateReport, base: String, head: String, limit: Int = 200) throws
        -> ChangeReplay?
    {
        guard report.ruleChanges.contains(where: { $0.rule == RuleChange.rule }) else { return nil }
        let replayed = try replay(from: base, rules: head, limit: limit)
        let differing = replayed.evaluations.filter { evaluation in
            evaluation.fails(failOnWarn: failOnWarn) == (evaluation.replayed?.passedThen ?? false)
        }
        return ChangeReplay(
            promotions: replayed.replay?.promotions ?? 0, limited: replayed.replay?.limited ?? false,
            differing: differing)
    }
}

import ModelGateGit
import ModelGateRegistry

extension Gate {
    /// The gate for `head`'s candidates, with the rules read at `rulesCommit` and the evidence at head: the
    /// one place a gate is built from a repository (`check`, `promote`, `bundle`, `show`).
    public static func judging(
        _ head: Registry, base: Registry?, rulesAt rulesCommit: ObjectID, in repository: Repository,
        loader: RegistryLoader? = nil
    )
        throws -> Gate
    {
        let rules = try (loader ?? RegistryLoader(repository: repository)).rules(at: rulesCommit)
        var gate = Gate(
            head: head, base: base, rules: rules, evidence: GitEvidence(repository: repository, registry: head))
        gate.baseEvidence = base.map { GitEvidence(repository: repository, registry: $0) }
        if let baseCommit = base?.commit {
            gate.pastHolding = PastHoldings(repository: repository, commit: baseCommit).lookup
        }
        return gate
    }
}

/// The stage changes of the base's first-parent history, read once per model on first use: where the gate
/// learns that a candidate held a stage before (a rollback).
final class PastHoldings {
    let repository: Repository
    let commit: ObjectID
    private var changes: [String: [StageChange]] = [:]

    init(repository: Repository, commit: ObjectID) {
        self.repository = repository
        self.commit = commit
    }

    func lookup(model: String, stage: String, version: String) -> StageChange? {
        if changes[model] == nil {
            changes[model] = (try? StageHistory(repository: repository, model: model).changes(from: commit)) ?? []
        }
        return changes[model]?.first { $0.stage == stage && $0.toVersion == version }
    }
}

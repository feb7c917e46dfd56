extension Gate {
    /// The gate for `head`'s candidates, with the rules read at `rulesCommit` and the evidence at head: the
    /// one place a gate is built from a repository (`check`, `promote`, `bundle`, `show`).
    public static func judging(
        _ head: Registry, base: Registry?, rulesAt rulesCommit: ObjectID, in repository: Repository
    )
        throws -> Gate
    {
        let rules = try RegistryLoader(repository: repository).rules(at: rulesCommit)
        var gate = Gate(
            head: head, base: base, rules: rules, evidence: GitEvidence(repository: repository, commit: head.commit))
        gate.baseEvidence = base.map { GitEvidence(repository: repository, commit: $0.commit) }
        return gate
    }
}

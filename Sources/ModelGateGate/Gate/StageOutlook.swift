import ModelGateGit
import ModelGateRegistry

/// A version's verdict for each stage it holds or could enter next: what `show MODEL@VERSION` prints.
public struct StageOutlook: Sendable {
    public var stage: String
    /// Whether the version holds the stage now.
    public var held: Bool
    public var evaluation: Evaluation
    public var verdict: GateReport.Verdict

    /// The stage the version holds and every later rung (but `archived`), or every rung when it holds none;
    /// each judged as a promotion from where the version stands, baselines from the same registry.
    public static func outlooks(
        for manifest: ModelVersion, in registry: Registry, repository: Repository, failOnWarn: Bool = false
    ) throws -> [StageOutlook] {
        let version = manifest.version.description
        let ladder = registry.settings.stages
        let stages = registry.models[manifest.model]?.stages
        let current = stages?.stage(of: version)
        let start = current.flatMap { ladder.firstIndex(of: $0) } ?? 0
        let targets = ladder[start...].filter { $0 != "archived" || $0 == current }
        var gate = try Gate.judging(registry, base: registry, rulesAt: registry.commit, in: repository)
        gate.failOnWarn = failOnWarn
        // The stage it holds is judged as it stands (an audit: there is no "coming from" to judge).
        var audit = try Gate.judging(registry, base: nil, rulesAt: registry.commit, in: repository)
        audit.failOnWarn = failOnWarn
        return targets.map { stage in
            let holder = stages?.holder(of: stage)
            let held = stage == current
            let candidate = Gate.Candidate(
                model: manifest.model, version: version, stage: stage, fromVersion: holder == version ? nil : holder,
                fromStage: held ? nil : current)
            var report = (held ? audit : gate).evaluate([candidate])
            report.errors = []
            return StageOutlook(
                stage: stage, held: stage == current, evaluation: report.evaluations[0], verdict: report.verdict)
        }
    }
}

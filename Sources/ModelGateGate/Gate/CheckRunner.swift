import Foundation
import ModelGateGit
import ModelGateRegistry

/// `modelgate check`: finds what to judge from Git, loads only what judging it needs, and runs the gate.
///
/// With a base ref B, the candidates are the `stages.yaml` entries the change makes: those that differ
/// between the merge base of B and head, and head (so that commits B gained since the branch was cut are
/// not blamed on it), unless B already has the same holder. They are judged with the rules read at B (or
/// at `--policies-from`), baselines and merged waivers from B; only the models the change touches are read.
/// Without a base, every assignment at head is audited with head's rules.
public struct CheckRunner {
    public let repository: Repository
    public var failOnWarn = false
    /// Let a change that edits the rules also make stage assignments (judged with the rules at base).
    public var allowRuleChange = false
    public var now = Date()

    /// Reads every registry and rule set of the run, so that each settings file is decoded once.
    let loader: RegistryLoader

    public init(repository: Repository) {
        self.repository = repository
        loader = RegistryLoader(repository: repository)
    }

    public func run(base baseRef: String?, head headRef: String, policiesFrom: String?) throws -> GateReport {
        let head = try repository.resolveCommit(headRef)
        let rulesOverride = try policiesFrom.map { try repository.resolveCommit($0) }
        guard let baseRef else {
            let registry = try loader.load(at: head)
            var gate = try Gate.judging(
                registry, base: nil, rulesAt: rulesOverride ?? head, in: repository, loader: loader)
            gate.failOnWarn = failOnWarn
            gate.now = now
            return gate.evaluate(Self.assignments(of: registry))
        }
        let base = try repository.resolveCommit(baseRef)
        let fork = try repository.mergeBase(base, head) ?? base
        let changed = try repository.changedPaths(from: fork, to: head)
        let touched = Self.touchedModels(changed)
        let headRegistry = try loader.load(models: touched, at: head)
        // The change may be the one that creates the registry: its base and fork point need not hold one.
        let baseRegistry = try loader.load(models: touched, at: base, requiringRegistry: false)
        let forkRegistry =
            fork == base ? baseRegistry : try loader.load(models: touched, at: fork, requiringRegistry: false)
        var gate = try Gate.judging(
            headRegistry, base: baseRegistry, rulesAt: rulesOverride ?? base, in: repository, loader: loader)
        gate.failOnWarn = failOnWarn
        gate.now = now
        let candidates = Self.promotions(from: forkRegistry, to: headRegistry, current: baseRegistry)
        var report = gate.evaluate(candidates)
        report.ruleChanges = RuleChange.judge(
            paths: changed.filter(gate.rules.governs), assigns: !candidates.isEmpty, allowed: allowRuleChange)
        // Versions that exist where the change started: their evidence may not move. Manifests outside
        // the touched models cannot have changed, but an artifact or profile anywhere may have.
        let evidenceMoved = changed.contains { !RegistryLayout.isModelOrAttestation($0) }
        let forkAll = evidenceMoved ? try loader.load(at: fork, requiringRegistry: false) : forkRegistry
        report.ruleChanges += try VersionChanges.judge(
            changed: changed, touched: touched, forkCommit: fork, headCommit: head, fork: forkAll, head: headRegistry,
            repository: repository, assigns: !candidates.isEmpty, allowed: allowRuleChange,
            holderRequired: gate.rules.settings.holderRequired)
        return report
    }

    /// Model names from changed paths under `models/`.
    static func touchedModels(_ paths: [String]) -> [String] {
        Set(
            paths.compactMap { path -> String? in
                switch RegistryLayout.place(of: path) {
                case .spec(let model)?, .stages(let model)?, .manifest(let model, _)?, .inModel(let model)?: model
                default: nil
                }
            }
        ).sorted()
    }

    /// Every stage whose holder at head differs from `fork` (where the change started) and from `current`
    /// (the target as it is now; `fork` when not given): the promotions of a pull request. Where the stage
    /// came from, and whom it replaces, are read at `current`.
    public static func promotions(from fork: Registry, to head: Registry, current: Registry? = nil) -> [Gate.Candidate]
    {
        let current = current ?? fork
        var candidates: [Gate.Candidate] = []
        for name in head.modelNames {
            guard let stages = head.models[name]?.stages else { continue }
            let started = fork.models[name]?.stages
            let now = current.models[name]?.stages
            for stage in ladderOrder(stages.stages.keys, head.settings.stages) {
                guard let entry = stages.stages[stage] else { continue }
                guard started?.holder(of: stage) != entry.version, now?.holder(of: stage) != entry.version else {
                    continue
                }
                candidates.append(
                    Gate.Candidate(
                        model: name, version: entry.version, stage: stage, fromVersion: now?.holder(of: stage),
                        fromStage: now?.stage(of: entry.version), location: entry.location))
            }
        }
        return candidates
    }

    /// Every assignment at head: what an audit judges.
    public static func assignments(of registry: Registry) -> [Gate.Candidate] {
        registry.modelNames.flatMap { name -> [Gate.Candidate] in
            guard let stages = registry.models[name]?.stages else { return [] }
            return ladderOrder(stages.stages.keys, registry.settings.stages).compactMap { stage in
                stages.stages[stage].map {
                    Gate.Candidate(model: name, version: $0.version, stage: stage, location: $0.location)
                }
            }
        }
    }

    static func ladderOrder<S: Sequence>(_ stages: S, _ ladder: [String]) -> [String] where S.Element == String {
        stages.sorted { (ladder.firstIndex(of: $0) ?? .max, $0) < (ladder.firstIndex(of: $1) ?? .max, $1) }
    }
}

import Foundation

/// `modelgate check`: finds what to judge from Git, loads only what judging it needs, and runs the gate.
///
/// With a base ref, the candidates are exactly the `stages.yaml` entries that change between base and head,
/// found from the tree diff; only the models the diff touches are read. Without one, every assignment at
/// head is audited.
public struct CheckRunner {
    public let repository: Repository
    public var failOnWarn = false
    public var now = Date()

    public init(repository: Repository) { self.repository = repository }

    public func run(base baseRef: String?, head headRef: String, policiesFrom: String?) throws -> GateReport {
        let loader = RegistryLoader(repository: repository)
        let head = try repository.resolveCommit(headRef)
        let headRegistry: Registry
        var baseRegistry: Registry?
        var candidates: [Gate.Candidate] = []
        if let baseRef {
            let base = try repository.resolveCommit(baseRef)
            let touched = try Self.touchedModels(repository.changedPaths(from: base, to: head, under: "models"))
            headRegistry = try loader.load(models: touched, at: head)
            let baseline = try loader.load(models: touched, at: base)
            baseRegistry = baseline
            candidates = Self.promotions(from: baseline, to: headRegistry)
        } else {
            headRegistry = try loader.load(at: head)
            candidates = Self.assignments(of: headRegistry)
        }
        var policies = headRegistry.policies
        var extraErrors: [Diagnostic] = []
        if let policiesFrom {
            let commit = try repository.resolveCommit(policiesFrom)
            let loaded = try loader.policies(at: commit, ladder: headRegistry.settings.stages)
            policies = loaded.policies
            extraErrors = loaded.diagnostics
        }
        var gate = Gate(head: headRegistry, base: baseRegistry, policies: policies)
        gate.failOnWarn = failOnWarn
        gate.now = now
        gate.readFile = { path in try? loader.file(path, at: head) }
        var report = gate.evaluate(candidates)
        report.errors = (report.errors + extraErrors).sorted()
        return report
    }

    /// Model names from changed paths under `models/`.
    static func touchedModels(_ paths: [String]) -> [String] {
        Set(paths.compactMap { path -> String? in
            let parts = path.split(separator: "/", maxSplits: 2)
            return parts.count >= 2 && parts[0] == "models" ? String(parts[1]) : nil
        }).sorted()
    }

    /// Every stage whose holder is new or different at head: the promotions of a pull request.
    public static func promotions(from base: Registry, to head: Registry) -> [Gate.Candidate] {
        var candidates: [Gate.Candidate] = []
        for name in head.modelNames {
            guard let stages = head.models[name]?.stages else { continue }
            let before = base.models[name]?.stages
            for stage in ladderOrder(stages.stages.keys, head.settings.stages) {
                let version = stages.stages[stage]!.version
                let previous = before?.holder(of: stage)
                guard previous != version else { continue }
                candidates.append(
                    Gate.Candidate(
                        model: name, version: version, stage: stage, fromVersion: previous,
                        fromStage: before?.stage(of: version)))
            }
        }
        return candidates
    }

    /// Every assignment at head: what an audit judges.
    public static func assignments(of registry: Registry) -> [Gate.Candidate] {
        registry.modelNames.flatMap { name -> [Gate.Candidate] in
            guard let stages = registry.models[name]?.stages else { return [] }
            return ladderOrder(stages.stages.keys, registry.settings.stages).map {
                Gate.Candidate(model: name, version: stages.stages[$0]!.version, stage: $0)
            }
        }
    }

    static func ladderOrder<S: Sequence>(_ stages: S, _ ladder: [String]) -> [String] where S.Element == String {
        stages.sorted { (ladder.firstIndex(of: $0) ?? .max, $0) < (ladder.firstIndex(of: $1) ?? .max, $1) }
    }
}

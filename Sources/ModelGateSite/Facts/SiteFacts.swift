import Foundation
import ModelGateGate
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// Everything the site shows, read from the repository once: the registry at a commit, each model's facts
/// (`ModelFacts`: its stage history, every version's verdict for every stage, attestation and data
/// profiles), and each policy's change history. The pages are then rendered from these values alone, on
/// every core, without touching the repository. A class, read-only once made: all 11,000 pages of a large
/// site share one.
final class SiteFacts: Sendable {
    let registry: Registry
    /// The ladder, `archived` last.
    let ladder: [String]
    /// The stages a version can be judged for: the ladder but `archived`.
    let judgedStages: [String]
    /// By model name.
    let models: [String: ModelFacts]
    /// The commits that changed each policy's file, newest first.
    let policyHistories: [String: [PathChange]]
    /// The registry commit's date (nil for the working tree's zero id).
    let commitDate: Date?

    init(registry: Registry, repository: Repository, histories: [String: [StageChange]]? = nil) throws {
        self.registry = registry
        ladder = registry.settings.stages
        judgedStages = ladder.filter { $0 != "archived" }
        // Models are read on every core, each worker with its own repository handle (libgit2's handles are
        // not shared between threads) and its own gates.
        let names = registry.modelNames
        let stages = judgedStages
        let histories = try histories ?? StageHistory.changesOfEveryModel(in: repository, from: registry.commit)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, names.count))
        let perModel = Concurrently.map(
            names.count, workers: workers,
            state: { _ in Result { try ModelReader(registry: registry, repository: repository.reopened()) } }
        ) { reader, index in
            reader.flatMap { reader in
                Result {
                    try registry.models[names[index]].map {
                        try reader.read($0, judging: stages, history: histories[names[index]] ?? [])
                    }
                }
            }
        }
        var models: [String: ModelFacts] = [:]
        for result in perModel {
            if let facts = try result.get() { models[facts.name] = facts }
        }
        self.models = models
        var policyHistories: [String: [PathChange]] = [:]
        for policy in registry.policies {
            policyHistories[policy.name] = try repository.firstParentChanges(of: policy.path, from: registry.commit)
        }
        self.policyHistories = policyHistories
        commitDate = try? repository.commit(registry.commit).committer.date
    }

    /// The policies that govern `model` in `stage`.
    func policies(governing model: String, in stage: String) -> [Policy] {
        registry.policies.filter { $0.applies(toModel: model, stage: stage) }
    }
}

/// What one model contributes to the site's facts, read by one worker with its own repository handle.
private struct ModelReader {
    let registry: Registry
    let repository: Repository
    let promotions: Gate
    let audits: Gate
    let evidence: GitEvidence

    init(registry: Registry, repository: Repository) throws {
        self.registry = registry
        self.repository = repository
        promotions = try Gate.judging(registry, base: registry, rulesAt: registry.commit, in: repository)
        audits = try Gate.judging(registry, base: nil, rulesAt: registry.commit, in: repository)
        evidence = GitEvidence(repository: repository, registry: registry)
    }

    /// Every version of the model judged for every stage in `stages` (the holder as it stands,
    /// any other version as a promotion from its own stage), its attestations and data profiles.
    func read(_ model: Registry.Model, judging stages: [String], history: [StageChange]) throws -> ModelFacts {
        let name = model.name
        let manifests = model.orderedVersions
        var held: [Gate.Candidate] = []
        var entering: [Gate.Candidate] = []
        for manifest in manifests {
            let version = manifest.version.description
            let current = model.stages?.stage(of: version)
            for stage in stages {
                if current == stage {
                    held.append(Gate.Candidate(model: name, version: version, stage: stage))
                } else {
                    entering.append(
                        Gate.Candidate(
                            model: name, version: version, stage: stage, fromVersion: model.stages?.holder(of: stage),
                            fromStage: current))
                }
            }
        }
        // Each version's attestation is checked once: shown on its page, and judged for every stage.
        let attestations = manifests.map { audits.attestation(of: $0) }
        var checked: [String: AttestationCheck] = [:]
        for (manifest, attestation) in zip(manifests, attestations) { checked[manifest.path] = attestation.check }
        var verdicts: [String: [String: VersionFacts.Verdict]] = [:]
        for (gate, candidates, isHeld) in [(audits, held, true), (promotions, entering, false)] {
            for evaluation in gate.evaluate(candidates, attestations: checked).evaluations {
                let single = GateReport(
                    base: nil, head: registry.commit, evaluations: [evaluation], errors: [], failOnWarn: false)
                verdicts[evaluation.version, default: [:]][evaluation.stage] = VersionFacts.Verdict(
                    stage: evaluation.stage, held: isHeld, evaluation: evaluation, verdict: single.verdict)
            }
        }
        // Most models have no approvals folder: one look, not one per version and stage.
        let hasApprovals = evidence.treeID(at: "\(RegistryLayout.approvals)/\(name)") != nil
        let versions = zip(manifests, attestations).map { manifest, attestation in
            let version = manifest.version.description
            var profiles: [String: DataProfile]?
            if let recorded = manifest.profile, let data = evidence.file(recorded.path) {
                profiles = try? VersionProfile.profiles(in: data, path: recorded.path)
            }
            return VersionFacts(
                manifest, of: name, stage: model.stages?.stage(of: version), verdicts: verdicts[version] ?? [:],
                attestation: VersionFacts.Attestation(
                    path: attestation.path, check: attestation.check, binding: attestation.binding,
                    present: evidence.file(attestation.path) != nil),
                profiles: profiles,
                approvals: hasApprovals
                    ? Approval.all(
                        of: manifest, approvers: audits.rules.approvers, ladder: stages, evidence: evidence) : [])
        }
        return ModelFacts(model: model, versions: versions, history: history)
    }
}

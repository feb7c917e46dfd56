import Foundation
import ModelGateGate
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// Everything the site shows, read from the repository once, in one thread: the registry at a commit, each
/// model's stage history, every version's verdict for every stage, its attestation, the profiles of its
/// training data, and each policy's change history. The pages are then rendered from these values alone,
/// on every core, without touching the repository.
struct SiteFacts: Sendable {
    /// A version judged for one stage: as the holder (an audit) or as a promotion from the holder.
    struct Verdict: Sendable {
        var stage: String
        var held: Bool
        var evaluation: Evaluation
        var verdict: GateReport.Verdict
    }

    /// A version's attestation as the gate checks it, and what it must be bound to.
    struct Attestation: Sendable {
        var path: String
        var check: AttestationCheck
        var binding: AttestationCheck.Binding
        /// Whether a file is there at all (no file: the version was never attested).
        var present: Bool
    }

    var registry: Registry
    /// The ladder, `archived` last.
    var ladder: [String]
    /// The stages a version can be judged for: the ladder but `archived`.
    var judgedStages: [String]
    /// Stage changes per model, newest first.
    var histories: [String: [StageChange]]
    /// Per model, per version, per judged stage.
    var verdicts: [String: [String: [String: Verdict]]]
    var attestations: [String: [String: Attestation]]
    /// The training data profiles per model and version (by data path), where the version has a profile.
    var profiles: [String: [String: [String: DataProfile]]]
    /// Each version's recorded fields (`ManifestFields`), per model and version: compared on version pages.
    var fields: [String: [String: [String: String]]]
    /// The commits that changed each policy's file, newest first.
    var policyHistories: [String: [PathChange]]
    /// The registry commit's date (nil for the working tree's zero id).
    var commitDate: Date?

    init(registry: Registry, repository: Repository) throws {
        self.registry = registry
        ladder = registry.settings.stages
        judgedStages = ladder.filter { $0 != "archived" }
        // Models are read on every core, each worker with its own repository handle (libgit2's handles are
        // not shared between threads) and its own gates.
        let names = registry.modelNames
        let stages = judgedStages
        let allHistories = try StageHistory.changesOfEveryModel(in: repository, from: registry.commit)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, names.count))
        let perModel = Concurrently.map(
            names.count, workers: workers,
            state: { _ in Result { try ModelReader(registry: registry, repository: repository.reopened()) } }
        ) { reader, index in
            reader.flatMap { reader in
                Result { try registry.models[names[index]].map { try reader.read($0, judging: stages) } ?? .init() }
            }
        }
        var histories: [String: [StageChange]] = [:]
        var verdicts: [String: [String: [String: Verdict]]] = [:]
        var attestations: [String: [String: Attestation]] = [:]
        var profiles: [String: [String: [String: DataProfile]]] = [:]
        var fields: [String: [String: [String: String]]] = [:]
        for (name, result) in zip(names, perModel) {
            let facts = try result.get()
            histories[name] = allHistories[name] ?? []
            verdicts[name] = facts.verdicts
            attestations[name] = facts.attestations
            profiles[name] = facts.profiles
            fields[name] = facts.fields
        }
        self.histories = histories
        self.verdicts = verdicts
        self.attestations = attestations
        self.profiles = profiles
        self.fields = fields
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
    struct Facts: Sendable {
        var verdicts: [String: [String: SiteFacts.Verdict]] = [:]
        var attestations: [String: SiteFacts.Attestation] = [:]
        var profiles: [String: [String: DataProfile]] = [:]
        var fields: [String: [String: String]] = [:]
    }

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
    func read(_ model: Registry.Model, judging stages: [String]) throws -> Facts {
        let name = model.name
        var facts = Facts()
        var held: [Gate.Candidate] = []
        var entering: [Gate.Candidate] = []
        for manifest in model.versions.values {
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
            facts.fields[version] = ManifestFields.of(manifest)
            let attestation = audits.attestation(of: manifest)
            facts.attestations[version] = SiteFacts.Attestation(
                path: attestation.path, check: attestation.check, binding: attestation.binding,
                present: evidence.file(attestation.path) != nil)
            if let recorded = manifest.profile, let data = evidence.file(recorded.path),
                let decoded = try? VersionProfile.profiles(in: data, path: recorded.path)
            {
                facts.profiles[version] = decoded
            }
        }
        for (gate, candidates, isHeld) in [(audits, held, true), (promotions, entering, false)] {
            for evaluation in gate.evaluate(candidates).evaluations {
                let single = GateReport(
                    base: nil, head: registry.commit, evaluations: [evaluation], errors: [], failOnWarn: false)
                facts.verdicts[evaluation.version, default: [:]][evaluation.stage] = SiteFacts.Verdict(
                    stage: evaluation.stage, held: isHeld, evaluation: evaluation, verdict: single.verdict)
            }
        }
        return facts
    }
}

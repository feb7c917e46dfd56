import Foundation
import ModelGateKit

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
    /// The commits that changed each policy's file, newest first.
    var policyHistories: [String: [PathChange]]
    /// The registry commit's date (nil for the working tree's zero id).
    var commitDate: Date?

    init(registry: Registry, repository: Repository) throws {
        self.registry = registry
        ladder = registry.settings.stages
        judgedStages = ladder.filter { $0 != "archived" }
        let promotions = try Gate.judging(registry, base: registry, rulesAt: registry.commit, in: repository)
        let audits = try Gate.judging(registry, base: nil, rulesAt: registry.commit, in: repository)

        var histories: [String: [StageChange]] = [:]
        var verdicts: [String: [String: [String: Verdict]]] = [:]
        var attestations: [String: [String: Attestation]] = [:]
        var profiles: [String: [String: [String: DataProfile]]] = [:]
        let evidence = GitEvidence(repository: repository, registry: registry)
        for name in registry.modelNames {
            let model = registry.models[name]!
            histories[name] = try StageHistory(repository: repository, model: name).changes(from: registry.commit)
            var held: [Gate.Candidate] = []
            var entering: [Gate.Candidate] = []
            for manifest in model.orderedVersions {
                let version = manifest.version.description
                let current = model.stages?.stage(of: version)
                for stage in judgedStages {
                    let holder = model.stages?.holder(of: stage)
                    if current == stage {
                        held.append(Gate.Candidate(model: name, version: version, stage: stage))
                    } else {
                        entering.append(
                            Gate.Candidate(
                                model: name, version: version, stage: stage, fromVersion: holder, fromStage: current))
                    }
                }
                let attestation = audits.attestation(of: manifest)
                attestations[name, default: [:]][version] = Attestation(
                    path: attestation.path, check: attestation.check, binding: attestation.binding,
                    present: evidence.file(attestation.path) != nil)
                if let recorded = manifest.profile, let data = evidence.file(recorded.path),
                    let decoded = try? VersionProfile.profiles(in: data, path: recorded.path)
                {
                    profiles[name, default: [:]][version] = decoded
                }
            }
            for (gate, candidates, isHeld) in [(audits, held, true), (promotions, entering, false)] {
                for evaluation in gate.evaluate(candidates).evaluations {
                    let single = GateReport(
                        base: nil, head: registry.commit, evaluations: [evaluation], errors: [], failOnWarn: false)
                    verdicts[name, default: [:]][evaluation.version, default: [:]][evaluation.stage] = Verdict(
                        stage: evaluation.stage, held: isHeld, evaluation: evaluation, verdict: single.verdict)
                }
            }
        }
        self.histories = histories
        self.verdicts = verdicts
        self.attestations = attestations
        self.profiles = profiles
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

import ModelGateGit
import ModelGateRegistry
import ModelGateSupport
import ModelGateYAML

/// `require: artifactHash`: the recorded sha256 is the artifact's, wherever the gate can reach its bytes.
///
/// A repository artifact is verified against the Git blob at head, or against a Git LFS pointer's oid and
/// size without fetching; a remote or untracked artifact gives `warn`: recorded, not verified.
enum ArtifactHashRequirement {
    // Long on purpose: the artifact's cases (missing, remote, untracked, mismatching, matching) in the order they are
    // decided.
    static func evaluate(_ context: RuleContext) -> [RuleResult] {
        let artifact = context.candidate.artifact
        let uri = Escape.control(artifact.uri)
        guard let sha = artifact.sha256 else {
            return [context.result(context.failing, "artifact.sha256 is missing", subject: artifact.location)]
        }
        if artifact.isRemote {
            return [
                context.result(
                    .warn,
                    "artifact \(uri) is remote: sha256 \(sha.prefix(12))… recorded, not verified (repro and bundle verify it)",
                    subject: artifact.location)
            ]
        }
        switch context.evidence.content(at: artifact.uri) {
        case .untracked:
            return [
                context.result(
                    .warn,
                    "artifact \(uri) is not tracked by Git at head: sha256 \(sha.prefix(12))… recorded, not verified",
                    subject: artifact.location)
            ]
        case .unverifiable(let why):
            return [context.result(.warn, "artifact not verified: \(Escape.control(why))", subject: artifact.location)]
        case .tracked(let actual, _) where actual == sha:
            return [
                context.result(
                    .pass, "artifact \(uri) has the recorded sha256 \(sha.prefix(12))…", subject: artifact.location)
            ]
        case .tracked(let actual, _):
            return [
                context.result(
                    context.failing,
                    "artifact \(uri) at head has sha256 \(actual.prefix(12))…, not the recorded \(sha.prefix(12))…",
                    subject: artifact.location)
            ]
        case .lfsPointer(let oid, let size):
            if oid != sha {
                return [
                    context.result(
                        context.failing,
                        "artifact \(uri) is a Git LFS pointer to sha256 \(oid.prefix(12))…, not the recorded \(sha.prefix(12))…",
                        subject: artifact.location)
                ]
            }
            if let recorded = artifact.size, recorded != size {
                return [
                    context.result(
                        context.failing,
                        "artifact \(uri) is a Git LFS pointer of \(size) bytes, not the recorded \(recorded)",
                        subject: artifact.location)
                ]
            }
            return [
                context.result(
                    .pass,
                    "artifact \(uri) is a Git LFS pointer to the recorded sha256 \(sha.prefix(12))… (compared without fetching)",
                    subject: artifact.location)
            ]
        }
    }
}

/// `require: dataHashes`: training data is recorded, every entry with its sha256, and every entry Git
/// tracks at the version's `training.source` (at head for a version without one) has exactly those bytes;
/// untracked data gives `warn` (`repro` verifies it).
enum DataHashesRequirement {
    static func evaluate(_ context: RuleContext) -> [RuleResult] {
        guard let training = context.candidate.training, !training.data.isEmpty else {
            return [context.result(context.failing, "the manifest records no training data")]
        }
        let missing = training.data.filter { $0.sha256 == nil }
        if let first = missing.first {
            let names = missing.map { Escape.control($0.path) }.joined(separator: ", ")
            return [context.result(context.failing, "training data without sha256: \(names)", subject: first.location)]
        }
        var unverified: [(DataFile, String)] = []
        let place = training.source.map { "its source \($0.short)" } ?? "head"
        for data in training.data {
            let path = Escape.control(data.path)
            // Force unwrap: the files without sha256 were refused above.
            let recorded = data.sha256!
            switch context.trainingEvidence.content(at: data.path) {
            case .tracked(let actual, _) where actual == recorded: continue
            case .lfsPointer(let oid, _) where oid == recorded: continue
            case .tracked(let actual, _), .lfsPointer(let actual, _):
                return [
                    context.result(
                        context.failing,
                        "data \(path) at \(place) has sha256 \(actual.prefix(12))…, not the recorded \(recorded.prefix(12))…",
                        subject: data.location)
                ]
            case .untracked: unverified.append((data, "\(path) is not tracked by Git at \(place)"))
            case .unverifiable(let why): unverified.append((data, Escape.control(why)))
            }
        }
        if let (first, _) = unverified.first {
            let reasons = unverified.map(\.1).joined(separator: "; ")
            return [
                context.result(
                    .warn,
                    "\(unverified.count) of \(training.data.count) data files recorded, not verified: \(reasons)",
                    subject: first.location)
            ]
        }
        let count = training.data.count
        return [
            context.result(
                .pass, "\(count) training data file\(count == 1 ? "" : "s") verified against Git at \(place)",
                subject: training.location)
        ]
    }
}

/// `require: from`: the stage may only be entered from the listed stages (by default the rung below).
enum FromStageRequirement {
    static func evaluate(_ allowed: [String]?, _ context: RuleContext) -> [RuleResult] {
        let permitted: [String]
        if let allowed {
            permitted = allowed
        } else if let index = context.ladder.firstIndex(of: context.stage), index > 0 {
            permitted = [context.ladder[index - 1]]
        } else {
            return [context.result(.pass, "'\(context.stage)' is the first rung: it may be entered from anywhere")]
        }
        if context.isAudit {
            return [context.result(.skip, "an audit does not know the stage \(context.candidate.version) came from")]
        }
        let list = permitted.map { "'\($0)'" }.joined(separator: ", ")
        if !(context.fromStage.map(permitted.contains) ?? false), let past = context.pastHolding() {
            let day = Dates.formatDay(past.date)
            return [
                context.result(
                    .pass,
                    "a rollback: \(context.candidate.version) held '\(context.stage)' before (since \(past.commit.short), \(day))"
                )
            ]
        }
        guard let from = context.fromStage else {
            return [
                context.result(
                    context.failing,
                    "\(context.candidate.version) held no stage before; '\(context.stage)' may only be entered from \(list)"
                )
            ]
        }
        guard permitted.contains(from) else {
            return [
                context.result(
                    context.failing,
                    "\(context.candidate.version) comes from '\(from)'; '\(context.stage)' may only be entered from \(list)"
                )
            ]
        }
        return [context.result(.pass, "enters '\(context.stage)' from '\(from)'")]
    }
}

/// `require: reproducible`: an attestation signed by a trusted attestor (by one the rule names, where it
/// names any), bound to this manifest and training tree, made in the sandbox, not `failed`.
enum ReproducibleRequirement {
    static func evaluate(_ attestors: [String]?, _ context: RuleContext) -> [RuleResult] {
        switch context.attestation {
        case .valid(let verdict, let signers):
            if let attestors, !signers.contains(where: attestors.contains) {
                let unknown = attestors.filter { name in !context.trustedAttestors.contains(name) }
                let note =
                    unknown.isEmpty ? "" : " (\(unknown.joined(separator: ", ")) not listed under trust.attestors)"
                return [
                    context.result(
                        context.failing,
                        "attestation signed by \(signers.joined(separator: ", ")), but this rule accepts only \(attestors.joined(separator: ", "))\(note)"
                    )
                ]
            }
            return [
                context.result(
                    .pass,
                    "attestation signed by \(signers.joined(separator: ", ")) says \(verdict) for this manifest and training tree"
                )
            ]
        case .problem(let message):
            return [context.result(context.failing, message)]
        }
    }
}

/// `require: approvals`: `count` distinct approvers of `trust.approvers` at the trusted ref (of the rule's
/// `from` names, where it lists any) signed the candidate's entry into the stage for its manifest at head.
/// Approvals the change adds count (that is how reviewers approve); approvers it adds never do.
enum ApprovalsRequirement {
    static func evaluate(count: Int, from names: [String]?, _ context: RuleContext) -> [RuleResult] {
        let candidate = context.candidate
        let version = candidate.version.description
        guard !context.approvers.isEmpty else {
            return [
                context.result(
                    context.failing,
                    "no approver is trusted: list the people whose approvals count under trust.approvers in modelgate.yaml"
                )
            ]
        }
        var checks = Approval.check(
            model: candidate.model, version: version, stage: context.stage, manifestBlob: candidate.blob,
            approvers: context.approvers, ladder: context.ladder, evidence: context.evidence)
        if let names {
            for index in checks.indices where checks[index].counts && !names.contains(checks[index].name) {
                checks[index].problem = "\(checks[index].name) is not among the approvers this rule accepts"
            }
        }
        let counted = checks.filter(\.counts).map(\.name)
        let voided = checks.compactMap { check in check.problem.map { "\(Escape.control(check.path)): \($0)" } }
        if counted.count >= count {
            return [
                context.result(
                    .pass,
                    "approved for \(Escape.control(context.stage)) by \(counted.joined(separator: ", ")) (\(counted.count) of \(count) needed)"
                )
            ]
        }
        let folder = RegistryLayout.approvals(model: candidate.model, version: version, stage: context.stage)
        let have = counted.isEmpty ? "no approval counts" : "approved by \(counted.joined(separator: ", ")) only"
        let why = voided.isEmpty ? "" : "; " + voided.joined(separator: "; ")
        return [
            context.result(
                context.failing,
                "\(counted.count) of \(count) approvals: \(have)\(why) (modelgate approve \(candidate.model)@\(version) --to \(Escape.control(context.stage)) --key KEY writes one in \(Escape.control(folder))/)"
            )
        ]
    }
}

/// `require: artifactHash`: the artifact's sha256 is recorded (its form is checked when the manifest is read).
enum ArtifactHashRequirement {
    static func evaluate(_ context: RuleContext) -> [RuleResult] {
        let artifact = context.candidate.artifact
        guard let sha = artifact.sha256 else {
            return [context.result(context.failing, "artifact.sha256 is missing", subject: artifact.location)]
        }
        return [context.result(.pass, "artifact sha256 \(sha.prefix(12))… recorded", subject: artifact.location)]
    }
}

/// `require: dataHashes`: training data is recorded, every entry with its sha256.
enum DataHashesRequirement {
    static func evaluate(_ context: RuleContext) -> [RuleResult] {
        guard let training = context.candidate.training, !training.data.isEmpty else {
            return [context.result(context.failing, "the manifest records no training data")]
        }
        let missing = training.data.filter { $0.sha256 == nil }
        if let first = missing.first {
            let names = missing.map(\.path).joined(separator: ", ")
            return [context.result(context.failing, "training data without sha256: \(names)", subject: first.location)]
        }
        return [context.result(.pass, "\(training.data.count) training data file\(training.data.count == 1 ? "" : "s") hashed", subject: training.location)]
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
        guard let from = context.fromStage else {
            return [context.result(context.failing, "\(context.candidate.version) held no stage before; '\(context.stage)' may only be entered from \(list)")]
        }
        guard permitted.contains(from) else {
            return [context.result(context.failing, "\(context.candidate.version) comes from '\(from)'; '\(context.stage)' may only be entered from \(list)")]
        }
        return [context.result(.pass, "enters '\(context.stage)' from '\(from)'")]
    }
}

/// `require: reproducible`: a passing attestation bound to this exact manifest (SPEC §4).
enum ReproducibleRequirement {
    static func evaluate(_ context: RuleContext) -> [RuleResult] {
        switch context.attestation {
        case .valid(let verdict):
            return [context.result(.pass, "attestation says \(verdict) for this manifest")]
        case .problem(let message):
            return [context.result(context.failing, message)]
        }
    }
}

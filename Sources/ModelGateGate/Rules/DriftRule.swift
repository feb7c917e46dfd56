import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport
import ModelGateYAML

/// `drift: psi|l1|ks` with `against: <stage>`, `columns` and `max`: the candidate's training-data profile
/// (`profiles/<model>/<version>.json` at head) against the profile of the version holding `against` at
/// the base (read at the base, so the change being judged cannot rewrite it). One result per column,
/// `<column>/drift.<measure>`; data files are paired by path, or with each other where each profile has
/// exactly one. A missing profile, one whose bytes are not those its manifest records, a column on one side
/// only, or of another type, fails; no holder skips.
enum DriftRule {
    // Long on purpose: the rule's cases (no holder, no profile, files that do not pair, one result per column) in the
    // order they are decided.
    static func evaluate(
        _ measure: DriftMeasure, against stage: String, columns: Rule.SliceSelector, max maximum: Double,
        _ context: RuleContext
    ) -> [RuleResult] {
        let name = "drift.\(measure.rawValue)"
        guard let holder = context.baselineHolder(stage) else {
            return [
                context.result(.skip, "no version holds \(stage): nothing to compare the data with", bound: maximum)
            ]
        }
        if holder.version == context.candidate.version {
            return [context.result(.skip, "\(context.candidate.version) holds \(stage) itself", bound: maximum)]
        }
        let candidatePath = VersionProfile.path(
            model: context.candidate.model, version: context.candidate.version.description)
        let holderPath = VersionProfile.path(model: holder.model, version: holder.version.description)
        let bindings = [(context.candidate, context.evidence), (holder, context.baselineEvidence)]
        for (version, evidence) in bindings {
            if let recorded = version.profile,
                let why = VersionProfile.mismatch(evidence.content(at: recorded.path), recorded: recorded)
            {
                return [context.result(context.failing, why, bound: maximum)]
            }
        }
        let candidate: [String: DataProfile]
        let reference: [String: DataProfile]
        do {
            candidate = try VersionProfile.profiles(in: context.evidence.file(candidatePath), path: candidatePath)
            reference = try VersionProfile.profiles(in: context.baselineEvidence.file(holderPath), path: holderPath)
        } catch {
            return [context.result(context.failing, (error as? ModelGateError)?.message ?? "\(error)", bound: maximum)]
        }
        let pairs: [(String, DataProfile, DataProfile)]
        if reference.count == 1, candidate.count == 1, let r = reference.first, let c = candidate.first {
            pairs = [(c.key == r.key ? c.key : "\(c.key) ~ \(r.key)", c.value, r.value)]
        } else {
            let unpaired = Set(candidate.keys).symmetricDifference(reference.keys)
            if !unpaired.isEmpty {
                return [
                    context.result(
                        context.failing,
                        "the data files of \(candidatePath) and \(holderPath) do not pair: \(unpaired.sorted().joined(separator: ", "))",
                        bound: maximum)
                ]
            }
            // The unpaired were refused above: every candidate file has its reference.
            pairs = candidate.sorted { $0.key < $1.key }.compactMap { key, profile in
                reference[key].map { (key, profile, $0) }
            }
        }
        var results: [RuleResult] = []
        for (data, current, base) in pairs {
            let prefix = pairs.count > 1 ? "\(data): " : ""
            for (column, comparison) in ProfileComparison.compare(current, on: base) {
                if case .named(let names) = columns, !names.contains(column) { continue }
                let id = context.rule.hasExplicitID ? "\(context.rule.id)/\(column)" : "\(column)/\(name)"
                switch comparison {
                case .counts(let p, let q):
                    let value = measure.value(reference: p, current: q)
                    let passes = value <= maximum
                    results.append(
                        context.result(
                            passes ? .pass : context.failing,
                            "\(prefix)\(column): \(measure.rawValue) \(JSONValue.format(value)) \(passes ? "≤" : ">") \(JSONValue.format(maximum)) against \(holder.version) (\(stage))",
                            rule: id, metric: name, actual: value, bound: maximum))
                case .mismatch(let why):
                    results.append(
                        context.result(
                            context.failing, "\(prefix)\(column): \(why)", rule: id, metric: name, bound: maximum))
                }
            }
            if case .named(let names) = columns {
                for column in names
                where !base.columns.contains(where: { $0.name == column })
                    && !current.columns.contains(where: { $0.name == column })
                {
                    let id = context.rule.hasExplicitID ? "\(context.rule.id)/\(column)" : "\(column)/\(name)"
                    results.append(
                        context.result(
                            context.failing, "\(prefix)\(column): in neither profile", rule: id, metric: name,
                            bound: maximum))
                }
            }
        }
        return results.isEmpty ? [context.result(context.failing, "no column to compare", bound: maximum)] : results
    }
}

extension DriftRule {
    /// The result names a waiver may give for `rule` of `policy` on `candidate`: one per column, the columns
    /// of its profile at head when the rule names none.
    static func resultNames(_ rule: Rule, policy: String, candidate: ModelVersion, evidence: Evidence) -> [String] {
        guard case .drift(let measure, _, let selector, _) = rule.check else { return [] }
        let columns: [String]
        switch selector {
        case .named(let named): columns = named
        case .all:
            let path = VersionProfile.path(model: candidate.model, version: candidate.version.description)
            let profiles = (try? VersionProfile.profiles(in: evidence.file(path), path: path)) ?? [:]
            columns = profiles.values.flatMap { $0.columns.map(\.name) }
        }
        return columns.map {
            "\(policy)/" + (rule.hasExplicitID ? "\(rule.id)/\($0)" : "\($0)/drift.\(measure.rawValue)")
        }
    }
}

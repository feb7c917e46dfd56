import Foundation
import ModelGateRegistry
import ModelGateSupport

extension Gate {
    /// Turns excused failures into `waived`. A waiver excuses only when an equal one is already merged (in
    /// the manifest at base), has not expired, and expires within `waivers.maxDays` of today; an expired,
    /// too distant or dangling waiver is an error.
    func applyWaivers(_ waivers: [Waiver], merged: [Waiver], to evaluation: inout Evaluation, candidate: ModelVersion)
        -> [Diagnostic]
    {
        guard !waivers.isEmpty else { return [] }
        var errors: [Diagnostic] = []
        let known = knownResultNames(for: candidate)
        let today = Dates.parseDay(Dates.formatDay(now)) ?? now
        let latest = today.addingTimeInterval(Double(rules.settings.waiverMaxDays) * 86_400)
        for waiver in waivers {
            let rule = Escape.control(waiver.rule)
            let expiresText = Escape.control(waiver.expiresText)
            guard known.contains(waiver.rule) else {
                errors.append(
                    Diagnostic(
                        at: waiver.location, "waiver names \(Quoted(waiver.rule)), which is no rule of any policy"))
                continue
            }
            let expired = waiver.expires.map { now >= $0.addingTimeInterval(86_400) } ?? true
            let tooDistant = waiver.expires.map { $0 > latest } ?? false
            let isMerged = merged.contains { $0.isEqual(to: waiver) }
            if expired {
                errors.append(Diagnostic(at: waiver.location, "waiver for \(rule) expired on \(expiresText)"))
            } else if tooDistant {
                errors.append(
                    Diagnostic(
                        at: waiver.location,
                        "waiver for \(rule) expires on \(expiresText), more than waivers.maxDays (\(rules.settings.waiverMaxDays)) days after today (\(Dates.formatDay(now)))"
                    ))
            }
            for index in evaluation.results.indices where evaluation.results[index].name == waiver.rule {
                let result = evaluation.results[index]
                guard result.status == .fail || result.status == .warn else { continue }
                if expired {
                    evaluation.results[index].message += " (its waiver expired on \(expiresText))"
                } else if tooDistant {
                    evaluation.results[index].message +=
                        " (its waiver expires more than \(rules.settings.waiverMaxDays) days from today)"
                } else if !isMerged {
                    evaluation.results[index].message +=
                        " (a waiver for it applies once merged: the change being judged cannot waive its own failures)"
                } else {
                    evaluation.results[index].status = .waived
                    evaluation.results[index].waiver = waiver
                    evaluation.results[index].message +=
                        " — waived until \(expiresText) by \(Escape.control(waiver.owner)): \(Escape.control(waiver.reason))"
                }
            }
        }
        return errors
    }

    /// Every `<policy>/<rule>` a waiver of `candidate` may name.
    func knownResultNames(for candidate: ModelVersion) -> Set<String> {
        var names: Set<String> = []
        for policy in rules.policies {
            for rule in policy.rules {
                names.insert("\(policy.name)/\(rule.id)")
                names.formUnion(
                    DriftRule.resultNames(rule, policy: policy.name, candidate: candidate, evidence: evidence))
                names.formUnion(SliceRule.resultNames(rule, policy: policy.name, candidate: candidate))
            }
        }
        return names
    }
}

extension Waiver {
    /// The same waiver, compared as parsed values: rule, reason, owner and expiry.
    func isEqual(to other: Waiver) -> Bool {
        rule == other.rule && reason == other.reason && owner == other.owner && expires == other.expires
            && (expires != nil || expiresText == other.expiresText)
    }
}

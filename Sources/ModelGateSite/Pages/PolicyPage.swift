import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// `policies/<policy>.html`: the policy's rules in words, the stages and models it governs, and the
/// commits that changed its file.
enum PolicyPage {
    static func page(_ policy: Policy, _ facts: SiteFacts) -> Page {
        let path = SitePaths.policyPath(policy.name)
        let governed = facts.registry.modelNames.filter { model in
            policy.stages.contains { policy.applies(toModel: model, stage: $0) }
        }
        let changes = facts.policyHistories[policy.name] ?? []
        return Page(
            path: path, title: "Policy \(policy.name)", trail: [("Registry", "index.html"), (policy.name, nil)]
        ) { html in
            html.facts { html in
                html.fact("File", code: policy.path)
                html.fact("Stages", text: policy.stages.joined(separator: ", "))
                html.fact("Model patterns", text: policy.models.joined(separator: ", "))
                html.fact("Governs") { html in
                    if governed.isEmpty { html.text("no model of this registry") }
                    for (index, model) in governed.enumerated() {
                        if index > 0 { html.text(", ") }
                        html.tag(
                            "a", [("href", SitePaths.link(SitePaths.modelPath(model), from: path))], text: model)
                    }
                }
            }
            html.tag("h2", text: "Rules")
            html.table(columns: ["Rule", "Checks", "Severity"]) { html in
                for rule in policy.rules {
                    html.tag("tr") { html in
                        html.tag("th", [("scope", "row")]) { $0.tag("code", text: rule.id) }
                        html.tag("td", text: describe(rule.check))
                        html.tag("td", text: rule.severity.rawValue)
                    }
                }
            }
            html.tag("h2", text: "History")
            html.table(columns: ["Date", "Author", "Change", "Commit"]
            ) { html in
                for change in changes {
                    let what = change.previousBlob == nil ? "added" : change.blob == nil ? "removed" : "changed"
                    html.tag("tr") { html in
                        html.tag("td", text: Dates.format(change.commit.author.date))
                        html.tag("td", text: change.commit.author.name)
                        html.tag("td", text: "\(what): \(change.commit.summary)")
                        html.tag("td") { $0.commit(change.commit.id) }
                    }
                }
            }
        }
    }

    /// A rule in words.
    static func describe(_ check: Rule.Check) -> String {
        func bounds(_ metric: String, _ min: Double?, _ max: Double?) -> String {
            switch (min, max) {
            case (let min?, let max?): "\(metric) between \(NumberFormat.metric(min)) and \(NumberFormat.metric(max))"
            case (let min?, nil): "\(metric) ≥ \(NumberFormat.metric(min))"
            case (nil, let max?): "\(metric) ≤ \(NumberFormat.metric(max))"
            case (nil, nil): metric
            }
        }
        func selection(_ selector: Rule.SliceSelector, _ what: String) -> String {
            switch selector {
            case .all: "every \(what)"
            case .named(let names): "\(what) \(names.joined(separator: ", "))"
            }
        }
        switch check {
        case .threshold(let metric, let min, let max):
            return bounds(metric, min, max)
        case .baseline(let metric, let stage, let direction, let absolute, let relative):
            var allowed: [String] = []
            if let absolute { allowed.append(NumberFormat.metric(absolute)) }
            if let relative { allowed.append("\(NumberFormat.metric(relative))%") }
            return
                "\(metric) no worse than the \(stage) holder's by more than \(allowed.joined(separator: " or ")) (\(direction.rawValue) is better)"
        case .slices(let selector, let metric, let min, let max):
            return "\(selection(selector, "slice")): \(bounds(metric, min, max))"
        case .require(.artifactHash):
            return "the artifact's sha256 is the one recorded"
        case .require(.dataHashes):
            return "every training data file's sha256 is the one recorded"
        case .require(.reproducible(let attestors)):
            return "a signed attestation that the version reproduces, by "
                + (attestors.map { $0.joined(separator: ", ") } ?? "a trusted attestor")
        case .require(.from(let stages)):
            return "enters only from " + (stages.map { $0.joined(separator: " or ") } ?? "the stage below")
        case .require(.approvals(let count, let names)):
            return "approved by \(count) trusted approver\(count == 1 ? "" : "s")"
                + (names.map { " of " + $0.joined(separator: ", ") } ?? "")
        case .drift(let measure, let stage, let columns, let maximum):
            return
                "\(measure.rawValue) of \(selection(columns, "column")) of the training data against the \(stage) holder's ≤ \(NumberFormat.metric(maximum))"
        }
    }
}

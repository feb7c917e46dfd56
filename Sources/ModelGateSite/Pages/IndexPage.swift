import ModelGateRegistry
import ModelGateSupport

/// `index.html`: every model with its owner, each stage's holder and that holder's verdict, the latest
/// version and the last stage change; then the policies. Rows filter by name and owner.
enum IndexPage {
    static let path = "index.html"

    static func page(_ facts: SiteFacts) -> Page {
        let registry = facts.registry
        let versions = registry.models.values.reduce(0) { $0 + $1.versions.count }
        return Page(path: path, title: "Model registry", trail: [("Registry", nil)]) { html in
            html.tag(
                "p",
                text:
                    "\(count(registry.models.count, "model")), \(count(versions, "version")) and \(count(registry.policies.count, "policy", "policies")). Stages, in order: \(facts.ladder.joined(separator: ", "))."
            )
            html.tag("h2", text: "Models")
            html.tag("p", [("class", "filter"), ("hidden", "")]) { html in
                html.tag("label", [("for", "filter")], text: "Filter by name or owner")
                html.void("input", [("id", "filter"), ("type", "search"), ("autocomplete", "off")])
            }
            html.table(
                columns: ["Model", "Owner"] + facts.judgedStages + ["Latest", "Last stage change"], sortable: true,
                stacked: true
            ) { html in
                for model in registry.modelNames.compactMap({ facts.models[$0] }) { row(model, facts, &html) }
            }
            html.tag("h2", text: "Policies")
            html.table([("Policy", numeric: false), ("Stages", false), ("Models", false), ("Rules", true)]) { html in
                for policy in registry.policies.sorted(by: { $0.name < $1.name }) {
                    html.tag("tr") { html in
                        html.tag("th", [("scope", "row")]) {
                            $0.tag("a", [("href", SitePaths.policyPath(policy.name))], text: policy.name)
                        }
                        html.tag("td", text: policy.stages.joined(separator: ", "))
                        html.tag("td", text: policy.models.joined(separator: ", "))
                        html.tag("td", [("class", "num")], text: "\(policy.rules.count)")
                    }
                }
            }
        }
    }

    private static func row(_ model: ModelFacts, _ facts: SiteFacts, _ html: inout HTMLWriter) {
        let name = model.name
        let owner = model.model.spec?.owner ?? ""
        html.tag("tr", [("data-filter", "\(name) \(owner)".lowercased())]) { html in
            html.tag("th", [("scope", "row")]) { $0.tag("a", [("href", model.path)], text: name) }
            html.tag("td", [("data-label", "Owner")], text: owner)
            for stage in facts.judgedStages {
                guard let holder = model.holder(of: stage) else {
                    html.tag("td", [("class", "muted"), ("data-label", stage)], text: "—")
                    continue
                }
                let verdict = holder.verdicts[stage]?.verdict.rawValue ?? "skip"
                html.tag("td", [("data-sort", holder.version), ("data-label", stage)]) { html in
                    html.tag("a", [("href", holder.path)], text: holder.version)
                    html.text(" ")
                    html.badge(verdict)
                }
            }
            if let latest = model.versions.last {
                html.tag("td", [("data-label", "Latest")]) {
                    $0.tag("a", [("href", latest.path)], text: latest.version)
                }
            } else {
                html.tag("td", [("class", "muted"), ("data-label", "Latest")], text: "—")
            }
            if let last = model.history.first {
                // Every change of the last commit that moved a stage, the ladder's order.
                let moves = model.history.prefix { $0.commit == last.commit }.sorted {
                    (facts.ladder.firstIndex(of: $0.stage) ?? .max) < (facts.ladder.firstIndex(of: $1.stage) ?? .max)
                }.map { "\($0.stage) \($0.fromVersion ?? "—") → \($0.toVersion ?? "—")" }
                html.tag("td", [("data-sort", Dates.format(last.date)), ("data-label", "Last stage change")]) { html in
                    html.tag("span", [("class", "date")], text: Dates.formatDay(last.date))
                    html.text(": \(moves.joined(separator: ", ")), by \(last.author.name) ")
                    html.commit(last.commit)
                }
            } else {
                html.tag("td", [("class", "muted"), ("data-label", "Last stage change")], text: "—")
            }
        }
    }

    static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number) \(number == 1 ? singular : plural ?? singular + "s")"
    }
}

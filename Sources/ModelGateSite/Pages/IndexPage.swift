import ModelGateRegistry
import ModelGateSupport

/// `index.html`: every model with its owner, each stage's holder and that holder's verdict, the latest
/// version and the last stage change; then the policies. Rows filter by name and owner.
enum IndexPage {
    static func page(_ facts: SiteFacts) -> Page {
        let registry = facts.registry
        let versions = registry.models.values.reduce(0) { $0 + $1.versions.count }
        let summary = HTML.tag(
            "p", [],
            [
                .text(
                    "\(count(registry.models.count, "model")), \(count(versions, "version")) and \(count(registry.policies.count, "policy", "policies")). Stages, in order: \(facts.ladder.joined(separator: ", "))."
                )
            ])
        let filter = HTML.tag(
            "p", [("class", "filter"), ("hidden", "")],
            [
                .tag("label", [("for", "filter")], text: "Filter by name or owner"),
                .void(
                    "input", attributes: [("id", "filter"), ("type", "search"), ("autocomplete", "off")]),
            ])
        let headers =
            [("Model", false), ("Owner", false)] + facts.judgedStages.map { ($0, false) } + [
                ("Latest", false), ("Last stage change", false),
            ]
        let rows = registry.modelNames.compactMap { registry.models[$0] }.map { row($0, facts) }
        let policies = registry.policies.sorted { $0.name < $1.name }.map { policy -> HTML in
            .tag(
                "tr", [],
                [
                    .tag(
                        "th", [("scope", "row")],
                        [.tag("a", [("href", SiteContext.policyPath(policy.name))], text: policy.name)]),
                    .tag("td", text: policy.stages.joined(separator: ", ")),
                    .tag("td", text: policy.models.joined(separator: ", ")),
                    .tag("td", [("class", "num")], text: "\(policy.rules.count)"),
                ])
        }
        return Page(
            path: "index.html", title: "Model registry", trail: [("Registry", nil)],
            content: [
                summary,
                .tag("h2", text: "Models"), filter,
                Fragment.table(headers.map { ($0.0, numeric: $0.1) }, rows: rows, sortable: true),
                .tag("h2", text: "Policies"),
                Fragment.table(
                    [("Policy", false), ("Stages", false), ("Models", false), ("Rules", true)].map {
                        ($0.0, numeric: $0.1)
                    }, rows: policies),
            ])
    }

    private static func row(_ model: Registry.Model, _ facts: SiteFacts) -> HTML {
        let name = model.name
        let owner = model.spec?.owner ?? ""
        var cells: [HTML] = [
            .tag("th", [("scope", "row")], [.tag("a", [("href", SiteContext.modelPath(name))], text: name)]),
            .tag("td", text: owner),
        ]
        for stage in facts.judgedStages {
            guard let holder = model.stages?.holder(of: stage) else {
                cells.append(.tag("td", [("class", "muted")], text: "—"))
                continue
            }
            let verdict = facts.verdicts[name]?[holder]?[stage]?.verdict.rawValue ?? "skip"
            cells.append(
                .tag(
                    "td", [("data-sort", holder)],
                    [
                        .tag("a", [("href", SiteContext.versionPath(name, holder))], text: holder), .text(" "),
                        Fragment.badge(verdict),
                    ]))
        }
        if let latest = model.orderedVersions.last?.version.description {
            cells.append(.tag("td", [], [.tag("a", [("href", SiteContext.versionPath(name, latest))], text: latest)]))
        } else {
            cells.append(.tag("td", [("class", "muted")], text: "—"))
        }
        if let changes = facts.histories[name], let last = changes.first {
            // Every change of the last commit that moved a stage, the ladder's order.
            let moves = changes.prefix { $0.commit == last.commit }.sorted {
                (facts.ladder.firstIndex(of: $0.stage) ?? .max) < (facts.ladder.firstIndex(of: $1.stage) ?? .max)
            }.map { "\($0.stage) \($0.fromVersion ?? "—") → \($0.toVersion ?? "—")" }
            cells.append(
                .tag(
                    "td", [("data-sort", Dates.format(last.date))],
                    [
                        .tag("span", [("class", "date")], text: Dates.formatDay(last.date)),
                        .text(": \(moves.joined(separator: ", ")), by \(last.author.name) "),
                        Fragment.commit(last.commit),
                    ]))
        } else {
            cells.append(.tag("td", [("class", "muted")], text: "—"))
        }
        return .tag("tr", [("data-filter", "\(name) \(owner)".lowercased())], cells)
    }

    static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number) \(number == 1 ? singular : plural ?? singular + "s")"
    }
}

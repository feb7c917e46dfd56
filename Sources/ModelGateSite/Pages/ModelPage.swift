import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// `models/<model>/index.html`: the stages and their holders, every version with its metrics (sortable),
/// each metric over the versions as a chart with the policies' bounds, the stage timeline, and for each
/// stage the policies that govern it with every version's verdict, rule by rule.
enum ModelPage {
    /// A link from a model page (two folders down) to a site path.
    private static func link(_ target: String) -> String { "../../" + target }

    static func page(_ model: Registry.Model, _ facts: SiteFacts) -> Page {
        let name = model.name
        let versions = model.orderedVersions
        var content: [HTML] = []
        if let description = model.spec?.description { content.append(.tag("p", text: description)) }
        content.append(
            Fragment.facts([
                ("Owner", .text(model.spec?.owner ?? "—")),
                ("Versions", .text("\(versions.count)")),
                ("Manifests", .tag("code", text: "models/\(name)/")),
            ]))
        content += stages(name, model, facts)
        content += versionTable(name, model, versions, facts)
        content += charts(name, versions, facts)
        content += timeline(name, facts)
        content += verdicts(name, versions, facts)
        return Page(
            path: SiteContext.modelPath(name), title: name,
            trail: [("Registry", "index.html"), (name, nil)], content: content)
    }

    private static func stages(_ name: String, _ model: Registry.Model, _ facts: SiteFacts) -> [HTML] {
        let rows = facts.ladder.map { stage -> HTML in
            guard let holder = model.stages?.holder(of: stage) else {
                return .tag(
                    "tr", [],
                    [
                        .tag("th", [("scope", "row")], text: stage),
                        .tag("td", [("class", "muted"), ("colspan", "3")], text: "no holder"),
                    ])
            }
            let verdict = facts.verdicts[name]?[holder]?[stage]?.verdict.rawValue
            let since = facts.histories[name]?.first { $0.stage == stage && $0.toVersion == holder }
            return .tag(
                "tr", [],
                [
                    .tag("th", [("scope", "row")], text: stage),
                    .tag("td", [], [.tag("a", [("href", link(SiteContext.versionPath(name, holder)))], text: holder)]),
                    .tag("td", [], [verdict.map(Fragment.badge) ?? .text("not judged")]),
                    .tag(
                        "td", [],
                        since.map { change in
                            [
                                .text("\(Dates.formatDay(change.date)) by \(change.author.name) "),
                                Fragment.commit(change.commit),
                            ]
                        } ?? [.text("—")]),
                ])
        }
        return [
            .tag("h2", text: "Stages"),
            Fragment.table(
                [
                    ("Stage", numeric: false), ("Holder", numeric: false), ("Verdict", numeric: false),
                    ("Since", numeric: false),
                ],
                rows: rows),
        ]
    }

    private static func metricNames(_ versions: [ModelVersion]) -> [String] {
        Set(versions.flatMap(\.metrics.keys)).sorted()
    }

    private static func versionTable(
        _ name: String, _ model: Registry.Model, _ versions: [ModelVersion], _ facts: SiteFacts
    ) -> [HTML] {
        let metrics = metricNames(versions)
        let rows = versions.enumerated().reversed().map { index, manifest -> HTML in
            let version = manifest.version.description
            var cells: [HTML] = [
                .tag(
                    "th", [("scope", "row"), ("data-sort", "\(index)")],
                    [.tag("a", [("href", link(SiteContext.versionPath(name, version)))], text: version)]),
                .tag("td", text: model.stages?.stage(of: version) ?? ""),
                .tag("td", text: manifest.created.map(Dates.formatDay) ?? "—"),
            ]
            cells += metrics.map { Fragment.number(manifest.metrics[$0]?.value) }
            return .tag("tr", [], cells)
        }
        let headers = [("Version", false), ("Stage", false), ("Created", false)] + metrics.map { ($0, true) }
        return [
            .tag("h2", text: "Versions"),
            Fragment.table(headers.map { ($0.0, numeric: $0.1) }, rows: rows, sortable: true),
        ]
    }

    private static func charts(_ name: String, _ versions: [ModelVersion], _ facts: SiteFacts) -> [HTML] {
        let figures = metricNames(versions).enumerated().compactMap { index, metric -> HTML? in
            let points = versions.compactMap { manifest -> (String, Double)? in
                guard let value = manifest.metrics[metric]?.value, value.isFinite else { return nil }
                return (manifest.version.description, value)
            }
            guard !points.isEmpty else { return nil }
            var bounds: [(String, Double)] = []
            for stage in facts.judgedStages {
                for policy in facts.policies(governing: name, in: stage) {
                    for rule in policy.rules {
                        guard case .threshold(metric, let min, let max) = rule.check else { continue }
                        if let min { bounds.append(("\(stage) min \(NumberFormat.metric(min))", min)) }
                        if let max { bounds.append(("\(stage) max \(NumberFormat.metric(max))", max)) }
                    }
                }
            }
            return MetricChart(id: "chart-\(index)", metric: metric, points: points, bounds: bounds).html
        }
        guard !figures.isEmpty else { return [] }
        return [
            .tag("h2", text: "Metrics over the versions"),
            .tag(
                "p", [("class", "muted")],
                text: "Oldest first. The scale always holds every value and bound, so a small change looks small."),
            .tag("div", [("class", "charts")], figures),
        ]
    }

    private static func timeline(_ name: String, _ facts: SiteFacts) -> [HTML] {
        let changes = facts.histories[name] ?? []
        let rows = changes.map { change -> HTML in
            .tag(
                "tr", [],
                [
                    .tag(
                        "td", [("class", "date"), ("data-sort", Dates.format(change.date))],
                        text: Dates.format(change.date)),
                    .tag("td", text: change.stage),
                    .tag("td", text: change.fromVersion ?? "—"),
                    .tag("td", text: change.toVersion ?? "—"),
                    .tag("td", text: change.author.name),
                    .tag("td", [], [Fragment.commit(change.commit)]),
                    .tag("td", text: change.subject),
                ])
        }
        return [
            .tag("h2", text: "Stage timeline"),
            changes.isEmpty
                ? .tag("p", [("class", "muted")], text: "No stage has changed in this history.")
                : Fragment.table(
                    ["Date", "Stage", "From", "To", "By", "Commit", "Subject"].map { ($0, numeric: false) }, rows: rows,
                    sortable: true),
        ]
    }

    private static func verdicts(_ name: String, _ versions: [ModelVersion], _ facts: SiteFacts) -> [HTML] {
        var out: [HTML] = [
            .tag("h2", text: "Verdicts by stage"),
            .tag(
                "p", [("class", "muted")],
                text:
                    "Each version judged for each stage: the holder as it stands, any other version as a promotion from its own stage, against the holder."
            ),
        ]
        for stage in facts.judgedStages {
            let policies = facts.policies(governing: name, in: stage)
            var governing: [HTML] = [.text(policies.isEmpty ? "No policy governs this stage." : "Governed by ")]
            for (index, policy) in policies.enumerated() {
                if index > 0 { governing.append(.text(", ")) }
                governing.append(.tag("a", [("href", link(SiteContext.policyPath(policy.name)))], text: policy.name))
            }
            out.append(.tag("h3", text: stage))
            out.append(.tag("p", [], governing))
            let judged = versions.reversed().compactMap { manifest in
                facts.verdicts[name]?[manifest.version.description]?[stage]
            }
            var rules: [String] = []
            for verdict in judged {
                for result in verdict.evaluation.results where !rules.contains(result.name) {
                    rules.append(result.name)
                }
            }
            let rows = judged.map { verdict -> HTML in
                let results = Dictionary(
                    verdict.evaluation.results.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
                var cells: [HTML] = [
                    .tag(
                        "th", [("scope", "row")],
                        [
                            .tag(
                                "a", [("href", link(SiteContext.versionPath(name, verdict.evaluation.version)))],
                                text: verdict.evaluation.version),
                            .text(verdict.held ? " (holds it)" : ""),
                        ]),
                    .tag("td", [], [Fragment.badge(verdict.verdict.rawValue)]),
                ]
                cells += rules.map { rule in
                    guard let result = results[rule] else { return .tag("td", [("class", "muted")], text: "—") }
                    return .tag("td", [("title", result.message)], [Fragment.badge(result.status.rawValue)])
                }
                return .tag("tr", [], cells)
            }
            if !judged.isEmpty {
                out.append(
                    Fragment.table(
                        [("Version", numeric: false), ("Verdict", numeric: false)] + rules.map { ($0, numeric: false) },
                        rows: rows))
            }
        }
        return out
    }
}

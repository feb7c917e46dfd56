import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// `models/<model>/index.html`: the stages and their holders, every version with its metrics (sortable),
/// each metric over the versions as a chart with the policies' bounds, the stage timeline, and for each
/// stage the policies that govern it with every version's verdict, rule by rule.
enum ModelPage {
    /// A link from a model page (two folders down) to a site path.
    private static func link(_ target: String) -> String { "../../" + target }

    static func page(_ model: ModelFacts, _ facts: SiteFacts) -> Page {
        let name = model.name
        let versions = model.versions
        let metrics = metricNames(versions)
        return Page(path: model.path, title: name, trail: [("Registry", "index.html"), (name, nil)]) {
            html in
            if let description = model.model.spec?.description { html.tag("p", text: description) }
            html.facts { html in
                html.fact("Owner", text: model.model.spec?.owner ?? "—")
                html.fact("Versions", text: "\(versions.count)")
                html.fact("Manifests", code: "models/\(name)/")
            }
            stages(model, facts, &html)
            versionTable(name, versions, metrics, &html)
            charts(name, versions, metrics, facts, &html)
            timeline(model.history, &html)
            verdicts(name, versions, facts, &html)
        }
    }

    private static func stages(_ model: ModelFacts, _ facts: SiteFacts, _ html: inout HTMLWriter) {
        html.tag("h2", text: "Stages")
        html.table(columns: ["Stage", "Holder", "Verdict", "Since"]
        ) { html in
            for stage in facts.ladder {
                html.tag("tr") { html in
                    html.rowHeader(stage)
                    guard let holder = model.holder(of: stage) else {
                        return html.tag("td", [("class", "muted"), ("colspan", "3")], text: "no holder")
                    }
                    html.tag("td") { $0.tag("a", [("href", holder.href)], text: holder.version) }
                    if let verdict = holder.verdicts[stage]?.verdict.rawValue {
                        html.tag("td") { $0.badge(verdict) }
                    } else {
                        html.tag("td", text: "not judged")
                    }
                    if let change = model.history.first(where: { $0.stage == stage && $0.toVersion == holder.version })
                    {
                        html.tag("td") { html in
                            html.text("\(Dates.formatDay(change.date)) by \(change.author.name) ")
                            html.commit(change.commit)
                        }
                    } else {
                        html.tag("td", text: "—")
                    }
                }
            }
        }
    }

    private static func metricNames(_ versions: [VersionFacts]) -> [String] {
        Set(versions.flatMap { $0.metrics.map(\.key) }).sorted()
    }

    private static func versionTable(
        _ name: String, _ versions: [VersionFacts], _ metrics: [String], _ html: inout HTMLWriter
    ) {
        html.tag("h2", text: "Versions")
        let headers = [("Version", numeric: false), ("Stage", false), ("Created", false)] + metrics.map { ($0, true) }
        html.table(headers, sortable: true) { html in
            for (index, version) in versions.enumerated().reversed() {
                html.tag("tr") { html in
                    html.tag("th", [("scope", "row"), ("data-sort", "\(index)")]) {
                        $0.tag("a", [("href", version.href)], text: version.version)
                    }
                    html.tag("td", text: version.stage ?? "")
                    html.tag("td", text: version.manifest.created.map(Dates.formatDay) ?? "—")
                    for metric in metrics { html.number(version.metric(metric)) }
                }
            }
        }
    }

    private static func charts(
        _ name: String, _ versions: [VersionFacts], _ metrics: [String], _ facts: SiteFacts, _ html: inout HTMLWriter
    ) {
        let charts = metrics.enumerated().compactMap { index, metric -> MetricChart? in
            let points = versions.compactMap { version -> (String, Double)? in
                guard let value = version.metric(metric)?.value, value.isFinite else { return nil }
                return (version.version, value)
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
            return MetricChart(id: "chart-\(index)", metric: metric, points: points, bounds: bounds)
        }
        guard !charts.isEmpty else { return }
        html.tag("h2", text: "Metrics over the versions")
        html.tag(
            "p", [("class", "muted")],
            text:
                "Oldest first. Each scale holds the metric's values and the bounds drawn on it, on round ticks; where a metric has no bound, it spans the values alone, so read the axis before the slope."
        )
        html.tag("div", [("class", "charts")]) { html in
            for chart in charts { chart.write(into: &html) }
        }
    }

    private static func timeline(_ changes: [StageChange], _ html: inout HTMLWriter) {
        html.tag("h2", text: "Stage timeline")
        guard !changes.isEmpty else {
            return html.tag("p", [("class", "muted")], text: "No stage has changed in this history.")
        }
        html.table(columns: ["Date", "Stage", "From", "To", "By", "Commit", "Subject"], sortable: true) { html in
            for change in changes {
                html.tag("tr") { html in
                    let date = Dates.format(change.date)
                    html.tag("td", [("class", "date"), ("data-sort", date)], text: date)
                    html.tag("td", text: change.stage)
                    html.tag("td", text: change.fromVersion ?? "—")
                    html.tag("td", text: change.toVersion ?? "—")
                    html.tag("td", text: change.author.name)
                    html.tag("td") { $0.commit(change.commit) }
                    html.tag("td", text: change.subject)
                }
            }
        }
    }

    private static func verdicts(
        _ name: String, _ versions: [VersionFacts], _ facts: SiteFacts, _ html: inout HTMLWriter
    ) {
        html.tag("h2", text: "Verdicts by stage")
        html.tag(
            "p", [("class", "muted")],
            text:
                "Each version judged for each stage: the holder as it stands, any other version as a promotion from its own stage, against the holder."
        )
        for stage in facts.judgedStages {
            let policies = facts.policies(governing: name, in: stage)
            html.tag("h3", text: stage)
            html.tag("p") { html in
                html.text(policies.isEmpty ? "No policy governs this stage." : "Governed by ")
                for (index, policy) in policies.enumerated() {
                    if index > 0 { html.text(", ") }
                    html.tag("a", [("href", link(SitePaths.policyPath(policy.name)))], text: policy.name)
                }
            }
            let judged = versions.reversed().compactMap { version in version.verdicts[stage].map { (version, $0) } }
            guard !judged.isEmpty else { continue }
            // Rules by policy and id: their names (`policy/id`) are made only for the header.
            // Results are read where they are, by index: a copy of each would retain all its strings.
            var rules: [(policy: String, rule: String)] = []
            for (_, verdict) in judged {
                let results = verdict.evaluation.results
                for index in results.indices
                where !rules.contains(where: { $0 == (results[index].policy, results[index].rule) }) {
                    rules.append((results[index].policy, results[index].rule))
                }
            }
            html.table(columns: ["Version", "Verdict"] + rules.map { "\($0.policy)/\($0.rule)" }) { html in
                for (version, verdict) in judged {
                    html.tag("tr") { html in
                        html.tag("th", [("scope", "row")]) { html in
                            html.tag("a", [("href", version.href)], text: version.version)
                            if verdict.held { html.text(" (holds it)") }
                        }
                        html.tag("td") { $0.badge(verdict.verdict.rawValue) }
                        let results = verdict.evaluation.results
                        for rule in rules {
                            if let index = results.firstIndex(where: {
                                $0.policy == rule.policy && $0.rule == rule.rule
                            }) {
                                html.tag("td", [("title", results[index].message)]) {
                                    $0.badge(results[index].status.rawValue)
                                }
                            } else {
                                html.tag("td", [("class", "muted")], text: "—")
                            }
                        }
                    }
                }
            }
        }
    }
}

import ModelGateGate
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// `models/<model>/<version>.html`: the manifest (artifact, training data with hashes, parameters, seed,
/// environment), its lineage, its verdict per stage, the difference from each stage's holder, the
/// attestation and whether it verifies now, the drift of its training data against the holders', and
/// its waivers.
enum VersionPage {
    /// The bound the drift bars are drawn against: the `drift` rule's default.
    static let driftBound = 0.2

    static func page(_ facts: VersionFacts, of model: ModelFacts, _ site: SiteFacts) -> Page {
        let name = model.name
        let version = facts.version
        let path = facts.path
        return Page(
            path: path, title: "\(name) \(version)",
            trail: [("Registry", "index.html"), (name, model.path), (version, nil)]
        ) { html in
            // Read through the shared facts, not copied into the closure.
            let manifest = facts.manifest
            if let description = manifest.description { html.tag("p", text: description) }
            html.facts { html in
                html.fact("Stage", text: facts.stage ?? "none")
                html.fact("Created", text: manifest.created.map(Dates.format) ?? "—")
                html.fact("Manifest", code: manifest.path)
                html.fact("Artifact", code: manifest.artifact.uri)
                html.fact("Artifact sha256", code: manifest.artifact.sha256 ?? "not recorded")
                if let size = manifest.artifact.size { html.fact("Artifact size", text: "\(size) bytes") }
            }
            metrics(facts, site, &html)
            training(manifest, &html)
            lineage(manifest, model, &html)
            verdicts(facts, site, &html)
            differences(facts, model, site, &html)
            attestation(facts.attestation, &html)
            approvals(facts.approvals, &html)
            drift(facts, model, site, &html)
            waivers(manifest, &html)
        }
    }

    /// The version's metrics and slices, each beside the bounds of the rules that judge it for every stage
    /// a policy governs, with each bound's verdict: what a reviewer reads to see how near a bound it is.
    private static func metrics(_ facts: VersionFacts, _ site: SiteFacts, _ html: inout HTMLWriter) {
        html.tag("h2", text: "Metrics")
        let manifest = facts.manifest
        // The stages with a rule on some metric: a column of "no rule" says nothing.
        let stages = site.judgedStages.filter { stage in
            facts.verdicts[stage]?.evaluation.results.contains { $0.metric != nil } ?? false
        }
        var rows: [(label: String, value: Double, slice: String?, metric: String)] = manifest.metrics.keys.sorted()
            .compactMap { name in manifest.metrics[name].map { (name, $0.value, nil, name) } }
        for slice in manifest.slices.keys.sorted() {
            for (name, metric) in (manifest.slices[slice] ?? [:]).sorted(by: { $0.key < $1.key }) {
                rows.append(("\(slice) \(name)", metric.value, slice, name))
            }
        }
        guard !rows.isEmpty else { return html.tag("p", [("class", "muted")], text: "The manifest records no metric.") }
        html.table(
            [("Metric", numeric: false), ("Value", numeric: true)]
                + stages.map { ("Bounds for \($0)", numeric: false) },
            caption: "Each bound is a rule of a policy that governs the stage, with its verdict for this version."
        ) { html in
            for row in rows {
                html.tag("tr") { html in
                    html.rowHeader(row.label)
                    html.number(row.value)
                    for stage in stages {
                        // Force unwrap: `stages` holds only the stages with a verdict.
                        let results = facts.verdicts[stage]!.evaluation.results.filter { result in
                            guard result.metric == row.metric else { return false }
                            return row.slice.map { result.rule.hasPrefix("\($0)/") } ?? !result.rule.contains("/")
                        }
                        guard !results.isEmpty else {
                            html.tag("td", [("class", "muted")], text: "no rule")
                            continue
                        }
                        html.tag("td") { html in
                            for result in results {
                                html.tag("div") { html in
                                    html.badge(result.status.rawValue)
                                    html.text(" \(result.policy): \(bound(result))")
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// How a result's rule bounds the metric: `≥ 0.75`, `≤ 0.6`, or against the baseline holder.
    private static func bound(_ result: RuleResult) -> String {
        let bound = NumberFormat.metric(result.bound)
        if result.rule.hasSuffix(".min") { return "≥ \(bound)" }
        if result.rule.hasSuffix(".max") { return "≤ \(bound)" }
        if let version = result.baselineVersion {
            return "against \(version) (\(NumberFormat.metric(result.baselineValue)))"
                + (result.bound.map { ", bound \(NumberFormat.metric($0))" } ?? "")
        }
        return result.message
    }

    /// Who approved the version for which stage, and whether each approval counts (or why not).
    private static func approvals(_ approvals: [Approval.Check], _ html: inout HTMLWriter) {
        guard !approvals.isEmpty else { return }
        html.tag("h2", text: "Approvals")
        html.facts { html in
            for approval in approvals {
                html.fact("\(approval.stage): \(approval.name)") { html in
                    html.badge(approval.counts ? "pass" : "fail")
                    html.text(approval.problem.map { " does not count: \($0)" } ?? " counts (\(approval.path))")
                }
            }
        }
    }

    private static func training(_ manifest: ModelVersion, _ html: inout HTMLWriter) {
        html.tag("h2", text: "Training")
        guard let training = manifest.training else {
            return html.tag("p", [("class", "muted")], text: "The manifest records no training.")
        }
        html.facts { html in
            html.fact("Command", code: training.command.joined(separator: " "))
            html.fact("Folder", code: training.workdir.isEmpty ? "." : training.workdir)
            html.fact("Source", code: training.source?.hex ?? "not recorded: read at head")
            html.fact("Seed", text: training.seed.map(String.init) ?? "—")
            html.fact("Lockfile") { html in
                guard let file = training.lockfile else { return html.text("—") }
                html.tag("code", text: file.path)
                html.text(" sha256 ")
                html.tag("code", text: file.sha256 ?? "not recorded")
            }
            html.fact("Environment", code: training.signature ?? "no signature")
        }
        if !training.params.isEmpty {
            html.tag("h3", text: "Parameters")
            html.table(columns: ["Parameter", "Value"]) { html in
                for param in training.params {
                    html.tag("tr") { html in
                        html.rowHeader(param.name)
                        html.tag("td", text: param.value)
                    }
                }
            }
        }
        if !training.data.isEmpty {
            html.tag("h3", text: "Data")
            html.table(columns: ["File", "sha256"]) { html in
                for file in training.data {
                    html.tag("tr") { html in
                        html.rowHeader(file.path)
                        html.tag("td", [("class", "mono")], text: file.sha256 ?? "not recorded")
                    }
                }
            }
        }
        if !training.facts.isEmpty {
            html.tag("h3", text: "Environment facts")
            html.table(columns: ["Fact", "Value"]) { html in
                for fact in training.facts.sorted(by: { $0.key < $1.key }) {
                    html.tag("tr") { html in
                        html.rowHeader(fact.key)
                        html.tag("td", text: fact.value)
                    }
                }
            }
        }
    }

    private static func lineage(
        _ manifest: ModelVersion, _ model: ModelFacts, _ html: inout HTMLWriter
    ) {
        // Each parent once (a cycle ends the chain), marked by its position among the model's versions.
        var chain: [(version: String, known: VersionFacts?)] = []
        var seen = [Bool](repeating: false, count: model.versions.count)
        if let own = model.position(of: manifest.version.description) { seen[own] = true }
        var parent = manifest.lineageParent
        while let current = parent {
            guard let position = model.position(of: current) else {
                chain.append((current, nil))
                break
            }
            if seen[position] { break }
            seen[position] = true
            let known = model.versions[position]
            chain.append((current, known))
            parent = known.manifest.lineageParent
        }
        html.tag("h2", text: "Lineage")
        if chain.isEmpty {
            html.tag("p", [("class", "muted")], text: "No parent recorded: a first version.")
        } else {
            html.tag("p", text: "Each version below is the parent of the one above it.")
            html.tag("ol") { html in
                for (version, known) in chain {
                    if let known {
                        html.tag("li") { $0.tag("a", [("href", known.href)], text: version) }
                    } else {
                        html.tag("li", text: "\(version) (not in this registry)")
                    }
                }
            }
        }
        if let run = manifest.lineageRun {
            html.tag("p") { html in
                html.text("Run: ")
                html.tag("code", text: run)
            }
        }
    }

    private static func verdicts(_ facts: VersionFacts, _ site: SiteFacts, _ html: inout HTMLWriter) {
        html.tag("h2", text: "Verdicts")
        html.table(columns: ["Stage", "Verdict", "Why"]) { html in
            for stage in site.judgedStages {
                guard let verdict = facts.verdicts[stage] else { continue }
                // Read where they are, by index, and written piece by piece: no result or text is copied.
                let results = verdict.evaluation.results
                let failing = results.indices.filter { results[$0].status == .fail || results[$0].status == .warn }
                html.tag("tr") { html in
                    html.rowHeader(stage + (verdict.held ? " (holds it)" : ""))
                    html.tag("td") { $0.badge(verdict.verdict.rawValue) }
                    guard !failing.isEmpty else { return html.tag("td", text: "every rule passes or does not apply") }
                    html.tag("td") { html in
                        html.tag("ul") { html in
                            for index in failing {
                                html.tag("li") { html in
                                    html.text(results[index].policy)
                                    html.text("/")
                                    html.text(results[index].rule)
                                    html.text(": ")
                                    html.text(results[index].message)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // Long on purpose: one table per stage holder, its rows written where the pairing of the two manifests is decided.
    private static func differences(
        _ ours: VersionFacts, _ model: ModelFacts, _ site: SiteFacts, _ html: inout HTMLWriter
    ) {
        let version = ours.version
        html.tag("h2", text: "Against the stage holders")
        var any = false
        for stage in site.judgedStages {
            guard let theirs = model.holder(of: stage), theirs.version != version else { continue }
            let holder = theirs.version
            any = true
            html.tag("h3") { html in
                html.text("\(stage): ")
                html.tag("a", [("href", theirs.href)], text: holder)
            }
            html.table(
                [
                    ("Metric", numeric: false), (holder, numeric: true), (version, numeric: true),
                    ("Delta", numeric: true), ("Delta %", numeric: true),
                ]
            ) { html in
                ManifestFields.pair(theirs.metrics, ours.metrics) { metric, a, b in
                    let delta = a.flatMap { a in b.map { $0.value - a.value } }
                    let relative =
                        a.flatMap { a in delta.map { abs(a.value) < 1e-12 ? nil : $0 / abs(a.value) } } ?? nil
                    html.tag("tr") { html in
                        html.rowHeader(metric)
                        html.number(a)
                        html.number(b)
                        html.tag("td", [("class", "num")], text: NumberFormat.delta(delta))
                        html.tag("td", [("class", "num")], text: NumberFormat.percent(relative))
                    }
                }
            }
            var differs = false
            ManifestFields.pair(theirs.fields, ours.fields) { _, theirs, ours in differs = differs || theirs != ours }
            guard differs else {
                html.tag("p", [("class", "muted")], text: "No other recorded field differs.")
                continue
            }
            html.table(columns: ["Field", holder, version]) { html in
                ManifestFields.pair(theirs.fields, ours.fields) { key, theirs, ours in
                    guard theirs != ours else { return }
                    html.tag("tr") { html in
                        html.rowHeader(key)
                        html.tag("td", text: theirs ?? "—")
                        html.tag("td", text: ours ?? "—")
                    }
                }
            }
        }
        if !any {
            html.tag(
                "p", [("class", "muted")],
                text: "No other version holds \(site.judgedStages.joined(separator: ", ")): nothing to compare with.")
        }
    }

    private static func attestation(_ attestation: VersionFacts.Attestation?, _ html: inout HTMLWriter) {
        html.tag("h2", text: "Attestation")
        guard let attestation, attestation.present else {
            return html.tag(
                "p", [("class", "muted")],
                text:
                    "No attestation: this version has not been reproduced by a trusted job (modelgate repro --record --sign)."
            )
        }
        html.facts { html in
            html.fact("File", code: attestation.path)
            switch attestation.check {
            case .valid(let verdict, let signers):
                html.fact("Verifies now") { html in
                    html.badge("pass")
                    html.text(" signed by \(signers.joined(separator: ", "))")
                }
                html.fact("Verdict", text: verdict)
            case .problem(let why):
                html.fact("Verifies now") { html in
                    html.badge("fail")
                    html.text(" \(why)")
                }
            }
            let binding = attestation.binding
            html.fact("Binds the manifest", code: "blob \(binding.manifestBlob?.hex ?? "none")")
            html.fact(
                "Binds the training folder",
                code: "\(binding.workdir.isEmpty ? "." : binding.workdir) tree \(binding.trainingTree?.hex ?? "none")")
            if let source = binding.source {
                html.fact("Binds the closure", code: "\(binding.closure ?? "unreadable") at \(source.short)")
            }
            if let profile = binding.profile {
                let sha = if case .tracked(let sha256, _) = profile.atHead { sha256 } else { "none" }
                html.fact("Binds the data profile", code: "\(profile.path) sha256 \(sha)")
            }
        }
    }

    private static func drift(_ facts: VersionFacts, _ model: ModelFacts, _ site: SiteFacts, _ html: inout HTMLWriter) {
        html.tag("h2", text: "Training data against the holders'")
        guard let ours = facts.profiles else {
            return html.tag("p", [("class", "muted")], text: "This version records no data profile.")
        }
        var any = false
        for stage in site.judgedStages {
            guard let holderFacts = model.holder(of: stage), holderFacts.version != facts.version,
                let theirs = holderFacts.profiles
            else { continue }
            let holder = holderFacts.version
            any = true
            html.tag("h3", text: "\(stage): \(holder)")
            let pairs: [(String, DataProfile, DataProfile)] =
                if theirs.count == 1, ours.count == 1, let t = theirs.first, let o = ours.first {
                    [(o.key == t.key ? o.key : "\(o.key) ~ \(t.key)", o.value, t.value)]
                } else {
                    ours.sorted { $0.key < $1.key }.compactMap { mine in
                        theirs[mine.key].map { (mine.key, mine.value, $0) }
                    }
                }
            for (data, current, reference) in pairs {
                html.table(
                    [("Column", numeric: false), ("PSI", numeric: true), ("Drift", numeric: false)],
                    caption:
                        "\(data): the population stability index of each column, this version's data against \(holder)'s; the bar's mark is \(NumberFormat.metric(driftBound)), the drift rule's default bound."
                ) { html in
                    for (column, comparison) in ProfileComparison.compare(current, on: reference) {
                        html.tag("tr") { html in
                            html.rowHeader(column)
                            switch comparison {
                            case .counts(let p, let q):
                                let value = DriftMeasure.psi.value(reference: p, current: q)
                                html.number(value)
                                html.tag("td") { bar(value, &$0) }
                            case .mismatch(let why):
                                html.tag("td", [("class", "muted"), ("colspan", "2")], text: why)
                            }
                        }
                    }
                }
            }
        }
        if !any {
            html.tag("p", [("class", "muted")], text: "No holder of another stage has a data profile to compare with.")
        }
    }

    /// A bar for a drift value: full width at twice the bound, red past the bound, a mark at the bound.
    private static func bar(_ value: Double, _ html: inout HTMLWriter) {
        let width = 120.0
        let filled = max(0, min(value / (2 * driftBound), 1)) * width
        html.tag(
            "svg",
            [
                ("viewBox", "0 0 120 10"), ("width", "120"), ("height", "10"), ("role", "img"),
                ("aria-label", "PSI \(NumberFormat.metric(value))"),
            ]
        ) { html in
            html.empty("rect", [("class", "track"), ("x", "0"), ("y", "3"), ("width", "120"), ("height", "4")])
            html.empty(
                "rect",
                [
                    ("class", value > driftBound ? "bar over" : "bar"), ("x", "0"), ("y", "0"),
                    ("width", JSONValue.format((filled * 10).rounded() / 10)), ("height", "10"),
                ])
            html.empty("rect", [("class", "track"), ("x", "59"), ("y", "0"), ("width", "2"), ("height", "10")])
        }
    }

    private static func waivers(_ manifest: ModelVersion, _ html: inout HTMLWriter) {
        guard !manifest.waivers.isEmpty else { return }
        html.tag("h2", text: "Waivers")
        html.table(columns: ["Rule", "Owner", "Expires", "Reason"]
        ) { html in
            for waiver in manifest.waivers {
                html.tag("tr") { html in
                    html.rowHeader(waiver.rule)
                    html.tag("td", text: waiver.owner)
                    html.tag("td", text: waiver.expiresText)
                    html.tag("td", text: waiver.reason)
                }
            }
        }
    }
}

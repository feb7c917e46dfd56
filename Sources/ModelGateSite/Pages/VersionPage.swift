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

    static func page(_ model: Registry.Model, _ manifest: ModelVersion, _ facts: SiteFacts) -> Page {
        let name = model.name
        let version = manifest.version.description
        let path = SiteContext.versionPath(name, version)
        func link(_ target: String) -> String { SiteContext.link(target, from: path) }
        var content: [HTML] = []
        if let description = manifest.description { content.append(.tag("p", text: description)) }
        var summary: [(String, HTML)] = [
            ("Stage", .text(model.stages?.stage(of: version) ?? "none")),
            ("Created", .text(manifest.created.map(Dates.format) ?? "—")),
            ("Manifest", .tag("code", text: manifest.path)),
            ("Artifact", .tag("code", text: manifest.artifact.uri)),
            ("Artifact sha256", .tag("code", text: manifest.artifact.sha256 ?? "not recorded")),
        ]
        if let size = manifest.artifact.size { summary.append(("Artifact size", .text("\(size) bytes"))) }
        content.append(Fragment.facts(summary))
        content += training(manifest)
        content += lineage(name, manifest, model, link)
        content += verdicts(name, version, facts)
        content += differences(name, manifest, model, facts, link)
        content += attestation(facts.attestations[name]?[version])
        content += drift(name, version, model, facts)
        content += waivers(manifest)
        return Page(
            path: path, title: "\(name) \(version)",
            trail: [("Registry", "index.html"), (name, SiteContext.modelPath(name)), (version, nil)], content: content)
    }

    private static func training(_ manifest: ModelVersion) -> [HTML] {
        guard let training = manifest.training else {
            return [
                .tag("h2", text: "Training"),
                .tag("p", [("class", "muted")], text: "The manifest records no training."),
            ]
        }
        var out: [HTML] = [
            .tag("h2", text: "Training"),
            Fragment.facts([
                ("Command", .tag("code", text: training.command.joined(separator: " "))),
                ("Folder", .tag("code", text: training.workdir.isEmpty ? "." : training.workdir)),
                ("Seed", .text(training.seed.map(String.init) ?? "—")),
                ("Lockfile", lockfile(training.lockfile)),
                ("Environment", .tag("code", text: training.signature ?? "no signature")),
            ]),
        ]
        if !training.params.isEmpty {
            out.append(.tag("h3", text: "Parameters"))
            out.append(
                Fragment.table(
                    [("Parameter", numeric: false), ("Value", numeric: false)],
                    rows: training.params.map {
                        .tag("tr", [], [.tag("th", [("scope", "row")], text: $0.name), .tag("td", text: $0.value)])
                    }))
        }
        if !training.data.isEmpty {
            out.append(.tag("h3", text: "Data"))
            out.append(
                Fragment.table(
                    [("File", numeric: false), ("sha256", numeric: false)],
                    rows: training.data.map {
                        .tag(
                            "tr", [],
                            [
                                .tag("th", [("scope", "row")], text: $0.path),
                                .tag("td", [("class", "mono")], text: $0.sha256 ?? "not recorded"),
                            ])
                    }))
        }
        if !training.facts.isEmpty {
            out.append(.tag("h3", text: "Environment facts"))
            out.append(
                Fragment.table(
                    [("Fact", numeric: false), ("Value", numeric: false)],
                    rows: training.facts.sorted { $0.key < $1.key }.map { fact in
                        .tag(
                            "tr", [],
                            [.tag("th", [("scope", "row")], text: fact.key), .tag("td", text: fact.value)])
                    }))
        }
        return out
    }

    private static func lockfile(_ file: DataFile?) -> HTML {
        guard let file else { return .text("—") }
        return .group([
            .tag("code", text: file.path), .text(" sha256 "), .tag("code", text: file.sha256 ?? "not recorded"),
        ])
    }

    private static func lineage(
        _ name: String, _ manifest: ModelVersion, _ model: Registry.Model, _ link: (String) -> String
    ) -> [HTML] {
        var chain: [HTML] = []
        var seen: Set<String> = [manifest.version.description]
        var parent = manifest.lineageParent
        while let current = parent, !seen.contains(current) {
            seen.insert(current)
            if let known = model.versions[current] {
                chain.append(
                    .tag("li", [], [.tag("a", [("href", link(SiteContext.versionPath(name, current)))], text: current)])
                )
                parent = known.lineageParent
            } else {
                chain.append(.tag("li", text: "\(current) (not in this registry)"))
                parent = nil
            }
        }
        var out: [HTML] = [.tag("h2", text: "Lineage")]
        if chain.isEmpty {
            out.append(.tag("p", [("class", "muted")], text: "No parent recorded: a first version."))
        } else {
            out.append(.tag("p", text: "Each version below is the parent of the one above it."))
            out.append(.tag("ol", [], chain))
        }
        if let run = manifest.lineageRun { out.append(.tag("p", [], [.text("Run: "), .tag("code", text: run)])) }
        return out
    }

    private static func verdicts(_ name: String, _ version: String, _ facts: SiteFacts) -> [HTML] {
        let rows = facts.judgedStages.compactMap { stage -> HTML? in
            guard let verdict = facts.verdicts[name]?[version]?[stage] else { return nil }
            let failing = verdict.evaluation.results.filter { $0.status == .fail || $0.status == .warn }
            return .tag(
                "tr", [],
                [
                    .tag("th", [("scope", "row")], text: stage + (verdict.held ? " (holds it)" : "")),
                    .tag("td", [], [Fragment.badge(verdict.verdict.rawValue)]),
                    .tag(
                        "td", [],
                        failing.isEmpty
                            ? [.text("every rule passes or does not apply")]
                            : [.tag("ul", [], failing.map { .tag("li", text: "\($0.name): \($0.message)") })]),
                ])
        }
        return [
            .tag("h2", text: "Verdicts"),
            Fragment.table(
                [("Stage", numeric: false), ("Verdict", numeric: false), ("Why", numeric: false)], rows: rows),
        ]
    }

    // Long on purpose: one table per stage holder, its rows built where the pairing of the two manifests is decided.
    private static func differences(
        _ name: String, _ manifest: ModelVersion, _ model: Registry.Model, _ facts: SiteFacts,
        _ link: (String) -> String
    ) -> [HTML] {
        var out: [HTML] = [.tag("h2", text: "Against the stage holders")]
        var any = false
        for stage in facts.judgedStages {
            guard let holderName = model.stages?.holder(of: stage), holderName != manifest.version.description,
                let holder = model.versions[holderName]
            else { continue }
            any = true
            out.append(
                .tag(
                    "h3", [],
                    [
                        .text("\(stage): "),
                        .tag("a", [("href", link(SiteContext.versionPath(name, holderName)))], text: holderName),
                    ]))
            let metricRows = Set(holder.metrics.keys).union(manifest.metrics.keys).sorted().map { metric -> HTML in
                let a = holder.metrics[metric]?.value
                let b = manifest.metrics[metric]?.value
                let delta = a.flatMap { a in b.map { $0 - a } }
                let relative = a.flatMap { a in delta.map { abs(a) < 1e-12 ? nil : $0 / abs(a) } } ?? nil
                return .tag(
                    "tr", [],
                    [
                        .tag("th", [("scope", "row")], text: metric), Fragment.number(a), Fragment.number(b),
                        .tag("td", [("class", "num")], text: NumberFormat.delta(delta)),
                        .tag("td", [("class", "num")], text: NumberFormat.percent(relative)),
                    ])
            }
            out.append(
                Fragment.table(
                    [
                        ("Metric", false), (holderName, true), (manifest.version.description, true), ("Delta", true),
                        ("Delta %", true),
                    ]
                    .map { ($0.0, numeric: $0.1) }, rows: metricRows))
            let theirs = facts.fields[name]?[holderName] ?? ManifestFields.of(holder)
            let ours = facts.fields[name]?[manifest.version.description] ?? ManifestFields.of(manifest)
            let fields = Set(theirs.keys).union(ours.keys).sorted().filter { theirs[$0] != ours[$0] }
            if fields.isEmpty {
                out.append(.tag("p", [("class", "muted")], text: "No other recorded field differs."))
            } else {
                out.append(
                    Fragment.table(
                        [("Field", false), (holderName, false), (manifest.version.description, false)].map {
                            ($0.0, numeric: $0.1)
                        },
                        rows: fields.map { field in
                            .tag(
                                "tr", [],
                                [
                                    .tag("th", [("scope", "row")], text: field), .tag("td", text: theirs[field] ?? "—"),
                                    .tag("td", text: ours[field] ?? "—"),
                                ])
                        }))
            }
        }
        if !any {
            out.append(
                .tag(
                    "p", [("class", "muted")],
                    text:
                        "No other version holds \(facts.judgedStages.joined(separator: ", ")): nothing to compare with."
                ))
        }
        return out
    }

    private static func attestation(_ attestation: SiteFacts.Attestation?) -> [HTML] {
        var out: [HTML] = [.tag("h2", text: "Attestation")]
        guard let attestation, attestation.present else {
            out.append(
                .tag(
                    "p", [("class", "muted")],
                    text:
                        "No attestation: this version has not been reproduced by a trusted job (modelgate repro --record --sign)."
                ))
            return out
        }
        var facts: [(String, HTML)] = [("File", .tag("code", text: attestation.path))]
        switch attestation.check {
        case .valid(let verdict, let signers):
            facts.append(
                (
                    "Verifies now",
                    .group([Fragment.badge("pass"), .text(" signed by \(signers.joined(separator: ", "))")])
                ))
            facts.append(("Verdict", .text(verdict)))
        case .problem(let why):
            facts.append(("Verifies now", .group([Fragment.badge("fail"), .text(" \(why)")])))
        }
        let binding = attestation.binding
        facts.append(("Binds the manifest", .tag("code", text: "blob \(binding.manifestBlob?.hex ?? "none")")))
        facts.append(
            (
                "Binds the training folder",
                .tag(
                    "code",
                    text:
                        "\(binding.workdir.isEmpty ? "." : binding.workdir) tree \(binding.trainingTree?.hex ?? "none")"
                )
            ))
        if let profile = binding.profile {
            let sha = if case .tracked(let sha256, _) = profile.atHead { sha256 } else { "none" }
            facts.append(("Binds the data profile", .tag("code", text: "\(profile.path) sha256 \(sha)")))
        }
        out.append(Fragment.facts(facts))
        return out
    }

    private static func drift(_ name: String, _ version: String, _ model: Registry.Model, _ facts: SiteFacts) -> [HTML]
    {
        var out: [HTML] = [.tag("h2", text: "Training data against the holders'")]
        guard let ours = facts.profiles[name]?[version] else {
            out.append(.tag("p", [("class", "muted")], text: "This version records no data profile."))
            return out
        }
        var any = false
        for stage in facts.judgedStages {
            guard let holder = model.stages?.holder(of: stage), holder != version,
                let theirs = facts.profiles[name]?[holder]
            else { continue }
            any = true
            out.append(.tag("h3", text: "\(stage): \(holder)"))
            let pairs: [(String, DataProfile, DataProfile)] =
                if theirs.count == 1, ours.count == 1, let t = theirs.first, let o = ours.first {
                    [(o.key == t.key ? o.key : "\(o.key) ~ \(t.key)", o.value, t.value)]
                } else {
                    ours.sorted { $0.key < $1.key }.compactMap { mine in
                        theirs[mine.key].map { (mine.key, mine.value, $0) }
                    }
                }
            for (data, current, reference) in pairs {
                let rows = ProfileComparison.compare(current, on: reference).map { column, comparison -> HTML in
                    switch comparison {
                    case .counts(let p, let q):
                        let value = DriftMeasure.psi.value(reference: p, current: q)
                        return .tag(
                            "tr", [],
                            [
                                .tag("th", [("scope", "row")], text: column), Fragment.number(value),
                                .tag("td", [], [bar(value)]),
                            ])
                    case .mismatch(let why):
                        return .tag(
                            "tr", [],
                            [
                                .tag("th", [("scope", "row")], text: column),
                                .tag("td", [("class", "muted"), ("colspan", "2")], text: why),
                            ])
                    }
                }
                out.append(
                    Fragment.table(
                        [("Column", numeric: false), ("PSI", numeric: true), ("Drift", numeric: false)], rows: rows,
                        caption:
                            "\(data): the population stability index of each column, this version's data against \(holder)'s; the bar's mark is \(NumberFormat.metric(driftBound)), the drift rule's default bound."
                    ))
            }
        }
        if !any {
            out.append(
                .tag("p", [("class", "muted")], text: "No holder of another stage has a data profile to compare with."))
        }
        return out
    }

    /// A bar for a drift value: full width at twice the bound, red past the bound, a mark at the bound.
    private static func bar(_ value: Double) -> HTML {
        let width = 120.0
        let filled = max(0, min(value / (2 * driftBound), 1)) * width
        return .tag(
            "svg",
            [
                ("viewBox", "0 0 120 10"), ("width", "120"), ("height", "10"), ("role", "img"),
                ("aria-label", "PSI \(NumberFormat.metric(value))"),
            ],
            [
                .tag("rect", [("class", "track"), ("x", "0"), ("y", "3"), ("width", "120"), ("height", "4")]),
                .tag(
                    "rect",
                    [
                        ("class", value > driftBound ? "bar over" : "bar"), ("x", "0"), ("y", "0"),
                        ("width", JSONValue.format((filled * 10).rounded() / 10)), ("height", "10"),
                    ]),
                .tag("rect", [("class", "track"), ("x", "59"), ("y", "0"), ("width", "2"), ("height", "10")]),
            ])
    }

    private static func waivers(_ manifest: ModelVersion) -> [HTML] {
        guard !manifest.waivers.isEmpty else { return [] }
        return [
            .tag("h2", text: "Waivers"),
            Fragment.table(
                [
                    ("Rule", numeric: false), ("Owner", numeric: false), ("Expires", numeric: false),
                    ("Reason", numeric: false),
                ],
                rows: manifest.waivers.map { waiver in
                    .tag(
                        "tr", [],
                        [
                            .tag("th", [("scope", "row")], text: waiver.rule), .tag("td", text: waiver.owner),
                            .tag("td", text: waiver.expiresText), .tag("td", text: waiver.reason),
                        ])
                }),
        ]
    }
}

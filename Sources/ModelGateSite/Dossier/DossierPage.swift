import ModelGateGate
import ModelGateRegistry
import ModelGateSupport

/// The dossier's `index.html`: what `dossier.json` holds, for a reader, under the headings of the EU AI
/// Act's Annex IV that apply to a model registry (points 1, 2, 3, 6 and 7).
enum DossierPage {
    static func page(_ dossier: Dossier) -> Page {
        let commit = dossier.registry.commit
        let date = dossier.facts.commitDate.map(Dates.format) ?? "no commit"
        return Page(
            path: "index.html", title: "Dossier: the registry at \(commit.short)", trail: [("Dossier", nil)]
        ) { html in
            html.facts { html in
                html.fact("Asked for", code: dossier.requested)
                html.fact("Commit", code: commit.hex)
                html.fact("Committed", text: date)
            }
            html.tag(
                "p",
                text:
                    "Every file of this dossier is listed with its sha256 in SHA256SUMS; dossier.json holds the same facts as values."
            )
            description(dossier, &html)
            development(dossier, &html)
            control(dossier, &html)
            changes(dossier, &html)
            html.tag("h2", text: "7. Standards applied")
            html.tag("ul") { html in
                for standard in Dossier.standards { html.tag("li", text: standard) }
            }
        }
    }

    private static func description(_ dossier: Dossier, _ html: inout HTMLWriter) {
        html.tag("h2", text: "1. General description")
        html.table(columns: ["Model", "Owner", "Description", "Holders"]) { html in
            for model in dossier.models {
                html.tag("tr") { html in
                    html.rowHeader(model.name)
                    html.tag("td", text: model.model.spec?.owner ?? "—")
                    html.tag("td", text: model.model.spec?.description ?? "—")
                    let holders = dossier.facts.ladder.compactMap { stage in
                        model.holder(of: stage).map { "\(stage): \($0.version)" }
                    }
                    html.tag("td", text: holders.isEmpty ? "none" : holders.joined(separator: ", "))
                }
            }
        }
    }

    private static func development(_ dossier: Dossier, _ html: inout HTMLWriter) {
        html.tag("h2", text: "2. Development process and data")
        for holding in dossier.holdings {
            let manifest = holding.version.manifest
            html.tag("h3", text: "\(holding.model.name) \(holding.version.version) (\(holding.stage))")
            html.facts { html in
                html.fact("Manifest", code: manifest.path)
                html.fact("Artifact", code: "\(manifest.artifact.uri) sha256 \(manifest.artifact.sha256 ?? "none")")
                if let training = manifest.training {
                    html.fact("Training", code: training.command.joined(separator: " "))
                    html.fact("Source", code: training.source?.hex ?? "not recorded")
                    html.fact("Seed", text: training.seed.map(String.init) ?? "—")
                    html.fact("Environment", code: training.signature ?? "no signature")
                    for file in training.data {
                        html.fact("Data", code: "\(file.path) sha256 \(file.sha256 ?? "not recorded")")
                    }
                } else {
                    html.fact("Training", text: "not recorded")
                }
            }
            let metrics = manifest.metrics.keys.sorted()
            if !metrics.isEmpty {
                html.table([("Metric", numeric: false), ("Value", numeric: true)]) { html in
                    for name in metrics {
                        html.tag("tr") { html in
                            html.rowHeader(name)
                            html.number(manifest.metrics[name]?.value)
                        }
                    }
                }
            }
        }
    }

    private static func control(_ dossier: Dossier, _ html: inout HTMLWriter) {
        html.tag("h2", text: "3. Monitoring, functioning and control")
        html.tag("h3", text: "Rules in force")
        for policy in dossier.registry.policies {
            html.tag("h4") { html in
                html.text("\(policy.name) (")
                html.tag("code", text: policy.path)
                html.text(
                    "): stages \(policy.stages.joined(separator: ", ")), models \(policy.models.isEmpty ? "all" : policy.models.joined(separator: ", "))"
                )
            }
            html.tag("ul") { html in
                for rule in policy.rules { html.tag("li", text: "\(rule.id): \(PolicyPage.describe(rule.check))") }
            }
        }
        for holding in dossier.holdings {
            html.tag("h3", text: "\(holding.model.name) \(holding.version.version) holds \(holding.stage)")
            html.facts { html in
                html.fact("Verdict") { html in
                    html.badge(holding.verdict?.verdict.rawValue ?? "skip")
                    if holding.verdict == nil { html.text(" no policy governs this stage") }
                }
                let attestation = holding.version.attestation
                html.fact("Attestation") { html in
                    guard let verification = Dossier.verification(attestation) else { return html.text("none") }
                    html.badge(verification.valid ? "pass" : "fail")
                    html.text(" \(verification.detail)")
                }
                let approvals = holding.version.approvals.filter { $0.stage == holding.stage }
                html.fact("Approvals") { html in
                    guard !approvals.isEmpty else { return html.text("none") }
                    html.text(
                        approvals.map { "\($0.name)\($0.counts ? "" : " (does not count: \($0.problem ?? ""))")" }
                            .joined(separator: ", "))
                }
                for waiver in holding.version.manifest.waivers {
                    html.fact(
                        "Waiver",
                        text: "\(waiver.rule) until \(waiver.expiresText) by \(waiver.owner): \(waiver.reason)")
                }
            }
            let results = holding.verdict?.evaluation.results ?? []
            guard !results.isEmpty else { continue }
            html.table(columns: ["Rule", "Verdict", "Why"]) { html in
                for result in results {
                    html.tag("tr") { html in
                        html.rowHeader(result.name)
                        html.tag("td") { $0.badge(result.status.rawValue) }
                        html.tag("td", text: result.message)
                    }
                }
            }
        }
    }

    private static func changes(_ dossier: Dossier, _ html: inout HTMLWriter) {
        html.tag("h2", text: "6. Changes through the lifecycle")
        html.table(columns: ["Date", "Model", "Stage", "From", "To", "Commit", "Author", "Committer", "Subject"]) {
            html in
            for model in dossier.models {
                for change in model.history {
                    html.tag("tr") { html in
                        html.tag("td", text: Dates.format(change.date))
                        html.rowHeader(model.name)
                        html.tag("td", text: change.stage)
                        html.tag("td", text: change.fromVersion ?? "—")
                        html.tag("td", text: change.toVersion ?? "—")
                        html.tag("td", [("class", "mono")], text: change.commit.short)
                        html.tag("td", text: change.author.name)
                        html.tag("td", text: dossier.committers[change.commit]?.name ?? "—")
                        html.tag("td", text: change.subject)
                    }
                }
            }
        }
    }
}

import ModelGateRegistry
import ModelGateSupport

/// Renders `show`: a model's versions and holders, or one version's record with its stage verdicts.
public enum ShowRenderer {
    // MARK: - A model

    public static func text(model: Registry.Model, keyMetrics: [String]) -> String {
        var out = "\(model.name)\n"
        if let owner = model.spec?.owner { out += "  owner:       \(Escape.control(owner))\n" }
        if let description = model.spec?.description { out += "  description: \(Escape.control(description))\n" }
        if let serving = model.spec?.serving {
            let parts = [
                serving.runtime.map { "runtime \($0)" }, serving.port.map { "port \($0)" },
                serving.cpu.map { "cpu \($0)" }, serving.memory.map { "memory \($0)" },
            ].compactMap { $0 }
            if !parts.isEmpty { out += "  serving:     \(Escape.control(parts.joined(separator: ", ")))\n" }
        }
        var table = TextTable(header: ["VERSION", "STAGE", "CREATED", "METRICS"])
        for manifest in model.orderedVersions.reversed() {
            let version = manifest.version.description
            table.append([
                version, model.stages?.stage(of: version) ?? "", manifest.created.map(Dates.formatDay) ?? "",
                keyMetrics.map { "\($0)=\(NumberFormat.metric(manifest.metrics[$0]?.value))" }.joined(separator: " "),
            ])
        }
        return out + "\n" + table.rendered()
    }

    public static func json(model: Registry.Model, keyMetrics: [String]) -> JSONValue {
        .object([
            ("model", .string(model.name)),
            ("owner", .string(model.spec?.owner)),
            ("description", .string(model.spec?.description)),
            (
                "stages",
                .object(
                    (model.stages?.stages ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.version)) }
                )
            ),
            (
                "versions",
                .array(
                    model.orderedVersions.reversed().map { manifest in
                        .object([
                            ("version", .string(manifest.version.description)),
                            ("stage", .string(model.stages?.stage(of: manifest.version.description))),
                            ("created", .string(manifest.created.map(Dates.format))),
                            (
                                "metrics",
                                .object(
                                    manifest.metrics.keys.sorted().map { ($0, .number(manifest.metrics[$0]?.value)) })
                            ),
                        ])
                    })
            ),
        ])
    }

    // MARK: - A version

    public static func text(
        version manifest: ModelVersion, stage: String?, outlooks: [StageOutlook], approvals: [Approval.Check] = []
    ) -> String {
        var out = "\(manifest.model)@\(manifest.version)\(stage.map { " (\($0))" } ?? "")\n"
        if let description = manifest.description { out += "  \(Escape.control(description))\n" }
        if let created = manifest.created { out += "  created:   \(Dates.format(created))\n" }
        out +=
            "  artifact:  \(Escape.control(manifest.artifact.uri))\(manifest.artifact.sha256.map { " sha256:\($0.prefix(12))…" } ?? "")\n"
        if let training = manifest.training {
            out +=
                "  training:  \(Escape.control(training.command.joined(separator: " ")))\(training.seed.map { " (seed \($0))" } ?? "")\n"
            for data in training.data {
                out +=
                    "  data:      \(Escape.control(data.path))\(data.sha256.map { " sha256:\($0.prefix(12))…" } ?? "")\n"
            }
            if let signature = training.signature { out += "  env:       \(signature)\n" }
        }
        if let parent = manifest.lineageParent { out += "  parent:    \(Escape.control(parent))\n" }
        out += "\nmetrics\n"
        for name in manifest.metrics.keys.sorted() {
            out += "  \(Escape.control(name)) = \(NumberFormat.metric(manifest.metrics[name]?.value))\n"
        }
        for (slice, metrics) in manifest.slices.sorted(by: { $0.key < $1.key }) {
            out +=
                "  [\(Escape.control(slice))] "
                + metrics.keys.sorted().map { "\(Escape.control($0)) = \(NumberFormat.metric(metrics[$0]?.value))" }
                .joined(separator: ", ") + "\n"
        }
        for waiver in manifest.waivers {
            out += Escape.control("  waiver: \(waiver.rule) until \(waiver.expiresText) (\(waiver.owner))") + "\n"
        }
        if !approvals.isEmpty {
            out += "\napprovals\n"
            for approval in approvals {
                out +=
                    "  \(Escape.control(approval.stage)): \(Escape.control(approval.name)) "
                    + (approval.problem.map { "does not count: \(Escape.control($0))" } ?? "counts") + "\n"
            }
        }
        out += "\nverdicts\n"
        for outlook in outlooks {
            let failing = outlook.evaluation.results.filter { $0.status == .fail || $0.status == .warn }
            out += "  \(outlook.stage)\(outlook.held ? " (held)" : ""): \(outlook.verdict.rawValue)"
            out +=
                failing.isEmpty
                ? "\n"
                : "\n"
                    + failing.map {
                        "    \($0.status.rawValue) \(Escape.control($0.name)): \(Escape.control($0.message))\n"
                    }.joined()
        }
        return out
    }

    public static func json(
        version manifest: ModelVersion, stage: String?, outlooks: [StageOutlook], approvals: [Approval.Check] = []
    ) -> JSONValue {
        .object([
            ("model", .string(manifest.model)),
            ("version", .string(manifest.version.description)),
            ("stage", .string(stage)),
            ("created", .string(manifest.created.map(Dates.format))),
            ("description", .string(manifest.description)),
            (
                "artifact",
                .object([("uri", .string(manifest.artifact.uri)), ("sha256", .string(manifest.artifact.sha256))])
            ),
            ("metrics", .object(manifest.metrics.keys.sorted().map { ($0, .number(manifest.metrics[$0]?.value)) })),
            ("approvals", .array(approvals.map(Approval.json))),
            (
                "verdicts",
                .array(
                    outlooks.map { outlook in
                        .object([
                            ("stage", .string(outlook.stage)),
                            ("held", .bool(outlook.held)),
                            ("verdict", .string(outlook.verdict.rawValue)),
                            ("results", .array(outlook.evaluation.results.map(JSONReporter.result))),
                        ])
                    })
            ),
        ])
    }
}

/// Renders `diff`: metrics side by side with absolute and relative deltas, then the fields that differ.
public enum DiffRenderer {
    public static func text(_ diff: ManifestDiff) -> String {
        var table = TextTable(header: ["METRIC", diff.a.description, diff.b.description, "DELTA", "DELTA %"])
        for row in diff.metrics {
            table.append([
                row.slice.map { "[\($0)] \(row.name)" } ?? row.name, NumberFormat.metric(row.a),
                NumberFormat.metric(row.b),
                NumberFormat.delta(row.delta), NumberFormat.percent(row.relative),
            ])
        }
        let out = table.rendered()
        if diff.fields.isEmpty { return out + "\nno other field differs\n" }
        var fields = TextTable(header: ["FIELD", diff.a.description, diff.b.description])
        for row in diff.fields { fields.append([row.path, row.a ?? "—", row.b ?? "—"]) }
        return out + "\n" + fields.rendered()
    }

    public static func json(_ diff: ManifestDiff) -> JSONValue {
        .object([
            ("a", .string(diff.a.description)),
            ("b", .string(diff.b.description)),
            (
                "metrics",
                .array(
                    diff.metrics.map { row in
                        .object([
                            ("slice", .string(row.slice)), ("metric", .string(row.name)), ("a", .number(row.a)),
                            ("b", .number(row.b)),
                            ("delta", .number(row.delta)), ("relative", .number(row.relative)),
                        ])
                    })
            ),
            (
                "fields",
                .array(
                    diff.fields.map {
                        .object([("path", .string($0.path)), ("a", .string($0.a)), ("b", .string($0.b))])
                    })
            ),
        ])
    }
}

/// What `show` found: a model with its key metrics, or one version with the outlook of each stage.
public enum ShowReport: CommandReport {
    case model(Registry.Model, keyMetrics: [String])
    case version(ModelVersion, stage: String?, outlooks: [StageOutlook], approvals: [Approval.Check])

    public func rendered(as format: ReportFormat) -> String {
        switch (self, format) {
        case (.model(let model, let keys), .json): ShowRenderer.json(model: model, keyMetrics: keys).rendered()
        case (.model(let model, let keys), _): ShowRenderer.text(model: model, keyMetrics: keys)
        case (.version(let manifest, let stage, let outlooks, let approvals), .json):
            ShowRenderer.json(version: manifest, stage: stage, outlooks: outlooks, approvals: approvals).rendered()
        case (.version(let manifest, let stage, let outlooks, let approvals), _):
            ShowRenderer.text(version: manifest, stage: stage, outlooks: outlooks, approvals: approvals)
        }
    }
}

extension ManifestDiff: CommandReport {
    public func rendered(as format: ReportFormat) -> String {
        format == .json ? DiffRenderer.json(self).rendered() : DiffRenderer.text(self)
    }
}

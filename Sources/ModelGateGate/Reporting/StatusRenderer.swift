import Foundation
import ModelGateRegistry
import ModelGateSupport

/// Renders `RegistryStatus` as a terminal table, JSON or Markdown.
public enum StatusRenderer {
    public static func text(_ status: RegistryStatus) -> String {
        var table = TextTable(header: ["MODEL", "STAGE", "VERSION", "METRICS"])
        for row in status.rows {
            let metrics = row.metrics.map { "\($0.name)=\(NumberFormat.metric($0.value))" }.joined(separator: " ")
            table.append([row.model, row.stage, row.version, metrics])
        }
        if status.rows.isEmpty { return "no stage assignments at \(status.commit.short)\n" }
        return table.rendered()
    }

    public static func json(_ status: RegistryStatus) -> JSONValue {
        .object([
            ("commit", .string(status.commit.hex)),
            (
                "assignments",
                .array(
                    status.rows.map { row in
                        .object([
                            ("model", .string(row.model)),
                            ("stage", .string(row.stage)),
                            ("version", .string(row.version)),
                            ("metrics", .object(row.metrics.map { ($0.name, JSONValue.number($0.value)) })),
                        ])
                    })
            ),
        ])
    }

    public static func markdown(_ status: RegistryStatus) -> String {
        var out = "| Model | Stage | Version | Metrics |\n|---|---|---|---|\n"
        for row in status.rows {
            let metrics = row.metrics.map { "\($0.name) \(NumberFormat.metric($0.value))" }.joined(separator: ", ")
            out += "| \(row.model) | \(row.stage) | \(row.version) | \(metrics) |\n"
        }
        return out
    }
}

extension RegistryStatus: CommandReport {
    public func rendered(as format: ReportFormat) -> String {
        switch format {
        case .json: StatusRenderer.json(self).rendered()
        case .markdown: StatusRenderer.markdown(self)
        default: StatusRenderer.text(self)
        }
    }
}

import Foundation

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

/// A plain-text table with columns padded to their widest cell.
public struct TextTable {
    var rows: [[String]]

    public init(header: [String]) { rows = [header] }

    /// Adds a row; registry text in it is escaped (no control character reaches the terminal).
    public mutating func append(_ row: [String]) { rows.append(row.map(Escape.control)) }

    public func rendered() -> String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { $0.count > column ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}

/// How numbers are shown to people: metrics to four significant places, deltas with a sign.
public enum NumberFormat {
    public static func metric(_ value: Double?) -> String {
        guard let value else { return "—" }
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded(), abs(value) < 1e9 { return String(Int64(value)) }
        let magnitude = abs(value)
        let decimals = magnitude >= 100 ? 2 : magnitude >= 1 ? 3 : 4
        var text = String(format: "%.\(decimals)f", value)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    public static func delta(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        let text = metric(value)
        return value > 0 ? "+\(text)" : text
    }

    public static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        let text = String(format: "%.2f%%", value * 100)
        return value > 0 ? "+\(text)" : text
    }
}

import Crypto
import Foundation
import ModelGateGate
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// `modelgate drift`: every column of new data measured against a version's training-data profile, and
/// the verdict against `max`.
public struct DriftReport: Sendable {
    /// One column's result.
    public struct Column: Sendable {
        public var name: String
        /// `numeric`, `categorical`, or nil where the column could not be compared.
        public var type: String?
        public var value: Double?
        public var status: RuleResult.Status
        public var message: String?
    }

    public var model: String
    public var version: String
    public var data: String
    public var measure: DriftMeasure
    public var maximum: Double
    public var columns: [Column]

    public var verdict: GateReport.Verdict { columns.contains { $0.status == .fail } ? .fail : .pass }

    /// Measures `sample` against `reference`: a column over `maximum`, or one that cannot be compared, fails.
    public init(
        model: String, version: String, data: String, measure: DriftMeasure, maximum: Double, reference: DataProfile,
        sample: BinnedSample
    ) {
        self.model = model
        self.version = version
        self.data = data
        self.measure = measure
        self.maximum = maximum
        columns = sample.columns.map { name, column in
            let type = reference.columns.first { $0.name == name }.map { column -> String in
                if case .numeric = column.column { return "numeric" }
                return "categorical"
            }
            switch column {
            case .counts(let referenceCounts, let current):
                let value = measure.value(reference: referenceCounts, current: current)
                return Column(
                    name: name, type: type, value: value, status: value > maximum ? .fail : .pass, message: nil)
            case .mismatch(let why):
                return Column(name: name, type: type, value: nil, status: .fail, message: why)
            case .leftOut(let why):
                return Column(name: name, type: type, value: nil, status: .skip, message: why)
            }
        }
    }

    /// `profiles/<model>/<version>.json` at `commit`, and the data path's profile in it (`dataPath`, or the
    /// only one).
    public static func reference(
        model: String, version: String, dataPath: String?, at commit: ObjectID, in repository: Repository
    )
        throws -> (path: String, profile: DataProfile, target: String?)
    {
        let file = VersionProfile.path(model: model, version: version)
        // An unknown model or version is named as such (with the nearest name) before the profile is looked for.
        let manifest = try RegistryLoader(repository: repository).load(models: [model], at: commit)
            .version(model, version, in: repository)
        guard let data = try RegistryLoader(repository: repository).file(file, at: commit) else {
            throw ModelGateError.badInput(
                "\(model) \(version) has no data profile at \(file) (\(commit.short)); record writes it, or `modelgate profile`"
            )
        }
        if let recorded = manifest.profile,
            let why = VersionProfile.mismatch(
                .tracked(sha256: Hex.encode(SHA256.hash(data: data)), size: data.count), recorded: recorded)
        {
            throw ModelGateError.badInput(why)
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let profiles = object["data"] as? [String: Any]
        else { throw ModelGateError.badInput("\(file) is not a JSON object with \"data\"") }
        let key: String
        if let dataPath {
            guard profiles[dataPath] != nil else {
                throw ModelGateError.badInput(
                    "\(file) profiles \(profiles.keys.sorted().joined(separator: ", ")), not \(Quoted(dataPath))")
            }
            key = dataPath
        } else {
            guard profiles.count == 1, let only = profiles.keys.first else {
                throw ModelGateError.badInput(
                    "\(file) profiles several data files (\(profiles.keys.sorted().joined(separator: ", "))); name one with --data-path"
                )
            }
            key = only
        }
        guard let profile = profiles[key] else {
            throw ModelGateError.badInput(
                "\(file) has no profile of \(key); it profiles \(profiles.keys.sorted().joined(separator: ", "))")
        }
        return (key, try DataProfile.decode(profile, name: "\(file) (\(key))"), manifest.training?.target)
    }

    public var json: JSONValue {
        .object([
            ("model", .string(model)), ("version", .string(version)), ("data", .string(data)),
            ("metric", .string(measure.rawValue)), ("max", .number(maximum as Double?)),
            ("verdict", .string(verdict.rawValue)),
            (
                "columns",
                .array(
                    columns.map { column in
                        .object([
                            ("column", .string(column.name)), ("type", .string(column.type)),
                            ("value", .number(column.value)),
                            ("status", .string(column.status.rawValue)),
                        ])
                    })
            ),
        ])
    }

    public var text: String {
        var table = TextTable(header: ["COLUMN", "TYPE", measure.rawValue.uppercased(), "STATUS"])
        for column in columns {
            table.append([
                column.name, column.type ?? "—",
                column.value.map { NumberFormat.metric($0) } ?? (column.message ?? "—"),
                column.status.rawValue,
            ])
        }
        let verdict = verdict == .pass ? "PASS" : "FAIL"
        return
            "\(verdict) drift of \(data) from \(model)@\(version) (\(measure.rawValue), max \(NumberFormat.metric(maximum)))\n\n"
            + table.rendered()
    }

    public var markdown: String {
        var out =
            "### \(verdict == .pass ? "✅" : "❌") Drift of `\(MarkdownReporter.cell(data))` from \(model) \(version)\n\n"
        out += "| Column | Type | \(measure.rawValue) | Status |\n|---|---|---|---|\n"
        for column in columns.sorted(by: { ($0.value ?? .infinity) > ($1.value ?? .infinity) }) {
            let value = column.value.map { NumberFormat.metric($0) } ?? MarkdownReporter.cell(column.message ?? "—")
            out +=
                "| \(MarkdownReporter.cell(column.name)) | \(column.type ?? "—") | \(value) | \(column.status.rawValue) |\n"
        }
        return out
    }

    /// The Prometheus text exposition format: one gauge sample per compared column.
    public var prometheus: String {
        func label(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
        }
        var out =
            "# HELP modelgate_data_drift How far new data has drifted from a version's training data, per column.\n"
        out += "# TYPE modelgate_data_drift gauge\n"
        for column in columns {
            guard let value = column.value else { continue }
            out +=
                "modelgate_data_drift{model=\"\(label(model))\",version=\"\(label(version))\",column=\"\(label(column.name))\",metric=\"\(measure.rawValue)\"} \(JSONValue.format(value))\n"
        }
        out += "# HELP modelgate_data_drift_columns_failing Columns over the maximum or not comparable.\n"
        out += "# TYPE modelgate_data_drift_columns_failing gauge\n"
        out +=
            "modelgate_data_drift_columns_failing{model=\"\(label(model))\",version=\"\(label(version))\",metric=\"\(measure.rawValue)\"} \(columns.filter { $0.status == .fail }.count)\n"
        return out
    }
}

extension DriftReport: CommandReport {
    public func rendered(as format: ReportFormat) -> String {
        switch format {
        case .json: json.rendered()
        case .markdown: markdown
        case .prometheus: prometheus
        default: text
        }
    }
}

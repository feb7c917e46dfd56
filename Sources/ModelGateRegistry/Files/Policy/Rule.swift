import ModelGateGit
import ModelGateSupport
import ModelGateYAML

/// One rule of a policy: what it checks, how much a failure weighs, and its id.
public struct Rule: Sendable {
    /// Which way is better for a baseline comparison.
    public enum Direction: String, Sendable {
        case higher
        case lower
    }

    /// Which slices a slice rule covers.
    public enum SliceSelector: Sendable, Equatable {
        /// Every slice the version reports.
        case all
        case named([String])
    }

    /// A requirement on the manifest rather than a metric.
    public enum Requirement: Sendable, Equatable {
        case artifactHash
        case dataHashes
        /// A signed attestation (by one of these attestors, nil: any of `trust.attestors`).
        case reproducible(attestors: [String]?)
        /// May only enter from these stages (nil: the rung below on the ladder).
        case from([String]?)
        /// `count` distinct approvers of `trust.approvers` (of these names, nil: any) signed the version's
        /// entry into the stage.
        case approvals(count: Int, from: [String]?)

        var name: String {
            switch self {
            case .artifactHash: "artifactHash"
            case .dataHashes: "dataHashes"
            case .reproducible: "reproducible"
            case .from: "from"
            case .approvals: "approvals"
            }
        }
    }

    /// What a rule checks.
    public enum Check: Sendable {
        case threshold(metric: String, min: Double?, max: Double?)
        case baseline(
            metric: String, stage: String, direction: Direction, maxRegression: Double?, maxRegressionPct: Double?)
        case slices(SliceSelector, metric: String, min: Double?, max: Double?)
        case require(Requirement)
        /// The candidate's training-data profile against the holder of `against`'s: one result per column.
        case drift(DriftMeasure, against: String, columns: SliceSelector, max: Double)
    }

    public var id: String
    /// Whether the id was written (`id:`) rather than derived.
    public var hasExplicitID: Bool
    public var check: Check
    public var severity: Diagnostic.Severity
    public var location: SourceLocation

    /// The metric the rule reads, if any.
    public var metric: String? {
        switch check {
        case .threshold(let metric, _, _), .baseline(let metric, _, _, _, _), .slices(_, let metric, _, _): metric
        case .require, .drift: nil
        }
    }

    /// The id of a slice rule's result for one slice: `<slice>/<metric>.min` (or `.max`, `.range`), or
    /// `<id>/<slice>` when the rule's id is written.
    public func sliceResultID(_ slice: String) -> String {
        guard case .slices(_, let metric, let min, let max) = check else { return id }
        if hasExplicitID { return "\(id)/\(slice)" }
        return "\(slice)/\(metric).\(Self.boundSuffix(min: min, max: max))"
    }

    /// `min`, `max` or `range`: the suffix of a derived id.
    static func boundSuffix(min: Double?, max: Double?) -> String {
        switch (min, max) {
        case (_?, _?): "range"
        case (nil, _?): "max"
        default: "min"
        }
    }

    /// The keys every rule may have, whatever its kind.
    static let commonKeys = ["id", "severity"]
    /// Every kind's own keys: what a rule that names no kind is told it could have written.
    static let allKindKeys = [
        "metric", "min", "max", "slices", "baseline", "direction", "maxRegression", "maxRegressionPct", "stages",
        "drift", "against", "columns",
    ]

    /// `slices: "*"` or a list of names (also a drift rule's `columns`).
    static func readSelector(_ fields: SchemaReader.Fields, _ key: String) -> SliceSelector {
        if let node = fields[key], case .scalar("*", _) = node.kind { return .all }
        return fields.strings(key, single: true).map { .named($0.map(\.0)) } ?? .all
    }

    static func read(_ node: YAMLNode, ladder: [String], reader: SchemaReader) -> Rule? {
        guard let fields = reader.fields(node, "a rule") else { return nil }
        let count = reader.bag.diagnostics.count
        var severity = Diagnostic.Severity.error
        if let text = fields.string("severity") {
            if let value = Diagnostic.Severity(rawValue: text) {
                severity = value
            } else {
                reader.error("severity \(Quoted(text)) must be error or warning", at: fields.location(of: "severity"))
            }
        }
        let givenID = fields.string("id")
        if let givenID, givenID.isEmpty || givenID.contains(where: { $0.isWhitespace || $0 == "/" }) {
            reader.error(
                "rule id \(Quoted(givenID)) must be non-empty, without spaces or '/'", at: fields.location(of: "id"))
        }
        let parsed: (check: Check?, id: String)
        if let measure = fields.string("drift") {
            parsed = readDrift(fields, measure: measure, ladder: ladder, reader: reader)
        } else if let requirement = fields.string("require") {
            parsed = readRequirement(fields, requirement: requirement, ladder: ladder, reader: reader)
        } else if let metric = fields.string("metric", required: true) {
            let bounds = readBounds(fields, reader: reader)
            if fields["slices"] != nil {
                parsed = readSlices(fields, metric: metric, bounds: bounds, reader: reader)
            } else if let stage = fields.string("baseline") {
                parsed = readBaseline(fields, metric: metric, stage: stage, ladder: ladder, reader: reader)
            } else {
                parsed = readThreshold(fields, metric: metric, bounds: bounds, reader: reader)
            }
        } else {
            fields.finish(allowing: commonKeys + Self.allKindKeys)
            return nil
        }
        let (check, derivedID) = parsed
        guard let check, reader.bag.diagnostics.count == count else { return nil }
        return Rule(
            id: givenID ?? derivedID, hasExplicitID: givenID != nil, check: check, severity: severity,
            location: fields.location)
    }

    static func readBounds(_ fields: SchemaReader.Fields, reader: SchemaReader) -> (
        min: Double?, max: Double?, suffix: String
    ) {
        let low = fields.number("min")
        let high = fields.number("max")
        if let low, let high, low > high {
            reader.error(
                "min \(low) is greater than max \(high): the rule can never pass", at: fields.location(of: "min"))
        }
        return (low, high, boundSuffix(min: low, max: high))
    }
}

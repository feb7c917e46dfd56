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

        var name: String {
            switch self {
            case .artifactHash: "artifactHash"
            case .dataHashes: "dataHashes"
            case .reproducible: "reproducible"
            case .from: "from"
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

    static let requirements = ["artifactHash", "dataHashes", "reproducible", "from"]

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
        let common: Set<String> = ["id", "severity"]
        let check: Check?
        let derivedID: String
        if let measureName = fields.string("drift") {
            let measure = DriftMeasure(rawValue: measureName)
            if measure == nil {
                reader.error(
                    "drift measure \(Quoted(measureName)) must be psi, l1 or ks", at: fields.location(of: "drift"))
            }
            let stage = fields.string("against", required: true)
            if let stage, !ladder.contains(stage) {
                reader.error(
                    "stage \(Quoted(stage)) is not one of the registry's stages", at: fields.location(of: "against"))
            }
            var columns = SliceSelector.all
            if let node = fields["columns"], case .scalar("*", _) = node.kind {
                columns = .all
            } else if let names = fields.strings("columns", single: true) {
                columns = .named(names.map(\.0))
            }
            let bound = fields.number("max")
            if fields["max"] == nil { reader.error("a drift rule needs 'max'", at: fields.location) }
            if let bound, bound < 0 { reader.error("'max' must not be negative", at: fields.location(of: "max")) }
            check = measure.flatMap { measure in
                stage.flatMap { stage in bound.map { .drift(measure, against: stage, columns: columns, max: $0) } }
            }
            derivedID = "drift.\(measureName)"
            fields.finish(allowing: common.union(["drift", "against", "columns", "max"]))
        } else if let requirement = fields.string("require") {
            switch requirement {
            case "artifactHash": check = .require(.artifactHash)
            case "dataHashes": check = .require(.dataHashes)
            case "reproducible":
                var attestors: [String]?
                if let list = fields.strings("attestors", single: true) {
                    attestors = []
                    for (name, location) in list {
                        if Names.isValid(name) {
                            attestors?.append(name)
                        } else {
                            reader.error(Names.problem(name, what: "attestor"), at: location)
                        }
                    }
                }
                check = .require(.reproducible(attestors: attestors))
            case "from":
                var stages: [String]?
                if let list = fields.strings("stages", single: true) {
                    stages = []
                    for (stage, location) in list {
                        if ladder.contains(stage) {
                            stages?.append(stage)
                        } else {
                            reader.error("stage \(Quoted(stage)) is not one of the registry's stages", at: location)
                        }
                    }
                }
                check = .require(.from(stages))
            default:
                reader.error(
                    "unknown requirement \(Quoted(requirement)); expected one of \(requirements.joined(separator: ", "))",
                    at: fields.location(of: "require"))
                check = nil
            }
            derivedID = "require.\(requirement)"
            let extra: Set<String> =
                requirement == "from" ? ["stages"] : requirement == "reproducible" ? ["attestors"] : []
            fields.finish(allowing: common.union(extra).union(["require"]))
        } else if let metric = fields.string("metric", required: true) {
            let bounds = readBounds(fields, reader: reader)
            if fields["slices"] != nil {
                var selector = SliceSelector.all
                if let node = fields["slices"], case .scalar("*", _) = node.kind {
                    selector = .all
                } else if let names = fields.strings("slices", single: true) {
                    selector = .named(names.map(\.0))
                }
                let label = selector == .all ? "*" : "slices"
                if bounds.min == nil && bounds.max == nil {
                    reader.error("a slice rule needs 'min' or 'max'", at: fields.location)
                }
                check = .slices(selector, metric: metric, min: bounds.min, max: bounds.max)
                derivedID = "\(label)/\(metric).\(bounds.suffix)"
                fields.finish(allowing: common.union(["slices", "metric", "min", "max"]))
            } else if let stage = fields.string("baseline") {
                if !ladder.contains(stage) {
                    reader.error(
                        "baseline stage \(Quoted(stage)) is not one of the registry's stages",
                        at: fields.location(of: "baseline"))
                }
                let direction = fields.string("direction").flatMap { text -> Direction? in
                    if let value = Direction(rawValue: text) { return value }
                    reader.error(
                        "direction \(Quoted(text)) must be higher or lower", at: fields.location(of: "direction"))
                    return nil
                }
                if fields["direction"] == nil {
                    reader.error("a baseline rule needs 'direction' (higher or lower)", at: fields.location)
                }
                let absolute = fields.number("maxRegression")
                let relative = fields.number("maxRegressionPct")
                switch (absolute, relative) {
                case (nil, nil) where fields["maxRegression"] == nil && fields["maxRegressionPct"] == nil:
                    reader.error("a baseline rule needs 'maxRegression' or 'maxRegressionPct'", at: fields.location)
                case (_?, _?):
                    reader.error(
                        "a baseline rule takes one of 'maxRegression' and 'maxRegressionPct', not both",
                        at: fields.location)
                default: break
                }
                for (key, value) in [("maxRegression", absolute), ("maxRegressionPct", relative)] {
                    if let value, value < 0 {
                        reader.error("'\(key)' must not be negative", at: fields.location(of: key))
                    }
                }
                if fields["min"] != nil || fields["max"] != nil {
                    reader.error(
                        "a baseline rule takes 'maxRegression' or 'maxRegressionPct', not 'min' or 'max'",
                        at: fields.location)
                }
                check = direction.map {
                    .baseline(
                        metric: metric, stage: stage, direction: $0, maxRegression: absolute, maxRegressionPct: relative
                    )
                }
                derivedID = "\(metric).baseline"
                fields.finish(
                    allowing: common.union([
                        "metric", "baseline", "direction", "maxRegression", "maxRegressionPct", "min", "max",
                    ]))
            } else {
                if bounds.min == nil && bounds.max == nil && fields["min"] == nil && fields["max"] == nil {
                    reader.error("a metric rule needs 'min', 'max', 'baseline' or 'slices'", at: fields.location)
                }
                check = .threshold(metric: metric, min: bounds.min, max: bounds.max)
                derivedID = "\(metric).\(bounds.suffix)"
                fields.finish(allowing: common.union(["metric", "min", "max"]))
            }
        } else {
            fields.finish(
                allowing: common.union([
                    "metric", "min", "max", "slices", "baseline", "direction", "maxRegression", "maxRegressionPct",
                    "stages", "drift", "against", "columns",
                ]))
            return nil
        }
        guard let check, reader.bag.diagnostics.count == count else { return nil }
        return Rule(
            id: givenID ?? derivedID, hasExplicitID: givenID != nil, check: check, severity: severity,
            location: fields.location)
    }

    private static func readBounds(_ fields: SchemaReader.Fields, reader: SchemaReader) -> (
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

import ModelGateSupport
import ModelGateYAML

/// Reading each kind of rule: its keys, its check and the id it gets when none is written.
extension Rule {
    static let requirementNames = ["artifactHash", "dataHashes", "reproducible", "from", "approvals"]

    /// `metric` with `min` and/or `max`; its id is `<metric>.min`, `.max` or `.range`.
    static func readThreshold(
        _ fields: SchemaReader.Fields, metric: String, bounds: (min: Double?, max: Double?, suffix: String),
        reader: SchemaReader
    ) -> (check: Check?, id: String) {
        if bounds.min == nil && bounds.max == nil && fields["min"] == nil && fields["max"] == nil {
            reader.error("a metric rule needs 'min', 'max', 'baseline' or 'slices'", at: fields.location)
        }
        fields.finish(allowing: commonKeys + ["metric", "min", "max"])
        return (.threshold(metric: metric, min: bounds.min, max: bounds.max), "\(metric).\(bounds.suffix)")
    }

    /// `metric` with `baseline: <stage>`, `direction` and one of `maxRegression`, `maxRegressionPct`; its id
    /// is `<metric>.baseline`.
    static func readBaseline(
        _ fields: SchemaReader.Fields, metric: String, stage: String, ladder: [String], reader: SchemaReader
    ) -> (check: Check?, id: String) {
        if !ladder.contains(stage) {
            reader.error(
                RegistrySettings.stageProblem(stage, on: ladder, what: "baseline stage"),
                at: fields.location(of: "baseline"))
        }
        let direction = fields.string("direction").flatMap { text -> Direction? in
            if let value = Direction(rawValue: text) { return value }
            reader.error("direction \(Quoted(text)) must be higher or lower", at: fields.location(of: "direction"))
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
                "a baseline rule takes one of 'maxRegression' and 'maxRegressionPct', not both", at: fields.location)
        default: break
        }
        for (key, value) in [("maxRegression", absolute), ("maxRegressionPct", relative)] {
            if let value, value < 0 { reader.error("'\(key)' must not be negative", at: fields.location(of: key)) }
        }
        if fields["min"] != nil || fields["max"] != nil {
            reader.error(
                "a baseline rule takes 'maxRegression' or 'maxRegressionPct', not 'min' or 'max'", at: fields.location)
        }
        fields.finish(
            allowing: commonKeys + [
                "metric", "baseline", "direction", "maxRegression", "maxRegressionPct", "min", "max",
            ])
        let check = direction.map {
            Check.baseline(
                metric: metric, stage: stage, direction: $0, maxRegression: absolute, maxRegressionPct: relative)
        }
        return (check, "\(metric).baseline")
    }

    /// `slices` with `metric` and `min`/`max`; its id is `*/<metric>.<bound>` (or `slices/…` for a list).
    static func readSlices(
        _ fields: SchemaReader.Fields, metric: String, bounds: (min: Double?, max: Double?, suffix: String),
        reader: SchemaReader
    ) -> (check: Check?, id: String) {
        let selector = readSelector(fields, "slices")
        if bounds.min == nil && bounds.max == nil {
            reader.error("a slice rule needs 'min' or 'max'", at: fields.location)
        }
        fields.finish(allowing: commonKeys + ["slices", "metric", "min", "max"])
        let label = selector == .all ? "*" : "slices"
        return (
            .slices(selector, metric: metric, min: bounds.min, max: bounds.max), "\(label)/\(metric).\(bounds.suffix)"
        )
    }

    /// `drift: <measure>` with `against`, `columns` (default every column) and `max`; its id is
    /// `drift.<measure>`.
    static func readDrift(_ fields: SchemaReader.Fields, measure name: String, ladder: [String], reader: SchemaReader)
        -> (
            check: Check?, id: String
        )
    {
        let measure = DriftMeasure(rawValue: name)
        if measure == nil {
            reader.error("drift measure \(Quoted(name)) must be psi, l1 or ks", at: fields.location(of: "drift"))
        }
        let stage = fields.string("against", required: true)
        if let stage, !ladder.contains(stage) {
            reader.error(RegistrySettings.stageProblem(stage, on: ladder), at: fields.location(of: "against"))
        }
        let columns = readSelector(fields, "columns")
        let bound = fields.number("max")
        if fields["max"] == nil { reader.error("a drift rule needs 'max'", at: fields.location) }
        if let bound, bound < 0 { reader.error("'max' must not be negative", at: fields.location(of: "max")) }
        fields.finish(allowing: commonKeys + ["drift", "against", "columns", "max"])
        let check = measure.flatMap { measure in
            stage.flatMap { stage in bound.map { Check.drift(measure, against: stage, columns: columns, max: $0) }
            }
        }
        return (check, "drift.\(name)")
    }

    /// `require: <name>` (with `attestors` for `reproducible`, `stages` for `from`, `count` and `from` for
    /// `approvals`); its id is
    /// `require.<name>`.
    static func readRequirement(
        _ fields: SchemaReader.Fields, requirement: String, ladder: [String], reader: SchemaReader
    ) -> (
        check: Check?, id: String
    ) {
        let check: Check?
        var extra: [String] = []
        switch requirement {
        case "artifactHash": check = .require(.artifactHash)
        case "dataHashes": check = .require(.dataHashes)
        case "reproducible":
            extra = ["attestors"]
            check = .require(.reproducible(attestors: names(fields, "attestors", what: "attestor", reader: reader)))
        case "from":
            extra = ["stages"]
            var stages: [String]?
            if let list = fields.strings("stages", single: true) {
                stages = []
                for (stage, location) in list {
                    if ladder.contains(stage) {
                        stages?.append(stage)
                    } else {
                        reader.error(RegistrySettings.stageProblem(stage, on: ladder), at: location)
                    }
                }
            }
            check = .require(.from(stages))
        case "approvals":
            extra = ["count", "from"]
            var count = fields.integer("count") ?? 1
            if !(1...100).contains(count) {
                reader.error("approvals count must be between 1 and 100", at: fields.location(of: "count"))
                count = 1
            }
            let names = self.names(fields, "from", what: "approver", reader: reader)
            if let listed = names, listed.count < count {
                reader.error(
                    "approvals from \(listed.count) approver\(listed.count == 1 ? "" : "s") can never reach count \(count)",
                    at: fields.location(of: "from"))
            }
            check = .require(.approvals(count: count, from: names))
        default:
            reader.error(
                "unknown requirement \(Quoted(requirement)); expected one of \(requirementNames.joined(separator: ", "))",
                at: fields.location(of: "require"))
            check = nil
        }
        fields.finish(allowing: commonKeys + extra + ["require"])
        return (check, "require.\(requirement)")
    }

    /// The names listed under `key` (of attestors, approvers), each a valid name; nil where the key is absent.
    static func names(_ fields: SchemaReader.Fields, _ key: String, what: String, reader: SchemaReader) -> [String]? {
        guard let list = fields.strings(key, single: true) else { return nil }
        var names: [String] = []
        for (name, location) in list {
            if Names.isValid(name) {
                names.append(name)
            } else {
                reader.error(Names.problem(name, what: what), at: location)
            }
        }
        return names
    }
}

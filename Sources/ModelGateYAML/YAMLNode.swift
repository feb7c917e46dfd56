import ModelGateSupport

/// A YAML node as modelgate reads it: a scalar, a mapping or a sequence, each with its position.
///
/// Built from LibYAML's events with aliases resolved (within a budget) and merge keys applied, so the schema
/// readers see plain data and never a recursive structure. A node is a place in its `YAMLDocument`: copying
/// one copies a reference and an index.
public struct YAMLNode: Sendable {
    /// The shape of a node, built on demand (the schema readers use the document directly).
    public enum Kind: Sendable {
        /// A scalar's text; `plain` is false for quoted and block scalars (`"1.0"` stays a string).
        case scalar(String, plain: Bool)
        case mapping([YAMLPair])
        case sequence([YAMLNode])
    }

    let document: YAMLDocument
    let index: Int32

    init(_ document: YAMLDocument, _ index: Int32) {
        self.document = document
        self.index = index
    }

    var record: YAMLDocument.Node { document.nodes[Int(index)] }

    public var location: SourceLocation {
        let record = record
        return document.location(line: record.line, column: record.column)
    }

    public var kind: Kind {
        let record = record
        switch record.shape {
        case .scalar: return .scalar(document.string(record.range), plain: record.plain)
        case .mapping: return .mapping(pairs)
        case .sequence: return .sequence(items)
        }
    }

    /// The text of a scalar, or nil for a mapping or a list.
    public var scalarText: String? {
        let record = record
        guard record.shape == .scalar else { return nil }
        return document.string(record.range)
    }

    /// The text of a plain scalar (one a reader may take as a number or boolean), or nil.
    var plainText: String? {
        record.plain ? scalarText : nil
    }

    public var isMapping: Bool { record.shape == .mapping }
    public var isSequence: Bool { record.shape == .sequence }

    /// The items of a list; empty for anything else.
    var items: [YAMLNode] {
        let record = record
        guard record.shape == .sequence else { return [] }
        return document.items[record.range].map { YAMLNode(document, $0) }
    }

    /// The pairs of a mapping in their written order; empty for anything else.
    var pairs: [YAMLPair] {
        let record = record
        guard record.shape == .mapping else { return [] }
        return record.range.map { YAMLPair(document, $0) }
    }

    /// A short name of the node's shape, for messages: "a mapping", "a list", "a scalar".
    public var shapeName: String {
        switch record.shape {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }
}

/// One key of a mapping with its value; keys are always scalars.
public struct YAMLPair: Sendable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: YAMLNode

    init(_ document: YAMLDocument, _ index: Int) {
        let pair = document.pairs[index]
        key = document.string(pair.keyRange)
        keyLocation = document.location(line: pair.keyLine, column: pair.keyColumn)
        value = YAMLNode(document, pair.value)
    }
}

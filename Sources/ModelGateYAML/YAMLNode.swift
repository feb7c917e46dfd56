import ModelGateSupport

/// A YAML node as modelgate reads it: a scalar, a mapping or a sequence, each with its position.
///
/// Built from LibYAML's events with aliases expanded (within a budget) and merge keys applied,
/// so the schema readers see plain data and never a shared or recursive structure.
public struct YAMLNode: Sendable {
    /// The shape of a node.
    public enum Kind: Sendable {
        /// A scalar's text; `plain` is false for quoted and block scalars (`"1.0"` stays a string).
        case scalar(String, plain: Bool)
        case mapping([YAMLPair])
        case sequence([YAMLNode])
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// A short name of the node's shape, for messages: "a mapping", "a list", "a string".
    public var shapeName: String {
        switch kind {
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
}

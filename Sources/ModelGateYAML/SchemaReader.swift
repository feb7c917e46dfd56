import Foundation
import ModelGateSupport

/// Reads typed values out of `YAMLNode`s, recording a positioned diagnostic for every problem
/// (wrong shape, missing key, unknown key) instead of stopping at the first.
public final class SchemaReader {
    public private(set) var bag = DiagnosticBag()

    public init() {}

    public func error(_ message: String, at location: SourceLocation) { bag.error(message, at: location) }

    /// The fields of a mapping node, or nil (and a diagnostic) when the node is not a mapping.
    /// `what` names the mapping in messages; it is put into words only when there is one to write.
    public func fields(_ node: YAMLNode, _ what: @autoclosure @escaping () -> String) -> Fields? {
        guard node.isMapping else {
            error("\(what()) must be a mapping, not \(node.shapeName)", at: node.location)
            return nil
        }
        return Fields(reader: self, mapping: node, what: what)
    }

    /// The items of a sequence node; a scalar is taken as a list of one when `single` is true.
    public func list(_ node: YAMLNode, _ what: @autoclosure () -> String, single: Bool = false) -> [YAMLNode]? {
        switch node.record.shape {
        case .sequence: return node.items
        case .scalar where single: return [node]
        default:
            error("\(what()) must be a list, not \(node.shapeName)", at: node.location)
            return nil
        }
    }

    public func string(_ node: YAMLNode, _ what: @autoclosure () -> String) -> String? {
        guard let text = node.scalarText else {
            error("\(what()) must be a string, not \(node.shapeName)", at: node.location)
            return nil
        }
        return text
    }

    /// A number: plain decimal or exponent notation, `.inf`, `-.inf`, `.nan` (metrics may be non-finite;
    /// the gate then fails them).
    public func number(_ node: YAMLNode, _ what: @autoclosure () -> String) -> Double? {
        guard let text = node.plainText, let value = Self.parseNumber(text) else {
            if let text = node.plainText, Self.isNumeral(text), Double(text)?.isFinite == false {
                error("\(what()) \(Quoted(text)) is out of range (a 64-bit floating-point number)", at: node.location)
            } else {
                error("\(what()) must be a number", at: node.location)
            }
            return nil
        }
        return value
    }

    public func integer(_ node: YAMLNode, _ what: @autoclosure () -> String) -> Int? {
        guard let text = node.plainText, let value = Int(text) else {
            if let text = node.plainText, Self.isWholeNumeral(text) {
                error("\(what()) \(Quoted(text)) is out of range (a 64-bit integer)", at: node.location)
            } else {
                error("\(what()) must be a whole number", at: node.location)
            }
            return nil
        }
        return value
    }

    public func bool(_ node: YAMLNode, _ what: @autoclosure () -> String) -> Bool? {
        guard let text = node.plainText, text == "true" || text == "false" else {
            error("\(what()) must be true or false", at: node.location)
            return nil
        }
        return text == "true"
    }

    /// The text of a plain or quoted scalar that is a number, as YAML 1.2's core schema reads it.
    public static func parseNumber(_ text: String) -> Double? {
        // Numerals first: they are nearly every number, and none of the spellings below is one.
        if isNumeral(text) {
            guard let value = Double(text), value.isFinite else { return nil }
            return value
        }
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: return nil
        }
    }

    /// An optional sign and decimal digits.
    static func isWholeNumeral(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.utf8.dropFirst() : text.utf8[...]
        return !digits.isEmpty && digits.allSatisfy { (48...57).contains($0) }
    }

    /// Digits, sign, point and exponent only (no hex, no `inf` spelled out, no underscores).
    static func isNumeral(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (48...57).contains(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
            }
    }

    /// The keys of one mapping, read one by one; `finish(allowing:)` reports what was left unknown.
    public struct Fields {
        let reader: SchemaReader
        let mapping: YAMLNode
        let what: () -> String

        /// Where the mapping starts.
        public var location: SourceLocation { mapping.location }

        public subscript(key: String) -> YAMLNode? {
            let document = mapping.document
            return document.pair(key, in: mapping.index).map { YAMLNode(document, document.pairs[$0].value) }
        }

        /// Where the value of `key` is written, for a message about it; the mapping's own position when the
        /// key is absent (so a message always has a place, and no caller unwraps).
        public func location(of key: String) -> SourceLocation { self[key]?.location ?? location }

        public var keys: [String] { mapping.pairs.map(\.key) }
        /// How many keys the mapping has.
        public var count: Int { Int(mapping.record.count) }
        public var entries: [YAMLPair] { mapping.pairs }

        /// The node at `key`; when `required`, a missing key is a diagnostic at the mapping.
        public func node(_ key: String, required: Bool = false) -> YAMLNode? {
            if let value = self[key] { return value }
            if required { reader.error("\(what()) is missing '\(key)'", at: location) }
            return nil
        }

        public func string(_ key: String, required: Bool = false) -> String? {
            node(key, required: required).flatMap { reader.string($0, "'\(key)'") }
        }

        public func number(_ key: String, required: Bool = false) -> Double? {
            node(key, required: required).flatMap { reader.number($0, "'\(key)'") }
        }

        public func integer(_ key: String, required: Bool = false) -> Int? {
            node(key, required: required).flatMap { reader.integer($0, "'\(key)'") }
        }

        public func strings(_ key: String, required: Bool = false, single: Bool = false) -> [(String, SourceLocation)]?
        {
            guard let list = node(key, required: required).flatMap({ reader.list($0, "'\(key)'", single: single) })
            else { return nil }
            return list.compactMap { item in reader.string(item, "an item of '\(key)'").map { ($0, item.location) } }
        }

        public func fields(_ key: String, required: Bool = false) -> Fields? {
            node(key, required: required).flatMap { reader.fields($0, "'\(key)'") }
        }

        /// Reports every key not in `allowed`, each at its own position, with the nearest known key when
        /// one is close (a typo must not silently weaken a gate, and should not be hard to fix either). The
        /// list is short and compared key by key, as bytes: no set or string is made for a mapping read.
        public func finish(allowing allowed: [String]) {
            let document = mapping.document
            for index in mapping.record.range where !allowed.contains(where: { document.key(at: index, is: $0) }) {
                let pair = YAMLPair(document, index)
                let hint = Suggestion.nearest(to: pair.key, in: allowed).map { "; did you mean '\($0)'?" } ?? ""
                reader.error("unknown key \(Quoted(pair.key)) in \(what())\(hint)", at: pair.keyLocation)
            }
        }
    }
}

import Foundation
import ModelGateSupport

/// One parsed YAML file, stored flat: every node a fixed-size record in one array, every mapping's pairs
/// and every list's items a contiguous run of another, and all scalar text in one byte buffer.
///
/// Registry loading reads tens of thousands of small files; a tree of enum nodes cost an allocation per
/// mapping, list and long scalar, and a retain of the path per node. Here a file costs a handful of arrays,
/// a scalar becomes a `String` only when a reader asks for it, and keys are compared as bytes. Nodes are
/// never copied: an alias is the index of its anchor's node, a merged pair the same value index.
final class YAMLDocument: Sendable {
    /// What a node is; the meaning of `start` and `count` follows from it.
    enum Shape: UInt8, Sendable {
        /// `start..<start+count` in `text`.
        case scalar
        /// `start..<start+count` in `pairs`.
        case mapping
        /// `start..<start+count` in `items`.
        case sequence
    }

    /// One node: its shape, where it starts in the file, and the run of `text`, `pairs` or `items` it owns.
    struct Node: Sendable {
        var shape: Shape
        /// A plain (unquoted, untagged) scalar, which may be read as a number or a boolean.
        var plain: Bool
        var line: Int32
        var column: Int32
        var start: Int32
        var count: Int32

        /// `start..<start+count`, as indices of the array `shape` names.
        var range: Range<Int> { Int(start)..<Int(start + count) }
    }

    /// One key of a mapping: the key's bytes in `text`, where the key is written, and its value's node.
    struct Pair: Sendable {
        var keyStart: Int32
        var keyCount: Int32
        var keyLine: Int32
        var keyColumn: Int32
        var value: Int32

        /// The key's bytes in `text`.
        var keyRange: Range<Int> { Int(keyStart)..<Int(keyStart + keyCount) }
    }

    let path: String
    let nodes: [Node]
    let pairs: [Pair]
    let items: [Int32]
    let text: [UInt8]

    init(path: String, nodes: [Node], pairs: [Pair], items: [Int32], text: [UInt8]) {
        self.path = path
        self.nodes = nodes
        self.pairs = pairs
        self.items = items
        self.text = text
    }

    func location(line: Int32, column: Int32) -> SourceLocation {
        SourceLocation(path: path, line: Int(line), column: Int(column))
    }

    /// The text of `text[range]` (a scalar's or a key's).
    func string(_ range: Range<Int>) -> String {
        text.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// Whether the key of `pairs[index]` spells `key`, compared as bytes with `memcmp` (no string is made;
    /// `elementsEqual` over the views cost as much as the rest of reading a manifest).
    func key(at index: Int, is key: String) -> Bool {
        let range = pairs[index].keyRange
        guard key.utf8.count == range.count else { return false }
        guard !range.isEmpty else { return true }
        var key = key
        return key.withUTF8 { wanted in
            text.withUnsafeBufferPointer {
                // Force unwrap: the range is non-empty (checked above), and so are both buffers.
                memcmp($0.baseAddress! + range.lowerBound, wanted.baseAddress!, range.count) == 0
            }
        }
    }

    /// The index in `pairs` of `key` in the mapping `node`, or nil.
    func pair(_ key: String, in node: Int32) -> Int? {
        nodes[Int(node)].range.first { self.key(at: $0, is: key) }
    }
}

internal import CLibYAML
import Foundation
import ModelGateSupport

/// Builds a `YAMLDocument` straight from LibYAML's events and marks (the system's libyaml), without an
/// intermediate tree: registry loading spends its time here.
///
/// Aliases resolve to their anchor's node, counted against `budget` as if expanded (an alias bomb is
/// refused, not expanded); merge keys (`<<`) apply; a duplicate key is an error at its second copy; nesting
/// past `maximumDepth` is an error.
struct YAMLEventReader: ~Copyable {
    let path: String
    var budget: Int
    let maximumDepth: Int

    /// LibYAML's parser lives on the heap, owned by this reader: it keeps a pointer to itself, so it must
    /// not move (a copyable struct holding it inline could).
    private let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    private var input: [UInt8] = []
    private var anchors: [String: (node: Int32, size: Int)] = [:]

    private var nodes: [YAMLDocument.Node] = []
    private var pairs: [YAMLDocument.Pair] = []
    private var items: [Int32] = []
    private var text: [UInt8] = []
    /// The pairs and items of the mappings and lists still open, innermost last.
    private var openPairs: [YAMLDocument.Pair] = []
    private var openItems: [Int32] = []

    init(path: String, budget: Int, maximumDepth: Int) {
        self.path = path
        self.budget = budget
        self.maximumDepth = maximumDepth
    }

    deinit { parser.deallocate() }

    /// The documents of `bytes` (UTF-8), none for an empty stream. With `single`, a second document is an
    /// error (a registry file holds one); anchors are scoped to their document, the budget to the stream.
    mutating func read(_ bytes: [UInt8], single: Bool) throws(InvalidRegistryError) -> [YAMLNode] {
        input = bytes
        text.reserveCapacity(bytes.count)
        nodes.reserveCapacity(bytes.count / 12)
        pairs.reserveCapacity(bytes.count / 16)
        guard yaml_parser_initialize(parser) == 1 else { throw error("cannot start the YAML parser", at: nil) }
        defer { yaml_parser_delete(parser) }
        let roots = try bytes.withUnsafeBufferPointer { buffer throws(InvalidRegistryError) -> [Int32] in
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            var event = try next()
            guard event.type == YAML_STREAM_START_EVENT else {
                throw error("expected a YAML stream", at: event.start_mark)
            }
            yaml_event_delete(&event)
            var roots: [Int32] = []
            while true {
                event = try next()
                if event.type == YAML_STREAM_END_EVENT {
                    yaml_event_delete(&event)
                    return roots
                }
                if single, !roots.isEmpty {
                    defer { yaml_event_delete(&event) }
                    throw error(
                        "invalid YAML: expected a single document in the stream, but found another document",
                        at: event.start_mark)
                }
                yaml_event_delete(&event)  // the document start
                anchors.removeAll()
                var size = 0
                roots.append(try node(from: try next(), depth: 0, size: &size))
                event = try next()  // the document end
                yaml_event_delete(&event)
            }
        }
        let document = YAMLDocument(path: path, nodes: nodes, pairs: pairs, items: items, text: text)
        return roots.map { YAMLNode(document, $0) }
    }

    /// The node that starts with `event` (which it consumes), adding the nodes it expands to `size`.
    private mutating func node(from first: yaml_event_t, depth: Int, size: inout Int) throws(InvalidRegistryError)
        -> Int32
    {
        var event = first
        defer { yaml_event_delete(&event) }
        guard depth <= maximumDepth else {
            throw error("nesting deeper than \(maximumDepth) levels", at: event.start_mark)
        }
        let index = Int32(nodes.count)
        let line = Int32(truncatingIfNeeded: event.start_mark.line + 1)
        let column = Int32(truncatingIfNeeded: event.start_mark.column + 1)
        var ownSize = 1
        let anchor: UnsafeMutablePointer<yaml_char_t>?
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            anchor = scalar.anchor
            let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE && scalar.tag == nil
            let (start, count) = append(scalar.value, count: scalar.length)
            nodes.append(.init(shape: .scalar, plain: plain, line: line, column: column, start: start, count: count))
        case YAML_SEQUENCE_START_EVENT:
            anchor = event.data.sequence_start.anchor
            nodes.append(.init(shape: .sequence, plain: false, line: line, column: column, start: 0, count: 0))
            let open = openItems.count
            while true {
                let item = try next()
                if item.type == YAML_SEQUENCE_END_EVENT {
                    var end = item
                    yaml_event_delete(&end)
                    break
                }
                openItems.append(try node(from: item, depth: depth + 1, size: &ownSize))
            }
            nodes[Int(index)].start = Int32(items.count)
            nodes[Int(index)].count = Int32(openItems.count - open)
            items.append(contentsOf: openItems[open...])
            openItems.removeSubrange(open...)
        case YAML_MAPPING_START_EVENT:
            anchor = event.data.mapping_start.anchor
            nodes.append(.init(shape: .mapping, plain: false, line: line, column: column, start: 0, count: 0))
            try readPairs(of: index, depth: depth, size: &ownSize)
        case YAML_ALIAS_EVENT:
            let name = Self.text(event.data.alias.anchor)
            guard let target = anchors[name] else {
                throw error("invalid YAML: found undefined alias '\(name)'", at: event.start_mark)
            }
            try spend(target.size, at: event.start_mark)
            size += target.size
            return target.node
        default:
            throw error("invalid YAML: unexpected event", at: event.start_mark)
        }
        try spend(1, at: event.start_mark)
        size += ownSize
        if let anchor { anchors[Self.text(anchor)] = (index, ownSize) }
        return index
    }

    /// The pairs of the mapping `index` whose start was just read, through its end; merge keys applied.
    private mutating func readPairs(of index: Int32, depth: Int, size: inout Int) throws(InvalidRegistryError) {
        let open = openPairs.count
        var merged: [YAMLDocument.Pair] = []
        while true {
            var keyEvent = try next()
            if keyEvent.type == YAML_MAPPING_END_EVENT {
                yaml_event_delete(&keyEvent)
                break
            }
            let keyMark = keyEvent.start_mark
            guard keyEvent.type == YAML_SCALAR_EVENT else {
                yaml_event_delete(&keyEvent)
                throw error("mapping keys must be strings", at: keyMark)
            }
            let scalar = keyEvent.data.scalar
            let (keyStart, keyCount) = append(scalar.value, count: scalar.length)
            let isMerge =
                scalar.length == 2 && text[Int(keyStart)] == UInt8(ascii: "<")
                && text[Int(keyStart) + 1] == UInt8(ascii: "<")
                && scalar.style != YAML_SINGLE_QUOTED_SCALAR_STYLE && scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE
            yaml_event_delete(&keyEvent)
            try spend(1, at: keyMark)
            let value = try node(from: try next(), depth: depth + 1, size: &size)
            if isMerge {
                try merge(value, into: &merged)
                continue
            }
            let pair = YAMLDocument.Pair(
                keyStart: keyStart, keyCount: keyCount, keyLine: Int32(truncatingIfNeeded: keyMark.line + 1),
                keyColumn: Int32(truncatingIfNeeded: keyMark.column + 1), value: value)
            // Mappings are small: a scan of the keys so far costs less than hashing every key.
            guard !openPairs[open...].contains(where: { sameKey($0, pair) }) else {
                throw error("duplicate key '\(keyText(pair))'", at: keyMark)
            }
            openPairs.append(pair)
        }
        nodes[Int(index)].start = Int32(pairs.count)
        pairs.append(contentsOf: openPairs[open...])
        for pair in merged where !openPairs[open...].contains(where: { sameKey($0, pair) }) {
            pairs.append(pair)
        }
        nodes[Int(index)].count = Int32(pairs.count) - nodes[Int(index)].start
        openPairs.removeSubrange(open...)
    }

    /// Adds the pairs a merge key's value brings (a mapping, or a list of them) to `merged`; an earlier
    /// source wins over a later one.
    private func merge(_ value: Int32, into merged: inout [YAMLDocument.Pair]) throws(InvalidRegistryError) {
        let record = nodes[Int(value)]
        let sources: [Int32]
        switch record.shape {
        case .mapping: sources = [value]
        case .sequence: sources = Array(items[record.range])
        case .scalar: sources = []
        }
        for source in sources {
            let inherited = nodes[Int(source)]
            guard inherited.shape == .mapping else {
                let location = SourceLocation(path: path, line: Int(inherited.line), column: Int(inherited.column))
                throw InvalidRegistryError([Diagnostic(at: location, "a merge key takes mappings")])
            }
            for pair in pairs[inherited.range]
            where !merged.contains(where: { sameKey($0, pair) }) {
                merged.append(pair)
            }
        }
    }

    private func sameKey(_ a: YAMLDocument.Pair, _ b: YAMLDocument.Pair) -> Bool {
        a.keyCount == b.keyCount && text[a.keyRange] == text[b.keyRange]
    }

    private func keyText(_ pair: YAMLDocument.Pair) -> String {
        String(decoding: text[pair.keyRange], as: UTF8.self)
    }

    /// Copies a scalar's bytes into the document's text; where they landed.
    private mutating func append(_ pointer: UnsafeMutablePointer<yaml_char_t>?, count: Int) -> (Int32, Int32) {
        let start = Int32(text.count)
        if let pointer, count > 0 { text.append(contentsOf: UnsafeBufferPointer(start: pointer, count: count)) }
        return (start, Int32(count))
    }

    /// The next event, or the parser's error at its position, in LibYAML's words.
    private mutating func next() throws(InvalidRegistryError) -> yaml_event_t {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw parserError() }
        return event
    }

    private mutating func spend(_ nodes: Int, at mark: yaml_mark_t) throws(InvalidRegistryError) {
        budget -= nodes
        if budget < 0 { throw error("document expands past the limit of its size (an alias bomb?)", at: mark) }
    }

    private func parserError() -> InvalidRegistryError {
        let parser = self.parser.pointee
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        if parser.error == YAML_READER_ERROR {
            // The reader reports a byte offset, not a mark.
            let position = TextScan.position(ofByte: min(parser.problem_offset, input.count), in: input)
            let location = SourceLocation(path: path, line: position.line, column: position.column)
            return InvalidRegistryError([Diagnostic(at: location, "invalid YAML: \(problem)")])
        }
        let context = parser.context.map { "\(String(cString: $0)): " } ?? ""
        return error("invalid YAML: \(context)\(problem)", at: parser.problem_mark)
    }

    private func error(_ message: String, at mark: yaml_mark_t?) -> InvalidRegistryError {
        InvalidRegistryError([Diagnostic(at: mark.map { location(of: $0) } ?? SourceLocation(path: path), message)])
    }

    private func location(of mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(path: path, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?, count: Int? = nil) -> String {
        guard let pointer else { return "" }
        let length = count ?? strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }
}

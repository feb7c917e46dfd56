internal import CLibYAML
import Foundation
import ModelGateSupport

/// Builds a `YAMLNode` straight from LibYAML's events and marks (the system's libyaml), without an
/// intermediate document tree: registry loading spends its time here.
///
/// Aliases expand where they are used, counted against `budget` (an alias bomb is refused, not expanded);
/// merge keys (`<<`) apply; a duplicate key is an error at its second copy; nesting past `maximumDepth` is
/// an error; and the stream must hold exactly one document.
struct YAMLEventReader: ~Copyable {
    let path: String
    var budget: Int
    let maximumDepth: Int

    /// LibYAML's parser lives on the heap, owned by this reader: it keeps a pointer to itself, so it must
    /// not move (a copyable struct holding it inline could).
    private let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    private var input: [UInt8] = []
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]

    init(path: String, budget: Int, maximumDepth: Int) {
        self.path = path
        self.budget = budget
        self.maximumDepth = maximumDepth
    }

    deinit { parser.deallocate() }

    /// The single document of `bytes` (UTF-8), or nil for an empty stream.
    mutating func read(_ bytes: [UInt8]) throws(InvalidRegistryError) -> YAMLNode? {
        input = bytes
        guard yaml_parser_initialize(parser) == 1 else { throw error("cannot start the YAML parser", at: nil) }
        defer { yaml_parser_delete(parser) }
        return try bytes.withUnsafeBufferPointer { buffer throws(InvalidRegistryError) -> YAMLNode? in
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            var event = try next()
            guard event.type == YAML_STREAM_START_EVENT else {
                throw error("expected a YAML stream", at: event.start_mark)
            }
            yaml_event_delete(&event)
            event = try next()
            if event.type == YAML_STREAM_END_EVENT {
                yaml_event_delete(&event)
                return nil
            }
            yaml_event_delete(&event)  // the document start
            var size = 0
            let root = try node(from: try next(), depth: 0, size: &size)
            event = try next()  // the document end
            yaml_event_delete(&event)
            event = try next()
            defer { yaml_event_delete(&event) }
            guard event.type == YAML_STREAM_END_EVENT else {
                throw error(
                    "invalid YAML: expected a single document in the stream, but found another document",
                    at: event.start_mark)
            }
            return root
        }
    }

    /// The node that starts with `event` (which it consumes), adding the nodes it expands to `size`.
    private mutating func node(from first: yaml_event_t, depth: Int, size: inout Int) throws(InvalidRegistryError)
        -> YAMLNode
    {
        var event = first
        defer { yaml_event_delete(&event) }
        let location = location(of: event.start_mark)
        guard depth <= maximumDepth else {
            throw error("nesting deeper than \(maximumDepth) levels", at: event.start_mark)
        }
        var built: YAMLNode
        var ownSize = 1
        let anchor: UnsafeMutablePointer<yaml_char_t>?
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            anchor = scalar.anchor
            let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE && scalar.tag == nil
            built = YAMLNode(.scalar(Self.text(scalar.value, count: scalar.length), plain: plain), at: location)
        case YAML_SEQUENCE_START_EVENT:
            anchor = event.data.sequence_start.anchor
            var items: [YAMLNode] = []
            while true {
                let item = try next()
                if item.type == YAML_SEQUENCE_END_EVENT {
                    var end = item
                    yaml_event_delete(&end)
                    break
                }
                items.append(try node(from: item, depth: depth + 1, size: &ownSize))
            }
            built = YAMLNode(.sequence(items), at: location)
        case YAML_MAPPING_START_EVENT:
            anchor = event.data.mapping_start.anchor
            built = YAMLNode(.mapping(try pairs(depth: depth, size: &ownSize)), at: location)
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
        if let anchor { anchors[Self.text(anchor)] = (built, ownSize) }
        return built
    }

    /// The pairs of a mapping whose start was just read, through its end; merge keys applied.
    private mutating func pairs(depth: Int, size: inout Int) throws(InvalidRegistryError) -> [YAMLPair] {
        var explicit: [YAMLPair] = []
        var merged: [YAMLPair] = []
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
            let key = Self.text(scalar.value, count: scalar.length)
            let isMerge =
                key == "<<" && scalar.style != YAML_SINGLE_QUOTED_SCALAR_STYLE
                && scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE
            yaml_event_delete(&keyEvent)
            try spend(1, at: keyMark)
            let value = try node(from: try next(), depth: depth + 1, size: &size)
            if isMerge {
                let sources: [YAMLNode]
                switch value.kind {
                case .mapping: sources = [value]
                case .sequence(let items): sources = items
                case .scalar: sources = []
                }
                for source in sources {
                    guard case .mapping(let inherited) = source.kind else {
                        throw InvalidRegistryError([Diagnostic(at: source.location, "a merge key takes mappings")])
                    }
                    merged.append(contentsOf: inherited.filter { pair in !merged.contains { $0.key == pair.key } })
                }
                continue
            }
            // Mappings are small: a scan of the keys so far costs less than hashing every key.
            guard !explicit.contains(where: { $0.key == key }) else {
                throw error("duplicate key '\(key)'", at: keyMark)
            }
            explicit.append(YAMLPair(key: key, keyLocation: location(of: keyMark), value: value))
        }
        guard !merged.isEmpty else { return explicit }
        let seen = Set(explicit.map(\.key))
        return explicit + merged.filter { !seen.contains($0.key) }
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

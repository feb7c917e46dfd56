import Foundation

/// HTML (and inline SVG) written straight into bytes, escaping by construction: element and attribute
/// names can only be the page code's own literals (`StaticString`), and every text and attribute value
/// passes through `escape`; there is no way to write unescaped content into a page.
///
/// The pages write as they walk their facts, element by element, into one growing buffer that becomes the
/// page's `Data` without a copy: a site of 11,000 pages spent most of its time building, rendering and
/// freeing trees, then appending byte by byte. The writer cannot be copied (it owns its buffer), so a page
/// only ever passes it on, `inout`.
///
/// (Plot, the HTML builder the project looked at first, writes attribute values as they are given and
/// leaves entity-like text such as `&lt;` unescaped; registry text goes into attributes here, for sorting
/// and filtering, so the site writes its pages with this type instead.)
struct HTMLWriter: ~Copyable {
    /// An element's attributes, in order: names are the page code's literals, values are escaped.
    typealias Attributes = [(StaticString, String)]

    private var start: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    private init(capacity: Int) {
        self.capacity = max(capacity, 256)
        // Force unwrap: malloc fails only when memory is exhausted, where nothing else could go on either.
        start = malloc(self.capacity)!.assumingMemoryBound(to: UInt8.self)
    }

    deinit { free(start) }

    /// A whole document: `<!doctype html>`, what `content` writes, and a final line feed.
    static func document(capacity: Int = 16384, _ content: (inout HTMLWriter) -> Void) -> Data {
        var html = HTMLWriter(capacity: capacity)
        html.raw("<!doctype html>\n")
        content(&html)
        html.raw("\n")
        return html.data()
    }

    /// What `content` writes, as a string (for tests and small fragments).
    static func fragment(_ content: (inout HTMLWriter) -> Void) -> String {
        var html = HTMLWriter(capacity: 256)
        content(&html)
        return String(decoding: UnsafeBufferPointer(start: html.start, count: html.count), as: UTF8.self)
    }

    /// Bytes a writer wrote once, written again as they are by `write(_:)`: a piece many pages repeat (a
    /// metric's table cell), escaped when it was made. Only a writer makes one, so it holds nothing unescaped.
    struct Fragment: Sendable {
        fileprivate let bytes: [UInt8]

        /// What `content` writes, kept.
        init(_ content: (inout HTMLWriter) -> Void) {
            var html = HTMLWriter(capacity: 256)
            content(&html)
            bytes = Array(UnsafeBufferPointer(start: html.start, count: html.count))
        }
    }

    /// A fragment, as it was written.
    mutating func write(_ fragment: Fragment) { fragment.bytes.withUnsafeBufferPointer { append($0) } }

    /// The bytes written, handed to `Data` (which frees them) without a copy.
    private consuming func data() -> Data {
        let data = Data(bytesNoCopy: start, count: count, deallocator: .free)
        discard self
        return data
    }

    /// `<name attributes…>`, what `content` writes, `</name>`.
    mutating func tag(_ name: StaticString, _ attributes: Attributes = [], _ content: (inout HTMLWriter) -> Void) {
        open(name, attributes)
        content(&self)
        close(name)
    }

    /// `<name attributes…>text</name>`.
    mutating func tag(_ name: StaticString, _ attributes: Attributes = [], text: String) {
        open(name, attributes)
        escape(text)
        close(name)
    }

    /// `<name attributes…></name>`: an element without content (an SVG shape, a script with a source).
    mutating func empty(_ name: StaticString, _ attributes: Attributes = []) {
        open(name, attributes)
        close(name)
    }

    /// `<name attributes…>`: an element without an end tag (`<meta>`, `<input>`).
    mutating func void(_ name: StaticString, _ attributes: Attributes) { open(name, attributes) }

    /// Text, escaped.
    mutating func text(_ text: String) { escape(text) }

    private mutating func close(_ name: StaticString) {
        reserve(Self.length(name) + 3)
        put(UInt8(ascii: "<"))
        put(UInt8(ascii: "/"))
        put(name)
        put(UInt8(ascii: ">"))
    }

    private mutating func open(_ name: StaticString, _ attributes: Attributes) {
        reserve(Self.length(name) + 2)
        put(UInt8(ascii: "<"))
        put(name)
        // By index: the values are read where they are, not copied out of the array one by one.
        for index in attributes.indices {
            let key = attributes[index].0
            reserve(Self.length(key) + 3)
            put(UInt8(ascii: " "))
            put(key)
            put(UInt8(ascii: "="))
            put(UInt8(ascii: "\""))
            escape(attributes[index].1)
            reserve(1)
            put(UInt8(ascii: "\""))
        }
        reserve(1)
        put(UInt8(ascii: ">"))
    }

    /// `&`, `<`, `>`, `"` and `'` as character references: safe in text and in a quoted attribute value.
    /// A control character (C0 but tab, line feed and carriage return; DEL; C1), which HTML forbids, is
    /// written visibly as `\u{XX}`. Runs of bytes that need nothing are found eight at a time and copied at
    /// once. The text's bytes are read where they are (a copy of the string to make them contiguous costs a
    /// retain and two releases per value, and pages write two million of them), unless it has none of its own.
    private mutating func escape(_ text: String) {
        guard text.utf8.withContiguousStorageIfAvailable({ escape(bytes: $0) }) == nil else { return }
        var text = text
        text.withUTF8 { escape(bytes: $0) }
    }

    private mutating func escape(bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        let end = bytes.count
        var index = 0
        while index < end {
            let run = Self.plainRun(base, from: index, to: end)
            if run > index {
                append(base + index, run - index)
                index = run
                if index == end { break }
            }
            let byte = base[index]
            switch byte {
            case UInt8(ascii: "&"): raw("&amp;")
            case UInt8(ascii: "<"): raw("&lt;")
            case UInt8(ascii: ">"): raw("&gt;")
            case UInt8(ascii: "\""): raw("&quot;")
            case UInt8(ascii: "'"): raw("&#39;")
            case 0x00..<0x20, 0x7F: visible(byte)
            case 0xC2 where index + 1 < end && (0x80...0x9F).contains(base[index + 1]):
                index += 1
                visible(base[index])
            default: append(base + index, 1)
            }
            index += 1
        }
    }

    /// The end of the run of bytes from `start` that are written as they are: the index of the first byte
    /// that may need care (or `end`). Eight bytes at a time while they are ASCII and none of them is a
    /// control character, `"`, `#`, `&`, `'`, `<`, `>` or DEL (`#` shares a pattern with `"`, and is then
    /// looked at byte by byte and written as it is).
    @inline(__always)
    private static func plainRun(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ word: UInt64) -> Bool { (word &- ones) & ~word & highs != 0 }
        var index = start
        while index + 8 <= end {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let careful =
                word & highs != 0
                || (word &- ones &* 0x20) & ~word & highs != 0  // a byte below 0x20
                || hasZero(word ^ (ones &* 0x7F))
                || hasZero((word | ones &* 0x05) ^ (ones &* 0x27))  // ", #, &, '
                || hasZero((word | ones &* 0x02) ^ (ones &* 0x3E))  // <, >
            if careful { break }
            index += 8
        }
        while index < end, !needsCare(base[index]) { index += 1 }
        return index
    }

    /// Bit `b` set: the byte `b` (below 64) is escaped (`"`, `&`, `'`, `<`, `>`) or shown (C0 but tab, line
    /// feed and carriage return, which are written as they are).
    private static let careBelow64: UInt64 =
        0xFFFF_FFFF & ~(1 << 0x09 | 1 << 0x0A | 1 << 0x0D) | 1 << 0x22 | 1 << 0x26 | 1 << 0x27 | 1 << 0x3C
        | 1 << 0x3E

    @inline(__always)
    private static func needsCare(_ byte: UInt8) -> Bool {
        byte < 64 ? careBelow64 & (1 << UInt64(byte)) != 0 : byte == 0x7F || byte == 0xC2
    }

    /// A control character as `\u{XX}`.
    private mutating func visible(_ byte: UInt8) {
        let hex = String(byte, radix: 16, uppercase: true)
        var shown = "\\u{" + (hex.count < 2 ? "0" : "") + hex + "}"
        shown.withUTF8 { append($0) }
    }

    @inline(__always)
    private mutating func raw(_ literal: StaticString) {
        reserve(Self.length(literal))
        put(literal)
    }

    /// The bytes `put` writes for `literal`, at most (a literal held as a scalar has no count of its own).
    @inline(__always)
    private static func length(_ literal: StaticString) -> Int {
        literal.hasPointerRepresentation ? literal.utf8CodeUnitCount : 4
    }

    @inline(__always)
    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        append(source, bytes.count)
    }

    @inline(__always)
    private mutating func append(_ source: UnsafePointer<UInt8>, _ length: Int) {
        reserve(length)
        (start + count).update(from: source, count: length)
        count += length
    }

    /// Room for `length` more bytes; `put` then writes them without looking.
    @inline(__always)
    private mutating func reserve(_ length: Int) {
        if count + length > capacity { grow(to: count + length) }
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        start[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func put(_ literal: StaticString) {
        if literal.hasPointerRepresentation {
            (start + count).update(from: literal.utf8Start, count: literal.utf8CodeUnitCount)
            count += literal.utf8CodeUnitCount
        } else {
            // A one-letter literal such as "a" may be held as a scalar, without a pointer.
            literal.withUTF8Buffer { bytes in
                for byte in bytes { put(byte) }
            }
        }
    }

    private mutating func grow(to needed: Int) {
        capacity = max(capacity * 2, needed)
        // Force unwrap: as in `init`, only an exhausted memory makes realloc fail.
        start = realloc(start, capacity)!.assumingMemoryBound(to: UInt8.self)
    }
}

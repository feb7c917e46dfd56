/// A typed HTML (and inline SVG) tree that escapes by construction: text and attribute values are always
/// escaped when rendered; there is no way to write unescaped content into a page.
///
/// (Plot, the HTML builder the project looked at first, writes attribute values as they are given and
/// leaves entity-like text such as `&lt;` unescaped; registry text goes into attributes here, for sorting
/// and filtering, so the site builds its pages with this type instead.)
public enum HTML: Sendable {
    case element(String, attributes: [(String, String)], children: [HTML])
    /// An element holding only text (the common case, without an array for its one child).
    case textElement(String, attributes: [(String, String)], text: String)
    /// An element without an end tag (`<meta>`, `<input>`).
    case void(String, attributes: [(String, String)])
    case text(String)
    case group([HTML])

    public static let empty = HTML.group([])

    /// `<name attributes…>children…</name>`.
    public static func tag(_ name: String, _ attributes: [(String, String)] = [], _ children: [HTML] = []) -> HTML {
        .element(name, attributes: attributes, children: children)
    }

    /// `<name attributes…>text</name>`.
    public static func tag(_ name: String, _ attributes: [(String, String)] = [], text: String) -> HTML {
        .textElement(name, attributes: attributes, text: text)
    }

    /// The document, `<!doctype html>` and the tree, as UTF-8 bytes.
    public func document() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16384)
        out.append(contentsOf: "<!doctype html>\n".utf8)
        render(into: &out)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    public func rendered() -> String {
        var out: [UInt8] = []
        render(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func render(into out: inout [UInt8]) {
        switch self {
        case .element(let name, let attributes, let children):
            open(name, attributes, into: &out)
            for child in children { child.render(into: &out) }
            close(name, into: &out)
        case .textElement(let name, let attributes, let text):
            open(name, attributes, into: &out)
            Self.escape(text, into: &out)
            close(name, into: &out)
        case .void(let name, let attributes):
            open(name, attributes, into: &out)
        case .text(let text):
            Self.escape(text, into: &out)
        case .group(let members):
            for member in members { member.render(into: &out) }
        }
    }

    private func close(_ name: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "<"))
        out.append(UInt8(ascii: "/"))
        out.append(contentsOf: name.utf8)
        out.append(UInt8(ascii: ">"))
    }

    private func open(_ name: String, _ attributes: [(String, String)], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "<"))
        out.append(contentsOf: name.utf8)
        for (key, value) in attributes {
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: key.utf8)
            out.append(UInt8(ascii: "="))
            out.append(UInt8(ascii: "\""))
            Self.escape(value, into: &out)
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: ">"))
    }

    /// `&`, `<`, `>`, `"` and `'` as character references: safe in text and in a quoted attribute value.
    /// A control character (C0 but tab, line feed and carriage return; DEL; C1), which HTML forbids, is
    /// written visibly as `\u{XX}`.
    static func escape(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
                case 0x09, 0x0A, 0x0D: out.append(byte)
                case 0x00..<0x20, 0x7F: visible(UInt32(byte), into: &out)
                case 0xC2 where index + 1 < bytes.count && (0x80...0x9F).contains(bytes[index + 1]):
                    index += 1
                    visible(UInt32(bytes[index]), into: &out)
                default:
                    // A run of bytes that need nothing, copied at once.
                    var end = index + 1
                    while end < bytes.count, !needsCare(bytes[end]) { end += 1 }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
                    index = end
                    continue
                }
                index += 1
            }
        }
    }

    private static func needsCare(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<")
            || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    private static func visible(_ scalar: UInt32, into out: inout [UInt8]) {
        let hex = String(scalar, radix: 16, uppercase: true)
        out.append(contentsOf: ("\\u{" + (hex.count < 2 ? "0" : "") + hex + "}").utf8)
    }
}

/// A typed HTML (and inline SVG) tree that escapes by construction: text and attribute values are always
/// escaped when rendered; there is no way to write unescaped content into a page.
///
/// (Plot, the HTML builder the project looked at first, writes attribute values as they are given and
/// leaves entity-like text such as `&lt;` unescaped; registry text goes into attributes here, for sorting
/// and filtering, so the site builds its pages with this type instead.)
public indirect enum HTML: Sendable {
    case element(String, attributes: [(String, String)], children: [HTML])
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
        .element(name, attributes: attributes, children: [.text(text)])
    }

    /// The document: `<!doctype html>` and the tree.
    public func document() -> String {
        var out = ""
        out.reserveCapacity(32768)
        out += "<!doctype html>\n"
        render(into: &out)
        out += "\n"
        return out
    }

    public func rendered() -> String {
        var out = ""
        render(into: &out)
        return out
    }

    func render(into out: inout String) {
        switch self {
        case .element(let name, let attributes, let children):
            open(name, attributes, into: &out)
            for child in children { child.render(into: &out) }
            out += "</"
            out += name
            out += ">"
        case .void(let name, let attributes):
            open(name, attributes, into: &out)
        case .text(let text):
            Self.escape(text, into: &out)
        case .group(let members):
            for member in members { member.render(into: &out) }
        }
    }

    private func open(_ name: String, _ attributes: [(String, String)], into out: inout String) {
        out += "<"
        out += name
        for (key, value) in attributes {
            out += " "
            out += key
            out += "=\""
            Self.escape(value, into: &out)
            out += "\""
        }
        out += ">"
    }

    /// `&`, `<`, `>`, `"` and `'` as character references: safe in text and in a quoted attribute value.
    /// A control character (C0 but tab, line feed and carriage return; DEL; C1), which HTML forbids, is
    /// written visibly as `\u{XX}`.
    static func escape(_ text: String, into out: inout String) {
        let utf8 = text.utf8
        var pending = utf8.startIndex
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            var next = utf8.index(after: index)
            var replacement: String?
            switch byte {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "\""): replacement = "&quot;"
            case UInt8(ascii: "'"): replacement = "&#39;"
            case 0x09, 0x0A, 0x0D: break
            case 0x00..<0x20, 0x7F: replacement = Self.visible(UInt32(byte))
            case 0xC2 where next != utf8.endIndex && (0x80...0x9F).contains(utf8[next]):
                replacement = Self.visible(UInt32(utf8[next]))
                next = utf8.index(after: next)
            default: break
            }
            if let replacement {
                out += text[pending..<index]
                out += replacement
                pending = next
            }
            index = next
        }
        out += text[pending..<utf8.endIndex]
    }

    private static func visible(_ scalar: UInt32) -> String {
        let hex = String(scalar, radix: 16, uppercase: true)
        return "\\u{" + (hex.count < 2 ? "0" : "") + hex + "}"
    }
}

/// A value shown in a message: quoted, with control characters and quotes escaped, cut at 80 characters.
public struct Quoted: CustomStringConvertible {
    let text: String

    public init(_ text: String) { self.text = text }

    public var description: String {
        var out = "'"
        for scalar in text.unicodeScalars.prefix(80) {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "'": out += "\\'"
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        if text.unicodeScalars.count > 80 { out += "…" }
        return out + "'"
    }
}

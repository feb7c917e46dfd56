import ModelGateSupport

/// The grammar of names that end up in Kubernetes objects, image names and file paths.
public enum Names {
    /// `^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`: a model or stage name (a DNS-1035 label).
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, let last = bytes.last, bytes.count <= 63 else { return false }
        func isLower(_ byte: UInt8) -> Bool { (97...122).contains(byte) }
        func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
        guard isLower(first), isLower(last) || isDigit(last) else { return false }
        return bytes.allSatisfy { isLower($0) || isDigit($0) || $0 == UInt8(ascii: "-") }
    }

    /// The message for a name that breaks the grammar, naming the offending text safely.
    public static func problem(_ name: String, what: String) -> String {
        "\(what) \(Quoted(name)) must match ^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$"
    }
}

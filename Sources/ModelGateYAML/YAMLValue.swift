/// A YAML node as the value it means, for comparing two files whatever their layout: key order, quoting
/// style, comments, flow or block style and line folding do not count; what a reader would take
/// differently does.
///
/// A quoted scalar is a string. A plain scalar is a string too where no YAML 1.1 or 1.2 reader could take
/// it for anything else; where one could (a null, a boolean, a number, a date), it is kept apart as
/// `.typed` and compared by its text, so that `"0.9"`, `0.9` and `0.90` all differ: re-spelling a number
/// is an edit of the number.
public indirect enum YAMLValue: Equatable, Sendable {
    case string(String)
    case typed(String)
    case mapping([String: YAMLValue])
    case sequence([YAMLValue])

    public init(_ node: YAMLNode) {
        switch node.kind {
        case .scalar(let text, let plain):
            self = plain && Self.mayBeTyped(text) ? .typed(text) : .string(text)
        case .mapping(let pairs):
            self = .mapping(
                Dictionary(pairs.map { ($0.key, YAMLValue($0.value)) }, uniquingKeysWith: { _, last in last }))
        case .sequence(let items):
            self = .sequence(items.map(YAMLValue.init))
        }
    }

    /// The value without the top-level keys `keys` (of a mapping; anything else as it is).
    public func removing(keys: Set<String>) -> YAMLValue {
        guard case .mapping(let pairs) = self else { return self }
        return .mapping(pairs.filter { !keys.contains($0.key) })
    }

    /// Whether a plain scalar's text could resolve to something other than a string: empty, the words of
    /// YAML 1.1's booleans and nulls, or starting as a number, a date, `.inf`/`.nan` or `~` can.
    static func mayBeTyped(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return true }
        if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) || "+-.~".utf8.contains(first) { return true }
        return typedWords.contains(text.lowercased())
    }

    private static let typedWords: Set<String> = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"]
}

/// One problem found in the registry's files: where it is, how bad it is, and what it is.
public struct Diagnostic: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// How a diagnostic weighs on the verdict.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    public var location: SourceLocation?
    public var message: String

    public init(_ severity: Severity = .error, at location: SourceLocation?, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// `path:line:column: error: message`, or `error: message` without a location.
    public var description: String { formatted() }

    /// The one line every diagnostic is printed as, `path:line:column: error: message`, with `label` applied
    /// to the severity word (a terminal colours it); control characters from registry text are written out,
    /// so the line stays one line.
    public func formatted(label: (String) -> String = { $0 }) -> String {
        let message = Escape.control(message)
        let severity = label(severity.rawValue)
        if let location { return "\(Escape.control(location.description)): \(severity): \(message)" }
        return "\(severity): \(message)"
    }

    /// Sorted by file and position; diagnostics without a location come first.
    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        switch (lhs.location, rhs.location) {
        case (nil, nil): return lhs.message < rhs.message
        case (nil, _): return true
        case (_, nil): return false
        case let (l?, r?): return l == r ? lhs.message < rhs.message : l < r
        }
    }
}

/// Collects diagnostics while a file or a whole registry is read, so that every problem is reported.
public struct DiagnosticBag: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public mutating func error(_ message: String, at location: SourceLocation?) {
        diagnostics.append(Diagnostic(.error, at: location, message))
    }

    public mutating func append(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    public mutating func append(contentsOf other: [Diagnostic]) { diagnostics.append(contentsOf: other) }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The diagnostics sorted by location, duplicates removed.
    public var sorted: [Diagnostic] {
        var seen = Set<Diagnostic>()
        return diagnostics.sorted().filter { seen.insert($0).inserted }
    }
}

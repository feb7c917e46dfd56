/// An error that ends a command: its message, where it was found, and the exit status it maps to.
///
/// A failing gate is not an error (it is a verdict); this is for bad input and a failing environment.
public struct ModelGateError: Error, Sendable, CustomStringConvertible {
    public var status: ExitStatus
    public var message: String
    public var location: SourceLocation?

    public init(_ status: ExitStatus, _ message: String, at location: SourceLocation? = nil) {
        self.status = status
        self.message = message
        self.location = location
    }

    /// Bad input (exit 2).
    public static func badInput(_ message: String, at location: SourceLocation? = nil) -> ModelGateError {
        ModelGateError(.badInput, message, at: location)
    }

    /// A failing environment (exit 3).
    public static func environment(_ message: String) -> ModelGateError {
        ModelGateError(.environmentFailed, message)
    }

    /// The error as a diagnostic, which is how it is printed.
    public var diagnostic: Diagnostic { Diagnostic(.error, at: location, message) }

    public var description: String { diagnostic.description }
}

/// Invalid registry files: every diagnostic found, reported together (exit 2).
public struct InvalidRegistryError: Error, Sendable {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}

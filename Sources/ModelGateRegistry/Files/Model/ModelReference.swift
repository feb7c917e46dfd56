import ModelGateSupport

/// `MODEL` or `MODEL@VERSION` as commands take it on the command line.
public struct ModelReference: Sendable, Equatable, CustomStringConvertible {
    public var model: String
    public var version: String?

    /// Parses and checks the name grammar and SemVer; bad input otherwise.
    public init(parsing text: String, requireVersion: Bool = false) throws {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard Names.isValid(parts[0]) else {
            throw ModelGateError.badInput(Names.problem(parts[0], what: "model name"))
        }
        model = parts[0]
        if parts.count == 2 {
            guard SemanticVersion(parts[1]) != nil else {
                let padded =
                    parts[1].split(separator: ".").count == 2
                    ? "\(parts[1]).0" : parts[1].split(separator: ".").count == 1 ? "\(parts[1]).0.0" : nil
                let hint =
                    padded.flatMap { SemanticVersion($0) != nil ? "; did you mean \(parts[0])@\($0)?" : nil }
                    ?? " (MAJOR.MINOR.PATCH, like 1.3.0)"
                throw ModelGateError.badInput("version \(Quoted(parts[1])) is not a SemVer 2.0 version\(hint)")
            }
            version = parts[1]
        } else if requireVersion {
            throw ModelGateError.badInput("expected MODEL@VERSION, got \(Quoted(text))")
        }
    }

    public var description: String { version.map { "\(model)@\($0)" } ?? model }

    /// The version, for a command that acts on one version: bad input when the reference names none.
    public func requiredVersion() throws -> String {
        guard let version else { throw ModelGateError.badInput("expected MODEL@VERSION, got \(Quoted(model))") }
        return version
    }

    /// `MODEL@VERSION`, the version required: for the commands that act on one version.
    public static func version(parsing text: String) throws -> (model: String, version: String) {
        let reference = try ModelReference(parsing: text, requireVersion: true)
        return (reference.model, try reference.requiredVersion())
    }
}

import Foundation
import ModelGateRegistry
import ModelGateSupport
import ModelGateYAML

/// `images.yaml` of a deploy folder: which image each deployed version runs (`MODEL@VERSION: REF`), kept
/// by CI (`render --image MODEL@VERSION=REF` after pushing) and read by `render`.
public struct ImageMap: Sendable, Equatable {
    public static let fileName = "images.yaml"

    /// `MODEL@VERSION` -> image reference.
    public var images: [String: String] = [:]

    public init(images: [String: String] = [:]) { self.images = images }

    /// Parses `data`; `path` names the file in positioned errors.
    public init(parsing data: Data, path: String) throws {
        let node = try YAMLLoader().load(data, path: path)
        let reader = SchemaReader()
        if case .mapping = node.kind, let fields = reader.fields(node, path) {
            for pair in fields.entries {
                guard let image = reader.string(pair.value, "image of \(Quoted(pair.key))") else { continue }
                if let problem = Self.keyProblem(pair.key) {
                    reader.error(problem, at: pair.keyLocation)
                } else if let problem = ImageReference.problem(image) {
                    reader.error("image \(Quoted(image)) \(problem)", at: pair.value.location)
                } else {
                    images[pair.key] = image
                }
            }
        } else if case .scalar(let text, _) = node.kind, text.isEmpty {
            // An empty file: no images yet.
        } else {
            reader.error("\(path) must map MODEL@VERSION to an image reference", at: node.location)
        }
        if reader.bag.hasErrors { throw InvalidRegistryError(reader.bag.sorted) }
    }

    /// Why `key` is not a `MODEL@VERSION`, or nil.
    static func keyProblem(_ key: String) -> String? {
        let parts = key.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, Names.isValid(String(parts[0])), SemanticVersion(String(parts[1])) != nil else {
            return "\(Quoted(key)) is not MODEL@VERSION"
        }
        return nil
    }

    /// Applies one `--image MODEL@VERSION=REF`.
    public mutating func set(_ assignment: String) throws {
        guard let equals = assignment.firstIndex(of: "=") else {
            throw ModelGateError.badInput("--image \(Quoted(assignment)) must be MODEL@VERSION=REF")
        }
        let key = String(assignment[..<equals])
        let image = String(assignment[assignment.index(after: equals)...])
        if let problem = Self.keyProblem(key) { throw ModelGateError.badInput("--image: \(problem)") }
        if let problem = ImageReference.problem(image) {
            throw ModelGateError.badInput("--image \(Quoted(image)) \(problem)")
        }
        images[key] = image
    }

    /// The file's text: sorted, one entry per line, with a header saying who writes it.
    public var text: String {
        var lines = ["# Images of the deployed versions: MODEL@VERSION: REF. Written by `modelgate render --image`."]
        if images.isEmpty { lines.append("{}") }
        for (key, image) in images.sorted(by: { $0.key < $1.key }) { lines.append("\(key): \"\(image)\"") }
        return lines.joined(separator: "\n") + "\n"
    }
}

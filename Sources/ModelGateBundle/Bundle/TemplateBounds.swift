import Foundation
import ModelGateSupport
import Mustache

/// What a set of templates can render at most, known before rendering: partials nest at most
/// `maximumDepth` deep (a partial that includes itself nests without end) and a rendered file is at most
/// `maximumBytes`. The bound is read from the parsed templates, the tokens the renderer itself walks, so a
/// changed delimiter or a comment cannot hide a partial from it. Nothing in a bundle's context is a list,
/// so a section renders at most once and the bound is the templates' text with every partial expanded.
struct TemplateBounds {
    static let maximumDepth = 16
    static let maximumBytes = 16 << 20

    /// One template's literal text, its variables and the partials it includes (anywhere inside it).
    struct Shape {
        var literalBytes = 0
        var variables = 0
        var partials: [String] = []
    }

    /// The shape of each template and partial, by the name the library knows it as.
    private(set) var shapes: [String: Shape] = [:]
    /// Where each came from, for messages.
    private var origins: [String: String] = [:]
    /// Per name: how deep its partials nest and how many bytes it expands to, per byte a variable renders.
    private var expansion: [String: (depth: Int, literal: Double, variables: Double)] = [:]

    mutating func add(_ template: MustacheTemplate, named name: String, origin: String) throws {
        var shape = Shape()
        try Self.read(template, into: &shape, origin: origin)
        shapes[name] = shape
        origins[name] = origin
    }

    /// Walks every name once: a partial nested deeper than `maximumDepth`, or including itself, is refused.
    mutating func checkDepth() throws {
        for name in shapes.keys.sorted() { _ = try expand(name, chain: []) }
    }

    /// Refuses template `name` where it could render more than `maximumBytes` with no variable longer than
    /// `valueBytes`.
    func checkSize(of name: String, valueBytes: Int) throws {
        guard let bound = expansion[name] else { return }
        let bytes = bound.literal + bound.variables * Double(valueBytes)
        if bytes > Double(Self.maximumBytes) {
            throw ModelGateError.badInput(
                "\(origins[name] ?? name) could render \(Self.describe(bytes)) with its partials expanded; a rendered file is at most 16 MiB"
            )
        }
    }

    private mutating func expand(_ name: String, chain: [String]) throws -> (
        depth: Int, literal: Double, variables: Double
    ) {
        if let known = expansion[name] { return known }
        // A partial the library does not have renders nothing.
        guard let shape = shapes[name] else { return (0, 0, 0) }
        if let start = chain.firstIndex(of: name) {
            let loop = (chain[start...] + [name]).map { origins[$0] ?? $0 }.joined(separator: " → ")
            throw ModelGateError.badInput("a partial includes itself (\(loop)); partials nest at most 16 deep")
        }
        if chain.count > Self.maximumDepth {
            let path = (chain + [name]).map { origins[$0] ?? $0 }.joined(separator: " → ")
            throw ModelGateError.badInput("partials nest more than 16 deep (\(path))")
        }
        var result = (depth: 0, literal: Double(shape.literalBytes), variables: Double(shape.variables))
        for partial in shape.partials {
            let inner = try expand(partial, chain: chain + [name])
            result.depth = max(result.depth, inner.depth + 1)
            result.literal += inner.literal
            result.variables += inner.variables
        }
        if result.depth > Self.maximumDepth {
            throw ModelGateError.badInput(
                "\(origins[name] ?? name): partials nest \(result.depth) deep below it; they nest at most 16 deep")
        }
        expansion[name] = result
        return result
    }

    /// Adds a parsed template's tokens to `shape`. Every kind of token is named; one this reader does not
    /// know is refused rather than skipped.
    private static func read(_ template: MustacheTemplate, into shape: inout Shape, origin: String) throws {
        guard let tokens = Mirror(reflecting: template).children.first(where: { $0.label == "tokens" })?.value,
            let list = tokens as? [Any]
        else { throw ModelGateError.environment("\(origin): the Mustache parser's tokens cannot be read") }
        for token in list {
            guard let child = Mirror(reflecting: token).children.first, let kind = child.label else {
                throw ModelGateError.environment("\(origin): a Mustache token cannot be read")
            }
            switch kind {
            case "text":
                shape.literalBytes += (child.value as? String)?.utf8.count ?? 0
            case "variable", "unescapedVariable":
                shape.variables += 1
            case "contentType":
                break
            case "partial":
                guard let name = Mirror(reflecting: child.value).children.first?.value as? String else {
                    throw ModelGateError.environment("\(origin): a partial's name cannot be read")
                }
                shape.partials.append(name)
            case "dynamicNamePartial":
                throw ModelGateError.badInput(
                    "\(origin): a dynamic partial ({{>*name}}) is not supported in bundle templates")
            case "section", "invertedSection", "blockDefinition", "blockExpansion":
                break
            default:
                throw ModelGateError.badInput("\(origin): the Mustache construct \(Quoted(kind)) is not supported")
            }
            // Templates nested in the token: a section's body, a block's default, a parent's overrides.
            for nested in Self.templates(in: child.value) { try read(nested, into: &shape, origin: origin) }
        }
    }

    /// The templates a token's payload holds, directly or in an optional dictionary of overrides.
    private static func templates(in value: Any) -> [MustacheTemplate] {
        if let template = value as? MustacheTemplate { return [template] }
        if let overrides = value as? [String: MustacheTemplate] {
            return overrides.sorted { $0.key < $1.key }.map(\.value)
        }
        return Mirror(reflecting: value).children.flatMap { templates(in: $0.value) }
    }

    private static func describe(_ bytes: Double) -> String {
        bytes >= Double(1 << 40) ? "more than 1 TiB" : "\(Int(bytes / Double(1 << 20))) MiB"
    }
}

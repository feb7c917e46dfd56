import Foundation
import Mustache

/// The bundle templates: the built-in ones (the top-level `templates/` folder, embedded in the binary),
/// each replaced by the registry's own `templates/<name>` at the ref when it has one.
public struct TemplateSet: Sendable {
    var sources: [String: (text: String, origin: String)]

    /// The built-in templates overridden, file by file, by `overrides` (name -> bytes).
    public init(overrides: [String: Data] = [:]) throws {
        var sources: [String: (String, String)] = [:]
        for file in EmbeddedFiles.builtInTemplates {
            sources[file.path] = (String(decoding: file.data, as: UTF8.self), "built-in \(file.path)")
        }
        for (name, data) in overrides {
            guard let text = String(data: data, encoding: .utf8) else {
                throw ModelGateError.badInput("templates/\(name) is not UTF-8 text")
            }
            sources[name] = (text, "templates/\(name)")
        }
        self.sources = sources
    }

    /// Renders template `name` with `context`. Every template must declare the text content type, so that
    /// values are never HTML-escaped (`&&` stays `&&`).
    public func render(_ name: String, context: [String: Any]) throws -> String {
        guard let source = sources[name] else { throw ModelGateError.badInput("no template \(name)") }
        guard source.text.hasPrefix("{{% CONTENT_TYPE: TEXT}}") else {
            throw ModelGateError.badInput("\(source.origin) must start with {{% CONTENT_TYPE: TEXT}}")
        }
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: source.text)
        } catch {
            throw ModelGateError.badInput("\(source.origin): invalid Mustache template: \(error)")
        }
        return template.render(context)
    }

    /// Whether a registry override replaces template `name`.
    public func isOverridden(_ name: String) -> Bool { sources[name]?.origin.hasPrefix("templates/") ?? false }
}

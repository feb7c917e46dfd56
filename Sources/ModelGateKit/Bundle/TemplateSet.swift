import Foundation
import Mustache

/// The bundle templates: the built-in ones (the top-level `templates/` folder, embedded in the binary),
/// each replaced by the registry's own `templates/<name>` at the ref when it has one. A file whose name
/// starts with `_` is a partial: `_labels.mustache` is included as `{{> labels}}`.
public struct TemplateSet: Sendable {
    var sources: [String: (text: String, origin: String)]
    /// Every template and partial, compiled once.
    let compiled: MustacheLibrary

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
        self.compiled = try Self.library(sources)
    }

    /// Every template and partial compiled into one library. Templates are plain text: nothing is
    /// HTML-escaped (`&&` stays `&&`), so every source is compiled as text whether or not it says so.
    static func library(_ sources: [String: (text: String, origin: String)]) throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for (name, source) in sources {
            let pragma = "{{% CONTENT_TYPE: TEXT}}"
            let text = source.text.hasPrefix(pragma) ? source.text : pragma + "\n" + source.text
            let template: MustacheTemplate
            do {
                template = try MustacheTemplate(string: text)
            } catch {
                throw ModelGateError.badInput("\(source.origin): invalid Mustache template: \(error)")
            }
            let key = name.hasPrefix("_") ? String(name.dropFirst().dropLast(".mustache".count)) : name
            library.register(template, named: key)
        }
        return library
    }

    /// Renders template `name` with `context`.
    public func render(_ name: String, context: [String: Any]) throws -> String {
        guard sources[name] != nil else { throw ModelGateError.badInput("no template \(name)") }
        guard let text = compiled.render(context, withTemplate: name) else {
            throw ModelGateError.badInput("no template \(name)")
        }
        return text
    }

    /// Renders every template of `names` (output path -> template name) with one compiled library.
    public func render(_ names: [(output: String, template: String)], context: [String: Any]) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for (output, name) in names {
            guard sources[name] != nil, let text = compiled.render(context, withTemplate: name) else {
                throw ModelGateError.badInput("no template \(name)")
            }
            files[output] = Data(text.utf8)
        }
        return files
    }

    /// Whether a registry override replaces template `name`.
    public func isOverridden(_ name: String) -> Bool { sources[name]?.origin.hasPrefix("templates/") ?? false }
}

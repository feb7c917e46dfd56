import Foundation
import ModelGateSupport
import Mustache

/// The bundle templates: the built-in ones (the top-level `templates/` folder, embedded in the binary),
/// each replaced by the registry's own `templates/<name>` at the ref when it has one. A file whose name
/// starts with `_` is a partial: `_labels.mustache` is included as `{{> labels}}`. Partials nest at most 16
/// deep and a rendered file is at most 16 MiB (`TemplateBounds`).
public struct TemplateSet: Sendable {
    var sources: [String: (text: String, origin: String)]
    /// Every template and partial, compiled once.
    let compiled: MustacheLibrary
    /// What the templates can render at most.
    let bounds: TemplateBounds

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
        (compiled, bounds) = try Self.library(sources)
    }

    /// Every template and partial compiled into one library. Templates are plain text: nothing is
    /// HTML-escaped (`&&` stays `&&`), so every source is compiled as text whether or not it says so.
    static func library(_ sources: [String: (text: String, origin: String)]) throws -> (
        MustacheLibrary, TemplateBounds
    ) {
        var library = MustacheLibrary()
        var bounds = TemplateBounds()
        for (name, source) in sources.sorted(by: { $0.key < $1.key }) {
            let pragma = "{{% CONTENT_TYPE: TEXT}}"
            let text = source.text.hasPrefix(pragma) ? source.text : pragma + "\n" + source.text
            let template: MustacheTemplate
            do {
                template = try MustacheTemplate(string: text)
            } catch {
                throw ModelGateError.badInput("\(source.origin): invalid Mustache template: \(error)")
            }
            let key = Self.key(name)
            library.register(template, named: key)
            try bounds.add(template, named: key, origin: source.origin)
        }
        try bounds.checkDepth()
        return (library, bounds)
    }

    /// The name the library knows a file as: a partial `_labels.mustache` as `labels`.
    static func key(_ name: String) -> String {
        name.hasPrefix("_") ? String(name.dropFirst().dropLast(".mustache".count)) : name
    }

    /// Renders template `name` with `context`.
    public func render(_ name: String, context: [String: Any]) throws -> String {
        try render([(output: name, template: name)], context: context)[name].map { String(decoding: $0, as: UTF8.self) }
            ?? ""
    }

    /// Renders every template of `names` (output path -> template name) with one compiled library; a
    /// template that could render more than 16 MiB is refused before it renders.
    public func render(_ names: [(output: String, template: String)], context: [String: Any]) throws -> [String: Data] {
        let valueBytes = Self.longestValue(in: context)
        var files: [String: Data] = [:]
        for (output, name) in names {
            guard let source = sources[name] else { throw ModelGateError.badInput("no template \(name)") }
            try bounds.checkSize(of: Self.key(name), valueBytes: valueBytes)
            guard let text = compiled.render(context, withTemplate: Self.key(name)) else {
                throw ModelGateError.badInput("no template \(name)")
            }
            guard text.utf8.count <= TemplateBounds.maximumBytes else {
                throw ModelGateError.badInput("\(source.origin) rendered more than 16 MiB")
            }
            files[output] = Data(text.utf8)
        }
        return files
    }

    /// The most bytes one variable of `context` renders.
    static func longestValue(in value: Any) -> Int {
        switch value {
        case let dictionary as [String: Any]: dictionary.values.map(longestValue).max() ?? 0
        case let text as String: text.utf8.count
        default: "\(value)".utf8.count
        }
    }

    /// Whether a registry override replaces template `name`.
    public func isOverridden(_ name: String) -> Bool { sources[name]?.origin.hasPrefix("templates/") ?? false }
}

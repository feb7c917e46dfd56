import ModelGateGit
import ModelGateSupport
import ModelGateYAML

/// The `apiVersion` and `kind` every registry document carries.
enum DocumentHeader {
    static let apiVersion = "modelgate/v1"

    /// Checks both keys of `fields` for a document of `kind`.
    static func check(_ fields: SchemaReader.Fields, kind: String, reader: SchemaReader) {
        if let version = fields.string("apiVersion", required: true), version != apiVersion {
            reader.error(
                "apiVersion must be '\(apiVersion)', not \(Quoted(version))",
                at: fields["apiVersion"]?.location ?? fields.location)
        }
        if let found = fields.string("kind", required: true), found != kind {
            reader.error(
                "kind must be '\(kind)' in this file, not \(Quoted(found))",
                at: fields["kind"]?.location ?? fields.location)
        }
    }
}

extension SchemaReader {
    /// A sha256 field: 64 lowercase hex digits.
    func sha256(_ fields: Fields, _ key: String, required: Bool) -> String? {
        guard let value = fields.string(key, required: required) else { return nil }
        guard Hex.isLowercase(value, count: 64) else {
            error(
                "'\(key)' must be 64 lowercase hex digits, not \(Quoted(value))",
                at: fields[key]?.location ?? fields.location)
            return nil
        }
        return value
    }

    /// A repository path field, checked with `RepositoryPath`.
    func path(_ fields: Fields, _ key: String, required: Bool) -> String? {
        guard let value = fields.string(key, required: required) else { return nil }
        if let problem = RepositoryPath.problem(value) {
            error("path \(Quoted(value)) in '\(key)' \(problem)", at: fields[key]?.location ?? fields.location)
            return nil
        }
        return value
    }

    /// A name field checked against the model-name grammar.
    func name(_ fields: Fields, _ key: String, what: String, required: Bool) -> String? {
        guard let value = fields.string(key, required: required) else { return nil }
        guard Names.isValid(value) else {
            error(Names.problem(value, what: what), at: fields[key]?.location ?? fields.location)
            return nil
        }
        return value
    }
}

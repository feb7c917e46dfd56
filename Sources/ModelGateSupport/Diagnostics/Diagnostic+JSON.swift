extension Diagnostic {
    /// `{"path", "line", "column", "message"}`, the shape of the reports' `errors`.
    public var json: JSONValue {
        .object([
            ("path", .string(location?.path)),
            ("line", location.map { .number(Double($0.line)) } ?? .null),
            ("column", location.map { .number(Double($0.column)) } ?? .null),
            ("message", .string(message)),
        ])
    }
}

import Foundation
import ModelGateSupport

/// Turns the bytes of a registry file into a `YAMLNode`, refusing hostile input with a positioned error.
///
/// Bounded on every axis: file size, nesting depth, and the number of nodes after alias expansion,
/// so that an alias bomb or a deeply nested document is refused quickly instead of hanging. UTF-8, NUL
/// bytes and indentation depth are checked on the bytes before LibYAML (`YAMLEventReader`) sees them.
public struct YAMLLoader: Sendable {
    public static let defaultMaximumBytes = 1 << 20

    public var maximumBytes = YAMLLoader.defaultMaximumBytes
    public var maximumNodes = 100_000
    public var maximumDepth = 128

    public init() {}

    /// Parses one YAML document; `path` names the file in diagnostics.
    public func load(_ data: Data, path: String) throws(InvalidRegistryError) -> YAMLNode {
        guard let root = try documents(data, path: path, single: true).first else {
            throw InvalidRegistryError([
                Diagnostic(at: SourceLocation(path: path, line: 1, column: 1), "empty document")
            ])
        }
        return root
    }

    /// Parses a stream of YAML documents (a Kubernetes manifest), none for an empty one.
    public func loadStream(_ data: Data, path: String) throws(InvalidRegistryError) -> [YAMLNode] {
        try documents(data, path: path, single: false)
    }

    private func documents(_ data: Data, path: String, single: Bool) throws(InvalidRegistryError) -> [YAMLNode] {
        func fail(_ message: String, line: Int = 1, column: Int = 1) -> InvalidRegistryError {
            InvalidRegistryError([Diagnostic(at: SourceLocation(path: path, line: line, column: column), message)])
        }
        guard data.count <= maximumBytes else {
            throw fail("file is \(data.count) bytes, more than the limit of \(maximumBytes) bytes for a registry file")
        }
        var bytes = [UInt8](data)
        // A UTF-8 byte order mark, as some editors write: accepted and skipped, as PyYAML and Git do.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let invalid = TextScan.firstInvalidUTF8(in: bytes) {
            let position = TextScan.position(ofByte: invalid, in: bytes)
            throw fail(
                "invalid UTF-8 byte 0x\(Hex.encode([bytes[invalid]]))", line: position.line, column: position.column)
        }
        if let foreign = TextScan.firstForeignLineBreak(in: bytes) {
            let position = TextScan.position(ofByte: foreign.offset, in: bytes)
            throw fail(
                "\(foreign.name) in a registry file: YAML reads it as a line break that a diff does not show; end every line with a line feed alone",
                line: position.line, column: position.column)
        }
        if let nul = bytes.firstIndex(of: 0) {
            let position = TextScan.position(ofByte: nul, in: bytes)
            throw fail("NUL byte in a text file", line: position.line, column: position.column)
        }
        var reader = YAMLEventReader(path: path, budget: maximumNodes, maximumDepth: maximumDepth)
        return try reader.read(bytes, single: single)
    }
}

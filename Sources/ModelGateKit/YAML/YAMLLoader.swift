import Foundation
import Yams

/// Turns the bytes of a registry file into a `YAMLNode`, refusing hostile input with a positioned error.
///
/// Bounded on every axis: file size, nesting depth, and the number of nodes after alias expansion,
/// so that an alias bomb or a deeply nested document is refused quickly instead of hanging.
public struct YAMLLoader: Sendable {
    public static let defaultMaximumBytes = 1 << 20

    public var maximumBytes = YAMLLoader.defaultMaximumBytes
    public var maximumNodes = 100_000
    public var maximumDepth = 128

    public init() {}

    /// Parses one YAML document; `path` names the file in diagnostics.
    public func load(_ data: Data, path: String) throws(InvalidRegistryError) -> YAMLNode {
        func fail(_ message: String, line: Int = 1, column: Int = 1) -> InvalidRegistryError {
            InvalidRegistryError([Diagnostic(at: SourceLocation(path: path, line: line, column: column), message)])
        }
        guard data.count <= maximumBytes else {
            throw fail("file is \(data.count) bytes, more than the limit of \(maximumBytes) bytes for a registry file")
        }
        let bytes = [UInt8](data)
        if let invalid = TextScan.firstInvalidUTF8(in: bytes) {
            let position = TextScan.position(ofByte: invalid, in: bytes)
            throw fail("invalid UTF-8 byte 0x\(Hex.encode([bytes[invalid]]))", line: position.line, column: position.column)
        }
        if let nul = bytes.firstIndex(of: 0) {
            let position = TextScan.position(ofByte: nul, in: bytes)
            throw fail("NUL byte in a text file", line: position.line, column: position.column)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if let deep = TextScan.firstLineDeeperThan(maximumDepth, in: text) {
            throw fail("nesting deeper than \(maximumDepth) levels", line: deep, column: 1)
        }
        let root: Node?
        do {
            // The basic resolver: modelgate reads scalars itself, and Yams' regex-based tag resolution
            // (run while hashing keys for the duplicate check) would dominate the load time.
            root = try Parser(yaml: text, resolver: .basic, encoding: .utf8).singleRoot()
        } catch let error as YamlError {
            throw InvalidRegistryError([Self.diagnostic(for: error, path: path, text: text)])
        } catch {
            throw fail("cannot parse YAML: \(error)")
        }
        guard let root else { throw fail("empty document") }
        var converter = Converter(path: path, budget: maximumNodes)
        do {
            return try converter.convert(root)
        } catch let error as InvalidRegistryError {
            throw error
        } catch {
            throw fail("cannot read YAML: \(error)")
        }
    }

    /// A diagnostic at the position Yams reports, in libyaml's words.
    static func diagnostic(for error: YamlError, path: String, text: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(path: path, line: mark.line, column: mark.column) }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            let detail = context.map { "\($0.text): " } ?? ""
            return Diagnostic(at: at(mark), "invalid YAML: \(detail)\(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? ""
            let location = TextScan.secondOccurrence(ofKey: key, after: context.mark, in: text)
                .map { SourceLocation(path: path, line: $0.line, column: $0.column) } ?? at(context.mark)
            return Diagnostic(at: location, "duplicate key '\(key)'")
        case let .reader(problem, offset, _, _):
            let position = offset.map { TextScan.position(ofCharacter: $0, in: text) } ?? (line: 1, column: 1)
            return Diagnostic(
                at: SourceLocation(path: path, line: position.line, column: position.column), "invalid YAML: \(problem)")
        default:
            return Diagnostic(at: SourceLocation(path: path), "invalid YAML: \(error)")
        }
    }
}

/// Converts Yams' nodes into `YAMLNode`s, counting every node visited (aliases expand where used).
private struct Converter {
    let path: String
    var budget: Int

    mutating func convert(_ node: Node) throws -> YAMLNode {
        budget -= 1
        let location = SourceLocation(path: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        guard budget >= 0 else {
            throw InvalidRegistryError([
                Diagnostic(at: location, "document expands past the limit of its size (an alias bomb?)")
            ])
        }
        switch node {
        case .scalar(let scalar):
            let plain = scalar.style == .plain || scalar.style == .any
            return YAMLNode(.scalar(scalar.string, plain: plain && scalar.tag.rawValue.isEmpty), at: location)
        case .sequence(let sequence):
            return YAMLNode(.sequence(try sequence.map { try convert($0) }), at: location)
        case .mapping(let mapping):
            return YAMLNode(.mapping(try pairs(of: mapping, at: location)), at: location)
        case .alias:
            throw InvalidRegistryError([Diagnostic(at: location, "unresolved alias")])
        }
    }

    private mutating func pairs(of mapping: Node.Mapping, at location: SourceLocation) throws -> [YAMLPair] {
        var explicit: [YAMLPair] = []
        var merged: [YAMLPair] = []
        for (key, value) in mapping {
            let keyLocation = SourceLocation(path: path, line: key.mark?.line ?? 1, column: key.mark?.column ?? 1)
            guard case .scalar(let scalar) = key else {
                throw InvalidRegistryError([Diagnostic(at: keyLocation, "mapping keys must be strings")])
            }
            if scalar.string == "<<" && scalar.style != .singleQuoted && scalar.style != .doubleQuoted {
                let sources: [YAMLNode]
                let converted = try convert(value)
                switch converted.kind {
                case .mapping: sources = [converted]
                case .sequence(let items): sources = items
                case .scalar: sources = []
                }
                for source in sources {
                    guard case .mapping(let inherited) = source.kind else {
                        throw InvalidRegistryError([Diagnostic(at: source.location, "a merge key takes mappings")])
                    }
                    merged.append(contentsOf: inherited.filter { pair in !merged.contains { $0.key == pair.key } })
                }
                continue
            }
            explicit.append(YAMLPair(key: scalar.string, keyLocation: keyLocation, value: try convert(value)))
        }
        return explicit + merged.filter { pair in !explicit.contains { $0.key == pair.key } }
    }
}

import Foundation
import Testing

/// `docs/reference.md` documents every key the schema readers accept: the keys are read from the readers'
/// own `finish(allowing:)` lists, so a new key without documentation fails here.
@Suite("the reference documents every key")
struct ReferenceDocumentationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Every quoted key of every `finish(allowing:)` list (and the key sets they union) in the sources.
    static func acceptedKeys() throws -> Set<String> {
        var keys: Set<String> = []
        let sources = root.appendingPathComponent("Sources/ModelGateRegistry")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            var searchStart = text.startIndex
            while let found = text.range(of: "finish(allowing:", range: searchStart..<text.endIndex) {
                var depth = 1
                var index = found.upperBound
                while depth > 0, index < text.endIndex {
                    if text[index] == "(" { depth += 1 } else if text[index] == ")" { depth -= 1 }
                    index = text.index(after: index)
                }
                keys.formUnion(quoted(text[found.upperBound..<index]))
                searchStart = index
            }
            for pattern in ["let keys: Set<String> = [", "let common: Set<String> = [", "let extra: Set<String> = "] {
                var start = text.startIndex
                while let found = text.range(of: pattern, range: start..<text.endIndex) {
                    let end = text[found.upperBound...].firstIndex(of: "\n") ?? text.endIndex
                    keys.formUnion(quoted(text[found.upperBound..<end]))
                    start = end
                }
            }
        }
        return keys
    }

    static func quoted(_ text: Substring) -> [String] {
        text.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
            .filter { $0.first?.isLetter == true && $0.allSatisfy { $0.isLetter || $0.isNumber } }
    }

    @Test func everyAcceptedKeyIsDocumented() throws {
        let reference = try String(contentsOf: Self.root.appendingPathComponent("docs/reference.md"), encoding: .utf8)
        let keys = try Self.acceptedKeys()
        #expect(keys.count > 60, "the key lists were found: \(keys.count)")
        for key in keys.sorted() {
            #expect(
                reference.contains("`\(key)`") || reference.contains("`\(key).") || reference.contains(".\(key)`")
                    || reference.contains("\(key):"), "docs/reference.md does not document '\(key)'")
        }
    }

    @Test func theReadmeLinksTheReference() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("(docs/reference.md)"))
    }
}

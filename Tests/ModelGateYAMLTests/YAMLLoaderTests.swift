import Foundation
import ModelGateSupport
import Testing

@testable import ModelGateYAML

@Suite("YAML loading")
struct YAMLLoaderTests {
    let loader = YAMLLoader()

    func problem(_ text: String) -> String? {
        problem(Data(text.utf8))
    }

    func problem(_ data: Data) -> String? {
        do {
            _ = try loader.load(data, path: "f.yaml")
            return nil
        } catch {
            return error.diagnostics.first.map { "\($0.location!): \($0.message)" }
        }
    }

    @Test func readsScalarsMappingsAndSequencesWithPositions() throws {
        let node = try loader.load(Data("a: 1\nb:\n  - x\n  - 'y'\n".utf8), path: "f.yaml")
        guard case .mapping(let pairs) = node.kind else { Issue.record("not a mapping"); return }
        #expect(pairs.map(\.key) == ["a", "b"])
        #expect(pairs[1].keyLocation == ModelGateSupport.SourceLocation(path: "f.yaml", line: 2, column: 1))
        guard case .sequence(let items) = pairs[1].value.kind else { Issue.record("not a list"); return }
        #expect(items[1].location == ModelGateSupport.SourceLocation(path: "f.yaml", line: 4, column: 5))
        guard case .scalar("y", let plain) = items[1].kind else { Issue.record("not y"); return }
        #expect(!plain)
    }

    @Test func duplicateKeyIsReportedAtTheSecondCopy() {
        #expect(problem("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n") == "f.yaml:5:3: duplicate key 'c'")
        #expect(problem("top: 1\ntop: 2\n") == "f.yaml:2:1: duplicate key 'top'")
        #expect(problem("m: {x: 1, x: 2}\n") == "f.yaml:1:11: duplicate key 'x'")
        #expect(problem("\"\": \"\"\n\"\": \"\"\n") == "f.yaml:2:1: duplicate key ''")
        #expect(problem("a: &m {\"\": \"\"}\nb:\n  <<: *m\n  \"\": \"\"\n") == nil)
    }

    @Test func syntaxErrorsCarryLibyamlPositions() {
        #expect(problem("a: [1, 2\nb: 3\n")?.hasPrefix("f.yaml:2:") == true)
        #expect(problem("a: b: c\n") == "f.yaml:1:5: invalid YAML: mapping values are not allowed in this context")
    }

    /// Refused by counting the nodes an expansion would make, before making them (a loader that expanded
    /// first would not finish here, and the suite's own time limit would end it).
    @Test func aliasBombIsRefused() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        #expect(problem(text)?.contains("expands past the limit") == true)
    }

    @Test func smallAliasesAndMergeKeysAreAccepted() throws {
        let text = "base: &base {cpu: 500m, memory: 512Mi}\nserving:\n  <<: *base\n  memory: 1Gi\n"
        let node = try loader.load(Data(text.utf8), path: "f.yaml")
        guard case .mapping(let pairs) = node.kind, case .mapping(let serving) = pairs[1].value.kind else {
            Issue.record("shape")
            return
        }
        #expect(serving.map(\.key) == ["memory", "cpu"])
        guard case .scalar("1Gi", _) = serving[0].value.kind else { Issue.record("override lost"); return }
    }

    @Test func oversizedFileIsRefused() {
        let data = Data(repeating: UInt8(ascii: "a"), count: 5 << 20)
        #expect(
            problem(data)
                == "f.yaml:1:1: file is 5242880 bytes, more than the limit of 1048576 bytes for a registry file")
    }

    @Test func invalidUTF8IsReportedAtItsByte() {
        var data = Data("name: ok\nbad: ca".utf8)
        data.append(0xFF)
        data.append(contentsOf: Array("fe\n".utf8))
        #expect(problem(data) == "f.yaml:2:8: invalid UTF-8 byte 0xff")
        #expect(TextScan.firstInvalidUTF8(in: Array("héllo ✓ 𝄞".utf8)) == nil)
        #expect(TextScan.firstInvalidUTF8(in: [0xC0, 0x80]) == 0, "overlong encodings are invalid")
        #expect(TextScan.firstInvalidUTF8(in: [0xED, 0xA0, 0x80]) == 0, "surrogates are invalid")
    }

    @Test func nulByteIsRefused() {
        #expect(problem(Data("a: 1\nb: x\u{0}y\n".utf8)) == "f.yaml:2:5: NUL byte in a text file")
    }

    @Test func controlCharactersAreRefusedAtTheirByte() {
        #expect(
            problem(Data("a: 1\nbé: x\u{7}y\n".utf8)) == "f.yaml:2:6: invalid YAML: control characters are not allowed")
    }

    /// Deep nesting is refused where it happens, by the reader's depth limit (128), in flow and in block
    /// collections. The system's LibYAML 0.2.5 has no nesting limit of its own (the one upstream added since is
    /// unreleased), and its parser keeps its states on the heap, so nothing recurses on the stack past 128.
    @Test func deepNestingIsRefusedWhereItHappens() {
        let flow = String(repeating: "[", count: 100_000)
        #expect(problem("a: \(flow)\n") == "f.yaml:1:132: nesting deeper than 128 levels")
        let dashes = String(repeating: "- ", count: 50_000) + "x\n"
        #expect(problem(dashes) == "f.yaml:1:259: nesting deeper than 128 levels")
        let blocks = (0..<200).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " x\n"
        #expect(problem(blocks) == "f.yaml:130:130: nesting deeper than 128 levels")
    }

    @Test func emptyDocumentIsAnError() {
        #expect(problem("# only a comment\n") == "f.yaml:1:1: empty document")
    }
}

/// Line breaks YAML reads and a reviewer's diff does not show are refused where they are.
@Suite("foreign line breaks")
struct ForeignLineBreakTests {
    @Test(arguments: [
        ("a: 1\r\nb: 2\n", "f.yaml:1:5: a carriage return"), ("a: 1\rb: 2\n", "f.yaml:1:5: a carriage return"),
        ("a: 'é'\nb: x\u{85}c: 2\n", "f.yaml:2:5: U+0085"), ("a: 1\u{2028}b: 2\n", "f.yaml:1:5: U+2028"),
        ("a: \"x\u{2029}\"\n", "f.yaml:1:6: U+2029"),
    ])
    func isRefusedWithItsPosition(_ text: String, _ expected: String) {
        do {
            _ = try YAMLLoader().load(Data(text.utf8), path: "f.yaml")
            Issue.record("accepted \(text.debugDescription)")
        } catch {
            let first = error.diagnostics.first.map { "\($0.location!): \($0.message)" } ?? ""
            #expect(first.hasPrefix(expected), "\(first)")
        }
    }

    @Test func lineFeedsAloneAreRead() throws {
        _ = try YAMLLoader().load(Data("a: 1\nb: 'é\u{2027}'\n".utf8), path: "f.yaml")
    }
}

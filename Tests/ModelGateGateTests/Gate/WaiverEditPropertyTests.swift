import Foundation
import Testing

@testable import ModelGateGate
@testable import ModelGateYAML

/// For random manifests written in random layouts (key order, quoting, flow or block style, comments, a
/// double-quoted string folded over two lines), the gate's "waiver edit" verdict equals "the documents
/// differ only in waivers" as the generator knows them. A fixed seed: the same cases on every machine.
@Suite("a waiver edit is a difference of values")
struct WaiverEditPropertyTests {
    /// What a manifest means, as the generator builds it.
    indirect enum Tree: Equatable {
        case word(String)
        case number(String)
        case map([String: Tree])
        case list([Tree])
    }

    /// SplitMix64: small, and the same sequence everywhere.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    static let words = ["churn", "alpha beta", "data/churn.csv", "logreg", "jane@example.com", "eu", "modelgate/v1"]

    static func tree(_ random: inout Random, depth: Int) -> Tree {
        switch depth > 2 ? random.below(2) : random.below(4) {
        case 0: return .word(words[random.below(words.count)] + (random.chance(30) ? "x" : ""))
        case 1: return .number(["0.9", "42", "1e3", "0.85", "7"][random.below(5)])
        case 2:
            var keys: [String: Tree] = [:]
            for index in 0..<(1 + random.below(3)) {
                keys["k\(index)\(random.below(3))"] = tree(&random, depth: depth + 1)
            }
            return .map(keys)
        default: return .list((0..<random.below(3)).map { _ in tree(&random, depth: depth + 1) })
        }
    }

    static func manifest(_ random: inout Random) -> [String: Tree] {
        var keys: [String: Tree] = [
            "model": .word("churn"), "metrics": .map(["auc": .number("0.9")]), "training": tree(&random, depth: 1),
        ]
        if random.chance(70) { keys["waivers"] = tree(&random, depth: 1) }
        return keys
    }

    /// A scalar in one of the ways YAML spells it.
    static func scalar(_ tree: Tree, _ random: inout Random) -> String {
        switch tree {
        case .number(let text): return text
        case .word(let text):
            switch random.below(4) {
            case 0: return text
            case 1: return "'\(text)'"
            case 2 where text.contains(" "):
                // A double-quoted string folded at its space: the line break reads as that space.
                return "\"" + text.replacingOccurrences(of: " ", with: "\n            ") + "\""
            default: return "\"\(text)\""
            }
        default: return ""
        }
    }

    static func flow(_ tree: Tree, _ random: inout Random) -> String {
        switch tree {
        case .map(let keys):
            return "{"
                + keys.keys.sorted().shuffled(&random).map { "\($0): \(flow(keys[$0]!, &random))" }.joined(
                    separator: ", ")
                + "}"
        case .list(let items): return "[" + items.map { flow($0, &random) }.joined(separator: ", ") + "]"
        default: return scalar(tree, &random)
        }
    }

    static func block(_ key: String, _ tree: Tree, indent: String, _ random: inout Random) -> String {
        let comment = random.chance(20) ? "\(indent)# a comment\n" : ""
        switch tree {
        case .map(let keys) where !keys.isEmpty && random.chance(60):
            return comment + "\(indent)\(key):\n"
                + keys.keys.sorted().shuffled(&random).map { block($0, keys[$0]!, indent: indent + "  ", &random) }
                .joined()
        default:
            return comment + "\(indent)\(key): \(flow(tree, &random))\n"
        }
    }

    static func text(_ keys: [String: Tree], _ random: inout Random) -> String {
        keys.keys.sorted().shuffled(&random).map { block($0, keys[$0]!, indent: "", &random) }.joined()
    }

    static func value(_ text: String) throws -> YAMLValue {
        YAMLValue(try YAMLLoader().load(Data(text.utf8), path: "m.yaml"))
    }

    @Test func theVerdictFollowsTheValues() throws {
        var random = Random(state: 2026_12_07)
        var waiverEdits = 0
        var changes = 0
        for _ in 0..<600 {
            let before = Self.manifest(&random)
            var after = before
            switch random.below(3) {
            case 0: after["waivers"] = Self.tree(&random, depth: 1)
            case 1: after["training"] = Self.tree(&random, depth: 1)
            default: break
            }
            let first = Self.text(before, &random)
            let second = Self.text(after, &random)
            var expected = before
            var actual = after
            expected["waivers"] = nil
            actual["waivers"] = nil
            let verdict = VersionChanges.isWaiverEdit(try Self.value(first), try Self.value(second))
            #expect(verdict == (expected == actual), "\(first)\n---\n\(second)")
            if verdict { waiverEdits += 1 } else { changes += 1 }
        }
        // Both verdicts occur, so the comparison is not trivially one-sided.
        #expect(waiverEdits > 100 && changes > 100, "\(waiverEdits) waiver edits, \(changes) changes")
    }

    @Test func respellingANumberOrQuotingItIsAChange() throws {
        #expect(try Self.value("a: 0.9\n") != Self.value("a: 0.90\n"))
        #expect(try Self.value("a: 0.9\n") != Self.value("a: \"0.9\"\n"))
        #expect(try Self.value("a: yes\n") != Self.value("a: 'yes'\n"))
        #expect(try Self.value("a: churn\n") == Self.value("a: 'churn'\n"))
        #expect(try Self.value("a: {b: 1, c: [x]}\n") == Self.value("a:\n  c:\n    - x\n  b: 1\n"))
    }
}

extension Array {
    /// The elements in an order drawn from `random`.
    fileprivate func shuffled(_ random: inout WaiverEditPropertyTests.Random) -> [Element] {
        var items = self
        for index in items.indices.reversed() where index > 0 {
            items.swapAt(index, random.below(index + 1))
        }
        return items
    }
}

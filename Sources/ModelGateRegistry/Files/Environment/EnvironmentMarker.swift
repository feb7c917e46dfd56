import Foundation

/// A PEP 508 environment marker (`python_version >= "3.8" and sys_platform != "win32"`), evaluated for
/// the platform an image installs packages on. Version variables compare as versions, everything else as
/// strings; `extra` is never set (a bundle installs no extras it was not locked with).
enum EnvironmentMarker {
    /// Whether `text` holds for `environment`; a marker that cannot be read is an error naming it.
    static func evaluate(_ text: String, in environment: [String: String]) throws -> Bool {
        var parser = Parser(tokens: try tokens(text), environment: environment)
        let value = try parser.or()
        guard parser.index == parser.tokens.count else { throw Parser.Failure() }
        return value
    }

    /// The variables whose values are versions.
    static let versionVariables: Set<String> = ["python_version", "python_full_version", "implementation_version"]

    enum Token: Equatable {
        case word(String)
        case string(String)
        case op(String)
        case open
        case close
    }

    static func tokens(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
            } else if character == "(" || character == ")" {
                tokens.append(character == "(" ? .open : .close)
                index += 1
            } else if character == "\"" || character == "'" {
                guard let end = characters[(index + 1)...].firstIndex(of: character) else { throw Parser.Failure() }
                tokens.append(.string(String(characters[(index + 1)..<end])))
                index = end + 1
            } else if "<>=!~".contains(character) {
                var end = index
                while end < characters.count, "<>=!~".contains(characters[end]) { end += 1 }
                tokens.append(.op(String(characters[index..<end])))
                index = end
            } else if character.isLetter || character == "_" {
                var end = index
                while end < characters.count,
                    characters[end].isLetter || characters[end].isNumber || characters[end] == "_"
                        || characters[end] == "."
                {
                    end += 1
                }
                tokens.append(.word(String(characters[index..<end])))
                index = end
            } else {
                throw Parser.Failure()
            }
        }
        return tokens
    }

    struct Parser {
        struct Failure: Error {}

        let tokens: [Token]
        let environment: [String: String]
        var index = 0

        mutating func or() throws -> Bool {
            var value = try and()
            while index < tokens.count, tokens[index] == .word("or") {
                index += 1
                let right = try and()
                value = value || right
            }
            return value
        }

        mutating func and() throws -> Bool {
            var value = try expression()
            while index < tokens.count, tokens[index] == .word("and") {
                index += 1
                let right = try expression()
                value = value && right
            }
            return value
        }

        mutating func expression() throws -> Bool {
            guard index < tokens.count else { throw Failure() }
            if tokens[index] == .open {
                index += 1
                let value = try or()
                guard index < tokens.count, tokens[index] == .close else { throw Failure() }
                index += 1
                return value
            }
            let (left, leftName) = try operand()
            guard index < tokens.count else { throw Failure() }
            var op: String
            switch tokens[index] {
            case .op(let text): op = text
            case .word("in"): op = "in"
            case .word("not"):
                guard index + 1 < tokens.count, tokens[index + 1] == .word("in") else { throw Failure() }
                index += 1
                op = "not in"
            default: throw Failure()
            }
            index += 1
            let (right, rightName) = try operand()
            let isVersion = [leftName, rightName].contains {
                $0.map(EnvironmentMarker.versionVariables.contains) ?? false
            }
            return try compare(left, op, right, asVersions: isVersion)
        }

        /// A variable's value (and its name) or a quoted string.
        mutating func operand() throws -> (String, String?) {
            guard index < tokens.count else { throw Failure() }
            defer { index += 1 }
            switch tokens[index] {
            case .string(let text): return (text, nil)
            case .word(let name):
                guard let value = environment[name] else { throw Failure() }
                return (value, name)
            default: throw Failure()
            }
        }

        func compare(_ left: String, _ op: String, _ right: String, asVersions: Bool) throws -> Bool {
            switch op {
            case "in": return right.contains(left)
            case "not in": return !right.contains(left)
            case "===": return left == right
            default: break
            }
            guard asVersions else {
                switch op {
                case "==": return left == right
                case "!=": return left != right
                default: throw Failure()
                }
            }
            if op == "==" || op == "!=", right.hasSuffix(".*") {
                let prefix = Version(String(right.dropLast(2))).release
                let matches = Array(Version(left).release.prefix(prefix.count)) == prefix
                return op == "==" ? matches : !matches
            }
            let order = Version(left).compare(Version(right))
            switch op {
            case "==": return order == 0
            case "!=": return order != 0
            case "<": return order < 0
            case "<=": return order <= 0
            case ">": return order > 0
            case ">=": return order >= 0
            case "~=":
                let release = Version(right).release
                guard release.count >= 2 else { throw Failure() }
                return order >= 0 && Array(Version(left).release.prefix(release.count - 1)) == release.dropLast()
            default: throw Failure()
            }
        }
    }

    /// The release numbers of a version (`3.11.2` → 3, 11, 2), compared padded with zeros.
    struct Version {
        var release: [Int]

        init(_ text: String) {
            release = text.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
        }

        func compare(_ other: Version) -> Int {
            for index in 0..<max(release.count, other.release.count) {
                let a = index < release.count ? release[index] : 0
                let b = index < other.release.count ? other.release[index] : 0
                if a != b { return a < b ? -1 : 1 }
            }
            return 0
        }
    }
}

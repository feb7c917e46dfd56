/// A SemVer 2.0 version (`1.4.0`, `2.0.0-rc.1+build.5`), ordered by SemVer precedence.
public struct SemanticVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let major: UInt64
    public let minor: UInt64
    public let patch: UInt64
    public let prerelease: [String]
    public let build: [String]
    /// The text as written.
    public let description: String

    public init?(_ text: String) {
        if let (major, minor, patch) = Self.plainRelease(text) {
            (self.major, self.minor, self.patch) = (major, minor, patch)
            (prerelease, build, description) = ([], [], text)
            return
        }
        var rest = Substring(text)
        var build: [String] = []
        if let plus = rest.firstIndex(of: "+") {
            build = rest[rest.index(after: plus)...].split(separator: ".", omittingEmptySubsequences: false).map(
                String.init)
            guard build.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(Self.isIdentifierByte) }) else { return nil }
            rest = rest[..<plus]
        }
        var prerelease: [String] = []
        if let dash = rest.firstIndex(of: "-") {
            prerelease = rest[rest.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false)
                .map(String.init)
            guard
                prerelease.allSatisfy({ identifier in
                    !identifier.isEmpty && identifier.utf8.allSatisfy(Self.isIdentifierByte)
                        && !(Self.isNumeric(identifier) && identifier.count > 1 && identifier.hasPrefix("0"))
                })
            else { return nil }
            rest = rest[..<dash]
        }
        let core = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard core.count == 3 else { return nil }
        var numbers: [UInt64] = []
        for part in core {
            guard Self.isNumeric(String(part)), part == "0" || !part.hasPrefix("0"), let value = UInt64(part) else {
                return nil
            }
            numbers.append(value)
        }
        major = numbers[0]
        minor = numbers[1]
        patch = numbers[2]
        self.prerelease = prerelease
        self.build = build
        description = text
    }

    /// The three numbers of a version without pre-release or build (`1.4.0`, by far the most common),
    /// read byte by byte; nil for anything else, which the general path then reads or refuses.
    private static func plainRelease(_ text: String) -> (UInt64, UInt64, UInt64)? {
        var numbers: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var part = 0
        var digits = 0
        var leadingZero = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, part < 2 else { return nil }
                part += 1
                digits = 0
                leadingZero = false
                continue
            }
            let digit = byte &- 0x30
            guard digit < 10, !leadingZero, digits < 19 else { return nil }
            leadingZero = digits == 0 && digit == 0
            digits += 1
            switch part {
            case 0: numbers.0 = numbers.0 * 10 + UInt64(digit)
            case 1: numbers.1 = numbers.1 * 10 + UInt64(digit)
            default: numbers.2 = numbers.2 * 10 + UInt64(digit)
            }
        }
        guard part == 2, digits > 0 else { return nil }
        return numbers
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == UInt8(ascii: "-")
    }

    private static func isNumeric(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (48...57).contains($0) }
    }

    /// SemVer precedence: build metadata is ignored; a pre-release ranks below its release.
    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        if (lhs.major, lhs.minor, lhs.patch) != (rhs.major, rhs.minor, rhs.patch) {
            return (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
        }
        switch (lhs.prerelease.isEmpty, rhs.prerelease.isEmpty) {
        case (true, true), (true, false): return false
        case (false, true): return true
        case (false, false): break
        }
        for (left, right) in zip(lhs.prerelease, rhs.prerelease) where left != right {
            switch (UInt64(left), UInt64(right)) {
            case let (l?, r?): return l < r
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return left < right
            }
        }
        return lhs.prerelease.count < rhs.prerelease.count
    }

    /// Equality is precedence equality plus the same text: `1.0.0+a` and `1.0.0+b` are different files.
    public static func == (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool { lhs.description == rhs.description }

    public func hash(into hasher: inout Hasher) { hasher.combine(description) }
}

import Crypto
import Foundation
import ModelGateGit
import ModelGateSupport

/// A training lockfile as an image installs it: pinned packages, each with the sha256 hashes pip checks
/// (`--require-hashes`). Read from the lock a team already has, recognised by its file name (`Format`):
/// Pipenv's `Pipfile.lock`, uv's `uv.lock`, Poetry's `poetry.lock`, or a pip requirements file
/// (`name==version` pins with `--hash=sha256:` options, pip-tools' `--generate-hashes` layout). Anything
/// that would let a lockfile edit change where packages come from — an index URL or option line, a Git,
/// path, URL or editable source — is refused with its line.
public struct Lockfile: Sendable, Equatable {
    /// The formats, by file name; any other name is a pip requirements file.
    public enum Format: String, Sendable, CaseIterable {
        case requirements = "requirements"
        case pipfileLock = "Pipfile.lock"
        case uvLock = "uv.lock"
        case poetryLock = "poetry.lock"

        public init(path: String) {
            let name = String(path.split(separator: "/").last ?? "")
            self = Format(rawValue: name).flatMap { $0 == .requirements ? nil : $0 } ?? .requirements
        }
    }

    /// The lockfile `text` at `path`, in the format its name says, for an image built on `baseImage`
    /// (whose Python the markers and wheels of a Pipfile.lock, uv.lock or poetry.lock are matched to).
    public static func read(_ text: String, path: String, baseImage: String) throws -> Lockfile {
        switch Format(path: path) {
        case .requirements: try Lockfile(parsing: text, path: path)
        case .pipfileLock: try Lockfile(pipfileLock: text, path: path, platform: ImagePlatform(baseImage: baseImage))
        case .uvLock: try Lockfile(uvLock: text, path: path, platform: ImagePlatform(baseImage: baseImage))
        case .poetryLock: try Lockfile(poetryLock: text, path: path, platform: ImagePlatform(baseImage: baseImage))
        }
    }

    /// One pinned requirement.
    public struct Requirement: Sendable, Equatable {
        public var name: String
        public var version: String
        public var hashes: [String]

        /// The requirement as one line of `requirements.txt`.
        public var line: String {
            (["\(name)==\(version)"] + hashes.map { "--hash=sha256:\($0)" }).joined(separator: " ")
        }

        package init(name: String, version: String, hashes: [String]) {
            self.name = name
            self.version = version
            self.hashes = hashes
        }
    }

    public var requirements: [Requirement]

    /// Whether every requirement carries at least one hash (pip's `--require-hashes` then holds).
    public var isHashed: Bool { !requirements.isEmpty && requirements.allSatisfy { !$0.hashes.isEmpty } }

    /// Parses `text`; `path` names the file in errors.
    public init(parsing text: String, path: String) throws {
        var logical: [(line: Int, text: String)] = []
        var pending: (line: Int, text: String)?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(raw).trimmingCharacters(in: .whitespaces)
            if line.hasSuffix("\r") { line.removeLast() }
            if let hash = line.range(of: " #") ?? (line.hasPrefix("#") ? line.range(of: "#") : nil) {
                line = String(line[..<hash.lowerBound]).trimmingCharacters(in: .whitespaces)
            }
            let continues = line.hasSuffix("\\")
            if continues { line = String(line.dropLast()).trimmingCharacters(in: .whitespaces) }
            var current = pending ?? (index + 1, "")
            current.text += (current.text.isEmpty ? "" : " ") + line
            if continues {
                pending = current
            } else {
                pending = nil
                if !current.text.isEmpty { logical.append(current) }
            }
        }
        if let pending, !pending.text.isEmpty { logical.append(pending) }

        var requirements: [Requirement] = []
        for (line, text) in logical {
            let words = text.split(separator: " ").map(String.init)
            guard let pin = words.first, !pin.hasPrefix("-") else {
                throw ModelGateError.badInput(
                    "\(path):\(line): \(Quoted(String(text.prefix(60)))) is an option line; a lockfile holds only pinned requirements"
                )
            }
            let parts = pin.components(separatedBy: "==")
            guard parts.count == 2, Self.isName(parts[0]), Self.isVersion(parts[1]) else {
                throw ModelGateError.badInput(
                    "\(path):\(line): \(Quoted(String(pin.prefix(60)))) is not a pinned requirement (name==version)")
            }
            var hashes: [String] = []
            for option in words.dropFirst() {
                guard option.hasPrefix("--hash=sha256:"), Hex.isLowercase(String(option.dropFirst(14)), count: 64)
                else {
                    throw ModelGateError.badInput(
                        "\(path):\(line): \(Quoted(String(option.prefix(60)))) is not a --hash=sha256:<64 hex digits> option"
                    )
                }
                hashes.append(String(option.dropFirst(14)))
            }
            if requirements.contains(where: { $0.name.lowercased() == parts[0].lowercased() }) {
                throw ModelGateError.badInput("\(path):\(line): \(parts[0]) is pinned twice")
            }
            requirements.append(Requirement(name: parts[0], version: parts[1], hashes: hashes))
        }
        self.requirements = requirements
    }

    package init(requirements: [Requirement]) { self.requirements = requirements }

    /// Whether `text` is a package name as PEP 508 spells one, with optional extras (`name[extra,…]`):
    /// ASCII letters, digits, `.`, `_` and `-`, starting and ending with a letter or digit, so that no
    /// name can read as a pip option (`-e`, `--index-url`) in the image's `requirements.txt`.
    static func isName(_ text: String) -> Bool {
        guard let open = text.firstIndex(of: "[") else { return isIdentifier(text, allowing: "._-") }
        guard text.hasSuffix("]"), isIdentifier(text[..<open], allowing: "._-") else { return false }
        let extras = text[text.index(after: open)..<text.index(before: text.endIndex)]
        return extras.split(separator: ",", omittingEmptySubsequences: false).allSatisfy {
            isIdentifier($0, allowing: "._-")
        }
    }

    /// Whether `text` is a version as PEP 440 spells one: letters, digits, `.`, `+`, `!`, `_` and `-`,
    /// starting and ending with a letter or digit.
    static func isVersion(_ text: String) -> Bool { isIdentifier(text, allowing: ".+!_-") }

    /// Whether `text` is non-empty ASCII letters and digits, with `punctuation` allowed between them.
    private static func isIdentifier(_ text: some StringProtocol, allowing punctuation: String) -> Bool {
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else {
            return false
        }
        return bytes.allSatisfy { isAlphanumeric($0) || punctuation.utf8.contains($0) }
    }
}

/// The rules every image a bundle deploys must meet.
public enum ImagePolicy {
    /// Refuses an image the manifests may not deploy for `stage`: malformed, `latest`, untagged, or (for a
    /// stage of `image.requireDigest`) not pinned by digest.
    public static func check(_ image: String, stage: String, settings: RegistrySettings, given: Bool) throws {
        if let problem = ImageReference.problem(image) {
            throw ModelGateError.badInput("image \(Quoted(image)) \(problem)")
        }
        let hasDigest = image.contains("@")
        let name = image.split(separator: "@", maxSplits: 1)[0]
        let last = name.split(separator: "/").last ?? ""
        // Force unwrap: splitting a string that contains ":" gives at least one part.
        let tag = last.contains(":") ? String(last.split(separator: ":").last!) : nil
        if tag == "latest" {
            throw ModelGateError.badInput(
                "image \(Quoted(image)) is tagged latest: name the exact tag or digest it deploys")
        }
        if tag == nil && !hasDigest {
            throw ModelGateError.badInput(
                "image \(Quoted(image)) has neither a tag nor a digest: name exactly what it deploys")
        }
        if settings.requireDigest.contains(stage) && !hasDigest {
            throw ModelGateError.badInput(
                "\(stage) deploys images pinned by digest (image.requireDigest): \(given ? "image \(Quoted(image))" : "the default image \(Quoted(image))") has no @sha256:<digest>; pass --image REF@sha256:<digest>"
            )
        }
    }

    /// Refuses a Dockerfile `FROM` (`image.base`) that a stage of `image.requireDigest` would build on by
    /// tag: the image deployed by digest must not be built from a base that can move.
    public static func checkBase(_ base: String, stage: String, settings: RegistrySettings) throws {
        guard settings.requireDigest.contains(stage), !base.contains("@sha256:") else { return }
        throw ModelGateError.badInput(
            "\(stage) deploys images pinned by digest (image.requireDigest), and image.base \(Quoted(base)) is not: pin it in modelgate.yaml (image.base: \(base.split(separator: "@")[0])@sha256:<digest>) so that the image is built from bytes that cannot move"
        )
    }
}

import Foundation
import ModelGateSupport
import TOMLKit

extension Lockfile {
    /// uv's `uv.lock` (TOML): the packages the project's own entries (`source = { virtual | editable = "." }`)
    /// depend on, edge by edge where each edge's marker holds for `platform` (with the dependencies of the
    /// extras an edge asks for), each with the hashes of its sdist and of the wheels the image can install.
    /// A package from Git, a path, a URL or a registry other than PyPI is refused.
    init(uvLock text: String, path: String, platform: ImagePlatform) throws {
        let lines = LockText(text, path: path)
        let table = try Self.toml(text, path: path)
        let packages = (table["package"]?.array).map { Array($0) } ?? []
        struct Package {
            var name: String
            var version: String
            var table: TOMLTable
        }
        var all: [Package] = []
        var roots: [Package] = []
        for value in packages {
            guard let package = value.table, let name = package["name"]?.string else { continue }
            let entry = Package(name: name, version: package["version"]?.string ?? "", table: package)
            let source = package["source"]?.table
            if let source, source["virtual"]?.string != nil || source["editable"]?.string == "." {
                roots.append(entry)
                continue
            }
            let needle = "name = \"\(name)\""
            if let registry = source?["registry"]?.string {
                guard Self.isPyPI(registry) else {
                    throw lines.error(
                        at: needle,
                        "\(name) comes from \(Quoted(registry)), a custom index; a bundle installs from PyPI only")
                }
            } else if let kind = source?.keys.sorted().first {
                throw lines.error(
                    at: needle,
                    "\(name) comes from a \(kind) source; a bundle installs released packages from PyPI only")
            }
            all.append(entry)
        }
        guard !roots.isEmpty else {
            throw ModelGateError.badInput("\(path) has no project package (source = { virtual = \".\" }) to start from")
        }
        // Walk the dependency edges from the project, each edge's marker evaluated for the image.
        var chosen: [String: Package] = [:]
        var pending: [(edge: TOMLTable, from: String)] = roots.flatMap { root in
            Self.edges(root.table, "dependencies").map { ($0, root.name) }
        }
        while let (edge, from) = pending.popLast() {
            guard let name = edge["name"]?.string else { continue }
            if let marker = edge["marker"]?.string,
                !(try lines.marker(marker, of: "\(from) → \(name)", platform: platform))
            {
                continue
            }
            let candidates = all.filter { Self.normalized($0.name) == Self.normalized(name) }
            guard
                let package = edge["version"]?.string.flatMap({ version in candidates.first { $0.version == version } })
                    ?? candidates.first
            else {
                throw lines.error(at: "name = \"\(from)\"", "\(from) depends on \(name), which the lock does not hold")
            }
            let key = "\(Self.normalized(package.name))==\(package.version)"
            let extras = (edge["extra"]?.array).map { Array($0).compactMap(\.string) } ?? []
            let optional = package.table["optional-dependencies"]?.table
            pending += extras.flatMap { extra in
                (optional?[extra]?.array).map { Array($0).compactMap(\.table) } ?? []
            }.map { ($0, package.name) }
            guard chosen[key] == nil else { continue }
            chosen[key] = package
            pending += Self.edges(package.table, "dependencies").map { ($0, package.name) }
        }
        self.init(
            requirements: try chosen.sorted(by: { $0.key < $1.key }).map { _, package in
                var files: [TOMLTable] = []
                if let sdist = package.table["sdist"]?.table { files.append(sdist) }
                files += Self.edges(package.table, "wheels")
                let hashes = files.compactMap { file -> String? in
                    let name = (file["url"]?.string ?? file["path"]?.string ?? file["filename"]?.string)
                        .map { String($0.split(separator: "/").last ?? "") }
                    guard let name, platform.accepts(file: name) else { return nil }
                    return file["hash"]?.string.flatMap(Self.sha256)
                }
                return try lines.requirement(
                    package.name, package.version, hashes: hashes, at: "name = \"\(package.name)\"")
            })
    }

    /// Poetry's `poetry.lock` (TOML): the packages of the `main` group (or `category = "main"` in locks
    /// before Poetry 1.5, every package where neither is written) whose `markers` hold for `platform`, each
    /// with the hashes of the files the image can install. A package whose `[package.source]` is Git, a
    /// path, a URL or an index other than PyPI is refused.
    init(poetryLock text: String, path: String, platform: ImagePlatform) throws {
        let lines = LockText(text, path: path)
        let table = try Self.toml(text, path: path)
        var requirements: [Requirement] = []
        for value in (table["package"]?.array).map({ Array($0) }) ?? [] {
            guard let package = value.table, let name = package["name"]?.string else { continue }
            let needle = "name = \"\(name)\""
            if let groups = package["groups"]?.array.map({ Array($0).compactMap(\.string) }), !groups.contains("main") {
                continue
            }
            if let category = package["category"]?.string, category != "main" { continue }
            if let source = package["source"]?.table {
                let kind = source["type"]?.string ?? "unknown"
                let url = source["url"]?.string ?? ""
                guard ["legacy", "simple"].contains(kind) && Self.isPyPI(url) else {
                    throw lines.error(
                        at: needle,
                        "\(name) comes from a \(kind) source\(url.isEmpty ? "" : " (\(url))"); a bundle installs released packages from PyPI only"
                    )
                }
            }
            let markers = package["markers"]?.string ?? package["markers"]?.table?["main"]?.string
            if let markers, !(try lines.marker(markers, of: name, platform: platform)) { continue }
            let hashes = Self.edges(package, "files").compactMap { file -> String? in
                guard let name = file["file"]?.string, platform.accepts(file: name) else { return nil }
                return file["hash"]?.string.flatMap(Self.sha256)
            }
            requirements.append(
                try lines.requirement(name, package["version"]?.string ?? "", hashes: hashes, at: needle))
        }
        self.init(requirements: requirements)
    }

    /// The document, or an error with the parser's line and column. A control character (other than tab
    /// and a line break), which TOML allows nowhere, is refused first, at its position: the parser is
    /// never handed bytes no lockfile tool writes.
    static func toml(_ text: String, path: String) throws -> TOMLTable {
        var line = 1
        var column = 1
        for byte in text.utf8 {
            if byte == 0x0A {
                line += 1
                column = 1
                continue
            }
            if (byte < 0x20 && byte != 0x09 && byte != 0x0D) || byte == 0x7F {
                throw ModelGateError.badInput(
                    "\(path):\(line):\(column): control character 0x\(String(byte, radix: 16)) is not allowed in TOML")
            }
            column += 1
        }
        // A table header whose key starts with anything but a key character or a quote trips an assertion of
        // the parser (toml++ 3): refused here, at its line.
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let header = raw.drop { $0 == " " || $0 == "\t" }
            guard header.hasPrefix("[") else { continue }
            let key = header.drop { $0 == "[" }.drop { $0 == " " || $0 == "\t" }
            guard let first = key.unicodeScalars.first,
                first.properties.isASCIIHexDigit || ("a"..."z").contains(first) || ("A"..."Z").contains(first)
                    || "_-\"'".unicodeScalars.contains(first)
            else {
                throw ModelGateError.badInput(
                    "\(path):\(index + 1):1: \(Quoted(String(raw.prefix(60)))) is not a table header")
            }
        }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ModelGateError.badInput(
                "\(path):\(error.source.begin.line):\(error.source.begin.column): \(error.description)")
        }
    }

    /// The tables of the array `key` of `table`.
    static func edges(_ table: TOMLTable, _ key: String) -> [TOMLTable] {
        (table[key]?.array).map { Array($0).compactMap(\.table) } ?? []
    }

    /// A package name as pip compares them (PEP 503).
    package static func normalized(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: ".", with: "-")
    }
}

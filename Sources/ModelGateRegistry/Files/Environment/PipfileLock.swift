import Foundation
import ModelGateSupport

extension Lockfile {
    /// Pipenv's `Pipfile.lock` (JSON): the `default` section, each package's `version` (`==x`), `hashes`
    /// and `markers`, the markers evaluated for `platform`. Every source of `_meta.sources` must be PyPI, and
    /// a package from Git, a path, a file or an editable checkout is refused.
    init(pipfileLock text: String, path: String, platform: ImagePlatform) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let packages = object["default"] as? [String: Any]
        else { throw ModelGateError.badInput("\(path) is not a Pipfile.lock: no \"default\" section") }
        let lines = LockText(text, path: path)
        let sources = ((object["_meta"] as? [String: Any])?["sources"] as? [[String: Any]]) ?? []
        for source in sources {
            let url = source["url"] as? String ?? ""
            guard Self.isPyPI(url) else {
                throw lines.error(
                    at: "\"url\": \"\(url)\"",
                    "source \(Quoted(url)) is a custom index; a bundle installs from PyPI only")
            }
        }
        var requirements: [Requirement] = []
        for name in packages.keys.sorted() {
            guard let entry = packages[name] as? [String: Any] else {
                throw lines.error(at: "\"\(name)\"", "\(name) is not a package entry")
            }
            if let kind = ["git", "path", "file", "editable", "ref"].first(where: { entry[$0] != nil }) {
                throw lines.error(
                    at: "\"\(name)\"",
                    "\(name) comes from a \(kind) source; a bundle installs released packages from PyPI only")
            }
            if let markers = entry["markers"] as? String {
                guard try lines.marker(markers, of: name, platform: platform) else { continue }
            }
            guard let pin = entry["version"] as? String, pin.hasPrefix("==") else {
                throw lines.error(at: "\"\(name)\"", "\(name) is not pinned to one version (\"version\": \"==…\")")
            }
            let hashes = (entry["hashes"] as? [String] ?? []).compactMap(Self.sha256)
            requirements.append(try lines.requirement(name, String(pin.dropFirst(2)), hashes: hashes))
        }
        self.init(requirements: requirements)
    }

    static func isPyPI(_ url: String) -> Bool {
        let trimmed = url.hasSuffix("/") ? String(url.dropLast()) : url
        return ["https://pypi.org/simple", "https://pypi.python.org/simple"].contains(trimmed)
    }

    /// The hex digits of a `sha256:<hex>` hash, or nil.
    static func sha256(_ text: String) -> String? {
        guard text.hasPrefix("sha256:"), Hex.isLowercase(String(text.dropFirst(7)), count: 64) else { return nil }
        return String(text.dropFirst(7))
    }
}

/// A lockfile's text, for errors that name the line a package or source is on.
struct LockText {
    let lines: [Substring]
    let path: String

    init(_ text: String, path: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        self.path = path
    }

    /// The first line that starts with `needle` (a TOML key, a JSON member), else the first that holds
    /// it (1-based), or nil.
    func line(of needle: String, after start: Int = 0) -> Int? {
        let candidates = lines.indices.filter { $0 >= start }
        let line =
            candidates.first { lines[$0].drop { $0 == " " }.hasPrefix(needle) }
            ?? candidates.first { lines[$0].contains(needle) }
        return line.map { $0 + 1 }
    }

    func error(at needle: String, after start: Int = 0, _ message: String) -> ModelGateError {
        let prefix = line(of: needle, after: start).map { "\(path):\($0)" } ?? path
        return ModelGateError.badInput("\(prefix): \(message)")
    }

    /// Whether package `name`'s marker holds for `platform`.
    func marker(_ text: String, of name: String, platform: ImagePlatform) throws -> Bool {
        do {
            return try EnvironmentMarker.evaluate(text, in: platform.markers)
        } catch {
            throw self.error(at: text, "\(name)'s marker \(Quoted(text)) is not a marker modelgate can evaluate")
        }
    }

    /// A checked requirement: a plain name and version, and at least one hash for the image.
    func requirement(_ name: String, _ version: String, hashes: [String], at needle: String? = nil) throws
        -> Lockfile.Requirement
    {
        guard Lockfile.isName(name), Lockfile.isVersion(version) else {
            throw error(at: needle ?? name, "\(Quoted(name)) \(Quoted(version)) is not a package name and version")
        }
        guard !hashes.isEmpty else {
            throw error(
                at: needle ?? name,
                "\(name) \(version) has no sha256 hash for a distribution the image can install (CPython on Linux x86-64)"
            )
        }
        return Lockfile.Requirement(name: name, version: version, hashes: hashes)
    }
}

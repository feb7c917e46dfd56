import ModelGateGit
import ModelGateSupport
import Synchronization

/// Registry files decoded once per content within a command: `check` reads a model at head, at the base
/// and at the fork point, and `check --replay` at two commits of every promotion, most often the same blobs.
///
/// Keyed by the blob's object id with what the decoding depends on (the file's path, which decides its kind,
/// and the ladder),
/// so a cached value is exactly what decoding that file again would give; shared by the copies of a
/// `RegistryLoader`, as the settings cache is.
final class DocumentCache: Sendable {
    struct Key: Hashable {
        var id: ObjectID
        var path: String
        var ladder: [String]
    }

    private let entries = Mutex<[Key: (document: RegistryDocument?, diagnostics: [Diagnostic])]>([:])

    /// The decoded document of `key`, decoded by `decode` the first time.
    func value(
        for key: Key, decode: () throws -> (document: RegistryDocument?, diagnostics: [Diagnostic])?
    ) rethrows -> (document: RegistryDocument?, diagnostics: [Diagnostic])? {
        if let cached = entries.withLock({ $0[key] }) { return cached }
        guard let value = try decode() else { return nil }
        entries.withLock { $0[key] = value }
        return value
    }
}

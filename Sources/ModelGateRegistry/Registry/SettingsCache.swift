import Foundation
import ModelGateGit
import ModelGateSupport
import Synchronization

/// `modelgate.yaml` decoded once per content within a command: `check --base` reads the settings at head,
/// at the base, at the fork point and at the trusted ref, most often one and the same blob.
///
/// Keyed by the blob's object id, so a cached value is exactly what decoding that file again would give;
/// shared by the copies of a `RegistryLoader` (a command makes one loader and passes it on).
final class SettingsCache: Sendable {
    private let entries = Mutex<[ObjectID: (settings: RegistrySettings, diagnostics: [Diagnostic])]>([:])
    private let decodeCount = Atomic<Int>(0)

    /// How many times a settings file was decoded, for tests.
    var decodes: Int { decodeCount.load(ordering: .relaxed) }

    /// The settings and diagnostics of the blob `id`, decoded by `decode` the first time.
    func value(
        for id: ObjectID, decode: () throws -> (settings: RegistrySettings, diagnostics: [Diagnostic])
    ) rethrows -> (settings: RegistrySettings, diagnostics: [Diagnostic]) {
        if let cached = entries.withLock({ $0[id] }) { return cached }
        let value = try decode()
        decodeCount.add(1, ordering: .relaxed)
        entries.withLock { $0[id] = value }
        return value
    }
}

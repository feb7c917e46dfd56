import Foundation

/// The example registry as tests start from it, and the edits several suites make to it.
public enum Example {
    /// `modelgate init registry --example` in a new scratch directory: the directory (keep it alive for the
    /// test) and the registry's root.
    public static func registry(_ name: String) throws -> (ScratchDirectory, URL) {
        let scratch = ScratchDirectory(name)
        let result = try Shell.modelgate(["init", "registry", "--example", "--quiet"], in: scratch.url)
        guard result.status == 0 else { throw ExampleError(message: "init --example failed: \(result.stderr)") }
        return (scratch, scratch.url.appendingPathComponent("registry"))
    }

    /// A digest standing for `python:3.11.7-slim`'s in tests that only render (no image is ever pulled).
    public static let baseDigest = "python:3.11.7-slim@sha256:" + String(repeating: "5e", count: 32)

    /// Commits `image.requireDigest: [production]` into the example's `modelgate.yaml`; with `pinnedBase`,
    /// `image.base` pinned by `baseDigest` too.
    public static func requireProductionDigest(in registry: URL, pinnedBase: Bool = true) throws {
        let settings = registry.appendingPathComponent("modelgate.yaml")
        let text = try String(contentsOf: settings, encoding: .utf8)
        let base = "  base: python:3.11.7-slim\n"
        guard text.contains(base) else { throw ExampleError(message: "modelgate.yaml has no \(base)") }
        let pinned = pinnedBase ? "  base: \(baseDigest)\n" : base
        try Data(text.replacingOccurrences(of: base, with: pinned + "  requireDigest: [production]\n").utf8).write(
            to: settings)
        try Shell.git(["commit", "-qam", "production by digest"], in: registry)
    }

    struct ExampleError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// SplitMix64: a small seeded generator, for test data a run can replay.
public struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import Foundation

/// A fuzz target: one entry point of modelgate that reads untrusted bytes, with an oracle that turns a
/// broken promise (an unpositioned error, a report that is not valid JSON, a value that escapes its
/// template) into a crash the fuzzer can find. Run by `modelgate-fuzz` under libFuzzer, and by the tests
/// over the seed corpus and every regression input.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `modelgate.yaml`.
    case settings
    /// `policies/*.yaml`.
    case policy
    /// `models/<m>/model.yaml`.
    case spec
    /// `models/<m>/stages.yaml`.
    case stages
    /// `models/<m>/versions/<v>.yaml`.
    case manifest
    /// The policy evaluator and every report format, on an arbitrary candidate manifest.
    case gate
    /// `attestations/<m>/<v>.json`, as `require: reproducible` reads it.
    case attestation
    /// A registry's `templates/<file>.mustache` override, rendered.
    case template
    /// Values reaching the built-in bundle templates: accepted ones must not change the rendered structure.
    case bundleValues = "bundle-values"
    /// A repository path as every writer reaches it (`ConfinedPath`), below a root with planted links.
    case path
    /// A training lockfile in any of its formats, as `bundle` reads it.
    case lockfile
    /// `approvals/<m>/<v>/<stage>/<name>.sig`, as `require: approvals` reads it.
    case approval

    /// Runs the target on one input; throws when the product broke a promise on it.
    public func run(_ data: Data) throws(FuzzViolation) {
        switch self {
        case .settings, .policy, .spec, .stages, .manifest: try DocumentOracle.run(data, path: documentPath)
        case .gate: try GateOracle.run(data)
        case .attestation: try AttestationOracle.run(data)
        case .template: TemplateOracle.runOverride(data)
        case .bundleValues: try TemplateOracle.runValues(data)
        case .path: try PathOracle.run(data)
        case .lockfile: try LockfileOracle.run(data)
        case .approval: try ApprovalOracle.run(data)
        }
    }

    /// The registry path a document target's input is read as.
    var documentPath: String {
        switch self {
        case .settings: "modelgate.yaml"
        case .policy: "policies/fuzz.yaml"
        case .spec: "models/fuzz/model.yaml"
        case .stages: "models/fuzz/stages.yaml"
        default: "models/fuzz/versions/2.0.0.yaml"
        }
    }
}

/// A broken promise, found by an oracle: under libFuzzer it becomes a crash, so the input is kept.
public struct FuzzViolation: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}

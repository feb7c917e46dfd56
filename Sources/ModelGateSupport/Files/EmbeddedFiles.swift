import Foundation

/// A file carried inside the binary: its path relative to the embedded folder, and its bytes.
public struct EmbeddedFile: Sendable {
    public let path: String
    package let base64: String

    package init(path: String, base64: String) {
        self.path = path
        self.base64 = base64
    }

    public var data: Data { Data(base64Encoded: base64) ?? Data() }
}

/// The folders embedded at build time by the `EmbedFilesPlugin` (the generated extension holds the data):
/// `starterPolicies` (top-level `policies/`), `builtInTemplates` (top-level `templates/`), and
/// `exampleRegistry` (`Sources/ExampleRegistry/`).
public enum EmbeddedFiles {}

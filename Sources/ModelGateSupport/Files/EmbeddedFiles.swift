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

/// The folders embedded at build time by the `EmbedFilesPlugin`, each a static member the generated extension
/// adds in the target that carries it: `builtInTemplates` (top-level `templates/`) and `servingPackage`
/// (`serving/modelgate_serve/`) in ModelGateBundle; `starterPolicies` (top-level `policies/`) and
/// `exampleRegistry` (`Sources/ExampleRegistry/`) in ModelGateImport.
public enum EmbeddedFiles {}

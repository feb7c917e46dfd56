import Foundation
import PackagePlugin

/// Embeds files into the targets that carry them: the top-level `templates/` and the bundle's server
/// (`serving/modelgate_serve/`) into ModelGateBundle, the top-level `policies/` and the example registry into
/// ModelGateImport (which `init` writes out).
@main
struct EmbedFilesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let folders: [(String, URL)] =
            switch target.name {
            case "ModelGateBundle":
                [
                    ("builtInTemplates", root.appendingPathComponent("templates")),
                    ("servingPackage", root.appendingPathComponent("serving/modelgate_serve")),
                ]
            case "ModelGateImport":
                [
                    ("starterPolicies", root.appendingPathComponent("policies")),
                    ("exampleRegistry", root.appendingPathComponent("Sources/ExampleRegistry")),
                ]
            default: []
            }
        var inputs: [URL] = []
        for (_, folder) in folders {
            inputs.append(folder)
            if let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) {
                for case let url as URL in enumerator where !url.path.contains("__pycache__") { inputs.append(url) }
            }
        }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedFiles.generated.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(folders.map(\.0).joined(separator: ", ")) into \(target.name)",
                executable: try context.tool(named: "embed-files").url,
                arguments: [output.path] + folders.map { "\($0.0)=\($0.1.path)" },
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}

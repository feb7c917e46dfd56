import Foundation
import PackagePlugin

/// Embeds the top-level `policies/` and `templates/` folders and the example registry into ModelGateKit.
@main
struct EmbedFilesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let folders = [
            ("starterPolicies", root.appendingPathComponent("policies")),
            ("builtInTemplates", root.appendingPathComponent("templates")),
            ("exampleRegistry", root.appendingPathComponent("Sources/ExampleRegistry")),
        ]
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
                displayName: "Embedding policies, templates and the example registry",
                executable: try context.tool(named: "embed-files").url,
                arguments: [output.path] + folders.map { "\($0.0)=\($0.1.path)" },
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}

import ArgumentParser
import Foundation
import ModelGateKit

/// `modelgate init [DIR] [--example]`: a new registry, or the example one with its Git history.
struct InitCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = nil
    static let examples = ["modelgate init registry", "modelgate init demo --example"]
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a registry; with --example, a working example with Git history.",
        discussion: CommandHelp.discussion(formats: formats, examples: examples))

    @Argument(help: "The folder (default: the current directory).")
    var directory: String?

    @Flag(help: "Write the example registry: two scikit-learn models, their data, policies and history.")
    var example = false

    @Flag(help: "Print only errors.")
    var quiet = false

    @OptionGroup var console: ConsoleOptions

    func run() throws {
        let path = directory ?? FileManager.default.currentDirectoryPath
        let outcome = try RegistryInitializer().initialize(at: URL(fileURLWithPath: path), example: example)
        guard !quiet else { return }
        var lines = ["initialized \(example ? "the example registry" : "a registry") in \(outcome.root.path)"]
        if outcome.createdRepository { lines.append("created a Git repository on branch main") }
        if let head = outcome.commits.last {
            lines.append(
                "\(outcome.commits.count) commit\(outcome.commits.count == 1 ? "" : "s"), HEAD at \(head.short)")
        }
        if !example && !outcome.createdRepository {
            lines.append("wrote \(outcome.files.count) files; commit them to start")
        }
        let root = outcome.root.path
        if example {
            lines += [
                "", "next:", "  cd \(root)", "  modelgate status                 # who holds each stage",
                "  modelgate check --base HEAD~1    # the promotion pull request, as CI judges it",
                "  modelgate show churn@1.3.0       # one version against every stage",
            ]
        } else {
            lines += [
                "", "next:",
                "  add models/<model>/model.yaml and a manifest per version (models/<model>/versions/<version>.yaml),",
                "  or train and record one: modelgate record <model>@<version> -- <training command>",
                "  then: modelgate validate, and `modelgate check --base origin/main` in CI (docs/ci in modelgate's repository)",
            ]
        }
        console.output.write(lines.joined(separator: "\n") + "\n")
    }
}

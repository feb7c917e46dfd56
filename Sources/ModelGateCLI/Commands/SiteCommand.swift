import ArgumentParser
import Foundation
import ModelGateKit
import ModelGateSite

/// `modelgate site --out DIR [--ref REF | --worktree]`: the registry as a static website.
struct SiteCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text]
    static let examples = ["modelgate site --out public", "modelgate site --ref v2026.11 --out public"]
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Write a static website of the registry: models, stages, verdicts, attestations and history.",
        discussion: CommandHelp.discussion(
            formats: formats, examples: examples,
            """
            One page per model, version and policy, and an index; every page opens from file:// and requests \
            nothing (no script, font or style from elsewhere). The same commit writes the same bytes. DIR is \
            replaced as a whole, atomically, when it is a site modelgate wrote (it holds .modelgate-site) or \
            empty; any other folder is refused.
            """))

    @OptionGroup var options: GlobalOptions

    @OptionGroup var source: RegistrySourceOptions

    @Option(help: "The folder to write the site into.", completion: .directory)
    var out: String

    func validate() throws { try options.require(Self.self) }

    func run() throws {
        let repository = try options.openRepository()
        // The target is checked before any work starts: a refusal leaves no thread running.
        let target = URL(fileURLWithPath: out)
        let entries = try AtomicFolder.entries(at: target)
        if let entries, !entries.isEmpty, !entries.contains(Site.marker) {
            throw ModelGateError.badInput(
                "\(out) is not empty and is not a site modelgate wrote (no \(Site.marker)): refusing to replace it")
        }
        // The stage histories need only the commit: they are read on another thread while the registry loads.
        let start = try? repository.resolveCommit(source.ref ?? "HEAD")
        let histories = try start.map { try Site.histories(in: repository, from: $0) }
        let registry: Registry
        do {
            registry = try source.validRegistry(in: repository)
        } catch {
            // The histories' thread is waited for, so that the process never exits under it.
            _ = histories?.wait()
            throw error
        }
        let read = histories?.wait()
        let site = try Site(
            registry: registry, repository: repository, histories: start == registry.commit ? try read?.get() : nil)
        let pages = try site.write(to: target, replacing: entries != nil)
        KeptUntilExit.keep(site)
        // Its object cache holds every tree the loading read.
        KeptUntilExit.keep(object: repository)
        if !options.quiet {
            options.console.output.write(
                "wrote \(pages) pages of the registry \(source.place(registry)) to \(out); open \(target.appendingPathComponent("index.html").path)\n"
            )
        }
    }
}

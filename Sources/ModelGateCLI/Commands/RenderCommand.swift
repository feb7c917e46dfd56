import ArgumentParser
import Foundation
import ModelGateKit

/// `modelgate render`: keeps the deploy folder Argo CD or Flux applies in step with the registry.
struct RenderCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text, .json]
    static let examples = [
        "modelgate render", "modelgate render --image churn@1.4.0=ghcr.io/acme/churn@sha256:<digest>",
        "modelgate render --check",
    ]
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract:
            "Write the deploy folder (per-stage kustomizations of every holder's manifests) that Argo CD or Flux applies.",
        discussion: CommandHelp.discussion(
            formats: formats, examples: examples,
            """
            For every deployed stage (deploy.stages of modelgate.yaml) and every model holding it at --ref, \
            writes the manifests of its bundle into DIR/<stage>/<model>/, with a kustomization.yaml per model \
            and per stage, so that `kubectl kustomize DIR/<stage>` builds the stage. Images come from \
            DIR/images.yaml, which --image updates. The output carries no commit id: committing it leaves \
            `render --check` passing; in CI, `render --check` exits 1 when a promotion was merged without \
            its render.
            """))

    @OptionGroup var options: GlobalOptions

    @OptionGroup var source: RefOptions

    @Option(
        help: "The deploy folder, relative to the repository root (default deploy.path of modelgate.yaml, else deploy)."
    )
    var out: String?

    @Option(
        name: .customLong("image"),
        help: "MODEL@VERSION=REF: record the image a version runs in images.yaml (repeatable).")
    var images: [String] = []

    @Flag(help: "Render into memory and exit 1 where the folder differs (a promotion merged without rendering).")
    var check = false

    @Option(help: "The Kubernetes namespace of the manifests.")
    var namespace = "models"

    func validate() throws {
        try options.require(Self.self)
    }

    func run() throws {
        var reported = false
        do {
            try render(reported: &reported)
        } catch let error where options.format == .json && !reported {
            // A script reading the JSON always gets JSON: the error in it (and on stderr, as ever).
            let json = RenderOutcome.failureJSON(folder: out, check: check, error: Self.message(error))
            options.console.output.write(json.rendered() + "\n")
            throw error
        }
    }

    /// The one-line text of an error, as the JSON report carries it.
    static func message(_ error: any Error) -> String {
        switch error {
        case let error as ModelGateError: error.message
        case let error as InvalidRegistryError: error.diagnostics.sorted().map(\.description).joined(separator: "; ")
        default: "\(error)"
        }
    }

    func render(reported: inout Bool) throws {
        let repository = try options.openRepository()
        guard let root = repository.workingDirectory else {
            throw ModelGateError.badInput(
                "render writes into the working tree; \(repository.gitDirectory.path) has none")
        }
        var bag = DiagnosticBag()
        let settings = try RegistryLoader(repository: repository).settings(at: source.commit(in: repository), bag: &bag)
        if bag.hasErrors { throw InvalidRegistryError(bag.sorted) }
        let path = out ?? settings.deploy.path
        if let problem = RepositoryPath.problem(path) {
            throw ModelGateError.badInput("--out \(Quoted(path)) \(problem)")
        }
        let folder = DeployFolder(url: root.appendingPathComponent(path), root: root)
        var images = try folder.images()
        for assignment in self.images { try images.set(assignment) }
        var renderer = DeployRenderer(repository: repository)
        renderer.namespace = namespace
        let result = try renderer.render(ref: source.ref, images: images)
        for refusal in result.refusals {
            reported = true
            try publish(refusal.report, options: options)
            options.console.error.write(
                "refused: \(refusal.model) \(refusal.version) holds \(refusal.stage) but fails its policies; nothing was written\n"
            )
        }
        if !result.refusals.isEmpty { throw ExitCode(.verdictFailed) }
        let differences = result.missingDigests.isEmpty ? try folder.differences(from: result) : []
        if !check && !differences.isEmpty { try repository.withWorkingTreeLock { try folder.write(result) } }
        let outcome = RenderOutcome(
            folder: path, ref: source.ref, check: check, result: result, differences: differences)
        if options.format == .json {
            reported = true
            options.console.output.write(outcome.rendered(as: .json))
        }
        if let problem = outcome.problem { throw ModelGateError.badInput(problem) }
        if options.format != .json {
            options.console.output.write(outcome.rendered(as: .text, quiet: options.quiet))
        }
        if check && !differences.isEmpty { throw ExitCode(.verdictFailed) }
    }
}

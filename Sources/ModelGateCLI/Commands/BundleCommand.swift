import ArgumentParser
import Foundation
import ModelGateKit

/// `modelgate bundle MODEL (@VERSION | --stage STAGE) --out DIR`: a deployment bundle for an approved version.
struct BundleCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text, .json]
    static let examples = [
        "modelgate bundle churn --stage production --image ghcr.io/acme/churn@sha256:<digest> --out build/churn",
        "modelgate bundle churn@1.3.0 --target kserve --out build/churn-kserve",
        "modelgate bundle churn@1.3.0 --check build/churn",
        "modelgate bundle churn@1.3.0 --context-only --out build/churn-image   # to build, then pin",
    ]
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Write a Docker build context and deploy manifests for an approved version.",
        discussion: CommandHelp.discussion(formats: formats, examples: examples))

    @OptionGroup var options: GlobalOptions

    @Argument(help: "MODEL@VERSION, or MODEL with --stage.", completion: RegistryCompletion.references)
    var reference: String?

    @Option(
        help: "The stage the bundle is for (default: the stage the version holds).",
        completion: RegistryCompletion.stages)
    var stage: String?

    @Option(help: "The folder to write (written to a temporary sibling, then renamed into place).")
    var out: String?

    @Option(help: "Render into a temporary folder and exit 1 where this folder differs (drift check).")
    var check: String?

    @Option(
        help: """
            kubernetes (Deployment, Service, NetworkPolicy, autoscaler), kserve (InferenceService) or compose \
            (default kubernetes; with --check, the target bundle.json records).
            """)
    var target: BundleTarget?

    @Option(
        help: """
            The image the manifests deploy (default <image.registry>/<model>:<version>; with --check, the image \
            bundle.json records). Stages of image.requireDigest need REF@sha256:<digest>; latest is refused.
            """)
    var image: String?

    @Option(help: "The Kubernetes namespace of the manifests.")
    var namespace = "models"

    @OptionGroup var source: RefOptions

    @Flag(
        help: "Bundle even when the version fails its stage's policies; stamped into bundle.json and the image labels.")
    var force = false

    @Flag(name: .customLong("force-overwrite"), help: "Replace an existing, non-empty --out folder.")
    var forceOverwrite = false

    @Flag(
        name: .customLong("context-only"),
        help: ArgumentHelp(
            "Write only the image's build context (Dockerfile, requirements, server, model), no manifests.",
            discussion: "What CI builds and pushes before it knows the image's digest: no image is named, so "
                + "image.requireDigest does not apply to it (it still applies to image.base)."))
    var contextOnly = false

    @Flag(name: .customLong("list-variables"), help: "Print the variables templates can use, as a Markdown table.")
    var listVariables = false

    func validate() throws {
        try options.require(Self.self)
        if listVariables { return }
        guard reference != nil else { throw ValidationError("name MODEL@VERSION or MODEL --stage STAGE") }
        guard (out == nil) != (check == nil) else {
            throw ValidationError("give exactly one of --out DIR and --check DIR")
        }
        if contextOnly && (image != nil || check != nil) {
            throw ValidationError("--context-only writes no manifests: --image and --check do not apply")
        }
    }

    func run() throws {
        if listVariables {
            options.console.output.write(BundleVariables.markdownTable)
            return
        }
        let target = try ModelReference(parsing: reference ?? "")
        let repository = try options.openRepository()
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let recorded = check.flatMap { BundleRecord(folder: URL(fileURLWithPath: $0, relativeTo: cwd)) }
        var request = Bundler.Request(model: target.model, version: target.version, stage: stage)
        request.target = self.target ?? recorded?.target ?? .kubernetes
        request.image = image ?? recorded?.image
        request.namespace = namespace
        request.force = force
        request.ref = source.ref
        request.contextOnly = contextOnly
        let bundle = try Bundler(repository: repository).render(request)
        guard bundle.isApproved else {
            try publish(bundle.approval, options: options)
            options.console.error.write(
                "refused: \(bundle.model) \(bundle.version) fails the policies of \(bundle.stage); nothing was written (--force bundles anyway)\n"
            )
            throw ExitCode(.verdictFailed)
        }
        if bundle.forced {
            options.console.error.write(
                "warning: \(bundle.model) \(bundle.version) fails the policies of \(bundle.stage); bundled with --force\n"
            )
        }
        if !bundle.hasInputSchema && !options.quiet {
            options.console.error.write(
                "warning: \(bundle.model) has no serving.inputs: the server checks only the number of columns, so columns sent in another order are not caught; list them (name and type) under serving in models/\(bundle.model)/model.yaml\n"
            )
        }
        if let check {
            let differences = try BundleWriter.differences(
                bundle.files, in: URL(fileURLWithPath: check, relativeTo: cwd))
            report(BundleOutcome(folder: check, bundle: bundle, target: request.target, action: .checked(differences)))
            if !differences.isEmpty { throw ExitCode(.verdictFailed) }
            return
        }
        guard let out else { return }  // validate() demands --out or --check
        let directory = URL(fileURLWithPath: out, relativeTo: cwd)
        let home = ProcessInfo.processInfo.environment["HOME"].map { URL(fileURLWithPath: $0) }
        let protected = [repository.workingDirectory, repository.gitDirectory, cwd, home].compactMap { $0 }
        try BundleWriter.write(bundle.files, to: directory, overwrite: forceOverwrite, protected: protected)
        report(BundleOutcome(folder: out, bundle: bundle, target: request.target, action: .wrote))
    }

    private func report(_ outcome: BundleOutcome) {
        options.console.output.write(outcome.rendered(as: options.format, quiet: options.quiet))
    }
}

extension BundleTarget: ExpressibleByArgument {}

/// What an earlier bundle's `bundle.json` says it was made for: `bundle --check` checks against the same.
struct BundleRecord {
    var target: BundleTarget?
    var image: String?

    init?(folder: URL) {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("bundle.json")),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        target = (object["target"] as? String).flatMap(BundleTarget.init(rawValue:))
        image = object["image"] as? String
    }
}

import ArgumentParser
import ModelGateKit

/// `modelgate show MODEL[@VERSION]`: one model, or one version with its verdict for each stage it holds or could enter.
struct ShowCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text, .json]
    static let examples = ["modelgate show churn", "modelgate show churn@1.3.0 --format json"]
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a model's versions, or one version with its verdict per stage.",
        discussion: CommandHelp.discussion(formats: formats, examples: examples))

    @OptionGroup var options: GlobalOptions

    @Argument(help: "MODEL or MODEL@VERSION.", completion: RegistryCompletion.references)
    var reference: String

    @OptionGroup var source: RegistrySourceOptions

    func validate() throws { try options.require(Self.self) }

    func run() throws {
        let target = try ModelReference(parsing: reference)
        let repository = try options.openRepository()
        let registry = try source.validRegistry(in: repository)
        let model = try registry.model(target.model)
        if let version = target.version {
            let manifest = try registry.version(target.model, version, in: repository)
            let outlooks = try StageOutlook.outlooks(for: manifest, in: registry, repository: repository)
            let stage = model.stages?.stage(of: version)
            let approvals = Approval.all(
                of: manifest,
                approvers: try RegistryLoader(repository: repository).rules(at: registry.commit).approvers,
                ladder: registry.settings.stages, evidence: GitEvidence(repository: repository, registry: registry))
            try options.emit(ShowReport.version(manifest, stage: stage, outlooks: outlooks, approvals: approvals))
        } else {
            let keys = RegistryStatus.keyMetrics(of: model, policies: registry.policies)
            try options.emit(ShowReport.model(model, keyMetrics: keys))
        }
    }
}

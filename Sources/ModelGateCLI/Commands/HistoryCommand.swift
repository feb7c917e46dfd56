import ArgumentParser
import Foundation
import ModelGateKit

/// `modelgate history MODEL [--stage STAGE] [--at DATE|REF]`: every stage change from the Git history.
struct HistoryCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text, .json]
    static let examples = [
        "modelgate history churn", "modelgate history churn --stage production",
        "modelgate history churn --at 2026-10-01",
    ]
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Every stage change of a model from the Git history, or who held each stage at a time.",
        discussion: CommandHelp.discussion(formats: formats, examples: examples))

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The model.", completion: RegistryCompletion.models)
    var model: String

    @Option(help: "Only changes of this stage.", completion: RegistryCompletion.stages)
    var stage: String?

    @Option(help: "Who held each stage at this date (2026-03-03 means the end of that day, UTC), timestamp or ref.")
    var at: String?

    @OptionGroup var source: RefOptions

    func validate() throws { try options.require(Self.self) }

    func run() throws {
        let name = try ModelReference(parsing: model).model
        let repository = try options.openRepository()
        let start = try source.commit(in: repository)
        let history = StageHistory(repository: repository, model: name)
        guard
            try repository.entry(at: RegistryLayout.folder(of: name), inTree: repository.treeID(ofCommit: start)) != nil
                || !(try history.changes(from: start).isEmpty)
        else {
            let names = (try? RegistryLoader(repository: repository).load(at: start).models.keys).map(Array.init) ?? []
            let hint = Suggestion.nearest(to: name, in: names).map { "; did you mean '\($0)'?" } ?? ""
            throw ModelGateError.badInput("unknown model \(Quoted(name)) at \(start.short)\(hint)")
        }
        if let stage {
            var bag = DiagnosticBag()
            let ladder = try RegistryLoader(repository: repository).settings(at: start, bag: &bag).stages
            try RegistrySettings.requireStage(stage, on: ladder)
        }
        if let at {
            let commit = try repository.firstParentCommit(atDateOrRevision: at, from: start)
            var holdings = try history.holdings(at: commit)
            if let stage { holdings = holdings.filter { $0.stage == stage } }
            try options.emit(HistoryReport.holdings(model: name, holdings, at: commit))
            return
        }
        let walk = try history.walk(from: start)
        var changes = walk.changes
        if let stage { changes = changes.filter { $0.stage == stage } }
        if let boundary = walk.shallowBoundary {
            options.console.error.write(
                "note: this is a shallow clone; the history stops at \(boundary.short) after \(walk.commitsSeen) commits. \(FetchAdvice.shallow).\n"
            )
        }
        try options.emit(HistoryReport.changes(model: name, changes))
    }
}

import ArgumentParser
import Foundation
import ModelGateKit

/// `modelgate drift MODEL@VERSION --data FILE`: how far new data has drifted from a version's training data.
struct DriftCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text, .json, .markdown, .prometheus]
    static let examples = [
        "modelgate drift churn@1.3.0 --data traffic/2026-11-28.csv",
        "modelgate drift churn@1.3.0 --data traffic.csv --metric ks --max 0.1 --format json",
        "modelgate drift churn@1.3.0 --data traffic.csv --format prometheus --output /var/lib/node_exporter/churn.prom",
    ]
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract:
            "Measure how far new data has drifted from a version's training data, column by column; exit 1 over --max.",
        discussion: CommandHelp.discussion(
            formats: formats, examples: examples,
            """
            The data is counted on the bins of profiles/MODEL/VERSION.json (deciles of numeric columns, \
            categories plus __other__), and each column's psi, l1 or ks is computed with proportions floored at \
            1e-4. --format prometheus writes the text exposition format for the node exporter's textfile collector.
            """))

    @OptionGroup var options: GlobalOptions

    @Argument(
        help: "MODEL@VERSION: the version whose training data is the reference.",
        completion: RegistryCompletion.references)
    var reference: String

    @Option(help: "The new data (CSV with a header row).", completion: .file())
    var data: String

    @Option(help: "psi, l1 or ks.")
    var metric: DriftMeasure = .psi

    @Option(help: "A column whose measure is above this fails.")
    var max: Double = 0.2

    @Option(
        name: .customLong("data-path"), help: "Which profiled data file to compare with, when the profile has several.")
    var dataPath: String?

    @OptionGroup var source: RefOptions

    func validate() throws {
        try options.require(Self.self)
        guard self.max >= 0 else { throw ValidationError("--max must not be negative") }
    }

    func run() throws {
        let target = try ModelReference.version(parsing: reference)
        let repository = try options.openRepository()
        let commit = try source.commit(in: repository)
        let (_, profile, label) = try DriftReport.reference(
            model: target.model, version: target.version, dataPath: dataPath, at: commit, in: repository)
        let sample = try BinnedSample.read(data, on: profile, target: label)
        let report = DriftReport(
            model: target.model, version: target.version, data: data, measure: metric,
            maximum: self.max,
            reference: profile, sample: sample)
        try options.emit(report)
        if report.verdict == .fail { throw ExitCode(.verdictFailed) }
    }
}

extension DriftMeasure: ExpressibleByArgument {}

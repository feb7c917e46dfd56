import ArgumentParser
import Foundation
import ModelGateKit

/// `modelgate profile DATA --out FILE`: the data profile of a CSV file.
struct ProfileCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = nil
    static let examples = [
        "modelgate profile data/churn.csv --out churn-profile.json",
        "modelgate profile traffic/2026-11-28.csv --out - | jq '.columns.tenure'",
    ]
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Write the data profile of a CSV file: per column its type, counts, statistics and bins.",
        discussion: CommandHelp.discussion(
            formats: formats, examples: examples,
            """
            A column is numeric when every non-empty value is a number (nan, inf and empty cells count as \
            missing): count, missing, mean, population std, min, max, and bins cut at the exact inner deciles \
            (numpy's linear method). Otherwise it is categorical: the counts of its 100 most frequent values, \
            the rest as __other__.
            """))

    @Argument(help: "The CSV file (RFC 4180, with a header row).", completion: .file())
    var data: String

    @Option(help: "Where to write the profile (JSON), atomically; - for standard output.")
    var out: String

    @OptionGroup var console: ConsoleOptions

    func run() throws {
        let profile = try Profiler.profile(data)
        let text = profile.json.rendered()
        if out == "-" {
            console.output.write(text)
        } else {
            try AtomicFile.write(text, to: URL(fileURLWithPath: out))
        }
    }
}

import ArgumentParser
import Foundation
import ModelGateKit

/// `modelgate hash PATH...`: the SHA-256 a manifest records for a data file or folder, printed as
/// `sha256sum` prints it, so that a team writes `training.data` hashes with the tool that checks them.
struct HashCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = nil
    static let examples = ["modelgate hash data/churn.csv", "modelgate hash data/images/"]
    static let configuration = CommandConfiguration(
        commandName: "hash", abstract: "Print the SHA-256 of data files, and of folders by their listing.",
        discussion: CommandHelp.discussion(formats: formats, examples: examples))

    @Argument(help: "Files or folders.")
    var paths: [String]

    @OptionGroup var console: ConsoleOptions

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("name at least one file or folder") }
    }

    func run() throws {
        var out = ""
        var failure: ModelGateError?
        for (path, result) in zip(paths, FileHasher.hashAll(paths)) {
            switch result {
            case .success(let hex): out += "\(hex)  \(path)\n"
            case .failure(let error):
                console.error.diagnostic(error.diagnostic)
                failure = failure ?? error
            }
        }
        console.output.write(out)
        if let failure { throw ExitCode(failure.status) }
    }
}

import ArgumentParser
import Foundation
import ModelGateKit

/// The flags every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(help: "The registry repository (default: the current directory, searching upwards for .git).")
    var repo: String?

    @Option(help: "The report format: one of those listed under Formats above.")
    var format: ReportFormat = .text

    @Option(help: "Write the report to this file, atomically, instead of standard output.")
    var output: String?

    @Flag(help: "Print only errors.")
    var quiet = false

    @OptionGroup var console: ConsoleOptions

    /// Refuses a format `command` cannot produce.
    func require<Command: DocumentedCommand>(_ command: Command.Type) throws {
        let formats = command.formats ?? [.text]
        guard formats.contains(format) else {
            throw ValidationError(
                "\(command.displayName) supports --format \(formats.map(\.rawValue).joined(separator: ", ")), not \(format.rawValue)"
            )
        }
    }

    /// Opens the registry repository.
    func openRepository() throws -> Repository {
        let path = repo ?? FileManager.default.currentDirectoryPath
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelGateError.badInput("no such directory: \(path)")
        }
        return try RegistryRepository.open(at: path, search: true)
    }

    /// Writes a command's report in `--format` to `--output` (atomically) or standard output; under `--quiet`
    /// a text report on standard output is cut down to what must be seen.
    func emit(_ report: some CommandReport) throws {
        if output == nil {
            console.output.write(report.rendered(as: format, quiet: quiet))
        } else {
            try emit(report.rendered(as: format))
        }
    }

    /// Writes a rendered report to `--output` (atomically) or standard output; `--quiet` drops a text report
    /// unless it is `filtered` (already cut down to what must be seen).
    func emit(_ report: String, filtered: Bool = false) throws {
        if let output {
            try AtomicFile.write(report, to: URL(fileURLWithPath: output))
        } else if !quiet || format != .text || filtered {
            console.output.write(report)
        }
    }
}

/// Each command supports some of the formats, listed under Formats in its help; the option itself lists
/// none (the whole list would be wrong for every command).
extension ReportFormat: ExpressibleByArgument {
    public static var allValueStrings: [String] { [] }
}

import ArgumentParser
import Foundation
import ModelGateKit

/// The root command: parses the arguments, runs a subcommand, and maps every outcome to an exit code (0, 1, 2, 3).
public struct ModelGateCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "modelgate",
        abstract: "A Git repository as the model registry and release gate of a machine-learning team.",
        discussion: """
            Shell completion (model names, MODEL@VERSION and stages come from the registry in the current \
            directory): modelgate --generate-completion-script bash|zsh|fish > FILE, or `make install`, \
            which installs them with the man page.
            """,
        version: ModelGateVersion.current,
        subcommands: [
            ValidateCommand.self, CheckCommand.self, StatusCommand.self, ShowCommand.self, DiffCommand.self,
            HistoryCommand.self, PromoteCommand.self, RollbackCommand.self, BundleCommand.self, RenderCommand.self,
            EnvCommand.self, ReproCommand.self, VerifyCommand.self, RecordCommand.self, HashCommand.self,
            KeygenCommand.self, ApproveCommand.self,
            ProfileCommand.self, DriftCommand.self, SiteCommand.self, DossierCommand.self,
            InitCommand.self, ImportCommand.self,
        ])

    public init() {}

    /// Runs modelgate with `arguments` (without the program name) and returns the exit status.
    public static func main(arguments: [String]) -> Int32 {
        let console = ConsoleOptions(arguments: arguments)
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return ExitStatus.success.rawValue
        } catch let error as ExitCode {
            // A verdict: its report is written.
            return error.rawValue
        } catch {
            guard let failure = Failure.from(error, console: console) else { return ExitStatus.success.rawValue }
            failure.print(to: console, json: Failure.wantsJSON(arguments))
            return failure.status.rawValue
        }
    }
}

extension ExitCode {
    /// Ends a command with a status that is a verdict, not an error (its report is already written).
    init(_ status: ExitStatus) { self.init(status.rawValue) }
}

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
            ProfileCommand.self, DriftCommand.self, SiteCommand.self,
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
        } catch let error as ModelGateError {
            console.error.diagnostic(error.diagnostic)
            return error.status.rawValue
        } catch let error as InvalidRegistryError {
            for diagnostic in error.diagnostics.sorted() { console.error.diagnostic(diagnostic) }
            return ExitStatus.badInput.rawValue
        } catch let error as GitError {
            let failure = ModelGateError.environment(error.message)
            console.error.diagnostic(failure.diagnostic)
            return failure.status.rawValue
        } catch let error as ExitCode {
            return error.rawValue
        } catch {
            let code = exitCode(for: error)
            if code == .failure {
                // Not ArgumentParser's own (a usage error is 64, a clean exit 0): an error from the system
                // beneath the library, such as a file that cannot be read. The environment failed.
                let failure = ModelGateError.environment((error as NSError).localizedDescription)
                console.error.diagnostic(failure.diagnostic)
                return failure.status.rawValue
            }
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { console.output.write(message + "\n") }
                return ExitStatus.success.rawValue
            }
            // ArgumentParser capitalises its "Error:"; every error of modelgate starts with a lowercase one.
            let lowercased = message.hasPrefix("Error: ") ? "error: " + message.dropFirst(7) : Substring(message)
            if !message.isEmpty { console.error.write(lowercased + "\n") }
            // ArgumentParser's usage errors exit 64 on Linux; the contract says 2.
            return ExitStatus.badInput.rawValue
        }
    }
}

extension ExitCode {
    /// Ends a command with a status that is a verdict, not an error (its report is already written).
    init(_ status: ExitStatus) { self.init(status.rawValue) }
}

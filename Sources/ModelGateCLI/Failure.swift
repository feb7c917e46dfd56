import ArgumentParser
import Foundation
import ModelGateKit

/// How a command ended when it did not end well: its exit status and what is said about it. Every error
/// a command can throw becomes one, and it is printed one way: diagnostics on standard error, and under
/// `--format json` also one object on standard output, `{"error": {"message", "exitCode", "file", "line",
/// "column"}}`, so that a program reading the report reads the error from the same place (unless the
/// command wrote its report there before it failed: standard output then holds that one object).
struct Failure {
    var status: ExitStatus
    /// What went wrong, sorted; the first is the one the JSON object names.
    var diagnostics: [Diagnostic]
    /// ArgumentParser's own message (usage and hints over several lines), printed as it is.
    var usage: String?

    init(status: ExitStatus, diagnostics: [Diagnostic]) {
        self.status = status
        self.diagnostics = diagnostics
    }

    /// A usage error: ArgumentParser's message, whose "Error:" is lowercased like every error of modelgate.
    init(usage message: String) {
        let lowercased = message.hasPrefix("Error: ") ? "error: " + message.dropFirst(7) : Substring(message)
        status = .badInput
        usage = String(lowercased)
        let firstLine = lowercased.split(separator: "\n", omittingEmptySubsequences: true).first ?? ""
        let text = firstLine.hasPrefix("error: ") ? firstLine.dropFirst(7) : firstLine
        diagnostics = [Diagnostic(.error, at: nil, String(text))]
    }

    /// The object standard output gets under `--format json`.
    var object: JSONValue {
        let first = diagnostics.first
        var fields: [(String, JSONValue)] = [
            ("message", .string(first?.message ?? "")),
            ("exitCode", .number(Double(status.rawValue))),
        ]
        if let location = first?.location {
            fields += [
                ("file", .string(location.path)), ("line", .number(Double(location.line))),
                ("column", .number(Double(location.column))),
            ]
        }
        if diagnostics.count > 1 { fields.append(("diagnostics", .array(diagnostics.map(\.json)))) }
        return .object([("error", .object(fields))])
    }

    /// Whether a command line asks for JSON (`--format json` before any `--`): its error is then JSON too.
    static func wantsJSON(_ arguments: [String]) -> Bool {
        let options = Array(arguments.prefix { $0 != "--" })
        return options.contains("--format=json")
            || zip(options, options.dropFirst()).contains { $0 == "--format" && $1 == "json" }
    }

    func print(to console: ConsoleOptions, json: Bool) {
        if let usage {
            if !usage.isEmpty { console.error.write(usage + "\n") }
        } else {
            for diagnostic in diagnostics { console.error.diagnostic(diagnostic) }
        }
        // One JSON object on standard output: the report, where one was written before the error.
        if json && !Console.wroteOutput.load(ordering: .relaxed) { console.output.write(object.rendered()) }
    }
}

extension Failure {
    /// The failure `error` stands for, or nil when it is a clean exit whose output, if any, was written
    /// (a verdict's `ExitCode` is not a failure: its report is written; it is not handled here).
    static func from(_ error: any Error, console: ConsoleOptions) -> Failure? {
        switch error {
        case let error as ModelGateError:
            return Failure(status: error.status, diagnostics: [error.diagnostic])
        case let error as InvalidRegistryError:
            return Failure(status: .badInput, diagnostics: error.diagnostics.sorted())
        case let error as GitError:
            return Failure(
                status: .environmentFailed, diagnostics: [ModelGateError.environment(error.message).diagnostic])
        default:
            let code = ModelGateCommand.exitCode(for: error)
            if code == .failure {
                // Not ArgumentParser's own (a usage error is 64, a clean exit 0): an error from the system
                // beneath the library, such as a file that cannot be read. The environment failed.
                let failure = ModelGateError.environment((error as NSError).localizedDescription)
                return Failure(status: .environmentFailed, diagnostics: [failure.diagnostic])
            }
            let message = ModelGateCommand.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { console.output.write(message + "\n") }
                return nil
            }
            // ArgumentParser's usage errors exit 64 on Linux; modelgate's bad input is 2.
            return Failure(usage: message)
        }
    }
}

import ArgumentParser
import ModelGateKit

/// A command that declares, on its type, the report formats it supports and the examples its help ends
/// with: `--help` and `--format` validation both read this one declaration.
protocol DocumentedCommand: ParsableCommand {
    /// The formats `--format` takes; nil for a command without `--format`.
    static var formats: [ReportFormat]? { get }
    /// Two or three real command lines.
    static var examples: [String] { get }
    /// The command as a user types it after `modelgate`, for messages.
    static var displayName: String { get }
}

extension DocumentedCommand {
    static var displayName: String { configuration.commandName ?? "" }
}

/// What each command's `--help` ends with: the formats it supports and its examples.
enum CommandHelp {
    /// The help text's ending, after the command's own `text` when it has one: the formats (for a command
    /// with `--format`) and one Examples block.
    static func discussion(formats: [ReportFormat]?, examples: [String], _ text: String = "") -> String {
        var out = text.isEmpty ? "" : text + "\n\n"
        if let formats {
            out += "Formats (--format): \(formats.map(\.rawValue).joined(separator: ", ")).\n\n"
        }
        out += "Examples:\n" + examples.map(example).joined(separator: "\n")
        return out
    }

    /// The width an example line keeps within, so that the help (wrapped at 80 columns) never breaks a
    /// command in the middle: a longer one continues on the next line after a backslash, as a shell reads it.
    static let exampleWidth = 76

    /// One example, indented, split between words into lines of at most `exampleWidth`.
    static func example(_ command: String) -> String {
        var lines: [String] = []
        var line = "  "
        for word in command.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = line.hasSuffix(" ") || line.count == 2 ? line + word : line + " " + word
            if candidate.count > exampleWidth - 2, line.trimmingCharacters(in: .whitespaces).count > 0 {
                lines.append(line + " \\")
                line = "      " + word
            } else {
                line = candidate
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}

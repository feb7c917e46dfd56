import ArgumentParser
import Foundation
import ModelGateKit
import Synchronization

/// Standard output or standard error, knowing whether it is a terminal and whether colour is allowed
/// (colour only on a terminal, never with `--no-color` or `NO_COLOR`).
struct Console {
    let descriptor: Int32
    let colorAllowed: Bool

    var isTerminal: Bool { isatty(descriptor) == 1 }
    var usesColor: Bool {
        colorAllowed && isTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// Whether anything was written to standard output: an error that follows a report there (`render
    /// --check` writes its report, then refuses) is not written as a second JSON object after it.
    static let wroteOutput = Atomic<Bool>(false)

    func write(_ text: String) {
        if descriptor == STDOUT_FILENO && !text.isEmpty { Self.wroteOutput.store(true, ordering: .relaxed) }
        var data = Array(text.utf8)
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeMutableBytes {
                // Force unwrap: the loop runs only while bytes remain, so the buffer has an address.
                Foundation.write(descriptor, $0.baseAddress! + offset, $0.count - offset)
            }
            if written <= 0 { return }
            offset += written
        }
    }

    /// One diagnostic line, its severity in colour on a terminal (red errors, yellow warnings).
    func diagnostic(_ diagnostic: Diagnostic) {
        guard usesColor else { return write(diagnostic.description + "\n") }
        let line = diagnostic.formatted { severity in
            "\u{1B}[1;\(severity == Diagnostic.Severity.error.rawValue ? 31 : 33)m\(severity)\u{1B}[0m"
        }
        write(line + "\n")
    }
}

/// `--no-color`, which every command takes, and the two consoles it shapes: a value each command passes
/// down, not a global a command sets on its way.
struct ConsoleOptions: ParsableArguments {
    @Flag(name: .customLong("no-color"), help: "Never colour the output.")
    var noColor = false

    init() {}

    /// The consoles for a command line that could not be parsed (or failed in its command): `--no-color`
    /// counts wherever it stands before a `--`, as it would have once parsed.
    init(arguments: [String]) {
        noColor = arguments.prefix { $0 != "--" }.contains("--no-color")
    }

    var output: Console { Console(descriptor: STDOUT_FILENO, colorAllowed: !noColor) }
    var error: Console { Console(descriptor: STDERR_FILENO, colorAllowed: !noColor) }
}

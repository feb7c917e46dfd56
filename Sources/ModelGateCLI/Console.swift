import Foundation
import ModelGateKit

/// Standard output or standard error, knowing whether it is a terminal (colour only there).
struct Console {
    let descriptor: Int32

    static let standardOutput = Console(descriptor: STDOUT_FILENO)
    static let standardError = Console(descriptor: STDERR_FILENO)

    nonisolated(unsafe) static var colorDisabled = false

    var isTerminal: Bool { isatty(descriptor) == 1 }
    var usesColor: Bool {
        isTerminal && !Console.colorDisabled && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    func write(_ text: String) {
        var data = Array(text.utf8)
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeMutableBytes {
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

import Foundation
import ModelGateTestSupport
import Testing

/// Colour on a terminal, and `--no-color` honoured by every command, for errors raised before a registry is
/// opened too. The commands run in a pseudo-terminal (`script`), where colour would appear.
@Suite("Colour on a terminal")
struct ConsoleColorTests {
    static let red = "\u{1B}[1;31m"

    /// What `modelgate arguments` printed to the terminal, standard output and error together.
    func onTerminal(_ arguments: [String]) throws -> String {
        let command = ([Shell.modelgateBinary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let result = try Shell.run(["env", "-u", "NO_COLOR", "script", "-qefc", command, "/dev/null"])
        #expect(result.status == 2, "\(result.stdout)")
        return result.stdout
    }

    @Test(arguments: [["hash", "/nonexistent"], ["validate", "--repo", "/nonexistent"]])
    func noColorIsHonoured(_ arguments: [String]) throws {
        let coloured = try onTerminal(arguments)
        #expect(coloured.contains(Self.red), "the probe sees colour where there is some")
        #expect(coloured.contains("/nonexistent"))
        let plain = try onTerminal(arguments + ["--no-color"])
        #expect(!plain.contains("\u{1B}["))
        #expect(plain.contains("error: ") && plain.contains("/nonexistent"), "the command's own error")
    }
}

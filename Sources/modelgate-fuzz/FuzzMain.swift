// modelgate-fuzz: the fuzz targets of ModelGateFuzzing.
//
//     modelgate-fuzz seed DIR            every target's seeds into DIR/<target>/
//     modelgate-fuzz run TARGET FILE...  one target over files (exit 1 on a broken promise)
//
// Built by `make fuzz` (AddressSanitizer, libFuzzer's coverage instrumentation, libFuzzer linked in and
// `-DMODELGATE_LIBFUZZER`), it also fuzzes, handing control to libFuzzer's driver:
//     MODELGATE_FUZZ_TARGET=policy modelgate-fuzz [libFuzzer flags] CORPUS...
import Foundation
import ModelGateFuzzing

#if MODELGATE_LIBFUZZER
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    /// The target libFuzzer drives in this process.
    nonisolated(unsafe) var fuzzTarget = FuzzTarget.manifest

    /// Fuzzes the target named by `MODELGATE_FUZZ_TARGET`, when it is set; never returns then.
    func fuzzIfAsked() {
        guard let name = ProcessInfo.processInfo.environment["MODELGATE_FUZZ_TARGET"] else { return }
        guard let target = FuzzTarget(rawValue: name) else {
            FuzzCommand.fail("MODELGATE_FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue))", status: 2)
        }
        fuzzTarget = target
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(
            runFuzzerDriver(&argc, &argv) { bytes, count in
                do {
                    try fuzzTarget.run(bytes.map { Data(bytes: $0, count: count) } ?? Data())
                } catch {
                    fatalError("fuzz oracle: \(error)")
                }
                return 0
            })
    }
#else
    func fuzzIfAsked() {}
#endif

@main enum FuzzCommand {
    static func main() throws {
        fuzzIfAsked()
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "seed" where arguments.count == 2:
            try SeedCorpus.write(into: URL(fileURLWithPath: arguments[1]))
        case "run" where arguments.count >= 2:
            guard let target = FuzzTarget(rawValue: arguments[1]) else {
                fail("unknown target \(arguments[1])", status: 2)
            }
            for path in arguments.dropFirst(2) {
                do {
                    try target.run(try Data(contentsOf: URL(fileURLWithPath: path)))
                } catch {
                    fail("\(path): \(error)", status: 1)
                }
            }
        default:
            fail("usage: modelgate-fuzz seed DIR | modelgate-fuzz run TARGET FILE...", status: 2)
        }
    }

    static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(status)
    }
}

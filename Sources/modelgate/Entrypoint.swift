import Foundation
import ModelGateCLI

/// The `modelgate` executable: everything lives in ModelGateCLI and ModelGateKit.
@main
enum Entrypoint {
    static func main() {
        exit(ModelGateCommand.main(arguments: Array(CommandLine.arguments.dropFirst())))
    }
}

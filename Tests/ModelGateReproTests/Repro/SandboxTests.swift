import Foundation
import Testing

@testable import ModelGateRepro

@Suite("Sandbox arguments")
struct SandboxArgumentTests {
    @Test func aProgramUnderTheHostsTmpIsBoundOnTopOfThePrivateTmp() throws {
        // A CI checkout's virtual environment may live under /tmp: its bind must come after the tmpfs.
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent(
            "modelgate-venv-\(UUID().uuidString)")
        let bin = prefix.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: prefix) }
        let program = bin.appendingPathComponent("trainer")
        FileManager.default.createFile(
            atPath: program.path, contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        let sandbox = Sandbox()
        let arguments = sandbox.arguments(["trainer"], in: "/", environment: ["PATH": bin.path])
        let tmpfs = try #require(arguments.indices.first { arguments[$0] == "--tmpfs" && arguments[$0 + 1] == "/tmp" })
        let bind = try #require(
            arguments.indices.first { arguments[$0] == "--ro-bind" && arguments[$0 + 1] == bin.path })
        #expect(tmpfs < bind)
        #expect(!arguments.contains(prefix.path), "the installation's bin folder, not its whole prefix")
        #expect(!arguments.contains("--bind"), "no writable path without a scratch tree")
        #expect(
            sandbox.environment(["MODELGATE_SEED": "1"]).keys.sorted() == [
                "HOME", "LANG", "MODELGATE_SEED", "PATH", "TMPDIR",
            ])
    }
}

import Foundation
import ModelGateTestSupport
import Testing

/// `sandbox.memory`, `sandbox.processes` and `sandbox.disk`: a training over one is killed, the report
/// names the limit, `record` writes nothing and `repro` says `failed`. No user namespace is made inside.
@Suite("sandbox limits", .serialized)
struct SandboxLimitsTests {
    /// Does what `training/toy/mode` says, then writes a model.
    static let trainer = """
        import json, os, subprocess, sys, time
        mode = open("mode").read().strip()
        os.makedirs("out", exist_ok=True)
        if mode == "memory":
            block = b"x" * (512 << 20)
            time.sleep(20)
        elif mode == "processes":
            children = [subprocess.Popen(["sleep", "20"]) for _ in range(64)]
            time.sleep(20)
        elif mode == "big-file":
            open("out/big", "wb").write(b"x" * (32 << 20))
        elif mode == "many-files":
            for index in range(24):
                open("out/part%d" % index, "wb").write(b"x" * (1 << 20))
            time.sleep(20)
        elif mode == "tmp":
            open("/tmp/big", "wb").write(b"x" * (32 << 20))
        elif mode == "userns":
            made = subprocess.run(["unshare", "--user", "--map-root-user", "--net", "true"]).returncode == 0
            print("nested user namespace:", "made" if made else "refused", flush=True)
        open("out/model.bin", "w").write("weights\\n")
        json.dump({"score": 0.5}, open("out/metrics.json", "w"))

        """

    func registry() throws -> FixtureRegistry {
        let fixture = try FixtureRegistry(empty: true)
        try fixture.write(
            "modelgate.yaml", FixtureRegistry.settings + "sandbox:\n  memory: 256Mi\n  processes: 32\n  disk: 16Mi\n")
        try fixture.writeTrainableModel(
            "toy", trainer: Self.trainer, data: ("toy.csv", "x\n1\n"), artifact: "model.bin")
        try fixture.write("training/toy/mode", "ok\n")
        try fixture.commit("A toy model")
        return fixture
    }

    @Test(arguments: [
        ("memory", "it used more than sandbox.memory (256Mi) of memory"),
        ("processes", "sandbox.processes (32)"),
        ("big-file", "it wrote a file larger than sandbox.disk (16Mi)"),
        ("many-files", "it wrote more than sandbox.disk (16Mi)"),
    ])
    func recordOverALimitWritesNothing(_ mode: String, _ named: String) throws {
        let fixture = try registry()
        try fixture.write("training/toy/mode", mode + "\n")
        try fixture.commit("Over a limit")
        let recorded = try fixture.modelgate("record", "toy@1.0.0")
        #expect(recorded.status == 3, "\(recorded.stdout)\(recorded.stderr)")
        #expect(recorded.stderr.contains(named), "\(recorded.stderr)")
        #expect(recorded.stderr.contains("nothing was recorded"))
        #expect(try fixture.git("status", "--porcelain", "--untracked-files=all").isEmpty)
    }

    /// `/tmp` inside is private and at most `sandbox.disk`: a larger file there is not written (the file
    /// size limit or the full tmpfs stops it, whichever the kernel checks first).
    @Test func aPrivateTmpIsBounded() throws {
        let fixture = try registry()
        try fixture.write("training/toy/mode", "tmp\n")
        try fixture.commit("Fill /tmp")
        let recorded = try fixture.modelgate("record", "toy@1.0.0")
        #expect(recorded.status == 3, "\(recorded.stdout)\(recorded.stderr)")
        #expect(
            recorded.stdout.contains("File too large") || recorded.stdout.contains("No space left on device"),
            "\(recorded.stdout)\(recorded.stderr)")
    }

    @Test func reproOverALimitFails() throws {
        let fixture = try registry()
        #expect(try fixture.modelgate("record", "toy@1.0.0", "--commit").status == 0)
        try fixture.write("training/toy/mode", "memory\n")
        let grown = try fixture.commit("Now the training grows")
        // The version is retrained from its source: point it at the commit whose training grows.
        let manifest = try fixture.read("models/toy/versions/1.0.0.yaml")
        let recorded = try #require(manifest.split(separator: "\n").first { $0.hasPrefix("  source: ") })
        try fixture.write(
            "models/toy/versions/1.0.0.yaml", manifest.replacingOccurrences(of: recorded, with: "  source: \(grown)"))
        try fixture.commit("Retrain from the grown training")
        let repro = try fixture.modelgate("repro", "toy@1.0.0")
        #expect(repro.status == 1, "\(repro.stdout)\(repro.stderr)")
        #expect(repro.stdout.contains("verdict: failed"))
        #expect(
            repro.stdout.contains(
                "the training command was killed: it used more than sandbox.memory (256Mi) of memory"),
            "\(repro.stdout)")
    }

    @Test func noNestedUserNamespace() throws {
        let fixture = try registry()
        try fixture.write("training/toy/mode", "userns\n")
        try fixture.commit("Try to unshare")
        let recorded = try fixture.modelgate("record", "toy@1.0.0")
        #expect(recorded.status == 0, "\(recorded.stdout)\(recorded.stderr)")
        #expect(recorded.stdout.contains("nested user namespace: refused"), "\(recorded.stdout)")
    }

    @Test func aLimitThatIsNotAQuantityIsPositioned() throws {
        let fixture = try FixtureRegistry()
        try fixture.write(
            "modelgate.yaml", FixtureRegistry.settings + "sandbox:\n  memory: lots\n  processes: 0\n  disk: 512Ki\n")
        try fixture.commit("Bad limits")
        let problems = try fixture.problems()
        #expect(problems.contains { $0.hasPrefix("modelgate.yaml:5:11:") && $0.contains("sandbox.memory 'lots'") })
        #expect(problems.contains { $0.hasPrefix("modelgate.yaml:6:14:") && $0.contains("sandbox.processes") })
        #expect(problems.contains { $0.hasPrefix("modelgate.yaml:7:9:") && $0.contains("at least 1Mi") })
    }
}

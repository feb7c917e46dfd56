import Foundation
import ModelGateKit
import ModelGateTestSupport
import Testing

/// `reproducibility.cpu` end to end: a small numpy training (a solve and a product of a few hundred rows)
/// recorded under one OpenBLAS kernel and reproduced under others. `OPENBLAS_CORETYPE`, passed through
/// `sandbox.env`, plays "another CPU": without the pin the bytes differ (so the test can fail), with it they
/// are identical under every kernel.
@Suite("reproducibility.cpu", .serialized)
struct CPUPinTests {
    static let trainer = """
        import hashlib, json, os
        import numpy as np
        rows = [line.split(",") for line in open(os.path.join(os.environ["MODELGATE_REPO"], "data", "seed.csv")).read().split()[1:]]
        rng = np.random.default_rng(int(os.environ["MODELGATE_SEED"]) + len(rows))
        a = rng.standard_normal((300, 300))
        b = rng.standard_normal((300, 40))
        x = np.linalg.solve(a @ a.T + np.eye(300), a @ b)
        os.makedirs("out", exist_ok=True)
        open("out/weights.bin", "wb").write(x.tobytes())
        json.dump({"rows": len(rows), "norm": round(float(np.linalg.norm(x)), 6)}, open("out/metrics.json", "w"))

        """

    /// The level this machine can compute at, capped at v3 (the kernels below are those it can run).
    static let level = min(CPULevel.highest(flags: MachineCPU.flags()) ?? .v1, .v3)
    /// OpenBLAS kernels this machine can run, the first one the recording's.
    static var kernels: [String] {
        level >= .v3 ? ["Prescott", "Nehalem", "SandyBridge", "Haswell"] : ["Prescott", "Core2", "Nehalem"]
    }

    /// A registry of one model `solve` whose training is `trainer`; `pin` adds `reproducibility.cpu`.
    func registry(pin: CPULevel?) throws -> FixtureRegistry {
        let fixture = try FixtureRegistry(empty: true)
        var settings = FixtureRegistry.settings + "sandbox:\n  env: [OPENBLAS_CORETYPE]\n"
        if let pin { settings += "reproducibility:\n  cpu: \(pin.name)\n" }
        try fixture.write("modelgate.yaml", settings)
        try fixture.writeTrainableModel(
            "solve", trainer: Self.trainer, data: ("seed.csv", "a,b\n1,2\n3,4\n"), artifact: "weights.bin")
        try fixture.commit("A numpy training")
        return fixture
    }

    /// The caller's environment with the test Python first on PATH and `OPENBLAS_CORETYPE` set to `kernel`.
    func environment(kernel: String) -> [String: String] {
        let python = URL(fileURLWithPath: Shell.python).deletingLastPathComponent().path
        let path = python + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return ["PATH": path, "OPENBLAS_CORETYPE": kernel]
    }

    @Test func withoutThePinAnotherKernelGivesOtherBytes() throws {
        guard MachineCPU.architecture == "x86_64" else { return try pinIsRefusedOffX86() }
        let fixture = try registry(pin: nil)
        let recorded = try fixture.modelgate(
            "record", "solve@1.0.0", "--commit", "--quiet", environment: environment(kernel: Self.kernels[0]))
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let other = Self.kernels.last!
        let reproduced = try fixture.modelgate("repro", "solve@1.0.0", environment: environment(kernel: other))
        #expect(reproduced.status == 0, "\(reproduced.stdout)\(reproduced.stderr)")
        #expect(reproduced.stdout.contains("artifact ✘ differs"), "\(Self.kernels[0]) and \(other) agree")
        #expect(reproduced.stdout.contains("verdict: reproduced-within-tolerance\n"))
        #expect(reproduced.stdout.contains("no environment fact differs"), "\(reproduced.stdout)")
    }

    @Test func withThePinEveryKernelGivesTheSameBytes() throws {
        guard MachineCPU.architecture == "x86_64" else { return try pinIsRefusedOffX86() }
        let pin = max(Self.level, .v2)
        let fixture = try registry(pin: pin)
        let recorded = try fixture.modelgate(
            "record", "solve@1.0.0", "--commit", "--quiet", environment: environment(kernel: Self.kernels[0]))
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(try fixture.read("models/solve/versions/1.0.0.yaml").contains("cpu: \(pin.name)"))
        for kernel in Self.kernels {
            let reproduced = try fixture.modelgate("repro", "solve@1.0.0", environment: environment(kernel: kernel))
            #expect(reproduced.status == 0, "\(kernel): \(reproduced.stdout)\(reproduced.stderr)")
            #expect(reproduced.stdout.contains("artifact ✔ identical"), "\(kernel): \(reproduced.stdout)")
            #expect(reproduced.stdout.contains("verdict: reproduced\n"))
        }
        // The fact `cpu` is the pinned level, and a probe sees the pin's switches whatever the caller sets.
        let env = try fixture.modelgate("env", "--format", "json", environment: environment(kernel: "Prescott"))
        #expect(env.stdout.contains("\"cpu\": \"\(pin.name)\""), "\(env.stdout)")
    }

    func pinIsRefusedOffX86() throws {
        let fixture = try registry(pin: .v2)
        let recorded = try fixture.modelgate("record", "solve@1.0.0", environment: environment(kernel: "Prescott"))
        #expect(recorded.status == 3)
        #expect(recorded.stderr.contains("not x86_64"))
    }

    @Test func aMachineBelowTheLevelIsNamedNotCrashed() throws {
        let v2 = Set([
            "cmov", "cx8", "fxsr", "mmx", "sse", "sse2", "cx16", "lahf_lm", "popcnt", "pni", "sse4_1", "sse4_2",
            "ssse3",
        ])
        #expect(CPULevel.highest(flags: v2) == .v2)
        #expect(
            CPULevel.v3.missingInstructions(flags: v2) == [
                "AVX", "AVX2", "BMI1", "BMI2", "F16C", "FMA", "LZCNT", "MOVBE", "XSAVE",
            ])
        #expect(throws: ModelGateError.self) { try MachineCPU.require(.v3, architecture: "x86_64", flags: v2) }
        do {
            try MachineCPU.require(.v3, architecture: "x86_64", flags: v2)
        } catch let error as ModelGateError {
            #expect(error.status == .environmentFailed)
            #expect(error.message.contains("this CPU lacks AVX, AVX2, BMI1"))
        }
        #expect(throws: Never.self) { try MachineCPU.require(.v2, architecture: "x86_64", flags: v2) }
        let cpuinfo = "processor\t: 0\nflags\t\t: fpu sse sse2 avx2\nprocessor\t: 1\n"
        #expect(MachineCPU.flags(cpuinfo: cpuinfo) == ["fpu", "sse", "sse2", "avx2"])
    }

    @Test func anUnknownLevelIsAPositionedValidateError() throws {
        let fixture = try FixtureRegistry()
        try fixture.write("modelgate.yaml", FixtureRegistry.settings + "reproducibility:\n  cpu: pentium\n")
        try fixture.commit("A level that does not exist")
        let result = try fixture.modelgate("validate")
        #expect(result.status == 2)
        #expect(result.stderr.contains("modelgate.yaml:5:8: error: reproducibility.cpu 'pentium' is not a level"))
        try fixture.write(
            "modelgate.yaml", FixtureRegistry.settings + "sandbox:\n  env: [MODELGATE_SIGNING_KEY]\n")
        try fixture.commit("Pass the key in")
        let key = try fixture.modelgate("validate")
        #expect(key.status == 2)
        #expect(key.stderr.contains("modelgate.yaml:5:9: error: sandbox.env may not pass MODELGATE_SIGNING_KEY"))
    }
}

import Foundation
import ModelGateSupport

/// An x86-64 micro-architecture level (the psABI's `x86-64-v1` … `x86-64-v4`): the instruction set that
/// decides which kernels numerical libraries pick, and so the bits a training produces.
///
/// The built-in fact `cpu` is the level of this machine (or the `arch` name elsewhere);
/// `reproducibility.cpu` pins the level every training and probe computes at, by setting each library's
/// own switch inside the sandbox (`pinVariables`).
public enum CPULevel: Int, CaseIterable, Sendable, Comparable {
    case v1 = 1, v2, v3, v4

    /// `x86-64-v3`.
    public var name: String { "x86-64-v\(rawValue)" }

    /// The level named `name`, or nil.
    public init?(name: String) {
        guard let level = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = level
    }

    /// The levels `reproducibility.cpu` accepts: v1 has no BLAS kernel of its own to pin.
    public static let pinnable: [CPULevel] = [.v2, .v3, .v4]

    public static func < (left: CPULevel, right: CPULevel) -> Bool { left.rawValue < right.rawValue }

    /// What this level adds to the one below, as `/proc/cpuinfo` names the flags, with the instruction
    /// names people know them by.
    var addedFlags: [(flag: String, instruction: String)] {
        switch self {
        case .v1:
            [
                ("cmov", "CMOV"), ("cx8", "CMPXCHG8B"), ("fxsr", "FXSR"), ("mmx", "MMX"), ("sse", "SSE"),
                ("sse2", "SSE2"),
            ]
        case .v2:
            [
                ("cx16", "CMPXCHG16B"), ("lahf_lm", "LAHF-SAHF"), ("popcnt", "POPCNT"), ("pni", "SSE3"),
                ("sse4_1", "SSE4_1"), ("sse4_2", "SSE4_2"), ("ssse3", "SSSE3"),
            ]
        case .v3:
            [
                ("avx", "AVX"), ("avx2", "AVX2"), ("bmi1", "BMI1"), ("bmi2", "BMI2"), ("f16c", "F16C"), ("fma", "FMA"),
                ("abm", "LZCNT"), ("movbe", "MOVBE"), ("xsave", "XSAVE"),
            ]
        case .v4:
            [
                ("avx512f", "AVX512F"), ("avx512bw", "AVX512BW"), ("avx512cd", "AVX512CD"),
                ("avx512dq", "AVX512DQ"), ("avx512vl", "AVX512VL"),
            ]
        }
    }

    /// The instructions of this level (and those below) that a CPU with `flags` lacks, in order.
    public func missingInstructions(flags: Set<String>) -> [String] {
        Self.allCases.filter { $0 <= self }.flatMap(\.addedFlags).filter { !flags.contains($0.flag) }.map(\.instruction)
    }

    /// The highest level whose instructions `flags` all has; nil for fewer than v1's.
    public static func highest(flags: Set<String>) -> CPULevel? {
        allCases.last { $0.missingInstructions(flags: flags).isEmpty }
    }

    /// Each library's own switch for computing at this level, whatever the CPU:
    /// - OpenBLAS (numpy's and scipy's wheels bundle it, built with `DYNAMIC_ARCH`): `OPENBLAS_CORETYPE`
    ///   names the kernel family the runtime dispatch would otherwise choose from the CPU.
    /// - MKL: `MKL_CBWR` (Conditional Numerical Reproducibility: the code path) and
    ///   `MKL_ENABLE_INSTRUCTIONS` (the highest instruction set it dispatches to).
    /// - numpy: `NPY_DISABLE_CPU_FEATURES`, the dispatched features above the level, in the names of
    ///   numpy 2.4 and later (`X86_V4`, …) and of earlier releases (`AVX512F`, …); a name a build does not
    ///   dispatch is ignored with an `ImportWarning`.
    public var pinVariables: [String: String] {
        let openBLAS: String
        let mkl: String
        let above: [String]
        let avx512 = [
            "AVX512F", "AVX512CD", "AVX512_KNL", "AVX512_KNM", "AVX512_SKX", "AVX512_CLX", "AVX512_CNL",
            "AVX512_ICL", "AVX512_SPR",
        ]
        switch self {
        case .v1, .v2:
            openBLAS = "Nehalem"
            mkl = "SSE4_2"
            above = ["X86_V3", "X86_V4", "AVX", "F16C", "FMA3", "AVX2"] + avx512
        case .v3:
            openBLAS = "Haswell"
            mkl = "AVX2"
            above = ["X86_V4"] + avx512
        case .v4:
            openBLAS = "SkylakeX"
            mkl = "AVX512"
            above = ["AVX512_KNL", "AVX512_KNM", "AVX512_CLX", "AVX512_CNL", "AVX512_ICL", "AVX512_SPR"]
        }
        return [
            "OPENBLAS_CORETYPE": openBLAS, "MKL_CBWR": mkl, "MKL_ENABLE_INSTRUCTIONS": mkl,
            "NPY_DISABLE_CPU_FEATURES": above.joined(separator: " "),
        ]
    }
}

/// What this machine's processor is, for the fact `cpu` and the pin's check.
public enum MachineCPU {
    /// The machine's architecture (`uname -m`).
    public static var architecture: String {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// The flags of the first processor in `/proc/cpuinfo` (empty where there is none).
    public static func flags(cpuinfo: String? = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
        -> Set<String>
    {
        guard let cpuinfo else { return [] }
        for line in cpuinfo.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }

    /// The fact `cpu`: this machine's x86-64 level, or the architecture's name on any other.
    public static func fact() -> String {
        guard architecture == "x86_64", let level = CPULevel.highest(flags: flags()) else { return architecture }
        return level.name
    }

    /// Refuses (exit 3) where this machine cannot compute at `level`: another architecture, or missing
    /// instructions, named. Kernels picked by the pin would otherwise die of SIGILL.
    public static func require(_ level: CPULevel, architecture: String = architecture, flags: Set<String> = flags())
        throws
    {
        guard architecture == "x86_64" else {
            throw ModelGateError.environment(
                "reproducibility.cpu pins \(level.name), and this machine is \(Escape.control(architecture)), not x86_64"
            )
        }
        let missing = level.missingInstructions(flags: flags)
        guard missing.isEmpty else {
            throw ModelGateError.environment(
                "reproducibility.cpu pins \(level.name), and this CPU lacks \(missing.joined(separator: ", ")); train on a machine of that level or above"
            )
        }
    }
}

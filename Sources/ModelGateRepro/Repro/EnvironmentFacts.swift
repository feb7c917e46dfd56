internal import CSystem
import Crypto
import Foundation
import ModelGateRegistry
import ModelGateSupport

/// The facts of an environment — built-in `os`, `arch`, `libc`, `cpu`, the probes of `modelgate.yaml`, and
/// the lockfile's sha256 — and their signature: `sha256:` + SHA-256 of the lines `key=value\n` sorted
/// by key.
public struct EnvironmentFacts: Sendable, Equatable {
    public var facts: [String: String]

    public init(facts: [String: String]) { self.facts = facts }

    public var signature: String { Self.signature(of: facts) }

    public static func signature(of facts: [String: String]) -> String {
        let text = facts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined()
        return "sha256:" + Hex.encode(SHA256.hash(data: Data(text.utf8)))
    }

    /// The facts of this machine now, the probes run concurrently (an interpreter importing a library
    /// spends most of its time waiting on the disk and the loader). A probe that fails is a fact whose value
    /// says so, never a crash.
    /// Every probe sees the environment `sandbox` gives a training (cleared, the CPU pin's switches set);
    /// when `isolated`, it also runs inside it, as the training does. The fact `cpu` is the sandbox's pin
    /// where it has one.
    public static func collect(
        probes: [(name: String, arguments: [String])], lockfileSHA256: String?, sandbox: Sandbox,
        isolated: Bool, timeout: TimeInterval = 20
    ) -> EnvironmentFacts {
        var facts = builtIn(cpu: sandbox.cpu)
        let values = Concurrently.map(probes.count) {
            run(probes[$0].arguments, sandbox: sandbox, isolated: isolated, timeout: timeout)
        }
        for (probe, value) in zip(probes, values) { facts[probe.name] = value }
        if let lockfileSHA256 { facts["lockfile"] = lockfileSHA256 }
        return EnvironmentFacts(facts: facts)
    }

    /// `os`, `arch`, `libc` (`glibc-2.36`) and `cpu` (the pinned level, else this machine's: `x86-64-v3`,
    /// or the architecture's name off x86-64).
    public static func builtIn(cpu pin: CPULevel? = nil) -> [String: String] {
        var name = utsname()
        uname(&name)
        func text<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return [
            "os": text(name.sysname).lowercased(),
            "arch": text(name.machine),
            "libc": "glibc-" + String(cString: modelgate_libc_version()),
            "cpu": pin?.name ?? MachineCPU.fact(),
        ]
    }

    /// A probe's trimmed standard output, or `error: …`.
    static func run(_ words: [String], sandbox: Sandbox, isolated: Bool, timeout: TimeInterval) -> String {
        let environment = sandbox.environment()
        let arguments = isolated ? sandbox.arguments(words, in: "/tmp", environment: environment) : words
        var output: [String] = []
        var errors: [String] = []
        do {
            let outcome = try Subprocess(arguments, environment: environment, timeout: timeout).run { stream, line in
                if stream == .output { output.append(line) } else { errors.append(line) }
            }
            switch outcome {
            case .exited(0): return output.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            case .exited(let code): return "error: exit \(code)\(errors.last.map { ": \($0)" } ?? "")"
            case .signalled(let signal): return "error: killed by signal \(signal)"
            case .timedOut: return "error: timed out after \(Int(timeout))s"
            case .interrupted: return "error: interrupted"
            case .overLimit(let why): return "error: killed: \(why)"
            }
        } catch let error as ModelGateError {
            return "error: \(error.message)"
        } catch {
            return "error: \(error)"
        }
    }

    /// What differs between recorded facts and these: `(key, recorded, now)`, sorted by key.
    public func differences(from recorded: [String: String]) -> [(key: String, recorded: String?, now: String?)] {
        Set(recorded.keys).union(facts.keys).sorted().compactMap { key in
            recorded[key] == facts[key] ? nil : (key, recorded[key], facts[key])
        }
    }
}

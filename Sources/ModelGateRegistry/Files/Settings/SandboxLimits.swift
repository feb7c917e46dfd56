import Foundation

/// `sandbox.memory`, `sandbox.processes` and `sandbox.disk`: what a training may use before it is killed.
///
/// Enforced three ways: resource limits set on the command inside the sandbox (`prlimit`: a file larger
/// than `disk` gets `SIGXFSZ`, and for a caller other than root the process count is capped by the kernel);
/// a private `/tmp` of at most `disk` bytes; and `ResourceMonitor`, which samples the training's process tree
/// (resident memory, process count) and what it wrote to the scratch tree, and kills the whole sandbox over
/// a limit.
public struct SandboxLimits: Sendable, Equatable {
    public var memory: Int64
    public var processes: Int
    public var disk: Int64
    /// How each limit was written (`8Gi`), for reports; the default's for one not set.
    public var memoryText: String
    public var diskText: String
    /// `sandbox.memory` as written, nil where it is not set (the default depends on the machine).
    public var memorySetting: String?

    /// Half the machine's memory, 4096 processes, 10 GiB written.
    public init(memory: String? = nil, processes: Int? = nil, disk: String? = nil) {
        let half = Int64(ProcessInfo.processInfo.physicalMemory / 2)
        self.memory = memory.flatMap(KubernetesQuantity.bytes) ?? half
        memoryText = memory ?? "\(half >> 20)Mi"
        memorySetting = memory
        self.processes = processes ?? 4096
        self.disk = disk.flatMap(KubernetesQuantity.bytes) ?? 10 << 30
        diskText = disk ?? "10Gi"
    }

    /// `prlimit` before the command: files up to `disk`, `processes` processes.
    package var commandPrefix: [String] {
        ["prlimit", "--fsize=\(disk)", "--nproc=\(processes)", "--"]
    }
}

import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// The training sandbox: bubblewrap (`bwrap`) around a command from a pull request.
///
/// New user, PID, IPC, UTS, cgroup and network namespaces, a new session, and death with its parent; a
/// filesystem of its own where the system directories and the directories the program and its interpreter
/// live in are read-only, `/tmp` and `HOME` are private and empty, the scratch tree (mounted at
/// `Sandbox.root`) is the only writable host path, and nothing else of the host is visible. The environment
/// is cleared down to an allow-list. When the command ends, the PID namespace goes with it, and so does
/// every process it started. `SandboxLimits` bound its memory, processes and the bytes it writes.
public struct Sandbox: Sendable {
    /// Where the scratch tree appears inside the sandbox: a fixed path, so that nothing a training writes
    /// depends on where the host put its temporary folder.
    public static let root = "/modelgate/repo"
    /// `HOME` inside: private and empty.
    public static let home = "/tmp/home"
    /// The system directories every sandbox sees read-only (those that exist on the host).
    static let systemDirectories = ["/usr", "/etc", "/opt", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]
    /// Files of `/etc` a process running as the caller must not read inside, even when the caller is root.
    static let maskedFiles = ["/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-", "/etc/sudoers"]
    static let maskedDirectories = ["/etc/ssh", "/etc/sudoers.d", "/etc/ssl/private"]
    /// Caller variables that always reach the command (besides `sandbox.env` and modelgate's own).
    static let passedVariables = ["PATH"]

    /// The host folder mounted writable at `root`; nil for a probe, which writes nowhere.
    public var scratch: URL?
    /// `sandbox.readOnly`: extra host paths visible read-only.
    public var readOnly: [String] = []
    /// `sandbox.env`: caller variables passed in by name.
    public var passedEnvironment: [String] = []
    /// The caller's environment, from which `PATH` and `sandbox.env` are taken.
    public var callerEnvironment: [String: String] = ProcessInfo.processInfo.environment
    /// `reproducibility.cpu`: the instruction-set level the command computes at, whatever the CPU.
    public var cpu: CPULevel?
    /// Host files masked inside where a mounted folder holds them (the null device bound over them, which
    /// the sandbox's device-less mounts refuse to open): the signing key's file, whatever
    /// `sandbox.readOnly` mounts.
    public var hiddenPaths: [String] = []
    /// `sandbox.memory`, `sandbox.processes`, `sandbox.disk`.
    public var limits = SandboxLimits()

    public init(scratch: URL? = nil, settings: RegistrySettings = RegistrySettings()) {
        self.scratch = scratch
        readOnly = settings.sandboxReadOnly
        passedEnvironment = settings.sandboxEnvironment
        cpu = settings.cpuPin
        limits = settings.sandboxLimits
    }

    /// The environment the command sees: `PATH`, `HOME`, `TMPDIR`, `LANG`, the `sandbox.env` names the
    /// caller has, then `extra` (modelgate's own variables), then the CPU pin's switches, which override
    /// anything passed through. Nothing else of the caller's, and never the signing key.
    public func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment: [String: String] = ["HOME": Self.home, "TMPDIR": "/tmp", "LANG": "C.UTF-8"]
        for name in Self.passedVariables + passedEnvironment where !SandboxEnvironment.withheld.contains(name) {
            if let value = callerEnvironment[name] { environment[name] = value }
        }
        if environment["PATH"] == nil { environment["PATH"] = "/usr/local/bin:/usr/bin:/bin" }
        for (key, value) in extra { environment[key] = value }
        for (key, value) in cpu?.pinVariables ?? [:] { environment[key] = value }
        return environment
    }

    /// The `bwrap` command line that runs `command` in `directory` (a path inside the sandbox).
    public func arguments(_ command: [String], in directory: String, environment: [String: String]) -> [String] {
        var arguments = [
            "bwrap", "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup",
            "--unshare-net", "--die-with-parent", "--new-session", "--hostname", "sandbox",
            // No user namespace can be made inside (as Flatpak runs its apps): a nested one would regain the
            // capabilities to mount and unshare again.
            "--disable-userns",
        ]
        let fileManager = FileManager.default
        for directory in Self.systemDirectories {
            if let target = try? fileManager.destinationOfSymbolicLink(atPath: directory) {
                arguments += ["--symlink", target, directory]
            } else if fileManager.fileExists(atPath: directory) {
                arguments += ["--ro-bind", directory, directory]
            }
        }
        for file in Self.maskedFiles where fileManager.fileExists(atPath: file) {
            arguments += ["--ro-bind", "/dev/null", file]
        }
        for directory in Self.maskedDirectories where fileManager.fileExists(atPath: directory) {
            arguments += ["--tmpfs", directory]
        }
        // The private /tmp first: a program or interpreter that lives under the host's /tmp (a CI checkout's
        // virtual environment) is then bound on top of it, not hidden by it.
        arguments += ["--proc", "/proc", "--dev", "/dev", "--size", "\(limits.disk)", "--tmpfs", "/tmp"]
        var mounted = Self.systemDirectories
        let installations = Self.programDirectories(command.first ?? "", path: environment["PATH"] ?? "").flatMap {
            prefix in Self.installationEntries.map { "\(prefix)/\($0)" }
        }
        for path in installations + readOnly where !Self.isCovered(path) {
            if let target = try? fileManager.destinationOfSymbolicLink(atPath: path), installations.contains(path) {
                arguments += ["--symlink", target, path]
            } else if fileManager.fileExists(atPath: path) {
                arguments += ["--ro-bind", path, path]
                mounted.append(path)
            }
        }
        for hidden in hiddenPaths {
            let resolved = URL(fileURLWithPath: hidden).resolvingSymlinksInPath().path
            for path in Set([URL(fileURLWithPath: hidden).standardizedFileURL.path, resolved])
            where mounted.contains(where: { path.hasPrefix($0 + "/") }) && !Self.isDirectory(path) {
                arguments += ["--ro-bind", "/dev/null", path]
            }
        }
        arguments += ["--dir", Self.home]
        if let scratch { arguments += ["--bind", scratch.path, Self.root] }
        arguments += ["--chdir", directory, "--"]
        return arguments + limits.commandPrefix + command
    }

    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    /// Whether `path` is under a system directory every sandbox already sees.
    static func isCovered(_ path: String) -> Bool {
        systemDirectories.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    /// What of an installation prefix a program needs: its programs and libraries (and a virtual
    /// environment's `pyvenv.cfg`), never the rest of the prefix: a `python3` found in `~/tools/bin` must
    /// not show `~/tools/.ssh`.
    static let installationEntries = ["bin", "lib", "lib64", "pyvenv.cfg"]

    /// The installation prefixes a program needs (of which `installationEntries` are mounted): for `python3`
    /// found in a virtual environment, the environment and the interpreter it was made from (its
    /// `pyvenv.cfg` `home`); for any program, the prefix of the file its symbolic links lead to.
    static func programDirectories(_ program: String, path: String) -> [String] {
        guard !program.isEmpty, !program.contains("/"), let found = try? Subprocess.locate(program, path: path) else {
            return []
        }
        var prefixes: [String] = []
        func addPrefix(of executable: String) {
            let bin = URL(fileURLWithPath: executable).deletingLastPathComponent()
            let prefix = bin.deletingLastPathComponent().path
            if prefix != "/", !prefixes.contains(prefix) { prefixes.append(prefix) }
        }
        addPrefix(of: found)
        addPrefix(of: URL(fileURLWithPath: found).resolvingSymlinksInPath().path)
        let venv = URL(fileURLWithPath: found).deletingLastPathComponent().deletingLastPathComponent()
        if let config = try? String(contentsOf: venv.appendingPathComponent("pyvenv.cfg"), encoding: .utf8) {
            for line in config.split(separator: "\n") where line.hasPrefix("home") {
                let home = line.split(separator: "=", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) }
                if let home, home.hasPrefix("/") {
                    addPrefix(of: home + "/python3")
                    addPrefix(of: URL(fileURLWithPath: home + "/python3").resolvingSymlinksInPath().path)
                }
            }
        }
        return prefixes
    }

    /// Refuses, naming the package, where bubblewrap is missing or cannot make its namespaces.
    public static func check() throws {
        guard (try? Subprocess.locate("bwrap", path: "/usr/bin:/bin:/usr/local/bin")) != nil else {
            throw ModelGateError.environment(
                "bubblewrap (bwrap) is not installed: install Debian's 'bubblewrap' package; --no-sandbox runs without a sandbox, and the attestation records it"
            )
        }
        let sandbox = Sandbox()
        let outcome = try? Subprocess(
            sandbox.arguments(["true"], in: "/", environment: sandbox.environment()),
            environment: sandbox.environment(),
            timeout: 10
        ).run()
        guard outcome == .exited(0) else {
            throw ModelGateError.environment(
                "bubblewrap cannot make its namespaces here (are unprivileged user namespaces disabled?); --no-sandbox runs without a sandbox, and the attestation records it"
            )
        }
    }
}

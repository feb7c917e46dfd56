internal import CSystem
import Foundation
import ModelGateSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program without a shell in its own process group, streaming its output line by line, with a
/// timeout that kills the whole group. Signals are reset in the child (a runner may hand down a mask that
/// blocks them).
public struct Subprocess {
    /// How a run ended.
    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
        case interrupted
        /// Killed over a limit of the sandbox; says which.
        case overLimit(String)

        public var description: String {
            switch self {
            case .exited(let code): "exit status \(code)"
            case .signalled(let signal): "killed by signal \(signal)"
            case .timedOut: "timed out"
            case .interrupted: "interrupted"
            case .overLimit(let why): "killed: \(why)"
            }
        }
    }

    /// Which stream a line came from.
    public enum Stream: Sendable {
        case output
        case error
    }

    public var arguments: [String]
    public var environment: [String: String]
    public var workingDirectory: URL?
    public var timeout: TimeInterval
    /// Output lines longer than this are split.
    public static let maximumLineBytes = 65_536
    /// Polled while waiting: returning true kills the group (Ctrl-C).
    public var shouldStop: () -> Bool = { false }
    /// Polled while waiting with the started process: a reason back kills the group (a limit passed).
    var monitor: ((pid_t) -> String?)?

    public init(
        _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: URL? = nil, timeout: TimeInterval = 3600
    ) {
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeout = timeout
    }

    /// Runs to the end; `onLine` gets every complete line (without its newline) as it arrives.
    public func run(onLine: (Stream, String) -> Void = { _, _ in }) throws -> Outcome {
        guard let program = arguments.first else { throw ModelGateError.badInput("no command to run") }
        let executable = try Self.locate(program, path: environment["PATH"] ?? "/usr/bin:/bin")
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            throw ModelGateError.environment("pipe: \(errnoMessage())")
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for descriptor in outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, descriptor) }
        if let workingDirectory {
            _ = modelgate_spawn_addchdir(&actions, workingDirectory.path)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw ModelGateError.environment("cannot start \(program): \(String(cString: strerror(spawned)))")
        }
        defer {
            close(outPipe[0])
            close(errPipe[0])
        }
        return wait(pid: pid, output: outPipe[0], error: errPipe[0], onLine: onLine)
    }

    // Long on purpose: one poll loop over the child, its pipes, the deadline and the interrupt flag, which share
    // their state.
    private func wait(pid: pid_t, output: Int32, error: Int32, onLine: (Stream, String) -> Void) -> Outcome {
        let deadline = Date().addingTimeInterval(timeout)
        var buffers: [Int32: [UInt8]] = [output: [], error: []]
        var open: Set<Int32> = [output, error]
        var status: Int32 = 0
        var exited = false
        var verdict: Outcome?
        var chunk = [UInt8](repeating: 0, count: 65_536)
        // Lines end at `\n` or `\r` (progress bars), or are split at `maximumLineBytes`; each byte is looked
        // at once, so a flood without a newline costs linear time and bounded memory.
        func flush(_ descriptor: Int32, all: Bool) {
            let stream: Stream = descriptor == output ? .output : .error
            let buffer = buffers[descriptor] ?? []
            var start = 0
            for index in buffer.indices {
                let byte = buffer[index]
                if byte == 0x0A || byte == 0x0D {
                    if index > start || byte == 0x0A {
                        onLine(stream, String(decoding: buffer[start..<index], as: UTF8.self))
                    }
                    start = index + 1
                } else if index + 1 - start >= Self.maximumLineBytes {
                    onLine(stream, String(decoding: buffer[start...index], as: UTF8.self))
                    start = index + 1
                }
            }
            if all && start < buffer.count {
                onLine(stream, String(decoding: buffer[start...], as: UTF8.self))
                start = buffer.count
            }
            buffers[descriptor] = start == 0 ? buffer : Array(buffer[start...])
        }
        var drainDeadline = Date.distantFuture
        while !open.isEmpty || !exited {
            // A descendant outside the group (a daemon that called setsid) may hold the pipes for ever.
            if exited && Date() >= drainDeadline {
                for descriptor in open { flush(descriptor, all: true) }
                break
            }
            if verdict == nil {
                if shouldStop() {
                    verdict = .interrupted
                    kill(-pid, SIGKILL)
                } else if Date() >= deadline {
                    verdict = .timedOut
                    kill(-pid, SIGKILL)
                } else if !exited, let reason = monitor?(pid) {
                    verdict = .overLimit(reason)
                    kill(-pid, SIGKILL)
                }
            }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if !fds.isEmpty { _ = poll(&fds, nfds_t(fds.count), 50) } else { usleep(20_000) }
            for fd in fds where fd.revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(fd.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    buffers[fd.fd, default: []].append(contentsOf: chunk[..<count])
                    flush(fd.fd, all: false)
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    flush(fd.fd, all: true)
                    open.remove(fd.fd)
                }
            }
            if !exited, waitpid(pid, &status, WNOHANG) == pid {
                exited = true
                // Descendants may keep the pipes open: once the leader is gone, the group goes too.
                kill(-pid, SIGKILL)
                drainDeadline = Date().addingTimeInterval(2)
            }
        }
        if let verdict { return verdict }
        if status & 0x7f == 0 { return .exited((status >> 8) & 0xff) }
        return .signalled(status & 0x7f)
    }

    /// The program's path: as given when it has a slash, else the first match on PATH.
    static func locate(_ program: String, path: String) throws -> String {
        if program.contains("/") { return program }
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw ModelGateError.environment("cannot start \(program): not found on PATH")
    }
}

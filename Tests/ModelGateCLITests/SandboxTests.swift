import Foundation
import ModelGateKit
import ModelGateTestSupport
import Testing

/// The training sandbox tried as a hostile pull request's author would: a training script and a probe
/// that look for the caller's secrets, the original repository, the host's network and sockets, and try
/// to outlive `repro`; with a fake `GITHUB_TOKEN` and a fake `~/.ssh/id_rsa` in a temporary `HOME`.
@Suite("The training sandbox", .serialized)
struct SandboxTests {
    /// A caller's world: a HOME with a key and a Git config, a token, a loopback server and a Unix socket.
    final class Caller {
        let home = ScratchDirectory("modelgate-home")
        let loopback: LoopbackListener
        let socket: UnixListener
        let marker = "modelgate-daemon-\(UUID().uuidString)"

        init() throws {
            try FileManager.default.createDirectory(
                at: home.url.appendingPathComponent(".ssh"), withIntermediateDirectories: true)
            try Data("-----BEGIN OPENSSH PRIVATE KEY-----\nfake\n".utf8).write(
                to: home.url.appendingPathComponent(".ssh/id_rsa"))
            try Data("[user]\n  name = secret\n".utf8).write(to: home.url.appendingPathComponent(".gitconfig"))
            loopback = try LoopbackListener()
            socket = try UnixListener(path: home.url.appendingPathComponent("agent.sock").path)
        }

        var environment: [String: String] {
            ["HOME": home.path, "GITHUB_TOKEN": "secret123", "SSH_AUTH_SOCK": socket.path]
        }

        func argument(repository: String) -> String {
            [home.path, repository, String(loopback.port), socket.path, marker].joined(separator: "|")
        }
    }

    @Test func aHostileTrainingFindsNothingAndLeavesNothingBehind() throws {
        let caller = try Caller()
        // The repository path is only known once the fixture exists; the trainer reads it from its argument.
        let probe = ReproCommandTests()
        let placeholder = "REPO"
        let fixture = try probe.fixture(mode: "hostile", extraArgument: caller.argument(repository: placeholder))
        let manifest = try fixture.read("models/toy/versions/1.0.0.yaml")
        try fixture.write(
            "models/toy/versions/1.0.0.yaml",
            manifest.replacingOccurrences(of: "|\(placeholder)|", with: "|\(fixture.path)|"))
        try fixture.commit("point the hostile trainer at the repository")
        let before = try fixture.git("status", "--porcelain")

        let result = try fixture.modelgate("repro", "toy@1.0.0", environment: caller.environment)
        #expect(result.stdout.contains("findings: none"), "\(result.stdout)\(result.stderr)")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(caller.loopback.acceptedConnections() == 0)
        #expect(caller.socket.acceptedConnections() == 0)
        #expect(Processes.matching(caller.marker).isEmpty, "the daemonised grandchild is gone when repro returns")
        #expect(try fixture.git("status", "--porcelain") == before)
        #expect(
            !FileManager.default.fileExists(atPath: fixture.url.appendingPathComponent(".git/hooks/post-checkout").path)
        )

        // The same script without the sandbox finds what the sandbox hides: the test can fail. (Its daemon
        // would outlive the run there, so this run starts none.)
        let current = try fixture.read("models/toy/versions/1.0.0.yaml")
        try fixture.write(
            "models/toy/versions/1.0.0.yaml", current.replacingOccurrences(of: caller.marker, with: "none"))
        try fixture.commit("no daemon")
        let open = try fixture.modelgate("repro", "toy@1.0.0", "--no-sandbox", environment: caller.environment)
        #expect(open.stdout.contains("read:\(caller.home.path)/.ssh/id_rsa"))
        #expect(open.stdout.contains("loopback"))
        #expect(open.stdout.contains("unix-socket"))
        #expect(!open.stdout.contains("env:GITHUB_TOKEN"), "the environment is cleared even without the sandbox")
        try? FileManager.default.removeItem(at: fixture.url.appendingPathComponent("pwned"))
        try? FileManager.default.removeItem(at: fixture.url.appendingPathComponent(".git/hooks/post-checkout"))
    }

    @Test func aHostileProbeFindsNothing() throws {
        let caller = try Caller()
        let script = """
            import os, socket
            found = [k for k in ("GITHUB_TOKEN", "SSH_AUTH_SOCK") if k in os.environ]
            try:
                open("\(caller.home.path)/.ssh/id_rsa").read(); found.append("key")
            except OSError: pass
            try:
                socket.create_connection(("127.0.0.1", \(caller.loopback.port)), timeout=2).close(); found.append("loopback")
            except OSError: pass
            print(",".join(found) or "none")
            """
        let fixture = try FixtureRegistry()
        try fixture.write("probe.py", script)
        try fixture.write(
            "modelgate.yaml",
            FixtureRegistry.settings + "environment:\n  probes:\n    leak: python3 \(fixture.path)/probe.py\n")
        try fixture.commit("a probe")
        let sandboxed = try fixture.modelgate("env", "--format", "json", environment: caller.environment)
        #expect(sandboxed.status == 0, "\(sandboxed.stderr)")
        // The probe's script lives in the repository, which the sandbox does not show: it cannot even start.
        #expect(
            !sandboxed.stdout.contains("key") && !sandboxed.stdout.contains("loopback")
                && !sandboxed.stdout.contains("GITHUB_TOKEN"))
        let inline =
            FixtureRegistry.settings
            + "environment:\n  probes:\n    leak: python3 -c \"import os; print(os.environ.get('GITHUB_TOKEN', 'none'))\"\n"
        try fixture.write("modelgate.yaml", inline)
        try fixture.commit("an inline probe")
        let leak = try fixture.modelgate("env", "--format", "json", environment: caller.environment)
        #expect(leak.stdout.contains("\"leak\": \"none\""), "\(leak.stdout)\(leak.stderr)")
        let open = try fixture.modelgate("env", "--format", "json", "--no-sandbox", environment: caller.environment)
        #expect(open.stdout.contains("\"leak\": \"none\""), "the environment is cleared for probes too")
        #expect(caller.loopback.acceptedConnections() == 0)
    }

    @Test(arguments: ["fifo", "link"])
    func anOutputThatIsNotARegularFileIsRefusedWithoutBlocking(_ mode: String) throws {
        let fixture = try ReproCommandTests().fixture(mode: mode)
        let result = try fixture.modelgate("repro", "toy@1.0.0", "--timeout", "60")
        #expect(result.status == 1)
        #expect(result.stdout.contains("out/model.bin: is not a regular file"), "\(result.stdout)")
    }

    @Test func longLinesAreSplitAndProgressLinesShownAsTheyCome() throws {
        let fixture = try ReproCommandTests().fixture(mode: "flood")
        let result = try fixture.modelgate("repro", "toy@1.0.0")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map {
            $0.split(separator: " ", maxSplits: 3).last.map(String.init) ?? ""
        }
        #expect(
            lines.filter { $0 == String(repeating: "x", count: 65_536) }.count == 3,
            "200,000 bytes: three full lines of 64 KiB")
        #expect(lines.contains(String(repeating: "x", count: 200_000 - 3 * 65_536)))
        #expect(lines.contains("00000") && lines.contains("01999"), "each progress update is a line")
    }

    @Test func untrackedDataIsCopiedNotLinked() throws {
        let fixture = try ReproCommandTests().fixture(mode: "exact")
        let data = fixture.url.appendingPathComponent("data/toy.csv")
        let before = try Data(contentsOf: data)
        let trainer = try fixture.read("training/toy/train.py")
        try fixture.write(
            "training/toy/train.py", trainer + "open(os.path.join(root, 'data', 'toy.csv'), 'a').write('tampered')\n")
        try fixture.commit("a trainer that writes to its data")
        _ = try fixture.modelgate("repro", "toy@1.0.0")
        #expect(try Data(contentsOf: data) == before)
    }

    @Test func aCraftedTreeIsRefusedBeforeAnythingIsWritten() throws {
        let fixture = try ReproCommandTests().fixture(mode: "exact")
        let target = "modelgate-crafted-\(UUID().uuidString)"
        // A tree whose entry name climbs out of the folder it is written into (git hash-object --literally).
        let script = """
            import subprocess, sys
            def tree(entries):
                body = b"".join(mode + b" " + name + b"\\0" + bytes.fromhex(oid) for mode, name, oid in entries)
                return subprocess.run(["git", "hash-object", "-t", "tree", "--literally", "-w", "--stdin"], input=body,
                                      capture_output=True, check=True).stdout.decode().strip()
            blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], input=b"pwned", capture_output=True, check=True).stdout.decode().strip()
            evil = tree([(b"100644", b"../../../../../../tmp/\(target)", blob)])
            root = subprocess.run(["git", "rev-parse", "HEAD^{tree}"], capture_output=True, check=True).stdout.decode().strip()
            listing = subprocess.run(["git", "cat-file", "tree", root], capture_output=True, check=True).stdout
            entries, rest = [], listing
            while rest:
                head, rest = rest.split(b"\\0", 1)
                mode, name = head.split(b" ", 1)
                entries.append((mode, name, rest[:20].hex()))
                rest = rest[20:]
            entries.append((b"40000", b"aaa", evil))
            entries.sort(key=lambda e: e[1] + (b"/" if e[0] == b"40000" else b""))
            new_root = tree(entries)
            commit = subprocess.run(["git", "commit-tree", new_root, "-p", "HEAD", "-m", "crafted"], capture_output=True, check=True).stdout.decode().strip()
            subprocess.run(["git", "update-ref", "refs/heads/main", commit], check=True)
            """
        try fixture.write("craft.py", script)
        let crafted = try Shell.run(["python3", "craft.py"], in: fixture.url)
        #expect(crafted.status == 0, "\(crafted.stderr)")
        try fixture.remove("craft.py")
        for arguments in [["validate"], ["repro", "toy@1.0.0"], ["check"]] {
            let result = try Shell.modelgate(arguments, in: fixture.url)
            #expect(result.status == 2, "\(arguments): \(result.stdout)\(result.stderr)")
            #expect(
                result.stderr.contains("which could write outside its folder: refused (a crafted tree)"), "\(arguments)"
            )
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/\(target)"))
    }

    @Test func aBrokenSettingsFileStopsReproAndEnv() throws {
        let fixture = try ReproCommandTests().fixture(mode: "exact")
        try fixture.write("modelgate.yaml", FixtureRegistry.settings + "sandbox:\n  evn: [CUDA_VISIBLE_DEVICES]\n")
        try fixture.commit("a typo")
        for arguments in [["repro", "toy@1.0.0"], ["env"]] {
            let result = try Shell.modelgate(arguments, in: fixture.url)
            #expect(result.status == 2, "\(arguments)")
            #expect(
                result.stderr.contains(
                    "modelgate.yaml:5:3: error: unknown key 'evn' in 'sandbox'; did you mean 'env'?"),
                "\(arguments): \(result.stderr)")
        }
    }
}

/// A Unix socket listener on the host that counts the connections it is offered.
final class UnixListener {
    let descriptor: Int32
    let path: String
    private var accepted = 0

    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        _ = withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            path.utf8CString.withUnsafeBytes {
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(buffer.count - 1)))
            }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else { throw FixtureError("cannot listen on \(path)") }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    func acceptedConnections() -> Int {
        accepted += acceptWaiting(descriptor)
        return accepted
    }
}

/// Host processes, found by a marker in their command line.
enum Processes {
    static func matching(_ marker: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry) else { return nil }
            return commandLine(pid).contains(marker) ? pid : nil
        }
    }

    /// `/proc/<pid>/cmdline`, read with read(2): Foundation's file reading leaks on files whose size /proc
    /// reports as 0.
    static func commandLine(_ pid: Int32) -> String {
        let descriptor = open("/proc/\(pid)/cmdline", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 8192)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
    }
}

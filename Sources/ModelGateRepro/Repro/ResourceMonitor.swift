import Foundation
import ModelGateGit
import ModelGateRegistry

/// Samples a running training against its `SandboxLimits`: the resident memory and the number of the
/// processes descended from the one modelgate started (read from `/proc`), and the bytes the scratch tree
/// grew by. `Subprocess` asks it between reads; a reason back means the whole sandbox is killed.
final class ResourceMonitor {
    let limits: SandboxLimits
    /// The scratch tree, whose growth counts against `disk`.
    let scratch: URL?
    private let startingBytes: Int64
    private var lastSample = Date.distantPast
    /// The most processes seen at once.
    private var peakProcesses = 0
    private var lastDiskSample = Date.distantPast
    private static let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))

    init(limits: SandboxLimits, scratch: URL?) {
        self.limits = limits
        self.scratch = scratch
        startingBytes = scratch.map(Self.bytes(under:)) ?? 0
    }

    /// Why the training must be killed now (the limit it went over), or nil. Samples at most every 0.1 s,
    /// the scratch tree at most every second.
    func check(_ pid: pid_t) -> String? {
        let now = Date()
        guard now.timeIntervalSince(lastSample) >= 0.1 else { return nil }
        lastSample = now
        let (count, resident) = Self.tree(of: pid)
        peakProcesses = max(peakProcesses, count)
        if count > limits.processes {
            return "it started more than sandbox.processes (\(limits.processes)) processes"
        }
        if resident > limits.memory {
            return "it used more than sandbox.memory (\(limits.memoryText)) of memory"
        }
        if let scratch, now.timeIntervalSince(lastDiskSample) >= 1 {
            lastDiskSample = now
            if Self.bytes(under: scratch) - startingBytes > limits.disk {
                return "it wrote more than sandbox.disk (\(limits.diskText))"
            }
        }
        return nil
    }

    /// `outcome`, or the limit that explains it. A write past `disk` in one file ends the writer with
    /// `SIGXFSZ` (or fails with `EFBIG` where it ignores the signal, as Python does, leaving the file at
    /// exactly `disk` bytes), and for a caller other than root the kernel refuses a fork past `processes`:
    /// the training then fails on its own.
    func explain(_ outcome: Subprocess.Outcome) -> Subprocess.Outcome {
        let overDisk = Subprocess.Outcome.overLimit("it wrote a file larger than sandbox.disk (\(limits.diskText))")
        switch outcome {
        case .signalled(SIGXFSZ): return overDisk
        case .exited(let code) where code != 0:
            if peakProcesses >= limits.processes {
                return .overLimit("it reached sandbox.processes (\(limits.processes)) processes")
            }
            if let scratch, Self.largestFile(under: scratch) >= limits.disk { return overDisk }
            return outcome
        default: return outcome
        }
    }

    /// The processes descended from `root` (itself included) and their resident bytes.
    static func tree(of root: pid_t) -> (count: Int, resident: Int64) {
        var children: [pid_t: [pid_t]] = [:]
        var resident: [pid_t: Int64] = [:]
        guard let directory = opendir("/proc") else { return (0, 0) }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = pid_t(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm) ": state, ppid, …; resident pages are the 24th field of the line.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 21, let parent = pid_t(fields[1]), let pages = Int64(fields[21]) else { continue }
            children[parent, default: []].append(pid)
            resident[pid] = pages * pageSize
        }
        var count = 0
        var bytes: Int64 = 0
        var pending = [root]
        while let pid = pending.popLast() {
            count += 1
            bytes += resident[pid] ?? 0
            pending += children[pid] ?? []
        }
        return (count, bytes)
    }

    /// The size of the largest file under `url` (links not followed).
    static func largestFile(under url: URL) -> Int64 {
        var largest: Int64 = 0
        let keys: [URLResourceKey] = [.fileSizeKey, .isRegularFileKey]
        guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: keys) else { return 0 }
        for case let file as URL in walker {
            guard let values = try? file.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else {
                continue
            }
            largest = max(largest, Int64(values.fileSize ?? 0))
        }
        return largest
    }

    /// The bytes the files under `url` take on disk (links not followed).
    static func bytes(under url: URL) -> Int64 {
        var total: Int64 = 0
        let keys: [URLResourceKey] = [.totalFileAllocatedSizeKey, .isSymbolicLinkKey]
        guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: keys) else { return 0 }
        for case let file as URL in walker {
            let values = try? file.resourceValues(forKeys: Set(keys))
            if values?.isSymbolicLink == true { continue }
            total += Int64(values?.totalFileAllocatedSize ?? 0)
        }
        return total
    }
}

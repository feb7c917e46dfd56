import Foundation

/// A path below a root folder, reached component by component with `openat(O_NOFOLLOW)`: the one way
/// modelgate writes a file. A symbolic link anywhere below the root — a folder of the path or the file
/// itself — is refused before anything is written, so a link committed by a pull request
/// (`artifacts/churn/1.7.0 -> ../../.git`) cannot steer a write outside the repository.
///
/// The root itself is opened as given (a link the user typed is the user's choice); everything below it
/// must be real folders.
public struct ConfinedPath: Sendable {
    public let root: URL
    /// The folders and the file name below `root`.
    public let components: [String]

    /// `relative` (slash-separated, no `.`, `..` or empty component, no NUL byte) below `root`.
    public init(_ relative: String, under root: URL) throws {
        // Bytes, not characters: a "/" or a NUL followed by a combining mark is one Character that is
        // neither, yet the system reads the bytes — a component starting with "/\u{349}" would be opened as
        // an absolute path, and a NUL would cut the name.
        let components = relative.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard !components.isEmpty,
            components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.utf8.contains(0) })
        else {
            throw ModelGateError.badInput("\(Escape.control(relative)) is not a plain relative path")
        }
        self.root = root
        self.components = components
    }

    /// A path the user gave: below the current folder, every component is checked; elsewhere the folder
    /// it names is opened as given and only the file itself must not be a link.
    public init(file url: URL) throws {
        let path = url.standardizedFileURL.path
        let current = FileManager.default.currentDirectoryPath
        if path.hasPrefix(current + "/") {
            try self.init(String(path.dropFirst(current.count + 1)), under: URL(fileURLWithPath: current))
        } else {
            try self.init(url.lastPathComponent, under: url.deletingLastPathComponent())
        }
    }

    /// `url` below `root`, which must hold it.
    public init(_ url: URL, under root: URL) throws {
        let path = url.standardizedFileURL.path
        let base = root.standardizedFileURL.path
        guard path.hasPrefix(base == "/" ? "/" : base + "/") else {
            throw ModelGateError.badInput("\(Escape.control(path)) is outside \(Escape.control(base))")
        }
        try self.init(String(path.dropFirst(base == "/" ? 1 : base.count + 1)), under: root)
    }

    public var url: URL { components.reduce(root) { $0.appendingPathComponent($1) } }

    /// Opens the folder that holds the file, walking down from `root` without following a link (refused,
    /// as is a component that is not a folder). A missing folder is created when `create`; otherwise the
    /// walk stops there and gives nil, as it does when `root` itself is missing. The caller closes the
    /// descriptor.
    func openParent(create: Bool) throws -> Int32? {
        var descriptor = open(root.path, O_DIRECTORY | O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT && !create { return nil }
            throw ModelGateError.environment("cannot open \(root.path): \(errnoMessage())")
        }
        var walked = root
        for component in components.dropLast() {
            walked.appendPathComponent(component)
            var next = openat(descriptor, component, O_DIRECTORY | O_NOFOLLOW | O_RDONLY | O_CLOEXEC)
            if next < 0 && errno == ENOENT {
                guard create else {
                    close(descriptor)
                    return nil
                }
                if mkdirat(descriptor, component, 0o755) != 0 && errno != EEXIST {
                    close(descriptor)
                    throw ModelGateError.environment("cannot create \(walked.path): \(errnoMessage())")
                }
                next = openat(descriptor, component, O_DIRECTORY | O_NOFOLLOW | O_RDONLY | O_CLOEXEC)
            }
            let failure = errno
            if next < 0 {
                let problem = Self.problem(descriptor, component, errno: failure, at: walked)
                close(descriptor)
                throw problem
            }
            close(descriptor)
            descriptor = next
        }
        return descriptor
    }

    /// Refuses a link among the existing folders of the path and at the file itself, writing nothing: for
    /// writers that place a whole folder (`AtomicFolder`) or check before they start.
    public func refuseLinks() throws {
        guard let directory = try openParent(create: false) else { return }
        defer { close(directory) }
        try refuseLink(in: directory)
    }

    /// Refuses a link where the file itself goes.
    private func refuseLink(in directory: Int32) throws {
        var status = stat()
        // Force unwrap: init refuses an empty path, so there is a last component.
        if fstatat(directory, components.last!, &status, AT_SYMLINK_NOFOLLOW) == 0, status.st_mode & S_IFMT == S_IFLNK {
            throw Self.linkError(url)
        }
    }

    /// Writes `data` atomically: written and flushed as an unnamed file of the folder (`O_TMPFILE`, where
    /// the file system and `/proc` allow it), given a temporary name only once complete, then renamed over
    /// the file; a kill leaves a temporary sibling (`.<name>.<uuid>.tmp`) only between those two calls.
    /// Elsewhere the temporary sibling is created by name and written. A link where the file is refused.
    /// `permissions` sets the mode (else 0666 less the umask, as any new file).
    public func write(_ data: Data, permissions: mode_t? = nil) throws {
        // Force unwrap: never nil when creating.
        let directory = try openParent(create: true)!
        defer { close(directory) }
        try refuseLink(in: directory)
        // Force unwrap: the initialisers refuse an empty path.
        let name = components.last!
        let temporary = Self.temporaryName(for: name)
        let mode = permissions ?? 0o666
        do {
            let unnamed = openat(directory, ".", Self.unnamedFile | O_WRONLY | O_CLOEXEC, mode)
            if unnamed >= 0 {
                defer { close(unnamed) }
                try Self.fill(unnamed, with: data, permissions: permissions)
                if linkat(AT_FDCWD, "/proc/self/fd/\(unnamed)", directory, temporary, AT_SYMLINK_FOLLOW) != 0 {
                    // No /proc: write it again, by name.
                    try writeNamed(data, temporary: temporary, in: directory, mode: mode, permissions: permissions)
                }
            } else {
                try writeNamed(data, temporary: temporary, in: directory, mode: mode, permissions: permissions)
            }
            CrashPoint.reach("file: temporary sibling complete, not renamed")
            guard renameat(directory, temporary, directory, name) == 0 else { throw Failure(errnoMessage()) }
            CrashPoint.reach("file: renamed into place")
        } catch let failure as Failure {
            unlinkat(directory, temporary, 0)
            throw ModelGateError.environment("cannot write \(url.path): \(failure.message)")
        }
    }

    /// Why a write failed: the system's message.
    private struct Failure: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// Creates `temporary` in `directory` exclusively and fills it.
    private func writeNamed(
        _ data: Data, temporary: String, in directory: Int32, mode: mode_t, permissions: mode_t?
    ) throws {
        let file = openat(directory, temporary, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode)
        guard file >= 0 else { throw Failure(errnoMessage()) }
        defer { close(file) }
        try Self.fill(file, with: data, permissions: permissions)
    }

    /// Writes all of `data` to `file`, sets its mode when given, and flushes it to disk.
    private static func fill(_ file: Int32, with data: Data, permissions: mode_t?) throws {
        var failure: String?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                // Force unwrap: the loop runs only while bytes remain, so the buffer has an address.
                let written = Foundation.write(file, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errnoMessage()
                    return
                }
                offset += written
            }
        }
        if let failure { throw Failure(failure) }
        if let permissions, fchmod(file, permissions) != 0 { throw Failure(errnoMessage()) }
        if fsync(file) != 0 { throw Failure(errnoMessage()) }
    }

    /// `O_TMPFILE`: an unnamed regular file in the folder opened (the flag includes `O_DIRECTORY`).
    static let unnamedFile: Int32 = 0o20_000_000 | O_DIRECTORY

    /// The name a write of `name` goes through: `.<name>.<uuid>.tmp`.
    static func temporaryName(for name: String) -> String { ".\(name).\(UUID().uuidString).tmp" }

    /// Whether `entry` is a temporary sibling of `name` that a killed write left behind.
    public static func isLeftover(_ entry: String, of name: String) -> Bool {
        entry.hasPrefix(".\(name).") && entry.hasSuffix(".tmp") && entry.utf8.count == name.utf8.count + 42
    }

    static func linkError(_ url: URL) -> ModelGateError {
        .badInput("\(Escape.control(url.path)) is a symbolic link; modelgate never writes through a link")
    }

    /// Why `component` could not be opened as a folder: a link, not a folder, or the system's reason.
    static func problem(_ directory: Int32, _ component: String, errno failure: Int32, at url: URL) -> ModelGateError {
        var status = stat()
        if fstatat(directory, component, &status, AT_SYMLINK_NOFOLLOW) == 0 {
            if status.st_mode & S_IFMT == S_IFLNK { return linkError(url) }
            if status.st_mode & S_IFMT != S_IFDIR {
                return .badInput("\(Escape.control(url.path)) is not a folder")
            }
        }
        return .environment("cannot open \(url.path): \(String(cString: strerror(failure)))")
    }
}

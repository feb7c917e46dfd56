import Crypto
import Foundation

/// A version's training-data profile, `profiles/<model>/<version>.json`: the profile of every CSV file of
/// its training data, as `record` writes it and `repro` computes it again from the verified data. Its
/// bytes are evidence: the manifest records their sha256 (`profile: {path, sha256}`), and so does a
/// signed reproduction (`predicate.profile`).
public struct VersionProfile: Sendable {
    public var path: String
    public var bytes: Data
    /// The profiles it holds, by data path, columns in the order of each file's header.
    public var profiles: [(path: String, profile: DataProfile)] = []
    public var sha256: String { Hex.encode(SHA256.hash(data: bytes)) }

    /// `profiles/<model>/<version>.json`.
    public static func path(model: String, version: String) -> String { "profiles/\(model)/\(version).json" }

    /// The profiles of a `profiles/<model>/<version>.json` file, by data path (`data` nil: the file is missing).
    public static func profiles(in data: Data?, path: String) throws -> [String: DataProfile] {
        guard let data else {
            throw ModelGateError.badInput("\(path) is missing: record writes it (or `modelgate profile`)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let files = object["data"] as? [String: Any], !files.isEmpty
        else { throw ModelGateError.badInput("\(path) is not a JSON object with \"data\" profiles") }
        var result: [String: DataProfile] = [:]
        for (key, value) in files { result[key] = try DataProfile.decode(value, name: "\(path) (\(key))") }
        return result
    }

    /// The profile of the CSV files among `files`, read as they were verified (`checks`, in the same order):
    /// from Git at `commit`, or from the working tree at `root`. Nil when no data file is a CSV file.
    static func compute(
        model: String, version: String, files: [DataFile], verified checks: [ReproReport.DataCheck],
        at commit: ObjectID, in repository: Repository
    ) throws -> VersionProfile? {
        var profiles: [(path: String, profile: DataProfile)] = []
        let tree = try repository.treeID(ofCommit: commit)
        for (file, check) in zip(files, checks) where file.path.lowercased().hasSuffix(".csv") {
            if check.source == .git, let entry = try repository.entry(at: file.path, inTree: tree), entry.isFile {
                // The committed bytes, whatever the working copy holds now.
                let url = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "modelgate-profile-\(UUID().uuidString).csv")
                try repository.blob(entry.id).write(to: url)
                defer { try? FileManager.default.removeItem(at: url) }
                profiles.append((file.path, try Profiler.profile(url.path)))
            } else if let root = repository.workingDirectory {
                profiles.append((file.path, try Profiler.profile(root.appendingPathComponent(file.path).path)))
            }
        }
        guard !profiles.isEmpty else { return nil }
        return VersionProfile(
            path: path(model: model, version: version),
            bytes: Data(
                JSONValue.object([("data", .object(profiles.map { ($0.path, $0.profile.json) }))]).rendered().utf8),
            profiles: profiles)
    }

    /// What `serving.inputs` would be if the model took the training data's columns as they are: the first
    /// profiled file's header, without the training target; numeric columns `double`, others `string`.
    public func proposedInputs(target: String?) -> [(name: String, type: String)] {
        guard let first = profiles.first?.profile else { return [] }
        return first.columns.filter { $0.name != target }.map { column in
            if case .numeric = column.column { return (column.name, "double") }
            return (column.name, "string")
        }
    }

    /// Why the bytes at `path` are not the recorded profile, or nil when their sha256 is `recorded`.
    static func mismatch(_ content: TrackedContent, recorded: DataFile) -> String? {
        switch content {
        case .tracked(let sha256, _) where sha256 == recorded.sha256: nil
        case .tracked(let sha256, _):
            "\(recorded.path) has sha256 \(sha256), not the \(recorded.sha256 ?? "(none)") its manifest records: the profile changed after it was recorded"
        case .untracked: "\(recorded.path) is missing: its manifest records a profile"
        case .lfsPointer: "\(recorded.path) is a Git LFS pointer; a profile is committed as JSON"
        case .unverifiable(let why): why
        }
    }
}

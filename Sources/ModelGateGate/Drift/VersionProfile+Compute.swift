import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

extension VersionProfile {
    /// The profile of the CSV files among `files`, read from where they were verified: from Git at `commit`
    /// when `committed`, else from `untracked` (a training Job's download folder), else from the working
    /// tree. Nil when no data file is a CSV file.
    package static func compute(
        model: String, version: String, files: [(path: String, committed: Bool)], at commit: ObjectID,
        in repository: Repository, untracked: URL? = nil
    ) throws -> VersionProfile? {
        var profiles: [(path: String, profile: DataProfile)] = []
        let tree = try repository.treeID(ofCommit: commit)
        for file in files where file.path.lowercased().hasSuffix(".csv") {
            if file.committed, let entry = try repository.entry(at: file.path, inTree: tree), entry.isFile {
                // The committed bytes, whatever the working copy holds now.
                let url = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "modelgate-profile-\(UUID().uuidString).csv")
                try repository.blob(entry.id).write(to: url)
                defer { try? FileManager.default.removeItem(at: url) }
                profiles.append((file.path, try Profiler.profile(url.path)))
            } else if let root = untracked ?? repository.workingDirectory {
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
}

import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// Creates registries: an empty one (`modelgate init`) or the example with its Git history (`--example`).
public struct RegistryInitializer {
    /// What `init` did.
    public struct Outcome: Sendable {
        public var root: URL
        public var createdRepository: Bool
        public var commits: [ObjectID]
        public var files: [String]
    }

    public init() {}

    /// The text of a new registry's `modelgate.yaml`.
    public static let defaultSettings = """
        apiVersion: modelgate/v1
        kind: Registry
        stages: [development, staging, production, archived]
        ungated: []
        environment:
          probes:
            python: python3 -c "import sys; print(sys.version.split()[0])"
        image:
          registry: registry.example.com/models
          base: python:3.11.7-slim

        """

    public func initialize(at directory: URL, example: Bool) throws -> Outcome {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        let root = directory.standardizedFileURL
        if fileManager.fileExists(atPath: root.appendingPathComponent(RegistrySettings.path).path) {
            throw ModelGateError.badInput("\(root.path) already has a modelgate.yaml")
        }
        let existing = fileManager.fileExists(atPath: root.appendingPathComponent(".git").path)
        let repository =
            existing ? try RegistryRepository.open(at: root.path, search: false) : try Repository.create(at: root.path)
        if example {
            guard try repository.referenceTarget("HEAD") == nil else {
                throw ModelGateError.badInput(
                    "--example needs a new folder or an empty repository; \(root.path) has commits")
            }
            let commits = try ExampleHistory.write(into: repository)
            let files = ExampleHistory.finalFiles.map(\.path)
            return Outcome(root: root, createdRepository: !existing, commits: commits, files: files)
        }
        var files: [FileChange] = [FileChange(path: RegistrySettings.path, contents: Data(Self.defaultSettings.utf8))]
        files += EmbeddedFiles.starterPolicies.map {
            FileChange(path: RegistryLayout.policy(file: $0.path), contents: $0.data)
        }
        files.append(FileChange(path: "\(RegistryLayout.models)/.gitkeep", contents: Data()))
        var commits: [ObjectID] = []
        if existing {
            for file in files {
                try AtomicFile.write(file.contents ?? Data(), to: root.appendingPathComponent(file.path), under: root)
            }
        } else {
            let signature =
                repository.defaultSignature() ?? Signature(name: "modelgate", email: "modelgate@localhost")
            let commit = try repository.createCommit(
                changing: files, parent: nil, message: "Create modelgate registry\n", author: signature,
                committer: signature)
            try repository.updateReference("refs/heads/main", to: commit, expecting: nil, log: "modelgate init")
            try repository.syncWorkingTree(paths: files.map(\.path), toCommit: commit)
            commits.append(commit)
        }
        return Outcome(root: root, createdRepository: !existing, commits: commits, files: files.map(\.path))
    }
}

import Foundation
import ModelGateKit

/// A registry in a real Git repository, built file by file with the `git` CLI, for tests.
///
/// Starts as a small valid registry (settings, one model `churn` with two versions, a production policy);
/// tests overwrite or add files, then `commit`.
public final class FixtureRegistry: @unchecked Sendable {
    public let scratch: ScratchDirectory
    public var url: URL { scratch.url }
    public var path: String { scratch.path }

    /// An empty repository on branch `main` with a configured author.
    public init(empty: Bool = false) throws {
        scratch = ScratchDirectory("modelgate-fixture")
        try Shell.git(["init", "-q", "-b", "main"], in: url)
        try Shell.git(["config", "user.name", "Fixture Author"], in: url)
        try Shell.git(["config", "user.email", "fixture@example.com"], in: url)
        try Shell.git(["config", "commit.gpgsign", "false"], in: url)
        if !empty {
            for (path, text) in Self.baseFiles { try write(path, text) }
            try commit("Create registry")
        }
    }

    /// Writes (or overwrites) a file in the working tree.
    public func write(_ path: String, _ text: String) throws {
        try write(path, data: Data(text.utf8))
    }

    public func write(_ path: String, data: Data) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    public func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: url.appendingPathComponent(path))
    }

    public func read(_ path: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(path), encoding: .utf8)
    }

    /// Stages everything and commits; returns the new commit id.
    @discardableResult
    public func commit(_ message: String, author: String? = nil, date: String? = nil) throws -> String {
        try Shell.git(["add", "-A"], in: url)
        var environment: [String: String] = [:]
        if let date {
            environment["GIT_AUTHOR_DATE"] = date
            environment["GIT_COMMITTER_DATE"] = date
        }
        var arguments = ["commit", "-q", "--allow-empty", "-m", message]
        if let author { arguments += ["--author", author] }
        try Shell.git(arguments, in: url, environment: environment)
        return try Shell.git(["rev-parse", "HEAD"], in: url)
    }

    public func git(_ arguments: String...) throws -> String { try Shell.git(arguments, in: url) }

    /// A model `name` that `record` can train: `model.yaml` with training defaults running `command` in
    /// `training/<name>` (which holds `trainer` as `train.py` and ignores `out/`), reading the tracked
    /// `data/<data.name>`, writing `out/<artifact>` and `out/metrics.json`.
    public func writeTrainableModel(
        _ name: String, trainer: String, command: [String] = ["python3", "train.py"],
        data: (name: String, text: String), artifact: String
    ) throws {
        let words = command.map { "\"\($0)\"" }.joined(separator: ", ")
        try write(
            "models/\(name)/model.yaml",
            Self.model.replacingOccurrences(of: "name: churn", with: "name: \(name)")
                + """
                training:
                  workdir: training/\(name)
                  command: [\(words)]
                  data: [{path: data/\(data.name)}]
                  outputs: {model: out/\(artifact), metrics: out/metrics.json}

                """)
        try write("training/\(name)/train.py", trainer)
        try write("training/\(name)/.gitignore", "out/\n")
        try write("data/\(data.name)", data.text)
    }

    /// Runs the built `modelgate` in the registry.
    public func modelgate(_ arguments: String..., environment: [String: String] = [:]) throws -> ProcessResult {
        try Shell.modelgate(arguments, in: url, environment: environment)
    }

    public func repository() throws -> Repository { try Repository.open(at: path) }

    /// Loads the registry at `ref` through ModelGateKit.
    public func load(_ ref: String = "HEAD") throws -> Registry {
        let repository = try repository()
        return try RegistryLoader(repository: repository).load(at: repository.resolveCommit(ref))
    }

    /// The error diagnostics of the registry at HEAD, as `path:line:column: message` strings.
    public func problems(_ ref: String = "HEAD") throws -> [String] {
        try load(ref).diagnostics.map { d in d.location.map { "\($0): \(d.message)" } ?? d.message }
    }

    // MARK: - The starting registry

    public static let settings = """
        apiVersion: modelgate/v1
        kind: Registry
        stages: [development, staging, production, archived]

        """

    public static let model = """
        apiVersion: modelgate/v1
        kind: Model
        name: churn
        owner: ml@example.com
        serving:
          runtime: sklearn
          port: 8080

        """

    public static let hash = String(repeating: "ab", count: 32)

    /// A manifest for `churn@version` with the given metrics.
    public static func manifest(
        _ version: String, model: String = "churn", auc: Double = 0.9, accuracy: Double = 0.85, extra: String = ""
    ) -> String {
        """
        apiVersion: modelgate/v1
        kind: ModelVersion
        model: \(model)
        version: \(version)
        created: 2026-11-20T10:00:00Z
        artifact:
          uri: artifacts/\(model)-\(version).bin
          sha256: \(hash)
        metrics:
          auc: \(auc)
          accuracy: \(accuracy)
        slices:
          region=eu: {auc: \(auc - 0.01)}
        training:
          command: [python3, train.py]
          workdir: training/\(model)
          seed: 42
          data:
            - {path: data/\(model).csv, sha256: \(hash)}
        \(extra)
        """
    }

    public static func stages(_ assignments: [String: String], model: String = "churn") -> String {
        StageAssignments.render(model: model, stages: assignments, ladder: RegistrySettings.defaultStages)
    }

    public static let productionPolicy = """
        apiVersion: modelgate/v1
        kind: Policy
        name: production-gate
        appliesTo:
          stages: [production]
          models: ["*"]
        rules:
          - metric: auc
            min: 0.85
          - metric: auc
            baseline: production
            direction: higher
            maxRegression: 0.01
          - require: artifactHash

        """

    public static let baseFiles: [(String, String)] = [
        ("modelgate.yaml", settings),
        ("models/churn/model.yaml", model),
        ("models/churn/versions/1.0.0.yaml", manifest("1.0.0", auc: 0.88)),
        ("models/churn/versions/1.1.0.yaml", manifest("1.1.0", auc: 0.9)),
        ("models/churn/stages.yaml", stages(["production": "1.0.0", "staging": "1.1.0"])),
        ("policies/production-gate.yaml", productionPolicy),
    ]
}

import Crypto
import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

extension Recorder {
    /// What in an MLflow store a version is recorded from.
    public enum MLflowSource: Sendable {
        /// `--run-id ID [--artifact PATH]`: the run's one artifact file (or the one at PATH).
        case run(id: String, artifact: String?)
        /// `--model models:/NAME/VERSION|models:/NAME@ALIAS`: the registered model's folder, `MLmodel`
        /// included, hashed as a folder; parameters and metrics from the run that logged it.
        case model(String)
    }

    /// `record MODEL@VERSION --from-mlflow URI (--run-id ID | --model REF) [--data PATH]...`: a manifest
    /// from an MLflow run instead of a training: its parameters, each metric's latest value, the run's
    /// `mlflow.source.git.commit` tag as `lineage.commit`, `lineage.run: mlflow:<id>`, the artifact (a file,
    /// or a logged model's folder), copied and hashed, and the data files given, with their sha256.
    ///
    /// Long on purpose: one run's import in order (parameters, metrics, artifact, data), sharing the request's state.
    public func importRun(_ request: Request, store uri: String, source: MLflowSource, data: [String] = []) throws
        -> Outcome
    {
        let (root, _, registry, model, manifestPath) = try prepare(request)
        let run: MLflowRun
        let artifact: URL
        let registered: MLflowModel?
        switch source {
        case .run(let id, let path):
            run = try MLflowStore.run(id, in: uri)
            artifact = try MLflowStore.artifact(of: run, path: path)
            registered = nil
        case .model(let reference):
            let found = try MLflowStore.model(reference, in: uri)
            run = try MLflowStore.run(found.runID, in: uri)
            artifact = found.folder
            registered = found
        }
        guard !run.metrics.isEmpty else { throw ModelGateError.badInput("MLflow run \(run.id) logged no metric") }
        // A registered model's folder is copied as `model`, MLflow's usual name for it.
        let name = registered == nil ? artifact.lastPathComponent : "model"
        let artifactPath = request.artifactPath ?? "artifacts/\(request.model)/\(request.version)/\(name)"
        if let problem = RepositoryPath.problem(artifactPath) {
            throw ModelGateError.badInput("--artifact-path \(Quoted(artifactPath)) \(problem)")
        }
        let files: [(String, Data)]
        let size: Int?
        let sha256: String
        if registered != nil {
            files = try MLflowStore.files(under: artifact).map { relative in
                try ConfinedPath(relative, under: artifact).refuseLinks()
                return (
                    "\(artifactPath)/\(relative)", try RegularFile.read(artifact.appendingPathComponent(relative).path)
                )
            }
            guard !files.isEmpty else {
                throw ModelGateError.badInput("the MLflow model's folder \(artifact.path) is empty")
            }
            size = nil
            sha256 = try FileHasher().hash(at: artifact.path)
        } else {
            let bytes = try RegularFile.read(artifact.path)
            files = [(artifactPath, bytes)]
            size = bytes.count
            sha256 = Hex.encode(SHA256.hash(data: bytes))
        }
        var training = Training.environmentOnly
        training.params = run.parameters
        training.data = try data.map { path in
            if let problem = RepositoryPath.problem(path) {
                throw ModelGateError.badInput("--data \(Quoted(path)) \(problem)")
            }
            try ConfinedPath(path, under: root).refuseLinks()
            let sha256 = try FileHasher().hash(at: root.appendingPathComponent(path).path)
            return DataFile(path: path, sha256: sha256, location: SourceLocation(path: manifestPath))
        }
        let gitCommit = run.tags["mlflow.source.git.commit"].flatMap { Hex.isLowercase($0, count: 40) ? $0 : nil }
        // The run's commit is the version's source where this repository holds it.
        training.source = gitCommit.flatMap { ObjectID(hex: $0) }.flatMap {
            (try? repository.commit($0)) == nil ? nil : $0
        }
        let record = ManifestWriter.Record(
            model: request.model, version: request.version,
            created: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)),
            description: request.description, artifactURI: artifactPath,
            artifactSHA256: sha256,
            artifactSize: size, metrics: run.metrics, slices: [], training: training,
            parent: Self.parent(in: model, ladder: registry.settings.stages), run: "mlflow:\(run.id)", commit: gitCommit
        )
        var outcome = try write(record, artifact: files, manifestPath: manifestPath, root: root)
        outcome.notes = run.notes
        return outcome
    }
}

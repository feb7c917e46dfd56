import Crypto
import Foundation

extension Recorder {
    /// `record MODEL@VERSION --from-mlflow URI --run-id ID`: a manifest from an MLflow run instead of a
    /// training: its parameters, each metric's latest value, the run's `mlflow.source.git.commit` tag as
    /// `lineage.commit`, `lineage.run: mlflow:<id>`, and the artifact it logged, copied and hashed.
    public func importRun(_ request: Request, store uri: String, runID: String, artifact: String?) throws -> Outcome {
        let (root, _, registry, model, manifestPath) = try prepare(request)
        let run = try MLflowStore.run(runID, in: uri)
        let source = try MLflowStore.artifact(of: run, path: artifact)
        let bytes = try RegularFile.read(source.path)
        guard !run.metrics.isEmpty else { throw ModelGateError.badInput("MLflow run \(runID) logged no metric") }
        let artifactPath =
            request.artifactPath ?? "artifacts/\(request.model)/\(request.version)/\(source.lastPathComponent)"
        if let problem = RepositoryPath.problem(artifactPath) {
            throw ModelGateError.badInput("--artifact-path \(Quoted(artifactPath)) \(problem)")
        }
        var training = Training.environmentOnly
        training.params = run.parameters
        let gitCommit = run.tags["mlflow.source.git.commit"].flatMap { Hex.isLowercase($0, count: 40) ? $0 : nil }
        let record = ManifestWriter.Record(
            model: request.model, version: request.version,
            created: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)),
            description: request.description, artifactURI: artifactPath,
            artifactSHA256: Hex.encode(SHA256.hash(data: bytes)),
            artifactSize: bytes.count, metrics: run.metrics, slices: [], training: training,
            parent: Self.parent(in: model, ladder: registry.settings.stages), run: "mlflow:\(run.id)", commit: gitCommit
        )
        return try write(record, artifact: bytes, manifestPath: manifestPath, root: root)
    }
}

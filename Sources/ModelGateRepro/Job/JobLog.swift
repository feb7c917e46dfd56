import Foundation
import ModelGateGate
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// The attestation a retraining Job's last step prints, as one JSON line of its log, and `repro --collect`,
/// which reads it back into `attestations/<model>/<version>.json` once it has checked it.
///
/// The line: `{"kind":"modelgate.dev/attestation/v1","path":"attestations/…json","envelope":"<base64>"}`,
/// the envelope's bytes exactly as `repro --record --sign` writes them into the file.
public enum JobLog {
    public static let kind = "modelgate.dev/attestation/v1"

    static func line(path: String, envelope: JSONValue) -> String {
        JSONValue.object([
            ("kind", .string(kind)), ("path", .string(path)),
            ("envelope", .string(Data(envelope.rendered().utf8).base64EncodedString())),
        ]).renderedOnOneLine() + "\n"
    }

    /// The attestation in `log`: its path and its bytes. Exactly one such line must be there (a pod's log
    /// may hold anything else around it).
    public static func attestation(in log: String) throws -> (path: String, bytes: Data) {
        var found: [(String, Data)] = []
        for line in log.split(whereSeparator: \.isNewline) where line.hasPrefix("{") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["kind"] as? String == kind
            else { continue }
            guard let path = object["path"] as? String, let encoded = object["envelope"] as? String,
                let bytes = Data(base64Encoded: encoded)
            else { throw ModelGateError.badInput("the log's attestation line is malformed") }
            found.append((path, bytes))
        }
        guard found.count == 1, let only = found.first else {
            throw ModelGateError.badInput(
                found.isEmpty
                    ? "the log holds no attestation line (kind \(kind)): did the Job's attest step run?"
                    : "the log holds \(found.count) attestation lines: collect the attest step's log alone")
        }
        return only
    }

    /// Checks the attestation in `log` as the gate would, against the registry at `ref` and the attestors
    /// at the trusted ref `base`, and writes it into the working tree, atomically. Returns its path and what
    /// the check found.
    public static func collect(_ log: String, in repository: Repository, ref: String, base: String) throws -> (
        path: String, verdict: String, signers: [String]
    ) {
        let (claimed, bytes) = try attestation(in: log)
        let statement: DSSEEnvelope
        switch DSSEEnvelope.decode(bytes) {
        case .success(let envelope): statement = envelope
        case .failure(let problem):
            throw ModelGateError.badInput("the log's attestation is not a DSSE envelope: \(problem)")
        }
        guard let payload = try? JSONSerialization.jsonObject(with: statement.payload) as? [String: Any],
            let predicate = payload["predicate"] as? [String: Any], let model = predicate["model"] as? String,
            let version = predicate["version"] as? String, Names.isValid(model), SemanticVersion(version) != nil
        else { throw ModelGateError.badInput("the log's attestation names no model and version") }
        // The path is modelgate's own for the model and version the statement names, whatever the line says.
        let path = AttestationCheck.path(model: model, version: version)
        guard claimed == path else {
            throw ModelGateError.badInput("the log's attestation line names \(Quoted(claimed)), not \(path)")
        }
        let commit = try repository.resolveCommit(ref)
        let registry = try RegistryLoader(repository: repository).load(models: [model], at: commit)
        let manifest = try registry.version(model, version, in: repository)
        var gate = try Gate.judging(registry, base: nil, rulesAt: repository.resolveCommit(base), in: repository)
        gate.evidence = WithFile(gate.evidence, path: path, bytes: bytes)
        let (verdict, signers): (String, [String])
        switch gate.attestation(of: manifest).check {
        case .valid(let checked, let by): (verdict, signers) = (checked, by)
        case .problem(let why): throw ModelGateError.badInput("the Job's attestation does not hold: \(why)")
        }
        guard let root = repository.workingDirectory else {
            throw ModelGateError.badInput("--collect writes into the working tree, and this repository has none")
        }
        try AtomicFile.write(bytes, to: root.appendingPathComponent(path), under: root)
        return (path, verdict, signers)
    }

    /// What the repository holds, and one more file: the attestation being collected, as if committed.
    private struct WithFile: Evidence {
        let base: any Evidence
        let path: String
        let bytes: Data

        init(_ base: any Evidence, path: String, bytes: Data) {
            self.base = base
            self.path = path
            self.bytes = bytes
        }

        func file(_ path: String) -> Data? { path == self.path ? bytes : base.file(path) }
        func content(at path: String) -> TrackedContent { base.content(at: path) }
        func treeID(at path: String) -> ObjectID? { base.treeID(at: path) }
        func entry(at path: String) -> TreeEntry? { base.entry(at: path) }
        func fileNames(in folder: String) -> [String] { base.fileNames(in: folder) }
        func source(_ commit: ObjectID) -> SourceLookup { base.source(commit) }
    }
}

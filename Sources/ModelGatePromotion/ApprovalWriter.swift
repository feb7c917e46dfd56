import Foundation
import ModelGateGate
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// `modelgate approve MODEL@VERSION --to STAGE --key KEY`: signs the version's entry into the stage with the
/// approver's SSH key, natively (no `ssh-keygen`, no agent), for the manifest at HEAD, and writes the
/// signature to `approvals/<model>/<version>/<stage>/<name>.sig` in the working tree, for the approver to
/// commit on the pull request's branch.
public struct ApprovalWriter {
    /// What was written.
    public struct Outcome: Sendable {
        public var path: String
        public var name: String
        public var manifestBlob: ObjectID
        public var fingerprint: String
    }

    public let repository: Repository
    /// The largest key file read.
    static let maximumKeyBytes = 64 << 10

    public init(repository: Repository) { self.repository = repository }

    public func approve(model: String, version: String, stage: String, key keyPath: String, name given: String?) throws
        -> Outcome
    {
        guard let root = repository.workingDirectory else {
            throw ModelGateError.badInput("approve writes into the working tree, and this repository has none")
        }
        let head = try repository.resolveCommit("HEAD")
        let registry = try RegistryLoader(repository: repository).load(models: [model], at: head)
        let manifest = try registry.version(model, version, in: repository)
        try RegistrySettings.requireStage(stage, on: registry.settings.stages)
        guard let blob = manifest.blob else {
            throw ModelGateError.badInput(
                "\(manifest.path) is not committed at HEAD: an approval signs a committed manifest")
        }
        let bytes = try RegularFile.read(keyPath)
        guard bytes.count <= Self.maximumKeyBytes else {
            throw ModelGateError.badInput("--key \(Escape.control(keyPath)) is larger than a key file (64 KiB)")
        }
        let key: SSHPrivateKey
        do throws(SSHPublicKey.Problem) {
            key = try SSHPrivateKey(pem: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw ModelGateError.badInput("--key \(Escape.control(keyPath)): \(error.description)")
        }
        let name = try self.name(
            given, for: key.publicKey, approvers: RegistryLoader(repository: repository).rules(at: head).approvers)
        let signature = try key.sign(
            Array(Approval.line(model: model, version: version, stage: stage, manifestBlob: blob).utf8),
            namespace: Approval.namespace)
        let path = RegistryLayout.approval(model: model, version: version, stage: stage, name: name)
        try ConfinedPath(path, under: root).refuseLinks()
        try AtomicFile.write(signature.armored, to: root.appendingPathComponent(path), under: root)
        return Outcome(path: path, name: name, manifestBlob: blob, fingerprint: key.publicKey.fingerprint)
    }

    /// The approver's name: `--name`, or the entry of `trust.approvers` at HEAD holding the key. A name
    /// listed there with another key is refused: the gate would never count the approval.
    func name(_ given: String?, for key: SSHPublicKey, approvers: [TrustedRules.Approver]) throws -> String {
        if let given {
            guard Names.isValid(given) else { throw ModelGateError.badInput(Names.problem(given, what: "--name")) }
            if let entry = approvers.first(where: { $0.name == given }), entry.key != key {
                throw ModelGateError.badInput(
                    "trust.approvers lists \(given) with another key (\(entry.key.fingerprint)), not this one (\(key.fingerprint)): the approval would not count"
                )
            }
            return given
        }
        guard let entry = approvers.first(where: { $0.key == key }) else {
            throw ModelGateError.badInput(
                "the key \(key.fingerprint) is not under trust.approvers at HEAD: pass --name NAME (the name the registry's maintainers list it under)"
            )
        }
        return entry.name
    }
}

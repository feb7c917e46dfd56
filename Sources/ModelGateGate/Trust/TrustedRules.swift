import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// The rules a gate judges with, all read from one commit that the change being judged cannot touch: the
/// settings (ladder, `ungated`, probes, trust, sandbox, waivers), the policies, and the attestors' keys.
///
/// `check --base B` reads them at B, `--policies-from REF` at REF, an audit at head; `RegistryLoader.rules(at:)`
/// is the one way to get them.
public struct TrustedRules: Sendable {
    /// A key whose signed attestations count, with the name `trust.attestors` gives it.
    public struct Attestor: Sendable {
        public var name: String
        public var key: VerifyingKey

        public init(name: String, key: VerifyingKey) {
            self.name = name
            self.key = key
        }
    }

    /// A person whose SSH-signed approvals count, with the name `trust.approvers` gives them.
    public struct Approver: Sendable, Equatable {
        public var name: String
        public var key: SSHPublicKey

        public init(name: String, key: SSHPublicKey) {
            self.name = name
            self.key = key
        }
    }

    /// The commit the rules were read at.
    public var commit: ObjectID
    public var settings: RegistrySettings
    public var policies: [Policy]
    public var attestors: [Attestor]
    /// `trust.approvers` at the trusted ref, their keys read.
    public var approvers: [Approver] = []
    /// Problems in the rule files themselves: each fails the gate.
    public var diagnostics: [Diagnostic]

    public init(
        commit: ObjectID, settings: RegistrySettings, policies: [Policy], attestors: [Attestor],
        diagnostics: [Diagnostic]
    ) {
        self.commit = commit
        self.settings = settings
        self.policies = policies
        self.attestors = attestors
        self.diagnostics = diagnostics
    }

    /// The rules a registry carries itself: for an audit, where head is the trusted ref.
    public init(of registry: Registry, attestors: [Attestor] = []) {
        self.init(
            commit: registry.commit, settings: registry.settings, policies: registry.policies, attestors: attestors,
            diagnostics: [])
    }

    /// Whether `path` is one of the files rules are read from: `modelgate.yaml`, a policy, or a key file
    /// named under `trust`.
    public func governs(_ path: String) -> Bool {
        RegistryLayout.isRules(path)
            || settings.attestors.contains { $0.publicKeyFile == path }
    }
}

extension RegistryLoader {
    /// What the rules at `commit` are read from: `modelgate.yaml`'s blob, the `policies/` tree and each
    /// attestor key file's blob. Two commits with the same fingerprint have the same rules.
    public func rulesFingerprint(at commit: ObjectID) throws -> [ObjectID?] {
        let root = try repository.treeID(ofCommit: commit)
        var bag = DiagnosticBag()
        let settings = try loadSettings(root: root, bag: &bag)
        var ids = [
            try repository.entry(at: RegistrySettings.path, inTree: root)?.id,
            try repository.entry(at: RegistryLayout.policies, inTree: root)?.id,
        ]
        for path in settings.attestors.compactMap(\.publicKeyFile) {
            ids.append(try repository.entry(at: path, inTree: root)?.id)
        }
        return ids
    }

    /// The rules as they are at `commit`: settings, policies read against that commit's own ladder, and the
    /// attestors' keys (a key file that is missing or not a P-256 public key is an error at its entry).
    public func rules(at commit: ObjectID) throws -> TrustedRules {
        let root = try repository.treeID(ofCommit: commit)
        var bag = DiagnosticBag()
        let settings = try loadSettings(root: root, bag: &bag)
        let policies = try loadPolicies(root: root, ladder: settings.stages, bag: &bag)
        var attestors: [TrustedRules.Attestor] = []
        for attestor in settings.attestors {
            var pem = attestor.publicKey
            if let path = attestor.publicKeyFile {
                pem = try repository.entry(at: path, inTree: root).flatMap { entry in
                    try read(entry, path: path, bag: &bag).map { String(decoding: $0, as: UTF8.self) }
                }
                if pem == nil {
                    bag.error(
                        "attestor \(Quoted(attestor.name)): no key file \(path) at \(commit.short)",
                        at: attestor.location)
                    continue
                }
            }
            guard let key = pem.flatMap(VerifyingKey.init(pem:)) else {
                bag.error(
                    "attestor \(Quoted(attestor.name)): not an ECDSA P-256 public key in PEM form",
                    at: attestor.location)
                continue
            }
            attestors.append(TrustedRules.Attestor(name: attestor.name, key: key))
        }
        var approvers: [TrustedRules.Approver] = []
        for approver in settings.approvers {
            do {
                approvers.append(.init(name: approver.name, key: try SSHPublicKey(line: approver.publicKey)))
            } catch {
                bag.error("approver \(Quoted(approver.name)): \(error.description)", at: approver.location)
            }
        }
        var rules = TrustedRules(
            commit: commit, settings: settings, policies: policies, attestors: attestors, diagnostics: bag.sorted)
        rules.approvers = approvers
        return rules
    }
}

import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport
import ModelGateYAML

/// Whether an attestation lets a manifest pass `require: reproducible`, or why it does not.
///
/// Only a DSSE envelope counts, signed by a key of `trust.attestors` at the trusted ref, around an in-toto
/// statement made in the sandbox for the manifest blob, the training tree and the data profile at head,
/// whose verdict is not `failed`. Each way of failing has its own message.
public enum AttestationCheck: Sendable, Equatable {
    /// A signed, bound, passing attestation: its verdict and the attestors whose signatures verified.
    case valid(verdict: String, signers: [String])
    case problem(String)

    /// The in-toto statement type and modelgate's predicate type.
    public static let statementType = "https://in-toto.io/Statement/v1"
    public static let predicateType = "urn:modelgate:repro:v1"

    /// `attestations/<model>/<version>.json`.
    public static func path(model: String, version: String) -> String {
        RegistryLayout.attestation(model: model, version: version)
    }

    /// What an attestation must be bound to: the manifest blob and the training folder's tree at head.
    public struct Binding: Sendable {
        public var manifestBlob: ObjectID?
        public var trainingTree: ObjectID?
        /// The training folder, for messages.
        public var workdir: String
        /// The profile's path and what head holds there, where the manifest records a profile: the
        /// statement's `predicate.profile` must have the same sha256.
        public var profile: (path: String, atHead: TrackedContent)?
        /// The version's `training.source`: the statement's `predicate.source` must name it, and its
        /// `predicate.closure` must be `closure`, the digest of what the source holds (the training tree at
        /// head is then not looked at). Nil for a version recorded without one.
        public var source: ObjectID?
        /// `VersionClosure.digest` at `source`, or nil with `closureProblem` saying why it cannot be read.
        public var closure: String?
        public var closureProblem: String?

        public init(
            manifestBlob: ObjectID?, trainingTree: ObjectID?, workdir: String,
            profile: (path: String, atHead: TrackedContent)? = nil
        ) {
            self.manifestBlob = manifestBlob
            self.trainingTree = trainingTree
            self.workdir = workdir
            self.profile = profile
        }
    }

    /// Checks the attestation bytes at `path` against the trusted attestors and what is at head.
    public static func check(
        _ data: Data?, path: String, binding: Binding, attestors: [TrustedRules.Attestor], target: String
    ) -> AttestationCheck {
        let escapedPath = Escape.control(path)
        guard let data else {
            return .problem("no attestation at \(escapedPath); run modelgate repro \(target) --record --sign KEY")
        }
        guard !attestors.isEmpty else {
            return .problem(
                "no attestor is trusted: list the keys whose attestations count under trust.attestors in modelgate.yaml"
            )
        }
        guard data.count <= YAMLLoader.defaultMaximumBytes else {
            return .problem("attestation \(escapedPath) is larger than 1 MiB")
        }
        let envelope: DSSEEnvelope
        switch DSSEEnvelope.decode(data) {
        case .success(let decoded): envelope = decoded
        case .failure(.notJSON): return .problem("attestation \(escapedPath) is not a JSON object")
        case .failure(.unsignedStatement):
            return .problem(
                "attestation \(escapedPath) is an unsigned statement; only a DSSE envelope signed by a trusted attestor counts (repro --record --sign)"
            )
        case .failure(.malformed(let why)): return .problem("attestation \(escapedPath) is not a DSSE envelope: \(why)")
        }
        guard envelope.payloadType == DSSEEnvelope.inTotoPayloadType else {
            return .problem(
                "attestation \(escapedPath) has payloadType \(Quoted(envelope.payloadType)), not \(DSSEEnvelope.inTotoPayloadType)"
            )
        }
        guard !envelope.signatures.isEmpty else { return .problem("attestation \(escapedPath) carries no signature") }
        let signed = envelope.signedBytes
        var signers: [String] = []
        var badSignatureBy: [String] = []
        for signature in envelope.signatures {
            let named = attestors.filter { $0.key.acceptedKeyIDs.contains(signature.keyID) }
            for attestor in (named.isEmpty ? attestors : named) where !signers.contains(attestor.name) {
                if attestor.key.isValid(signature.signature, for: signed) {
                    signers.append(attestor.name)
                } else if !named.isEmpty {
                    badSignatureBy.append(attestor.name)
                }
            }
        }
        guard !signers.isEmpty else {
            if let name = badSignatureBy.first {
                return .problem(
                    "attestation \(escapedPath) has a bad signature for attestor \(Quoted(name)): the envelope was altered after signing"
                )
            }
            let ids = envelope.signatures.map { String($0.keyID.prefix(16)) }.joined(separator: ", ")
            return .problem(
                "attestation \(escapedPath) is signed by an unknown key (keyid \(Escape.control(ids))); trusted attestors: \(attestors.map(\.name).joined(separator: ", "))"
            )
        }
        return checkStatement(envelope.payload, path: escapedPath, binding: binding, signers: signers)
    }

    private static func checkStatement(_ payload: Data, path: String, binding: Binding, signers: [String])
        -> AttestationCheck
    {
        guard let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any] else {
            return .problem("attestation \(path): the signed payload is not a JSON object")
        }
        guard object["_type"] as? String == statementType else {
            return .problem("attestation \(path) is not an in-toto Statement v1 (_type)")
        }
        guard object["predicateType"] as? String == predicateType else {
            return .problem("attestation \(path) has predicateType other than \(predicateType)")
        }
        guard let predicate = object["predicate"] as? [String: Any],
            let blob = (predicate["manifest"] as? [String: Any])?["blob"] as? String,
            let verdict = predicate["verdict"] as? String
        else {
            return .problem("attestation \(path) lacks predicate.manifest.blob or predicate.verdict")
        }
        guard predicate["sandbox"] as? Bool == true else {
            return .problem(
                "attestation \(path) was made without the sandbox (repro --no-sandbox); only a sandboxed run counts")
        }
        guard let manifestBlob = binding.manifestBlob, blob == manifestBlob.hex else {
            return .problem(
                "attestation \(path) was made for manifest blob \(Escape.control(String(blob.prefix(12)))), not the manifest at head (\(binding.manifestBlob?.short ?? "none")): the manifest changed since"
            )
        }
        if let source = binding.source {
            if let problem = closureProblem(predicate, path: path, source: source, binding: binding) {
                return .problem(problem)
            }
        } else if let problem = treeProblem(predicate, path: path, binding: binding) {
            return .problem(problem)
        }
        if let profile = binding.profile {
            let attested = (predicate["profile"] as? [String: Any])?["sha256"] as? String
            guard let attested else {
                return .problem(
                    "attestation \(path) binds no data profile, and the manifest records \(Escape.control(profile.path)); run repro --record --sign again"
                )
            }
            guard case .tracked(let sha256, _) = profile.atHead, sha256 == attested else {
                return .problem(
                    "attestation \(path) computed profile sha256 \(Escape.control(String(attested.prefix(12)))) from the verified data, and \(Escape.control(profile.path)) at head is not that profile: the profile changed since"
                )
            }
        }
        guard ["reproduced", "reproduced-within-tolerance"].contains(verdict) else {
            return .problem("attestation \(path) says \(Quoted(verdict))")
        }
        return .valid(verdict: verdict, signers: signers)
    }

    /// Why the statement is not bound to the version's closure at its source, or nil where it is.
    private static func closureProblem(
        _ predicate: [String: Any], path: String, source: ObjectID, binding: Binding
    ) -> String? {
        let attested = predicate["source"] as? String
        guard attested == source.hex else {
            let named = attested.map { "source \(Escape.control(String($0.prefix(12))))" } ?? "no source"
            return
                "attestation \(path) was made for \(named), not the version's training.source \(source.short): sign it again"
        }
        guard let closure = binding.closure else {
            return "attestation \(path) cannot be checked: \(binding.closureProblem ?? "the closure cannot be read")"
        }
        guard let recorded = predicate["closure"] as? String, recorded == closure else {
            let named =
                (predicate["closure"] as? String).map { "closure \(Escape.control(String($0.prefix(19))))" }
                ?? "no closure"
            return
                "attestation \(path) binds \(named), not what \(source.short) holds for the training (\(closure.prefix(19))): the statement was made for other code or data"
        }
        return nil
    }

    /// Why the statement of a version without a source is not bound to its training folder at head.
    private static func treeProblem(_ predicate: [String: Any], path: String, binding: Binding) -> String? {
        let tree = (predicate["training"] as? [String: Any])?["tree"] as? String
        guard let trainingTree = binding.trainingTree, tree == trainingTree.hex else {
            let folder = binding.workdir.isEmpty ? "the repository root" : Escape.control(binding.workdir)
            let recorded = tree.map { "tree \(Escape.control(String($0.prefix(12))))" } ?? "no training tree"
            return
                "attestation \(path) was made for \(recorded), not \(folder) at head (\(binding.trainingTree?.short ?? "absent")): the training code changed since"
        }
        return nil
    }
}

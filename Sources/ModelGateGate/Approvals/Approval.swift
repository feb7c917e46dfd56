import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// A named approval: `approvals/<model>/<version>/<stage>/<name>.sig`, an SSH signature (namespace
/// `modelgate-approval`) by an approver of `trust.approvers` over the one line
/// `modelgate-approval v1 <model> <version> <stage> <manifest blob id>\n`. It binds the person, the
/// version's exact manifest and the stage; it lives in Git, so anyone with a clone checks it offline.
public enum Approval {
    /// The SSH signature namespace: a signature made for anything else (a commit, a file) never counts.
    public static let namespace = "modelgate-approval"

    /// The bytes an approver signs.
    public static func line(model: String, version: String, stage: String, manifestBlob: ObjectID) -> String {
        "modelgate-approval v1 \(model) \(version) \(stage) \(manifestBlob.hex)\n"
    }

    /// One approval file as the gate judged it.
    public struct Check: Sendable, Equatable {
        /// The name the file gives (`<name>.sig`).
        public var name: String
        /// The stage it approves entering.
        public var stage: String
        public var path: String
        /// Nil where the approval counts; else why not.
        public var problem: String?

        public var counts: Bool { problem == nil }
    }

    /// Every file of the version's approvals folder for `stage`, judged against `approvers` (read at the
    /// trusted ref) and the manifest blob at head; `ladder` names the other stages, to say where a moved
    /// approval was signed for. Two names with one key count once.
    public static func check(
        model: String, version: String, stage: String, manifestBlob: ObjectID?, approvers: [TrustedRules.Approver],
        ladder: [String], evidence: any Evidence
    ) -> [Check] {
        let folder = RegistryLayout.approvals(model: model, version: version, stage: stage)
        var checks: [Check] = []
        var countedKeys: [SSHPublicKey: String] = [:]
        for file in evidence.fileNames(in: folder) {
            let path = "\(folder)/\(file)"
            let name = file.hasSuffix(".sig") ? String(file.dropLast(4)) : file
            var check = Check(name: name, stage: stage, path: path)
            check.problem = problem(
                of: evidence.file(path), named: name, file: file, model: model, version: version, stage: stage,
                manifestBlob: manifestBlob, approvers: approvers, ladder: ladder)
            if check.counts, let approver = approvers.first(where: { $0.name == name }) {
                if let first = countedKeys[approver.key] {
                    check.problem = "signed with the same key as \(first), which already counts: one person counts once"
                } else {
                    countedKeys[approver.key] = name
                }
            }
            checks.append(check)
        }
        return checks
    }

    /// Every approval of a version, stage by stage of `ladder`: what `show`, `verify` and the site list.
    public static func all(
        of manifest: ModelVersion, approvers: [TrustedRules.Approver], ladder: [String], evidence: any Evidence
    ) -> [Check] {
        ladder.flatMap { stage in
            check(
                model: manifest.model, version: manifest.version.description, stage: stage,
                manifestBlob: manifest.blob, approvers: approvers, ladder: ladder, evidence: evidence)
        }
    }

    // Long on purpose: each way an approval fails to count, in the order they are decided, each with its own word.
    private static func problem(
        of data: Data?, named name: String, file: String, model: String, version: String, stage: String,
        manifestBlob: ObjectID?, approvers: [TrustedRules.Approver], ladder: [String]
    ) -> String? {
        guard file.hasSuffix(".sig"), Names.isValid(name) else {
            return "not an approval: files here are <approver>.sig"
        }
        guard let data else { return "cannot be read (larger than 1 MiB, or not a file)" }
        let signature: SSHSignature
        do {
            signature = try SSHSignature(armored: data)
        } catch {
            return error.description
        }
        guard signature.namespace == namespace else {
            return "signed in namespace \(Quoted(String(signature.namespace.prefix(40)))), not \(namespace)"
        }
        guard let approver = approvers.first(where: { $0.name == name }) else {
            if let owner = approvers.first(where: { $0.key == signature.publicKey }) {
                return "signed with \(owner.name)'s key under the name \(Quoted(name))"
            }
            return "\(Quoted(name)) is not an approver trusted at the base (trust.approvers)"
        }
        guard approver.key == signature.publicKey else {
            return "signed with a key (\(signature.publicKey.fingerprint)) that is not \(name)'s under trust.approvers"
        }
        guard let manifestBlob else { return "the manifest cannot be read at head" }
        let expected = line(model: model, version: version, stage: stage, manifestBlob: manifestBlob)
        if signature.isValid(for: Array(expected.utf8), namespace: namespace) { return nil }
        for other in ladder where other != stage {
            let moved = line(model: model, version: version, stage: other, manifestBlob: manifestBlob)
            if signature.isValid(for: Array(moved.utf8), namespace: namespace) {
                return "signed for \(model) \(version) entering \(Quoted(other)), not \(Quoted(stage))"
            }
        }
        return
            "does not sign \(model) \(version) entering \(Quoted(stage)) with the manifest at head (blob \(manifestBlob.short)): made for another version or manifest (an edited manifest needs new approvals)"
    }
}

extension Approval {
    /// An approval as the JSON reports write it: `{stage, name, path, counts, problem}`.
    public static func json(_ check: Check) -> JSONValue {
        .object([
            ("stage", .string(check.stage)), ("name", .string(check.name)), ("path", .string(check.path)),
            ("counts", .bool(check.counts)), ("problem", .string(check.problem)),
        ])
    }
}

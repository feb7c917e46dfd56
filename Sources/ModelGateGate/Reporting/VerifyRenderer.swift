import Foundation
import ModelGateGit
import ModelGateSupport

/// Renders `verify`: a version's attestation as the gate judges it, with the signer, the verdict it
/// carries and the manifest, training tree and profile it must be bound to.
public struct VerifyRenderer {
    public var target: String
    public var path: String
    public var check: AttestationCheck
    public var binding: AttestationCheck.Binding
    public var manifestPath: String
    /// Where the trusted attestors were read (`--base`, else the ref).
    public var attestorsAt: ObjectID
    /// The version's approvals, judged with the approvers read there (listed; they do not change the exit).
    public var approvals: [Approval.Check] = []

    public init(
        target: String, path: String, check: AttestationCheck, binding: AttestationCheck.Binding,
        manifestPath: String, attestorsAt: ObjectID
    ) {
        self.target = target
        self.path = path
        self.check = check
        self.binding = binding
        self.manifestPath = manifestPath
        self.attestorsAt = attestorsAt
    }

    public var isValid: Bool {
        if case .valid = check { return true }
        return false
    }

    var profileSHA256: String? {
        if case .tracked(let sha256, _)? = binding.profile?.atHead { return sha256 }
        return nil
    }

    public var text: String {
        var rows: [(String, String)] = []
        switch check {
        case .valid(let verdict, let signers):
            rows.append(("signer", signers.joined(separator: ", ")))
            rows.append(("verdict", verdict))
        case .problem(let why):
            rows.append(("problem", why))
        }
        rows.append(("manifest", "\(manifestPath) (blob \(binding.manifestBlob?.hex ?? "none"))"))
        let folder = binding.workdir.isEmpty ? "." : binding.workdir
        rows.append(("training", "\(folder) (tree \(binding.trainingTree?.hex ?? "none"))"))
        rows.append(("source", binding.source?.hex ?? "none recorded: the training is read at head"))
        if binding.source != nil {
            rows.append(("closure", binding.closure ?? binding.closureProblem ?? "none"))
        }
        if let profile = binding.profile {
            rows.append(("profile", "\(profile.path) (sha256 \(profileSHA256 ?? "none"))"))
        }
        rows.append(("attestors", "trust.attestors at \(attestorsAt.short)"))
        for approval in approvals {
            rows.append(
                (
                    "approval",
                    "\(approval.stage) by \(approval.name): "
                        + (approval.problem.map { "does not count, \($0)" } ?? "counts")
                ))
        }
        let lines = rows.map { label, value in
            "  " + (label + ":").padding(toLength: 11, withPad: " ", startingAt: 0) + Escape.control(value) + "\n"
        }
        let verdict = isValid ? "VALID" : "INVALID"
        return "\(verdict) attestation \(Escape.control(path)) of \(target)\n" + lines.joined()
    }

    public var json: JSONValue {
        var signers: [String] = []
        var verdict: String?
        var problem: String?
        switch check {
        case .valid(let carried, let names):
            verdict = carried
            signers = names
        case .problem(let why): problem = why
        }
        return .object([
            ("target", .string(target)), ("attestation", .string(path)), ("valid", .bool(isValid)),
            ("signers", .array(signers.map(JSONValue.string))), ("verdict", .string(verdict)),
            ("problem", .string(problem)),
            ("manifest", .object([("path", .string(manifestPath)), ("blob", .string(binding.manifestBlob?.hex))])),
            (
                "training",
                .object([("workdir", .string(binding.workdir)), ("tree", .string(binding.trainingTree?.hex))])
            ),
            ("source", .string(binding.source?.hex)), ("closure", .string(binding.closure)),
            (
                "profile",
                binding.profile.map { .object([("path", .string($0.path)), ("sha256", .string(profileSHA256))]) }
                    ?? .null
            ),
            ("attestorsAt", .string(attestorsAt.hex)),
            ("approvals", .array(approvals.map(Approval.json))),
        ])
    }
}

extension VerifyRenderer: CommandReport {
    public func rendered(as format: ReportFormat) -> String { format == .json ? json.rendered() : text }
}

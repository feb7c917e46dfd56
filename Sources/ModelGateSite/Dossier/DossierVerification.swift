import ModelGateGate
import ModelGateGit
import ModelGateSupport

/// `modelgate verify --dossier DIR`: a dossier's check as a report.
public struct DossierVerification: CommandReport {
    public var folder: String
    public var check: DossierSums.Check
    /// The commit whose `trust.attestors` were the trusted keys.
    public var attestorsAt: ObjectID

    public init(folder: String, check: DossierSums.Check, attestorsAt: ObjectID) {
        self.folder = folder
        self.check = check
        self.attestorsAt = attestorsAt
    }

    public var isValid: Bool { check.problems.isEmpty }

    public func rendered(as format: ReportFormat) -> String {
        if format == .json {
            return JSONValue.object([
                ("dossier", .string(folder)), ("valid", .bool(isValid)), ("signed", .bool(check.signed)),
                ("signers", .array(check.signers.map(JSONValue.string))),
                ("attestorsAt", .string(attestorsAt.hex)),
                ("problems", .array(check.problems.map(JSONValue.string))),
            ]).rendered()
        }
        var out = "\(isValid ? "VALID" : "INVALID") dossier \(Escape.control(folder))\n"
        for problem in check.problems { out += "  ✘ \(Escape.control(problem))\n" }
        if isValid {
            out +=
                check.signed
                ? "  every file matches SHA256SUMS, signed by \(check.signers.joined(separator: ", ")) (trust.attestors at \(attestorsAt.short))\n"
                : "  every file matches SHA256SUMS; not signed\n"
        }
        return out
    }

    public var quietText: String { isValid ? "" : rendered(as: .text) }
}

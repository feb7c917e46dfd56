import Foundation
import ModelGateGate
import ModelGateGit
import ModelGateSupport

/// Renders `repro`'s progress and verdict for a terminal.
public enum ReproRenderer {
    public static func event(_ event: Reproducer.Event) -> String {
        switch event {
        case .dataChecked(let check):
            let mark = check.ok ? "✔" : "✘"
            let detail =
                if check.ok, let actual = check.actual { "sha256 \(actual.prefix(12))…" } else {
                    "sha256 \(check.actual ?? "unreadable"), recorded \(check.recorded ?? "none")"
                }
            return "data \(mark) \(check.path) (\(check.source.rawValue)) \(detail)\n"
        case .environmentDiffers(let key, let recorded, let now):
            return "environment: \(key) differs: recorded \(recorded ?? "(none)"), now \(now ?? "(none)")\n"
        case .started(let command, let directory, let sandboxed):
            return
                "running \(command.joined(separator: " ")) in \(directory)\(sandboxed ? " (sandbox: bubblewrap, no network)" : " (no sandbox)")\n"
        case .line(let elapsed, let stream, let text):
            return String(format: "[%7.1fs]%@ ", elapsed, stream == .error ? "!" : " ") + text + "\n"
        }
    }

    public static func summary(_ report: ReproReport) -> String {
        var out = ""
        for check in report.metrics {
            let mark = check.ok ? "✔" : "✘"
            out +=
                "metric \(mark) \(check.name): recorded \(JSONValue.format(check.recorded)), reproduced \(check.actual.map(JSONValue.format) ?? "—") (\(check.tolerance))\n"
        }
        if let reproduced = report.reproducedArtifact {
            let same = reproduced == report.recordedArtifact
            out +=
                "artifact \(same ? "✔ identical" : "✘ differs"): sha256 \(reproduced)\(same ? "" : " (recorded \(report.recordedArtifact ?? "none"))")\n"
        }
        if let profile = report.profile {
            let same = report.recordedProfile.map { $0 == profile.sha256 }
            let mark = same.map { $0 ? "✔ identical" : "✘ differs" } ?? "(none recorded)"
            out += "profile \(mark): \(profile.path) sha256 \(profile.sha256)\n"
        }
        out += "verdict: \(report.verdict.rawValue)\n"
        for reason in report.reasons { out += "  - \(reason)\n" }
        return out
    }
}

/// What `repro` found: the reproduction, and the attestation it recorded (its path, and the key that signed
/// it) when asked. Its JSON is the attestation's statement.
public struct ReproOutcome: CommandReport {
    public var report: ReproReport
    public var recorded: String?
    public var signedBy: SigningKey?

    public init(report: ReproReport, recorded: String?, signedBy: SigningKey?) {
        self.report = report
        self.recorded = recorded
        self.signedBy = signedBy
    }

    public func rendered(as format: ReportFormat) -> String {
        if format == .json { return Attestation.statement(report).rendered() }
        let signed = signedBy.map { " (signed, keyid \($0.publicKey.keyID.prefix(16)))" } ?? ""
        return ReproRenderer.summary(report) + (recorded.map { "recorded \($0)\(signed)\n" } ?? "")
    }
}

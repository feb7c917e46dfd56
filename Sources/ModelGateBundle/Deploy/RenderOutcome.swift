import Foundation
import ModelGateGate
import ModelGateGit
import ModelGateSupport

/// What `render` or `render --check` did with the deploy folder: the one value its text and JSON reports
/// are rendered from.
public struct RenderOutcome: Sendable {
    /// The folder as the user named it (or the settings' `deploy.path`).
    public var folder: String
    /// The ref rendered.
    public var ref: String
    /// `--check`: the folder was compared, not written.
    public var check: Bool
    public var result: DeployRenderer.Result
    /// How the folder differed from the render before anything was written.
    public var differences: [FolderDifference]

    public init(
        folder: String, ref: String, check: Bool, result: DeployRenderer.Result, differences: [FolderDifference]
    ) {
        self.folder = folder
        self.ref = ref
        self.check = check
        self.result = result
        self.differences = differences
    }

    /// Why the render is incomplete (a holder's image has no digest), if it is.
    public var problem: String? { result.missingDigestsProblem }

    /// The JSON report.
    public var json: JSONValue {
        .object([
            ("folder", .string(folder)), ("check", .bool(check)),
            ("upToDate", .bool(differences.isEmpty && problem == nil)),
            ("stages", .array(result.stages.map { .string($0) })),
            (
                "holders",
                .array(
                    result.holders.map { holder in
                        .object([
                            ("stage", .string(holder.stage)), ("model", .string(holder.model)),
                            ("version", .string(holder.version)), ("image", holder.image.map { .string($0) } ?? .null),
                        ])
                    })
            ),
            ("images", .object(result.images.images.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("differences", .array(differences.map { .string($0.checkLine) })),
            ("missingDigests", .array(result.missingDigests.map { .string("\($0.model)@\($0.version)") })),
            ("error", .string(problem)),
        ])
    }

    /// The JSON report of a render that failed before it had an outcome, so that a script reading the JSON
    /// always gets JSON: the folder as given (nil for the settings' one), and the error.
    public static func failureJSON(folder: String?, check: Bool, error: String) -> JSONValue {
        .object([
            ("folder", .string(folder)), ("check", .bool(check)), ("upToDate", .bool(false)), ("error", .string(error)),
        ])
    }

    /// The text report: the differences (as found with `--check`, as written without), then a summary;
    /// `quiet` keeps only what `--check` found.
    public func text(quiet: Bool) -> String {
        var text = ""
        for difference in differences where check || !quiet {
            text += (check ? difference.checkLine : difference.writtenLine) + "\n"
        }
        guard !quiet else { return text }
        let summary =
            differences.isEmpty
            ? "\(folder) is up to date"
            : check
                ? "\(folder) differs from the registry at \(ref)"
                : "rendered \(result.stages.joined(separator: ", ")) into \(folder)"
        return text + summary + "\n"
    }
}

extension RenderOutcome: CommandReport {
    public func rendered(as format: ReportFormat) -> String {
        format == .json ? json.rendered() + "\n" : text(quiet: false)
    }

    public var quietText: String { text(quiet: true) }
}

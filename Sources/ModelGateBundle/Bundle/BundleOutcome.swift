import Foundation
import ModelGateGate
import ModelGateRegistry
import ModelGateSupport

/// What `bundle --out` or `bundle --check` did with a rendered bundle: the one value its text and JSON
/// reports are rendered from.
public struct BundleOutcome: Sendable {
    /// Whether the bundle was written, or compared with a folder (and how that folder differs).
    public enum Action: Sendable {
        case wrote
        case checked([FolderDifference])
    }

    /// The folder as the user named it.
    public var folder: String
    public var bundle: RenderedBundle
    public var target: BundleTarget
    public var action: Action

    public init(folder: String, bundle: RenderedBundle, target: BundleTarget, action: Action) {
        self.folder = folder
        self.bundle = bundle
        self.target = target
        self.action = action
    }

    /// The JSON report: what was bundled, then the files written or the differences found.
    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("folder", .string(folder)), ("model", .string(bundle.model)), ("version", .string(bundle.version)),
            ("stage", .string(bundle.stage)), ("target", .string(target.rawValue)),
        ]
        switch action {
        case .wrote:
            fields += [
                ("forced", .bool(bundle.forced)), ("files", .array(bundle.files.keys.sorted().map { .string($0) })),
            ]
        case .checked(let differences):
            fields += [
                ("upToDate", .bool(differences.isEmpty)),
                ("differences", .array(differences.map { .string($0.checkLine) })),
            ]
        }
        return .object(fields)
    }

    /// The text report; `quiet` keeps only the differences.
    public func text(quiet: Bool) -> String {
        switch action {
        case .wrote:
            return quiet
                ? ""
                : "wrote the \(target.rawValue) bundle of \(bundle.model) \(bundle.version) (\(bundle.stage)) to \(folder): \(bundle.files.count) files\n"
        case .checked(let differences):
            let lines = differences.map { $0.checkLine + "\n" }.joined()
            guard differences.isEmpty, !quiet else { return lines }
            return "\(folder) is up to date with \(bundle.model) \(bundle.version)\n"
        }
    }
}

extension BundleOutcome: CommandReport {
    public func rendered(as format: ReportFormat) -> String {
        format == .json ? json.rendered() + "\n" : text(quiet: false)
    }

    public var quietText: String { text(quiet: true) }
}

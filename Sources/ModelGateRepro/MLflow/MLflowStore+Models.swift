import Foundation
import ModelGateSupport

/// A model of MLflow's registry, as `models:/NAME/VERSION` or `models:/NAME@ALIAS` names it: the run that
/// logged it and the folder that holds it (`MLmodel` and the files beside it).
public struct MLflowModel: Sendable {
    public var name: String
    public var version: String
    public var runID: String
    /// The model's folder on disk, inside the store's folder.
    public var folder: URL
}

extension MLflowStore {
    /// The registered model `reference` names in the store at `uri`. MLflow 3 keeps a model logged with
    /// `log_model` apart from the run's artifacts (a "logged model", `models:/m-…`); MLflow 2 registered a
    /// folder of the run's artifacts (`runs:/ID/path`). Only the SQLite store holds the registry.
    ///
    /// Long on purpose: models:/NAME/VERSION and models:/NAME@ALIAS resolved in both kinds of store, one query after
    /// the other.
    public static func model(_ reference: String, in uri: String) throws -> MLflowModel {
        let (name, selector) = try parse(reference)
        guard let path = sqlitePath(uri) else {
            throw ModelGateError.badInput(
                "--model reads MLflow's model registry, which only the SQLite store holds: pass sqlite:///path/mlflow.db"
            )
        }
        let database = try open(path, needing: MLflowSchema.runs + MLflowSchema.registry).database
        let version: String
        switch selector {
        case .version(let number): version = number
        case .alias(let alias):
            guard
                let row = try database.query(
                    "SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?", [name, alias]
                ).first, let found = row[0].text
            else {
                let aliases = try database.query(
                    "SELECT alias FROM registered_model_aliases WHERE name = ? ORDER BY alias", [name]
                ).compactMap { $0[0].text }
                throw ModelGateError.badInput(
                    "MLflow model \(Quoted(name)) has no alias \(Quoted(alias))\(aliases.isEmpty ? "" : "; its aliases are \(aliases.joined(separator: ", "))")"
                )
            }
            version = found
        }
        guard
            let row = try database.query(
                "SELECT run_id, source, storage_location FROM model_versions WHERE name = ? AND version = ?",
                [name, version]
            ).first
        else {
            let versions = try database.query(
                "SELECT version FROM model_versions WHERE name = ? ORDER BY version", [name]
            ).compactMap { $0[0].text }
            throw ModelGateError.badInput(
                versions.isEmpty
                    ? "\(path) has no registered model \(Quoted(name))"
                    : "MLflow model \(Quoted(name)) has no version \(version); it has \(versions.joined(separator: ", "))"
            )
        }
        let source = row[1].text ?? ""
        var runID = row[0].text ?? ""
        var location = row[2].text ?? ""
        if source.hasPrefix("models:/") {
            // MLflow 3: the version points at a logged model, whose row says where it is and which run made it.
            let modelID = String(source.dropFirst("models:/".count))
            if let logged = try database.query(
                "SELECT artifact_location, source_run_id FROM logged_models WHERE model_id = ?", [modelID]
            ).first {
                location = logged[0].text ?? location
                if runID.isEmpty { runID = logged[1].text ?? "" }
            }
        } else if location.isEmpty, source.hasPrefix("runs:/") {
            let parts = source.dropFirst("runs:/".count).split(separator: "/", maxSplits: 1).map(String.init)
            if runID.isEmpty { runID = parts.first ?? "" }
            let run = try sqliteRun(runID, path: path)
            location = run.artifactRoot.appendingPathComponent(parts.count > 1 ? parts[1] : "").path
        } else if location.isEmpty {
            location = source
        }
        guard !runID.isEmpty else {
            throw ModelGateError.badInput(
                "MLflow model \(name) version \(version) names no run, so there are no parameters or metrics to record")
        }
        let folder = try artifactRoot(location, storeFolder: URL(fileURLWithPath: path).deletingLastPathComponent())
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ModelGateError.badInput(
                "MLflow model \(name) version \(version) is not a folder on this disk (\(Escape.control(location)))")
        }
        return MLflowModel(name: name, version: version, runID: runID, folder: folder)
    }

    enum Selector: Equatable {
        case version(String)
        case alias(String)
    }

    /// `models:/NAME/VERSION` or `models:/NAME@ALIAS`.
    static func parse(_ reference: String) throws -> (name: String, selector: Selector) {
        let usage = "--model takes models:/NAME/VERSION or models:/NAME@ALIAS, not \(Quoted(reference))"
        guard reference.hasPrefix("models:/") else { throw ModelGateError.badInput(usage) }
        let rest = reference.dropFirst("models:/".count)
        if let at = rest.lastIndex(of: "@") {
            let name = String(rest[..<at])
            let alias = String(rest[rest.index(after: at)...])
            guard !name.isEmpty, !alias.isEmpty, !name.contains("/") else { throw ModelGateError.badInput(usage) }
            return (name, .alias(alias))
        }
        guard let slash = rest.lastIndex(of: "/") else { throw ModelGateError.badInput(usage) }
        let name = String(rest[..<slash])
        let version = String(rest[rest.index(after: slash)...])
        guard !name.isEmpty, !version.isEmpty, version.allSatisfy(\.isASCIIDigitCharacter) else {
            throw ModelGateError.badInput(usage)
        }
        return (name, .version(version))
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

import Foundation
import ModelGateRegistry
import ModelGateSupport
import ModelGateYAML

/// One run of an MLflow tracking store on disk, as MLflow's own client reports it: parameters, each
/// metric's latest value (highest step, then latest timestamp, then largest value), tags, and the
/// artifact root.
public struct MLflowRun: Sendable {
    public var id: String
    public var parameters: [(name: String, value: String)]
    public var metrics: [(name: String, value: Double)]
    public var tags: [String: String]
    /// The run's artifact root, resolved to a folder on disk.
    public var artifactRoot: URL
    /// What the user should know about how the store was read (a schema revision read by its columns).
    public var notes: [String] = []
}

/// An MLflow tracking store on disk, read only: the SQLite database MLflow creates by default since 3.7
/// (`sqlite:///path/mlflow.db`), or the legacy file store (a `mlruns` folder).
public enum MLflowStore {
    /// The run `id` of the store at `uri` (`sqlite:///…`, or a path to a file store folder).
    public static func run(_ id: String, in uri: String) throws -> MLflowRun {
        guard Hex.isLowercase(id, count: id.utf8.count), !id.isEmpty else {
            throw ModelGateError.badInput("run id \(Quoted(id)) is not an MLflow run id (hex digits)")
        }
        if let path = sqlitePath(uri) { return try sqliteRun(id, path: path) }
        if uri.contains("://") && !uri.hasPrefix("file://") {
            throw ModelGateError.badInput(
                "\(Quoted(uri)) is not a tracking store on disk: pass sqlite:///path/mlflow.db or a mlruns folder")
        }
        return try fileStoreRun(id, folder: uri.hasPrefix("file://") ? String(uri.dropFirst(7)) : uri)
    }

    // MARK: - SQLite

    /// The database file of a `sqlite://` URI, read as MLflow (SQLAlchemy) reads it: `sqlite:///rel.db` is
    /// relative to the working directory, `sqlite:////abs/mlflow.db` absolute. Nil for any other URI.
    static func sqlitePath(_ uri: String) -> String? {
        guard uri.hasPrefix("sqlite:///") else { return nil }
        let path = String(uri.dropFirst("sqlite:///".count))
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The database at `path`, refused unless it has every table and column of `needed`; `note` names a
    /// schema revision newer (or other) than those MLflow 3.7 to 3.17 write, read by its columns.
    static func open(_ path: String, needing needed: [(table: String, columns: [String])]) throws -> (
        database: SQLiteDatabase, note: String?
    ) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelGateError.badInput("no MLflow database at \(path)")
        }
        let database = try SQLiteDatabase(readOnly: path)
        let revision =
            (try? database.query("SELECT version_num FROM alembic_version").first?.first?.text) ?? nil
        let missing = try MLflowSchema.missing(needed, in: database)
        guard missing.isEmpty else {
            throw ModelGateError.badInput(
                "\(path) (schema revision \(Quoted(revision ?? "none"))) has no \(missing.joined(separator: ", ")), which the import reads: is it an MLflow tracking store?"
            )
        }
        guard let revision, MLflowSchema.knownRevisions.contains(revision) else {
            return (
                database,
                "\(path) has schema revision \(Quoted(revision ?? "none")), not one MLflow 3.7 to 3.17 writes; it was read by the tables and columns the import uses, which it has"
            )
        }
        return (database, nil)
    }

    static func sqliteRun(_ id: String, path: String) throws -> MLflowRun {
        let (database, note) = try open(path, needing: MLflowSchema.runs)
        guard let row = try database.query("SELECT artifact_uri FROM runs WHERE run_uuid = ?", [id]).first else {
            throw ModelGateError.badInput("\(path) has no run \(Quoted(id))")
        }
        let parameters = try database.query("SELECT key, value FROM params WHERE run_uuid = ? ORDER BY key", [id])
            .map { ($0[0].text ?? "", $0[1].text ?? "") }
        let tags = try database.query("SELECT key, value FROM tags WHERE run_uuid = ?", [id])
            .reduce(into: [String: String]()) { $0[$1[0].text ?? ""] = $1[1].text ?? "" }
        var latest: [String: (step: Int64, timestamp: Int64, value: Double)] = [:]
        for metric in try database.query(
            "SELECT key, value, timestamp, step, is_nan FROM metrics WHERE run_uuid = ?", [id])
        {
            let isNaN = metric[4].number.map { $0 != 0 } ?? false
            let value = isNaN ? Double.nan : (metric[1].number ?? .nan)
            remember(
                metric[0].text ?? "", step: Int64(metric[3].number ?? 0), timestamp: Int64(metric[2].number ?? 0),
                value: value, in: &latest)
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        return MLflowRun(
            id: id, parameters: parameters, metrics: latest.sorted { $0.key < $1.key }.map { ($0.key, $0.value.value) },
            tags: tags,
            artifactRoot: try artifactRoot(row[0].text ?? "", storeFolder: folder), notes: note.map { [$0] } ?? [])
    }

    /// Keeps the value MLflow's client reports as latest: highest step, then latest timestamp, then largest.
    static func remember(
        _ key: String, step: Int64, timestamp: Int64, value: Double,
        in latest: inout [String: (step: Int64, timestamp: Int64, value: Double)]
    ) {
        if let known = latest[key] {
            let newer =
                (step, timestamp) > (known.step, known.timestamp)
                || ((step, timestamp) == (known.step, known.timestamp) && (value > known.value || known.value.isNaN))
            guard newer else { return }
        }
        latest[key] = (step, timestamp, value)
    }

    // MARK: - File store

    static func fileStoreRun(_ id: String, folder: String) throws -> MLflowRun {
        let root = URL(fileURLWithPath: folder)
        let experiments = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        guard !experiments.isEmpty else { throw ModelGateError.badInput("no MLflow file store at \(folder)") }
        guard
            let experiment = experiments.sorted().first(where: { name in
                !name.hasPrefix(".")
                    && FileManager.default.fileExists(
                        atPath: root.appendingPathComponent("\(name)/\(id)/meta.yaml").path)
            })
        else {
            throw ModelGateError.badInput("\(folder) has no run \(Quoted(id))")
        }
        let run = root.appendingPathComponent("\(experiment)/\(id)")
        let metaPath = run.appendingPathComponent("meta.yaml").path
        let meta = try YAMLLoader().load(try Data(contentsOf: URL(fileURLWithPath: metaPath)), path: metaPath)
        var artifactURI = ""
        if case .mapping(let pairs) = meta.kind, let pair = pairs.first(where: { $0.key == "artifact_uri" }),
            case .scalar(let text, _) = pair.value.kind
        {
            artifactURI = text
        }
        func entries(_ kind: String) -> [(String, String)] {
            let directory = run.appendingPathComponent(kind)
            return files(under: directory).map { name in
                (name, (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? "")
            }
        }
        var latest: [String: (step: Int64, timestamp: Int64, value: Double)] = [:]
        for (key, text) in entries("metrics") {
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ")
                guard fields.count >= 2, let timestamp = Int64(fields[0]) else { continue }
                let value = Double(fields[1]) ?? .nan
                remember(
                    key, step: fields.count > 2 ? Int64(fields[2]) ?? 0 : 0, timestamp: timestamp, value: value,
                    in: &latest)
            }
        }
        return MLflowRun(
            id: id, parameters: entries("params").sorted { $0.0 < $1.0 },
            metrics: latest.sorted { $0.key < $1.key }.map { ($0.key, $0.value.value) },
            tags: Dictionary(entries("tags"), uniquingKeysWith: { $1 }),
            artifactRoot: try artifactRoot(artifactURI, storeFolder: root))
    }

    /// Relative paths of the regular files below `directory` (nested keys such as `a/b` are folders); links
    /// are neither followed nor listed.
    static func files(under directory: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var names: [String] = []
        while let name = enumerator.nextObject() as? String {
            if enumerator.fileAttributes?[.type] as? FileAttributeType == .typeRegular { names.append(name) }
        }
        return names.sorted()
    }

    // MARK: - Artifacts

    /// A run's artifact URI as a folder: `file://` or a plain path; a relative one is resolved against the
    /// store's folder (then its parent, where MLflow was run). The folder must be inside the store's folder
    /// and reached without a link: a run whose row points at `/etc` or through a link is refused.
    static func artifactRoot(_ uri: String, storeFolder: URL) throws -> URL {
        var path = uri
        if path.hasPrefix("file://") { path = String(path.dropFirst("file://".count)) }
        guard !path.isEmpty, !path.contains("://"), !path.hasPrefix("mlflow-artifacts:") else {
            throw ModelGateError.badInput("the run's artifact root \(Quoted(uri)) is not on this disk")
        }
        var root = storeFolder.appendingPathComponent(path).standardizedFileURL
        if path.hasPrefix("/") {
            root = URL(fileURLWithPath: path).standardizedFileURL
        } else {
            for base in [storeFolder, storeFolder.deletingLastPathComponent()] {
                let candidate = base.appendingPathComponent(path).standardizedFileURL
                if FileManager.default.fileExists(atPath: candidate.path) {
                    root = candidate
                    break
                }
            }
        }
        try confine(root, to: storeFolder, uri: uri)
        return root
    }

    /// Refuses `folder` unless it is `store` or below it, every component below it a real folder.
    static func confine(_ folder: URL, to store: URL, uri: String) throws {
        let spellings = [store.standardizedFileURL.path, store.resolvingSymlinksInPath().path]
        let path = folder.path
        guard let prefix = spellings.first(where: { path == $0 || path.hasPrefix($0 == "/" ? $0 : $0 + "/") }) else {
            throw ModelGateError.badInput(
                "the run's artifact root \(Quoted(uri)) is outside the store's folder \(Escape.control(spellings[0])); only artifacts the store holds are imported"
            )
        }
        let relative = path.dropFirst(prefix.count).split(separator: "/").joined(separator: "/")
        guard !relative.isEmpty else { return }
        do {
            try ConfinedPath(relative, under: URL(fileURLWithPath: prefix)).refuseLinks()
        } catch let error as ModelGateError {
            throw ModelGateError.badInput("the run's artifact root \(Quoted(uri)): \(error.message)")
        }
    }

    /// The one artifact file of `run`, or the one at `path` below its artifact root; several without a
    /// `path`, or none, is refused.
    public static func artifact(of run: MLflowRun, path: String?) throws -> URL {
        let all = files(under: run.artifactRoot)
        if let path {
            guard RepositoryPath.problem(path) == nil, all.contains(path) else {
                throw ModelGateError.badInput(
                    "the run has no artifact \(Quoted(path)) under \(run.artifactRoot.path); it has \(all.isEmpty ? "none" : all.joined(separator: ", "))"
                )
            }
            try ConfinedPath(path, under: run.artifactRoot).refuseLinks()
            return run.artifactRoot.appendingPathComponent(path)
        }
        guard let only = all.first else {
            throw ModelGateError.badInput("the run logged no artifact under \(run.artifactRoot.path)")
        }
        guard all.count == 1 else {
            throw ModelGateError.badInput(
                "the run logged \(all.count) artifacts (\(all.prefix(6).joined(separator: ", "))); name the model's with --artifact PATH"
            )
        }
        return run.artifactRoot.appendingPathComponent(only)
    }
}

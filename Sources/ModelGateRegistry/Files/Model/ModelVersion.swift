import Foundation
import ModelGateGit
import ModelGateSupport
import ModelGateYAML

/// `models/<model>/versions/<version>.yaml` (kind: ModelVersion): one trained version's record —
/// artifact, evaluation, how it was trained, and reviewed exceptions.
public struct ModelVersion: Sendable {
    public var model: String
    public var version: SemanticVersion
    public var created: Date?
    public var description: String?
    public var artifact: Artifact
    /// Metric name -> value on the held-out set.
    public var metrics: [String: Metric]
    /// Slice name -> metric name -> value.
    public var slices: [String: [String: Metric]]
    public var training: Training?
    /// `profile: {path, sha256}`: the training-data profile `record` wrote, bound by its hash (the drift
    /// rule and `require: reproducible` check the bytes at head against it). Nil for a version that
    /// records none.
    public var profile: DataFile?
    public var serving: ServingConfig?
    public var lineageParent: String?
    public var lineageRun: String?
    public var waivers: [Waiver]
    /// Where the manifest's root mapping starts.
    public var location: SourceLocation
    /// The Git blob id of the manifest, which attestations bind to.
    public var blob: ObjectID?
    /// The manifest's path in the repository.
    public var path: String { location.path }

    package static func path(model: String, version: String) -> String {
        RegistryLayout.manifest(model: model, version: version)
    }
}

/// A number read from a registry file, with where it was written.
public struct Metric: Sendable {
    public var value: Double
    public var location: SourceLocation
}

/// The trained artifact a version ships.
public struct Artifact: Sendable {
    /// A repository path, or an `s3://`, `gs://`, `https://` or `oci://` URI.
    public var uri: String
    public var sha256: String?
    public var size: Int?
    public var location: SourceLocation

    public var isRemote: Bool { RepositoryPath.isRemote(uri) }
}

/// A file (or folder) with the sha256 it had.
public struct DataFile: Sendable {
    public var path: String
    public var sha256: String?
    /// Where a file too large for Git can be downloaded from (`https://…`): a training Job fetches it there
    /// and checks it against `sha256`; on a machine, the file is read at `path` in the working tree.
    public var uri: String?
    public var location: SourceLocation

    public init(path: String, sha256: String?, uri: String? = nil, location: SourceLocation) {
        self.path = path
        self.sha256 = sha256
        self.uri = uri
        self.location = location
    }
}

/// A reviewed exception to one rule, until a date.
public struct Waiver: Sendable {
    /// `<policy>/<rule id>`.
    public var rule: String
    public var reason: String
    public var owner: String
    /// The last day the waiver applies (UTC).
    public var expires: Date?
    public var expiresText: String
    public var location: SourceLocation
}

extension ModelVersion {
    // Long on purpose: every key of a manifest, read in the order the reference documents them.
    static func read(_ node: YAMLNode, folder: String, fileVersion: String, reader: SchemaReader) -> ModelVersion? {
        guard let fields = reader.fields(node, "the manifest") else { return nil }
        DocumentHeader.check(fields, kind: "ModelVersion", reader: reader)
        if let model = fields.string("model", required: true), model != folder {
            reader.error(
                "model \(Quoted(model)) must equal its folder \(Quoted(folder))", at: fields.location(of: "model"))
        }
        var version = SemanticVersion(fileVersion)
        if let text = fields.string("version", required: true) {
            if SemanticVersion(text) == nil {
                reader.error("version \(Quoted(text)) is not a SemVer 2.0 version", at: fields.location(of: "version"))
            } else if text != fileVersion {
                reader.error(
                    "version \(Quoted(text)) must equal the file name \(Quoted(fileVersion)).yaml",
                    at: fields.location(of: "version"))
            }
        }
        if version == nil { version = SemanticVersion("0.0.0") }
        var created: Date?
        if let text = fields.string("created") {
            created = Dates.parseTimestamp(text)
            if created == nil {
                reader.error(
                    "created \(Quoted(text)) must be an ISO 8601 date-time like 2026-11-20T10:00:00Z",
                    at: fields.location(of: "created"))
            }
        }
        let artifact = fields.fields("artifact", required: true).map { readArtifact($0, reader: reader) }
        let metrics = fields.fields("metrics").map { readMetrics($0, reader: reader) } ?? [:]
        var slices: [String: [String: Metric]] = [:]
        if let sliceFields = fields.fields("slices") {
            for pair in sliceFields.entries {
                if let metricFields = reader.fields(pair.value, "slice \(Quoted(pair.key))") {
                    slices[pair.key] = readMetrics(metricFields, reader: reader)
                }
            }
        }
        let training = fields.fields("training").map { Training.read($0, reader: reader) }
        let serving = fields.node("serving").map { ServingConfig.read($0, reader: reader) }
        let profile = fields.fields("profile").map {
            readProfile($0, expected: VersionProfile.path(model: folder, version: fileVersion), reader: reader)
        }
        var parent: String?
        var run: String?
        if let lineage = fields.fields("lineage") {
            if let text = lineage.string("parent") {
                if SemanticVersion(text) == nil {
                    reader.error(
                        "lineage parent \(Quoted(text)) is not a SemVer 2.0 version", at: lineage.location(of: "parent")
                    )
                }
                parent = text
            }
            run = lineage.string("run")
            if let text = lineage.string("commit"), !Hex.isLowercase(text, count: 40) {
                reader.error(
                    "lineage commit \(Quoted(text)) must be a 40-digit commit id", at: lineage.location(of: "commit"))
            }
            lineage.finish(allowing: ["parent", "run", "commit"])
        }
        var waivers: [Waiver] = []
        if let list = fields.node("waivers").flatMap({ reader.list($0, "'waivers'") }) {
            waivers = list.compactMap { item in
                reader.fields(item, "a waiver").flatMap { Waiver.read($0, reader: reader) }
            }
        }
        fields.finish(allowing: [
            "apiVersion", "kind", "model", "version", "created", "description", "artifact", "metrics", "slices",
            "training", "profile", "serving", "lineage", "waivers",
        ])
        guard let artifact, let version else { return nil }
        return ModelVersion(
            model: folder, version: version, created: created, description: fields.string("description"),
            artifact: artifact, metrics: metrics, slices: slices, training: training, profile: profile,
            serving: serving, lineageParent: parent, lineageRun: run, waivers: waivers, location: node.location,
            blob: nil)
    }

    private static func readArtifact(_ fields: SchemaReader.Fields, reader: SchemaReader) -> Artifact {
        var uri = fields.string("uri", required: true) ?? ""
        if !uri.isEmpty && !RepositoryPath.isRemote(uri) {
            if RepositoryPath.hasScheme(uri) {
                reader.error(
                    "artifact uri \(Quoted(uri)) must be a repository path or s3://, gs://, https://, oci://",
                    at: fields.location(of: "uri"))
                uri = ""
            } else if let problem = RepositoryPath.problem(uri) {
                reader.error("artifact path \(Quoted(uri)) \(problem)", at: fields.location(of: "uri"))
                uri = ""
            }
        } else if uri.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\"") }) {
            reader.error(
                "artifact uri \(Quoted(uri)) must not contain spaces, quotes or control characters",
                at: fields.location(of: "uri"))
            uri = ""
        }
        let sha256 = reader.sha256(fields, "sha256", required: false)
        var size = fields.integer("size")
        if let value = size, value < 0 {
            reader.error("artifact size must not be negative", at: fields.location(of: "size"))
            size = nil
        }
        fields.finish(allowing: ["uri", "sha256", "size"])
        return Artifact(uri: uri, sha256: sha256, size: size, location: fields.location)
    }

    /// `profile: {path, sha256}`, whose path is the version's own `profiles/<model>/<version>.json`.
    private static func readProfile(_ fields: SchemaReader.Fields, expected: String, reader: SchemaReader) -> DataFile {
        let path = fields.string("path", required: true) ?? expected
        if path != expected {
            reader.error(
                "profile path \(Quoted(path)) must be this version's \(expected)", at: fields.location(of: "path"))
        }
        let sha256 = reader.sha256(fields, "sha256", required: true)
        fields.finish(allowing: ["path", "sha256"])
        return DataFile(path: expected, sha256: sha256, location: fields.location)
    }

    static func readMetrics(_ fields: SchemaReader.Fields, reader: SchemaReader) -> [String: Metric] {
        var metrics: [String: Metric] = [:]
        metrics.reserveCapacity(fields.count)
        for pair in fields.entries {
            if let value = reader.number(pair.value, "metric \(Quoted(pair.key))") {
                metrics[pair.key] = Metric(value: value, location: pair.value.location)
            }
        }
        return metrics
    }
}

extension Waiver {
    static func read(_ fields: SchemaReader.Fields, reader: SchemaReader) -> Waiver? {
        let rule = fields.string("rule", required: true)
        if let rule, !rule.contains("/") {
            reader.error("waiver rule \(Quoted(rule)) must be <policy>/<rule id>", at: fields.location(of: "rule"))
        }
        let reason = fields.string("reason", required: true)
        let owner = fields.string("owner", required: true)
        let expiresText = fields.string("expires", required: true)
        var expires: Date?
        if let expiresText {
            expires = Dates.parseDay(expiresText) ?? Dates.parseTimestamp(expiresText)
            if expires == nil {
                reader.error(
                    "expires \(Quoted(expiresText)) must be a date like 2026-12-15", at: fields.location(of: "expires"))
            }
        }
        fields.finish(allowing: ["rule", "reason", "owner", "expires"])
        guard let rule, let reason, let owner, let expiresText else { return nil }
        return Waiver(
            rule: rule, reason: reason, owner: owner, expires: expires, expiresText: expiresText,
            location: fields.location)
    }
}

extension DataFile {
    /// Whether `uri` is one a training Job's download step may fetch: `https://`, a host, and no space,
    /// quote or control character (it becomes one argument of `curl`, never a shell word).
    public static func isDownloadable(_ uri: String) -> Bool {
        guard uri.hasPrefix("https://"), uri.count > "https://".count,
            !uri.utf8.contains(where: {
                $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'")
            })
        else { return false }
        return URLComponents(string: uri)?.host?.isEmpty == false
    }
}

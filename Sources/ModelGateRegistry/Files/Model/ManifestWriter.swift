import Foundation
import ModelGateSupport
import ModelGateYAML

/// Writes a version manifest as YAML, keys in the order the example's manifests use (header, artifact,
/// metrics, slices, training, lineage), flow style for short maps and lists, so that diffs stay readable.
/// Strings are plain where YAML would read them back as the same string, double-quoted otherwise.
public struct ManifestWriter {
    /// What `record` knows of a new version.
    public struct Record: Sendable {
        public var model: String
        public var version: String
        public var created: Date
        public var description: String?
        public var artifactURI: String
        /// Nil where the artifact's bytes are not at hand (a path Git does not hold).
        public var artifactSHA256: String?
        /// Nil for a folder (its files are listed in its hash).
        public var artifactSize: Int?
        public var metrics: [(name: String, value: Double)]
        public var slices: [(name: String, metrics: [(name: String, value: Double)])]
        public var training: Training
        public var parent: String?
        public var run: String?
        public var commit: String?
        /// The training-data profile written beside the manifest: its path and sha256.
        public var profile: (path: String, sha256: String)?

        public init(
            model: String, version: String, created: Date, description: String? = nil, artifactURI: String,
            artifactSHA256: String?, artifactSize: Int?, metrics: [(name: String, value: Double)],
            slices: [(name: String, metrics: [(name: String, value: Double)])], training: Training, parent: String?,
            run: String? = nil, commit: String? = nil, profile: (path: String, sha256: String)? = nil
        ) {
            self.model = model
            self.version = version
            self.created = created
            self.description = description
            self.artifactURI = artifactURI
            self.artifactSHA256 = artifactSHA256
            self.artifactSize = artifactSize
            self.metrics = metrics
            self.slices = slices
            self.training = training
            self.parent = parent
            self.run = run
            self.commit = commit
            self.profile = profile
        }
    }

    // Long on purpose: a manifest written field by field, in the order the reference documents them.
    public static func render(_ record: Record) -> String {
        var out = """
            apiVersion: modelgate/v1
            kind: ModelVersion
            model: \(record.model)
            version: \(record.version)
            created: \(Dates.format(record.created))

            """
        if let description = record.description { out += "description: \(YAMLText.string(description))\n" }
        out += "artifact:\n  uri: \(YAMLText.string(record.artifactURI))\n"
        if let sha256 = record.artifactSHA256 { out += "  sha256: \(sha256)\n" }
        if let size = record.artifactSize { out += "  size: \(size)\n" }
        out += record.metrics.isEmpty ? "metrics: {}\n" : "metrics:\n"
        for (name, value) in record.metrics { out += "  \(YAMLText.string(name)): \(YAMLText.number(value))\n" }
        if !record.slices.isEmpty {
            out += "slices:\n"
            for (name, metrics) in record.slices {
                out +=
                    "  \(YAMLText.string(name)): {\(metrics.map { "\(YAMLText.string($0.name)): \(YAMLText.number($0.value))" }.joined(separator: ", "))}\n"
            }
        }
        let training = record.training
        var block = ""
        if !training.command.isEmpty {
            block +=
                "  command: [\(training.command.map { YAMLText.string($0, quoteNumbers: true) }.joined(separator: ", "))]\n"
        }
        if !training.workdir.isEmpty { block += "  workdir: \(YAMLText.string(training.workdir))\n" }
        if let source = training.source { block += "  source: \(source.hex)\n" }
        if !training.params.isEmpty {
            block +=
                "  params: {\(training.params.map { "\(YAMLText.string($0.name)): \(YAMLText.scalar($0.value))" }.joined(separator: ", "))}\n"
        }
        if let seed = training.seed { block += "  seed: \(seed)\n" }
        if let target = training.target { block += "  target: \(YAMLText.string(target))\n" }
        if !training.data.isEmpty {
            block += "  data:\n"
            for data in training.data {
                let uri = data.uri.map { ", uri: \(YAMLText.string($0))" } ?? ""
                block += "    - {path: \(YAMLText.string(data.path)), sha256: \(data.sha256 ?? "")\(uri)}\n"
            }
        }
        if let resources = training.resources { block += "  resources: \(resources.flow)\n" }
        if !training.inputs.isEmpty {
            block += "  inputs: [\(training.inputs.map { YAMLText.string($0) }.joined(separator: ", "))]\n"
        }
        if training.modelOutput != nil || training.metricsOutput != nil {
            block += "  outputs:\n"
            if let model = training.modelOutput { block += "    model: \(YAMLText.string(model))\n" }
            if let metrics = training.metricsOutput { block += "    metrics: \(YAMLText.string(metrics))\n" }
        }
        if training.signature != nil {
            block += environmentBlock(training).split(separator: "\n").map { "  \($0)\n" }.joined()
        }
        if !block.isEmpty { out += "training:\n" + block }
        if let profile = record.profile {
            out += "profile: {path: \(YAMLText.string(profile.path)), sha256: \(profile.sha256)}\n"
        }
        var lineage: [String] = []
        if let parent = record.parent { lineage.append("  parent: \(YAMLText.string(parent))") }
        if let run = record.run { lineage.append("  run: \(YAMLText.string(run))") }
        if let commit = record.commit { lineage.append("  commit: \(YAMLText.string(commit))") }
        if !lineage.isEmpty { out += "lineage:\n" + lineage.joined(separator: "\n") + "\n" }
        return out
    }
}

extension ManifestWriter {
    /// `environment:` with the facts, the lockfile beside them and the signature: what a manifest records
    /// under `training`, and what `env --format yaml` prints.
    public static func environmentBlock(_ training: Training) -> String {
        var out = "environment:\n"
        let facts = training.facts.sorted { $0.key < $1.key }.map {
            "\(YAMLText.string($0.key)): \(YAMLText.string($0.value, quoteNumbers: true))"
        }
        out += "  facts: {\(facts.joined(separator: ", "))}\n"
        if let lockfile = training.lockfile, let sha = lockfile.sha256 {
            out += "  lockfile: {path: \(YAMLText.string(lockfile.path)), sha256: \(sha)}\n"
        }
        if let signature = training.signature { out += "  signature: \(signature)\n" }
        return out
    }
}

/// YAML scalars as `ManifestWriter` writes them.
package enum YAMLText {
    /// Words YAML 1.1 or 1.2 readers may take for something other than a string.
    static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"]

    /// `text` plain when it reads back as the same string, else double-quoted with escapes; numbers are
    /// quoted too when `quoteNumbers` (a command's arguments are strings).
    package static func string(_ text: String, quoteNumbers: Bool = false) -> String {
        let allowed = text.unicodeScalars.allSatisfy { scalar in
            (0x30...0x39).contains(scalar.value) || (0x41...0x5A).contains(scalar.value)
                || (0x61...0x7A).contains(scalar.value) || "._/-+=@".unicodeScalars.contains(scalar)
        }
        // A leading "-" could read as a list item or a negative number; "--flag" reads as itself.
        let plain =
            !text.isEmpty && allowed && !reserved.contains(text.lowercased())
            && (!text.hasPrefix("-") || (text.hasPrefix("--") && SchemaReader.parseNumber(text) == nil))
            && !(quoteNumbers && SchemaReader.parseNumber(text) != nil)
        return plain ? text : JSONValue.string(text).rendered().trimmingCharacters(in: .newlines)
    }

    /// A parameter value: a YAML scalar as the user wrote it (`0.5` stays a number, `logreg` a string).
    static func scalar(_ text: String) -> String {
        SchemaReader.parseNumber(text) != nil || ["true", "false"].contains(text) ? text : string(text)
    }

    /// A number in its shortest round-trip form (integers without a fraction).
    static func number(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value > 0 ? ".inf" : "-.inf" }
        return JSONValue.format(value)
    }
}

import Foundation
import ModelGateGit
import ModelGateSupport
import ModelGateYAML

/// How a version was trained: the record `repro` retrains from.
public struct Training: Sendable {
    public var command: [String]
    public var workdir: String
    public var params: [(name: String, value: String)]
    public var seed: Int?
    public var data: [DataFile]
    public var modelOutput: String?
    public var metricsOutput: String?
    public var facts: [String: String]
    public var lockfile: DataFile?
    public var signature: String?
    /// `training.inputs`: repository paths the training reads beside `workdir` and the data.
    public var inputs: [String] = []
    /// `training.target`: the column the model learns to predict (a label), which traffic lacks; `drift`
    /// leaves it out where the data has no such column.
    public var target: String? = nil
    /// `training.resources`: what a retraining Job asks the cluster for; nil where not set.
    public var resources: TrainingResources? = nil
    /// `training.source`: the commit whose tree the version was trained from, where its closure is read
    /// (`VersionClosure`); nil for a version recorded before modelgate wrote it, judged from head.
    public var source: ObjectID? = nil
    public var location: SourceLocation
}

extension Training {
    /// No command, no data: only the environment (what `env --format yaml` fills in).
    public static var environmentOnly: Training {
        Training(
            command: [], workdir: "", params: [], seed: nil, data: [], modelOutput: nil, metricsOutput: nil, facts: [:],
            lockfile: nil, signature: nil, location: SourceLocation(path: ""))
    }
}

extension Training {
    /// `model.yaml`'s `training` defaults: a manifest's keys without what only a run can know (hashes and
    /// the environment); `lockfile` is a path.
    static func readDefaults(_ fields: SchemaReader.Fields, reader: SchemaReader) -> Training {
        var lockfile: DataFile?
        if let path = reader.path(fields, "lockfile", required: false) {
            lockfile = DataFile(path: path, sha256: nil, location: fields.location(of: "lockfile"))
            refuseReserved(path, "lockfile", at: fields.location(of: "lockfile"), reader: reader)
        }
        let general = Training.read(fields, reader: reader, allowing: ["lockfile"])
        var training = general
        training.lockfile = lockfile
        return training
    }

    // Long on purpose: every key of a training block, read in the order the reference documents them.
    static func read(_ fields: SchemaReader.Fields, reader: SchemaReader, allowing extra: [String] = []) -> Training {
        // A version imported from a tracking run records parameters without a command (`repro` then says
        // it cannot reproduce it).
        let command = fields.strings("command")?.map(\.0) ?? []
        if let node = fields["command"], command.isEmpty, node.isSequence {
            reader.error("'command' must name a program", at: node.location)
        }
        let given = reader.path(fields, "workdir", required: false)
        let workdir = given ?? ""
        if !command.isEmpty, fields["workdir"] == nil {
            reader.error(
                "'workdir' must name the folder the training runs in: the repository's root holds the registry itself",
                at: fields.location)
        } else if let given {
            refuseReserved(given, "workdir", at: fields.location(of: "workdir"), reader: reader)
        }
        var params: [(String, String)] = []
        if let paramFields = fields.fields("params") {
            for pair in paramFields.entries {
                if case .scalar(let text, _) = pair.value.kind {
                    params.append((pair.key, text))
                } else {
                    reader.error("param \(Quoted(pair.key)) must be a scalar", at: pair.value.location)
                }
            }
        }
        var seed = fields.integer("seed")
        if let value = seed, !(0...4_294_967_295).contains(value) {
            reader.error(
                "seed \(value) must be between 0 and 4294967295 (the range of PYTHONHASHSEED)",
                at: fields.location(of: "seed"))
            seed = nil
        }
        var data: [DataFile] = []
        if let list = fields.node("data").flatMap({ reader.list($0, "'data'") }) {
            for item in list {
                guard let entry = reader.fields(item, "a data entry") else { continue }
                let path = reader.path(entry, "path", required: true)
                let sha = reader.sha256(entry, "sha256", required: false)
                var uri = entry.string("uri")
                if let given = uri, !DataFile.isDownloadable(given) {
                    reader.error(
                        "data uri \(Quoted(given)) must be an https:// URL without spaces, quotes or control characters",
                        at: entry.location(of: "uri"))
                    uri = nil
                }
                entry.finish(allowing: ["path", "sha256", "uri"])
                if let path { refuseReserved(path, "data", at: entry.location(of: "path"), reader: reader) }
                if let path { data.append(DataFile(path: path, sha256: sha, uri: uri, location: entry.location)) }
            }
        }
        var modelOutput: String?
        var metricsOutput: String?
        if let outputs = fields.fields("outputs") {
            modelOutput = reader.path(outputs, "model", required: false)
            metricsOutput = reader.path(outputs, "metrics", required: false)
            outputs.finish(allowing: ["model", "metrics"])
        }
        var facts: [String: String] = [:]
        var lockfile: DataFile?
        var signature: String?
        if extra.isEmpty, let environment = fields.fields("environment") {
            if let factFields = environment.fields("facts") {
                facts.reserveCapacity(factFields.count)
                for pair in factFields.entries {
                    if case .scalar(let text, _) = pair.value.kind {
                        facts[pair.key] = text
                    } else {
                        reader.error("fact \(Quoted(pair.key)) must be a scalar", at: pair.value.location)
                    }
                }
            }
            if let lock = environment.fields("lockfile") {
                let path = reader.path(lock, "path", required: true)
                if let path { refuseReserved(path, "lockfile", at: lock.location(of: "path"), reader: reader) }
                let sha = reader.sha256(lock, "sha256", required: true)
                lock.finish(allowing: ["path", "sha256"])
                if let path { lockfile = DataFile(path: path, sha256: sha, location: lock.location) }
            }
            if let text = environment.string("signature") {
                if text.hasPrefix("sha256:"), Hex.isLowercase(String(text.dropFirst(7)), count: 64) {
                    signature = text
                } else {
                    reader.error(
                        "signature must be sha256: and 64 lowercase hex digits",
                        at: environment.location(of: "signature"))
                }
            }
            environment.finish(allowing: ["facts", "lockfile", "signature"])
        }
        var inputs: [String] = []
        for (path, location) in fields.strings("inputs") ?? [] {
            if let problem = RepositoryPath.problem(path) {
                reader.error("input \(Quoted(path)) \(problem)", at: location)
            } else {
                refuseReserved(path, "input", at: location, reader: reader)
                inputs.append(path)
            }
        }
        var source: ObjectID?
        if extra.isEmpty, let text = fields.string("source") {
            if Hex.isLowercase(text, count: 40), let id = ObjectID(hex: text) {
                source = id
            } else {
                reader.error(
                    "'source' must be the 40 lowercase hex digits of the commit the version was trained from, not \(Quoted(text))",
                    at: fields.location(of: "source"))
            }
        }
        let target = fields.string("target")
        if let target, target.isEmpty || target.contains(where: \.isNewline) {
            reader.error("'target' must name one column of the training data", at: fields.location(of: "target"))
        }
        let resources = fields.fields("resources").map { TrainingResources.read($0, reader: reader) }
        fields.finish(
            allowing: ["command", "workdir", "params", "seed", "data", "outputs", "inputs", "target", "resources"]
                + (extra.isEmpty ? ["environment", "source"] : extra))
        return Training(
            command: command, workdir: workdir, params: params, seed: seed, data: data, modelOutput: modelOutput,
            metricsOutput: metricsOutput, facts: facts, lockfile: lockfile, signature: signature, inputs: inputs,
            target: target, resources: resources, source: source, location: fields.location)
    }

    /// A path the training reads (`what`: its folder, a data file, the lockfile, an input) that is, holds or
    /// lies under a place of the registry is refused where it is written: the training would see the answers
    /// it is judged by, or the rules and keys that judge it. The deploy folder is checked by the loader,
    /// which knows `deploy.path`.
    static func refuseReserved(_ path: String, _ what: String, at location: SourceLocation, reader: SchemaReader) {
        guard let place = RegistryLayout.reservedPlace(of: path, deployPath: nil) else { return }
        reader.error(
            "\(what) \(Quoted(path)) reaches \(Quoted(place)), a place of the registry a training may not read",
            at: location)
    }
}

import Crypto
import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport
import ModelGateYAML

/// `modelgate import gto`: a repository that GTO manages turned into a registry in place, as files the
/// user reviews and commits (nothing is committed, no tag is touched).
///
/// `artifacts.yaml` gives the models (entries of type `model`, or of no type) and their paths. Each
/// registration tag `NAME@vX.Y.Z` becomes a manifest: the artifact is that path at the tagged commit,
/// copied under `artifacts/NAME/X.Y.Z/` and hashed (a path Git does not hold there, such as one DVC
/// tracks, is recorded without a sha256); `created` is the tag's date, `lineage.commit` the tagged commit.
/// The latest assignment per stage (`NAME#STAGE#N`, or `NAME@vX.Y.Z#STAGE` in GTO before 1.0; an
/// unassignment `NAME#STAGE!#N`, a deregistration `NAME@vX.Y.Z!` or a deprecation `NAME@deprecated`
/// empties it) becomes `stages.yaml`, its stage named through `stageMap`. `modelgate.yaml` is written
/// where there is none.
public struct GTOImporter {
    public let repository: Repository
    /// GTO stage -> registry stage (`--stage-map prod=production`); a GTO stage the ladder has needs none.
    public var stageMap: [String: String] = [:]

    /// What the import wrote, and what the user should know about it.
    public struct Outcome: Sendable {
        public var files: [String]
        public var models: [String]
        public var versions: Int
        public var notes: [String]
    }

    public init(repository: Repository) { self.repository = repository }

    /// An entry of `artifacts.yaml`.
    struct Artifact {
        var path: String
        var description: String?
    }

    /// A version found in the tags: its number, and the registration tag.
    struct Registered {
        var version: String
        var tag: GitTag
    }

    // Long on purpose: the import's passes over GTO's artifacts in order, collecting the files and the notes
    // together.
    public func run() throws -> Outcome {
        guard let root = repository.workingDirectory else {
            throw ModelGateError.badInput("import writes into the working tree, and this repository has none")
        }
        let head = try repository.resolveCommit("HEAD")
        let headTree = try repository.treeID(ofCommit: head)
        guard let artifacts = try artifacts(inTree: headTree), !artifacts.isEmpty else {
            throw ModelGateError.badInput(
                "no model in artifacts.yaml at HEAD (\(head.short)): GTO keeps each model's type and path there")
        }
        var notes: [String] = []
        var bag = DiagnosticBag()
        let hasSettings = FileManager.default.fileExists(
            atPath: root.appendingPathComponent(RegistrySettings.path).path)
        let ladder =
            hasSettings
            ? try RegistryLoader(repository: repository).settings(at: head, bag: &bag).stages
            : RegistrySettings.defaultStages
        for stage in stageMap.values.sorted() { try RegistrySettings.requireStage(stage, on: ladder) }
        let tags = try repository.tags().compactMap { tag in GTOTag(tag.name).map { (tag, $0) } }
        var files: [(path: String, data: Data)] = []
        var models: [String] = []
        var versionCount = 0
        for (name, declared) in artifacts.sorted(by: { $0.key < $1.key }) {
            guard Names.isValid(name) else {
                throw ModelGateError.badInput(Names.problem(name, what: "GTO artifact name") + " (artifacts.yaml)")
            }
            let own = tags.filter { $0.1.model == name }
            let registered: [Registered] = own.compactMap { tag, parsed -> (Registered, SemanticVersion)? in
                guard case .registration(_, let version) = parsed, let order = SemanticVersion(version) else {
                    return nil
                }
                return (Registered(version: version, tag: tag), order)
            }.sorted { $0.1 < $1.1 }.map(\.0)
            guard !registered.isEmpty else {
                notes.append("\(name): no version is registered (no \(name)@vX.Y.Z tag); left out")
                continue
            }
            models.append(name)
            let spec = RegistryLayout.spec(of: name)
            if !FileManager.default.fileExists(atPath: root.appendingPathComponent(spec).path) {
                files.append((spec, Data(modelSpec(name, description: declared.description).utf8)))
            }
            var parent: String?
            for entry in registered {
                let artifact = try artifactFiles(of: name, entry, fallback: declared, notes: &notes)
                files += artifact.files
                // The version was registered at the tagged commit: its source.
                var training = Training.environmentOnly
                training.source = entry.tag.commit
                let record = ManifestWriter.Record(
                    model: name, version: entry.version, created: entry.tag.date,
                    description: declared.description, artifactURI: artifact.uri,
                    artifactSHA256: artifact.sha256, artifactSize: artifact.size, metrics: [], slices: [],
                    training: training, parent: parent, commit: entry.tag.commit.hex)
                files.append(
                    (ModelVersion.path(model: name, version: entry.version), Data(ManifestWriter.render(record).utf8)))
                parent = entry.version
                versionCount += 1
            }
            let holders = try stages(of: name, tags: own, registered: registered, ladder: ladder, notes: &notes)
            files.append(
                (
                    StageAssignments.path(name),
                    Data(StageAssignments.render(model: name, stages: holders, ladder: ladder).utf8)
                ))
        }
        if !hasSettings { files.append((RegistrySettings.path, Data(RegistryInitializer.defaultSettings.utf8))) }
        for file in files where FileManager.default.fileExists(atPath: root.appendingPathComponent(file.path).path) {
            throw ModelGateError.badInput(
                "\(file.path) exists: import writes a new registry and never replaces a file; nothing was written")
        }
        for file in files { try ConfinedPath(file.path, under: root).refuseLinks() }
        for file in files { try AtomicFile.write(file.data, to: root.appendingPathComponent(file.path), under: root) }
        return Outcome(files: files.map(\.path), models: models, versions: versionCount, notes: notes)
    }

    /// `artifacts.yaml` in `tree`: name -> path and description, for entries of type `model` (or of none).
    func artifacts(inTree tree: ObjectID) throws -> [String: Artifact]? {
        guard let entry = try repository.entry(at: "artifacts.yaml", inTree: tree), entry.isFile else { return nil }
        let node = try YAMLLoader().load(try repository.blob(entry.id), path: "artifacts.yaml")
        guard case .mapping(let pairs) = node.kind else {
            throw ModelGateError.badInput("artifacts.yaml is not a mapping of artifact names")
        }
        var result: [String: Artifact] = [:]
        for pair in pairs {
            guard case .mapping(let fields) = pair.value.kind else { continue }
            func text(_ key: String) -> String? {
                guard let value = fields.first(where: { $0.key == key })?.value, case .scalar(let text, _) = value.kind
                else { return nil }
                return text
            }
            guard text("type").map({ $0 == "model" }) ?? true, let path = text("path") else { continue }
            result[pair.key] = Artifact(path: path, description: text("description"))
        }
        return result
    }

    /// The artifact of one version: its files under `artifacts/NAME/VERSION/`, where the manifest points,
    /// its sha256 and size; or, where Git does not hold the path at the tagged commit, the path alone.
    func artifactFiles(of model: String, _ entry: Registered, fallback: Artifact, notes: inout [String]) throws -> (
        files: [(path: String, data: Data)], uri: String, sha256: String?, size: Int?
    ) {
        let tree = try repository.treeID(ofCommit: entry.tag.commit)
        let path = try artifacts(inTree: tree)?[model]?.path ?? fallback.path
        let found = RepositoryPath.problem(path) == nil ? try repository.entry(at: path, inTree: tree) : nil
        guard let found, found.kind == .blob || found.kind == .executable || found.kind == .tree else {
            notes.append(
                "\(model) \(entry.version): \(path) is not in Git at \(entry.tag.commit.short) (tracked by DVC?); its manifest records the path without a sha256"
            )
            return ([], path, nil, nil)
        }
        let base = "artifacts/\(model)/\(entry.version)"
        let name = path.split(separator: "/").last.map(String.init) ?? "model"
        if found.kind != .tree {
            let data = try repository.blob(found.id)
            return ([("\(base)/\(name)", data)], "\(base)/\(name)", Hex.encode(SHA256.hash(data: data)), data.count)
        }
        var files: [(path: String, data: Data)] = []
        var lines: [(path: String, line: String)] = []
        func walk(_ tree: ObjectID, _ prefix: String) throws {
            for child in try repository.entries(ofTree: tree) {
                let relative = prefix.isEmpty ? child.name : "\(prefix)/\(child.name)"
                switch child.kind {
                case .tree: try walk(child.id, relative)
                case .blob, .executable:
                    let data = try repository.blob(child.id)
                    files.append(("\(base)/\(name)/\(relative)", data))
                    lines.append((relative, "\(Hex.encode(SHA256.hash(data: data)))  \(relative)\n"))
                case .symlink, .submodule:
                    throw ModelGateError.badInput(
                        "\(model) \(entry.version): \(path)/\(relative) is a link or a submodule; only files are imported"
                    )
                }
            }
        }
        try walk(found.id, "")
        // The folder's sha256 as `modelgate hash` computes it: of its listing, sorted by path bytes.
        let listing = lines.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
        let sha256 = Hex.encode(SHA256.hash(data: Data(listing.map(\.line).joined().utf8)))
        return (files, "\(base)/\(name)", sha256, nil)
    }

    /// Who holds each registry stage: the latest GTO event per stage, mapped; a version that two stages
    /// would hold keeps the later rung.
    ///
    /// Long on purpose: GTO's stage events replayed in order, each one's note beside it.
    func stages(
        of model: String, tags: [(GitTag, GTOTag)], registered: [Registered], ladder: [String], notes: inout [String]
    ) throws -> [String: String] {
        let deregistered = Set(
            tags.compactMap { _, parsed -> String? in
                if case .deregistration(_, let version) = parsed { return version }
                return nil
            })
        let deprecatedAt = tags.compactMap { tag, parsed in parsed == .deprecation(model: model) ? tag.date : nil }
            .max()
        var latest: [String: (date: Date, number: Int, version: String?, tag: String)] = [:]
        for (tag, parsed) in tags {
            let stage: String
            let number: Int
            var version: String?
            switch parsed {
            case .assignment(_, let name, let counter, let named):
                stage = name
                number = counter ?? 0
                version = named ?? registered.last { $0.tag.commit == tag.commit }?.version
                if version == nil {
                    notes.append("\(tag.name): no version of \(model) is registered at \(tag.commit.short); left out")
                    continue
                }
            case .unassignment(_, let name, let counter):
                stage = name
                number = counter
            default: continue
            }
            if let known = latest[stage], (known.date, known.number) > (tag.date, number) { continue }
            latest[stage] = (tag.date, number, version, tag.name)
        }
        var holders: [String: String] = [:]
        for (gto, event) in latest.sorted(by: { $0.key < $1.key }) {
            guard let version = event.version else { continue }
            if deregistered.contains(version) {
                notes.append("\(model): \(version) held \(gto) but is deregistered (\(model)@v\(version)!); left out")
                continue
            }
            if let deprecatedAt, deprecatedAt >= event.date {
                notes.append("\(model) is deprecated (\(model)@deprecated): \(gto) left empty")
                continue
            }
            guard let stage = stageMap[gto] ?? (ladder.contains(gto) ? gto : nil) else {
                throw ModelGateError.badInput(
                    "GTO stage \(Quoted(gto)) (\(event.tag)) is not a stage of the registry (\(ladder.joined(separator: ", "))): map it with --stage-map \(gto)=STAGE; nothing was written"
                )
            }
            if let other = holders.first(where: { $0.value == version })?.key {
                let keep = (ladder.firstIndex(of: other) ?? 0) >= (ladder.firstIndex(of: stage) ?? 0) ? other : stage
                let drop = keep == other ? stage : other
                notes.append(
                    "\(model) \(version) holds \(other) and \(stage) in GTO; a registry version holds one stage: kept \(keep)"
                )
                holders[drop] = nil
                holders[keep] = version
                continue
            }
            holders[stage] = version
        }
        return holders
    }

    func modelSpec(_ name: String, description: String?) -> String {
        var text = "apiVersion: modelgate/v1\nkind: Model\nname: \(name)\n"
        if let description { text += "description: \(YAMLText.string(description))\n" }
        return text
    }
}

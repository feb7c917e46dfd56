import ModelGateGit
import ModelGateSupport
import ModelGateYAML

/// `modelgate.yaml` (kind: Registry): the stage ladder, environment probes, image settings, and the trust,
/// sandbox and waiver settings that only ever count when read from the trusted ref.
public struct RegistrySettings: Sendable {
    public static let defaultStages = ["development", "staging", "production", "archived"]
    public static let path = RegistryLayout.settings

    /// The promotion ladder, in order.
    public var stages: [String] = RegistrySettings.defaultStages
    /// Stages that may be entered with no policy governing them.
    public var ungated: [String] = []
    /// `holderRequired`: stages a change may not leave without a holder (`modelgate/stage.removed` fails);
    /// emptying any other stage is a warning.
    public var holderRequired: [String] = []
    /// Environment probes: fact name -> the program and its arguments, sorted by name.
    public var probes: [(name: String, arguments: [String])] = []
    /// Where bundles say images go.
    public var imageRegistry: String = "registry.example.com/models"
    /// The serving base image of bundles.
    public var imageBase: String = "python:3.11.7-slim"
    /// `image.requireDigest`: stages whose bundles must deploy an image pinned by digest.
    public var requireDigest: [String] = []
    /// `deploy`: what `render` writes, and where.
    public var deploy = DeploySettings()
    /// `job`: where `repro --emit job` retrains on Kubernetes.
    public var job = JobSettings()
    /// `trust.attestors`: the keys whose signed attestations `require: reproducible` accepts.
    public var attestors: [AttestorSetting] = []
    /// `trust.approvers`: the people whose SSH-signed approvals `require: approvals` counts.
    public var approvers: [ApproverSetting] = []
    /// `sandbox.env`: caller variables passed into the training sandbox.
    public var sandboxEnvironment: [String] = []
    /// `sandbox.readOnly`: extra host paths visible read-only inside the sandbox.
    public var sandboxReadOnly: [String] = []
    /// `sandbox.memory`, `sandbox.processes`, `sandbox.disk`: what a training may use.
    public var sandboxLimits = SandboxLimits()
    /// `reproducibility.cpu`: the instruction-set level every training and probe computes at.
    public var cpuPin: CPULevel?
    /// `waivers.maxDays`: how far ahead of the check a waiver may expire.
    public var waiverMaxDays = 90
    public var location = SourceLocation(path: RegistrySettings.path)

    public init() {}

    static func read(_ node: YAMLNode, reader: SchemaReader) -> RegistrySettings {
        var settings = RegistrySettings()
        settings.location = node.location
        guard let fields = reader.fields(node, "modelgate.yaml") else { return settings }
        DocumentHeader.check(fields, kind: "Registry", reader: reader)
        if let stages = fields.strings("stages") {
            settings.readStages(stages, at: fields.location(of: "stages"), reader: reader)
        }
        if let ungated = fields.strings("ungated") {
            for (stage, location) in ungated where !settings.stages.contains(stage) {
                reader.error("ungated stage \(Quoted(stage)) is not in 'stages'", at: location)
            }
            settings.ungated = ungated.map(\.0)
        }
        if let required = fields.strings("holderRequired") {
            for (stage, location) in required where !settings.stages.contains(stage) {
                reader.error("holderRequired stage \(Quoted(stage)) is not in 'stages'", at: location)
            }
            settings.holderRequired = required.map(\.0)
        }
        if let environment = fields.fields("environment") { settings.readEnvironment(environment, reader: reader) }
        if let image = fields.fields("image") { settings.readImage(image, reader: reader) }
        if let deploy = fields.fields("deploy") {
            settings.deploy = DeploySettings.read(deploy, stages: settings.stages, reader: reader)
        }
        if let job = fields.fields("job") { settings.job = JobSettings.read(job, reader: reader) }
        if let trust = fields.fields("trust") { settings.readTrust(trust, reader: reader) }
        if let sandbox = fields.fields("sandbox") { settings.readSandbox(sandbox, reader: reader) }
        if let reproducibility = fields.fields("reproducibility") {
            settings.readReproducibility(reproducibility, reader: reader)
        }
        if let waivers = fields.fields("waivers") { settings.readWaivers(waivers, reader: reader) }
        fields.finish(allowing: [
            "apiVersion", "kind", "stages", "ungated", "holderRequired", "environment", "image", "trust", "sandbox",
            "reproducibility",
            "waivers", "deploy", "job",
        ])
        return settings
    }

    /// `stages`: the ladder, each a valid name listed once, at least one.
    private mutating func readStages(
        _ stages: [(String, SourceLocation)], at location: SourceLocation, reader: SchemaReader
    ) {
        var seen = Set<String>()
        self.stages = []
        for (stage, location) in stages {
            if !Names.isValid(stage) {
                reader.error(Names.problem(stage, what: "stage"), at: location)
            } else if !seen.insert(stage).inserted {
                reader.error("stage \(Quoted(stage)) is listed twice", at: location)
            } else {
                self.stages.append(stage)
            }
        }
        if stages.isEmpty {
            reader.error("'stages' must list at least one stage", at: location)
        }
    }

    /// `environment.probes`: the commands whose output joins the environment facts.
    private mutating func readEnvironment(_ environment: SchemaReader.Fields, reader: SchemaReader) {
        if let probes = environment.fields("probes") {
            for pair in probes.entries {
                if !Self.isFactName(pair.key) {
                    reader.error(
                        "probe name \(Quoted(pair.key)) must be letters, digits, '_', '-' or '.'",
                        at: pair.keyLocation)
                } else if ["os", "arch", "libc", "cpu", "lockfile"].contains(pair.key) {
                    reader.error("probe \(Quoted(pair.key)) would replace a built-in fact", at: pair.keyLocation)
                }
                if let arguments = Self.probeArguments(pair.value, name: pair.key, reader: reader) {
                    self.probes.append((pair.key, arguments))
                }
            }
            self.probes.sort { $0.name < $1.name }
        }
        environment.finish(allowing: ["probes"])
    }

    /// `image`: the registry images are pushed to, the base image, and the stages that require digests.
    private mutating func readImage(_ image: SchemaReader.Fields, reader: SchemaReader) {
        if let registry = image.string("registry") {
            if let problem = ImageReference.problem(registry) {
                reader.error("image registry \(Quoted(registry)) \(problem)", at: image.location(of: "registry"))
            } else {
                imageRegistry = registry
            }
        }
        if let base = image.string("base") {
            if let problem = ImageReference.problem(base) {
                reader.error("base image \(Quoted(base)) \(problem)", at: image.location(of: "base"))
            } else if base.hasSuffix(":latest") || (!base.contains(":") && !base.contains("@")) {
                reader.error(
                    "base image \(Quoted(base)) must name a tag or digest other than 'latest'",
                    at: image.location(of: "base"))
            } else {
                imageBase = base
            }
        }
        for (stage, location) in image.strings("requireDigest") ?? [] {
            if self.stages.contains(stage) {
                requireDigest.append(stage)
            } else {
                reader.error("requireDigest stage \(Quoted(stage)) is not in 'stages'", at: location)
            }
        }
        image.finish(allowing: ["registry", "base", "requireDigest"])
    }

    /// `trust.attestors` (whose signatures `require: reproducible` accepts) and `trust.approvers` (whose
    /// approvals `require: approvals` counts).
    private mutating func readTrust(_ trust: SchemaReader.Fields, reader: SchemaReader) {
        attestors = Self.readNamed(trust, "attestors", what: "attestor", reader: reader, AttestorSetting.read)
        approvers = Self.readNamed(trust, "approvers", what: "approver", reader: reader, ApproverSetting.read)
        trust.finish(allowing: ["attestors", "approvers"])
    }

    /// A list of named entries under `key`, each read by `read`, a name listed twice refused at its second.
    private static func readNamed<Entry>(
        _ fields: SchemaReader.Fields, _ key: String, what: String, reader: SchemaReader,
        _ read: (SchemaReader.Fields, SchemaReader) -> Entry?
    ) -> [Entry] where Entry: NamedSetting {
        guard let list = fields.node(key).flatMap({ reader.list($0, "'\(key)'") }) else { return [] }
        var seen = Set<String>()
        var entries: [Entry] = []
        for item in list {
            guard let entry = reader.fields(item, "an \(what)").flatMap({ read($0, reader) }) else { continue }
            if seen.insert(entry.name).inserted {
                entries.append(entry)
            } else {
                reader.error("\(what) \(Quoted(entry.name)) is listed twice", at: entry.location)
            }
        }
        return entries
    }

    /// `sandbox`: the variables passed through, the read-only paths hidden, and the limits.
    private mutating func readSandbox(_ sandbox: SchemaReader.Fields, reader: SchemaReader) {
        for (name, location) in sandbox.strings("env") ?? [] {
            if SandboxEnvironment.withheld.contains(name) {
                reader.error(
                    "sandbox.env may not pass \(name): the signing key never reaches a training or a probe",
                    at: location)
            } else if Self.isEnvironmentName(name) {
                sandboxEnvironment.append(name)
            } else {
                reader.error(
                    "sandbox variable \(Quoted(name)) must be letters, digits and '_', not starting with a digit",
                    at: location)
            }
        }
        for (path, location) in sandbox.strings("readOnly") ?? [] {
            if path.hasPrefix("/"), !path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }),
                !path.utf8.contains(where: { $0 < 0x20 })
            {
                sandboxReadOnly.append(path)
            } else {
                reader.error("sandbox path \(Quoted(path)) must be an absolute, normalised path", at: location)
            }
        }
        sandboxLimits = Self.readLimits(sandbox, reader: reader)
        sandbox.finish(allowing: ["env", "readOnly", "memory", "processes", "disk"])
    }

    /// `reproducibility.cpu`: the instruction-set level retraining is pinned to.
    private mutating func readReproducibility(_ reproducibility: SchemaReader.Fields, reader: SchemaReader) {
        if let name = reproducibility.string("cpu") {
            if let level = CPULevel(name: name), CPULevel.pinnable.contains(level) {
                cpuPin = level
            } else {
                reader.error(
                    "reproducibility.cpu \(Quoted(name)) is not a level modelgate can pin: \(CPULevel.pinnable.map(\.name).joined(separator: ", "))",
                    at: reproducibility.location(of: "cpu"))
            }
        }
        reproducibility.finish(allowing: ["cpu"])
    }

    /// `waivers.maxDays`: how long a waiver may run.
    private mutating func readWaivers(_ waivers: SchemaReader.Fields, reader: SchemaReader) {
        if let days = waivers.integer("maxDays") {
            if (0...3650).contains(days) {
                waiverMaxDays = days
            } else {
                reader.error("waivers.maxDays must be between 0 and 3650", at: waivers.location(of: "maxDays"))
            }
        }
        waivers.finish(allowing: ["maxDays"])
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(48...57).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }

    static func isFactName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            }
    }

    /// A probe's program and arguments: a list of words as written (`[python3, -c, "…"]`, as
    /// `training.command`), or one command line split as a POSIX shell splits plain words and quotes,
    /// without running a shell (nothing expands). A line that does not split is an error here, at its place.
    static func probeArguments(_ node: YAMLNode, name: String, reader: SchemaReader) -> [String]? {
        if case .sequence(let items) = node.kind {
            let words = items.compactMap { reader.string($0, "an item of probe '\(name)'") }
            guard words.count == items.count else { return nil }
            guard !words.isEmpty else {
                reader.error("probe '\(name)' must name a program", at: node.location)
                return nil
            }
            return words
        }
        guard let line = reader.string(node, "probe '\(name)'") else { return nil }
        guard let words = CommandLineWords.split(line), !words.isEmpty else {
            reader.error(
                "probe '\(name)' is not a command line (an unclosed quote, or empty); write it as a list of words",
                at: node.location)
            return nil
        }
        return words
    }
}

/// The grammar of container image references that bundles write into Dockerfiles and manifests.
public enum ImageReference {
    /// The problem with `reference`, or nil when it is a plain `registry/name[:tag][@sha256:digest]`.
    public static func problem(_ reference: String) -> String? {
        guard !reference.isEmpty, reference.utf8.count <= 255 else { return "must be 1 to 255 characters" }
        let allowed = reference.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (97...122).contains(byte) || (65...90).contains(byte)
                || [
                    UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "/"), UInt8(ascii: ":"),
                    UInt8(ascii: "@"),
                ].contains(byte)
        }
        guard allowed else { return "may hold only letters, digits and . - _ / : @" }
        if let at = reference.firstIndex(of: "@") {
            let digest = reference[reference.index(after: at)...]
            guard digest.hasPrefix("sha256:"), Hex.isLowercase(String(digest.dropFirst(7)), count: 64) else {
                return "must pin its digest as @sha256:<64 hex digits>"
            }
        }
        return nil
    }
}

/// An entry of a list whose names must be distinct (`trust.attestors`, `trust.approvers`).
protocol NamedSetting {
    var name: String { get }
    var location: SourceLocation { get }
}

/// One entry of `trust.attestors`: a named ECDSA P-256 public key, in a file of the repository or inline.
public struct AttestorSetting: Sendable, NamedSetting {
    public var name: String
    /// A repository path of a PEM file (read at the same trusted ref as the settings).
    public var publicKeyFile: String?
    /// The PEM text itself.
    public var publicKey: String?
    public var location: SourceLocation

    static func read(_ fields: SchemaReader.Fields, reader: SchemaReader) -> AttestorSetting? {
        let name = fields.string("name", required: true)
        if let name, !Names.isValid(name) {
            reader.error(Names.problem(name, what: "attestor"), at: fields.location(of: "name"))
        }
        let file = fields.string("publicKeyFile")
        if let file, let problem = RepositoryPath.problem(file) {
            reader.error("publicKeyFile \(Quoted(file)) \(problem)", at: fields.location(of: "publicKeyFile"))
        }
        let inline = fields.string("publicKey")
        if (file == nil) == (inline == nil) {
            reader.error("an attestor names exactly one of publicKeyFile and publicKey", at: fields.location)
        }
        fields.finish(allowing: ["name", "publicKeyFile", "publicKey"])
        guard let name, Names.isValid(name), (file == nil) != (inline == nil) else { return nil }
        return AttestorSetting(name: name, publicKeyFile: file, publicKey: inline, location: fields.location)
    }

}

/// One entry of `trust.approvers`: a person's name and their OpenSSH public key, one line of a `.pub`
/// file (`ssh-ed25519 AAAA… comment` or `ecdsa-sha2-nistp256 …`), the key they sign Git commits with.
public struct ApproverSetting: Sendable, NamedSetting {
    public var name: String
    public var publicKey: String
    public var location: SourceLocation

    static func read(_ fields: SchemaReader.Fields, reader: SchemaReader) -> ApproverSetting? {
        let name = fields.string("name", required: true)
        if let name, !Names.isValid(name) {
            reader.error(Names.problem(name, what: "approver"), at: fields.location(of: "name"))
        }
        let key = fields.string("publicKey", required: true)
        fields.finish(allowing: ["name", "publicKey"])
        guard let name, Names.isValid(name), let key else { return nil }
        return ApproverSetting(name: name, publicKey: key, location: fields.location)
    }
}

extension RegistrySettings {
    /// `sandbox.memory` and `sandbox.disk` (Kubernetes quantities, `8Gi`), `sandbox.processes` (a count).
    static func readLimits(_ fields: SchemaReader.Fields, reader: SchemaReader) -> SandboxLimits {
        func quantity(_ key: String) -> String? {
            guard let text = fields.string(key) else { return nil }
            guard let bytes = KubernetesQuantity.bytes(text), bytes >= 1 << 20 else {
                reader.error(
                    "sandbox.\(key) \(Quoted(text)) must be a quantity of at least 1Mi, like 8Gi",
                    at: fields.location(of: key))
                return nil
            }
            return text
        }
        var processes = fields.integer("processes")
        if let count = processes, !(1...4_194_304).contains(count) {
            reader.error("sandbox.processes must be between 1 and 4194304", at: fields.location(of: "processes"))
            processes = nil
        }
        return SandboxLimits(memory: quantity("memory"), processes: processes, disk: quantity("disk"))
    }
}

extension RegistrySettings {
    /// What a file that names a stage not on `ladder` is told: the ladder, and the nearest name
    /// (`what` is "stage", or "baseline stage").
    public static func stageProblem(_ stage: String, on ladder: [String], what: String = "stage") -> String {
        let hint = Suggestion.nearest(to: stage, in: ladder).map { "; did you mean '\($0)'?" } ?? ""
        return "\(what) \(Quoted(stage)) is not one of the registry's stages (\(ladder.joined(separator: ", ")))\(hint)"
    }

    /// Refuses a stage that is not on `ladder`: a bad-input error with the nearest name and the ladder.
    public static func requireStage(_ stage: String, on ladder: [String]) throws {
        guard !ladder.contains(stage) else { return }
        let hint = Suggestion.nearest(to: stage, in: ladder).map { "; did you mean '\($0)'?" } ?? ""
        throw ModelGateError.badInput(
            "unknown stage \(Quoted(stage))\(hint); the registry's stages are \(ladder.joined(separator: ", "))")
    }
}

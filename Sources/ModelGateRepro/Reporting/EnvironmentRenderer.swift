import ModelGateGate
import ModelGateRegistry
import ModelGateSupport

/// `env`'s output shapes: the facts and their signature as text or JSON, or exactly the
/// `training.environment` block a manifest records.
public enum EnvironmentRenderer {
    /// One `fact  value` line per fact (the lockfile's hash among them), then the signature.
    public static func text(_ facts: EnvironmentFacts) -> String {
        let width = facts.facts.keys.map(\.count).max() ?? 0
        return facts.facts.sorted { $0.key < $1.key }.map {
            "\($0.key.padded(to: width))  \($0.value)\n"
        }.joined() + "signature \(facts.signature)\n"
    }

    /// `{"facts", "lockfile": {"path", "sha256"} | null, "signature"}`; the lockfile beside the facts.
    public static func json(_ facts: EnvironmentFacts, lockfile: String?, lockfileSHA256: String?) -> JSONValue {
        let shown = facts.facts.filter { $0.key != "lockfile" }
        return .object([
            ("facts", .object(shown.keys.sorted().map { ($0, .string(shown[$0])) })),
            (
                "lockfile",
                lockfile.map { .object([("path", .string($0)), ("sha256", .string(lockfileSHA256))]) } ?? .null
            ),
            ("signature", .string(facts.signature)),
        ])
    }

    /// The `environment:` block of a manifest's `training`, as `record` writes it.
    public static func yaml(_ facts: EnvironmentFacts, lockfile: String?, lockfileSHA256: String?) -> String {
        var training = Training.environmentOnly
        training.facts = facts.facts.filter { $0.key != "lockfile" }
        training.lockfile = lockfile.map {
            DataFile(path: $0, sha256: lockfileSHA256, location: SourceLocation(path: $0))
        }
        training.signature = facts.signature
        let block = ManifestWriter.environmentBlock(training)
        guard let lockfile else { return block }
        // What the lockfile is read as: a comment, so the block still pastes into a manifest as it is.
        let format = Lockfile.Format(path: lockfile)
        let note =
            "# lockfile format: \(format.rawValue) (by file name: Pipfile.lock, uv.lock, poetry.lock, else pip requirements"
            + " with --hash); the signature hashes its bytes as they are, and bundles install its packages for the image\n"
        return block + note
    }
}

/// What `env` found: the facts, and the lockfile they were collected with (its sha256 among them).
public struct EnvironmentReport: CommandReport {
    public var facts: EnvironmentFacts
    public var lockfile: String?
    public var lockfileSHA256: String?

    public init(facts: EnvironmentFacts, lockfile: String?, lockfileSHA256: String?) {
        self.facts = facts
        self.lockfile = lockfile
        self.lockfileSHA256 = lockfileSHA256
    }

    public func rendered(as format: ReportFormat) -> String {
        switch format {
        case .json: EnvironmentRenderer.json(facts, lockfile: lockfile, lockfileSHA256: lockfileSHA256).rendered()
        case .yaml: EnvironmentRenderer.yaml(facts, lockfile: lockfile, lockfileSHA256: lockfileSHA256)
        default: EnvironmentRenderer.text(facts)
        }
    }
}

import ArgumentParser
import ModelGateKit

/// `--ref REF | --worktree`: the registry a reading command (`show`, `diff`, `status`, `validate`) looks
/// at: a commit (default HEAD), or the files on disk, so that a version just recorded can be seen before
/// it is committed.
struct RegistrySourceOptions: ParsableArguments {
    @Option(help: "The registry commit to read: a branch, tag, HEAD~2 or commit id (default: HEAD).")
    var ref: String?

    @Flag(
        help:
            "Read the files on disk instead (tracked, modified and untracked; ignored ones left out), as `git add -A` would stage them."
    )
    var worktree = false

    func validate() throws {
        if worktree && ref != nil {
            throw ValidationError("--ref and --worktree name two different registries; pass one")
        }
    }

    /// Where the registry is read, for messages: "in the working tree" or "at abc1234".
    func place(_ registry: Registry) -> String { worktree ? "in the working tree" : "at \(registry.commit.short)" }

    /// The registry at `--ref`, or on disk with `--worktree` (reported as at HEAD; a repository without
    /// commits reads as at the zero id). Only `models` where given.
    func load(in repository: Repository, models: [String]? = nil) throws -> Registry {
        let loader = RegistryLoader(repository: repository)
        guard worktree else {
            let commit = try repository.resolveCommit(ref ?? "HEAD")
            return try models.map { try loader.load(models: $0, at: commit) } ?? loader.load(at: commit)
        }
        guard repository.workingDirectory != nil else {
            throw ModelGateError.badInput("--worktree needs a working tree; this repository has none")
        }
        // Force unwrap: a literal 40-digit hex id (the zero id of a repository without commits).
        let commit = (try? repository.resolveCommit("HEAD")) ?? ObjectID(hex: String(repeating: "0", count: 40))!
        let tree = try repository.workingTreeTree()
        guard let models else { return try loader.load(tree: tree, commit: commit) }
        return try loader.load(models: models, tree: tree, commit: commit)
    }

    /// The same, refused (exit 2, every problem listed) when it does not validate.
    func validRegistry(in repository: Repository) throws -> Registry {
        let registry = try load(in: repository)
        if registry.hasErrors { throw InvalidRegistryError(registry.diagnostics) }
        return registry
    }
}

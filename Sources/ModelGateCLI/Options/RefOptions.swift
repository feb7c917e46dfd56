import ArgumentParser
import ModelGateKit

/// `--ref REF`: the registry commit a command that works from Git reads (default HEAD), which must hold
/// a registry.
struct RefOptions: ParsableArguments {
    @Option(help: "The registry commit to read: a branch, tag, HEAD~2 or commit id.")
    var ref = "HEAD"

    /// The commit `--ref` names; refused where it holds no registry.
    func commit(in repository: Repository) throws -> ObjectID {
        let commit = try repository.resolveCommit(ref)
        try RegistryLoader(repository: repository).requireRegistry(at: commit)
        return commit
    }
}

import ArgumentParser
import ModelGateKit

/// `--ref REF`: the registry commit a command reads (default HEAD), and the one way to load a registry
/// there that must be valid.
struct RefOptions: ParsableArguments {
    @Option(help: "The registry commit to read: a branch, tag, HEAD~2 or commit id.")
    var ref = "HEAD"

    /// The commit `--ref` names.
    func commit(in repository: Repository) throws -> ObjectID { try repository.resolveCommit(ref) }

    /// The registry at `--ref`; refused (exit 2, every problem listed) when it does not validate.
    func validRegistry(in repository: Repository) throws -> Registry {
        let registry = try RegistryLoader(repository: repository).load(at: commit(in: repository))
        if registry.hasErrors { throw InvalidRegistryError(registry.diagnostics) }
        return registry
    }
}

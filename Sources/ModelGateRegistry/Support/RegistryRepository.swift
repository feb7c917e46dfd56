import ModelGateGit
import ModelGateSupport

/// Opening the repository a command works on, with its failures said as a user can act on them.
public enum RegistryRepository {
    /// The repository at `path`, or the nearest one above it when `search` is true.
    public static func open(at path: String, search: Bool = true) throws -> Repository {
        do {
            return try Repository.open(at: path, search: search)
        } catch let error as GitError where error.isOwnedByAnotherUser {
            throw ModelGateError.badInput(
                "the repository at \(path) is owned by another user and libgit2 refuses it (git's safe.directory "
                    + "check); run modelgate as the owner of the repository, or change its ownership")
        } catch let error as GitError where error.isNotFound {
            throw ModelGateError.badInput(
                search ? "not a Git repository (or any parent up to /): \(path)" : "not a Git repository: \(path)")
        }
    }
}

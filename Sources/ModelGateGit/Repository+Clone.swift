internal import CGit2
import Foundation
import ModelGateSupport

extension Repository {
    /// Clones `url` (HTTPS, SSH through the agent, a local path or `file://`) as a bare repository at
    /// `path`, which must not exist yet, and opens it. An HTTPS host that asks for a user name and password
    /// gets `credentials`.
    public static func cloneBare(from url: String, into path: String, credentials: GitCredentials = GitCredentials())
        throws -> Repository
    {
        GitLibrary.ensureInitialized()
        var options = git_clone_options()
        git_clone_options_init(&options, UInt32(GIT_CLONE_OPTIONS_VERSION))
        options.bare = 1
        let state = GitCredentials.Payload(credentials)
        options.fetch_opts.callbacks.payload = Unmanaged.passUnretained(state).toOpaque()
        options.fetch_opts.callbacks.credentials = GitCredentials.callback
        var cloned: OpaquePointer?
        try withExtendedLifetime(state) {
            try check(git_clone(&cloned, url, path, &options), "cannot clone \(url)")
        }
        git_repository_free(cloned)
        return try Repository.open(at: path, search: false)
    }
}

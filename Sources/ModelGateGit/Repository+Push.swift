internal import CGit2
import Foundation
import ModelGateSupport

extension Repository {
    /// The URL of remote `name`, or nil.
    public func remoteURL(_ name: String) -> String? {
        var remote: OpaquePointer?
        guard git_remote_lookup(&remote, pointer, name) == 0 else { return nil }
        defer { git_remote_free(remote) }
        return git_remote_url(remote).map { String(cString: $0) }
    }

    /// Pushes `branch` (a short name) to the same name on `remote`, as `git push REMOTE BRANCH` does. A
    /// local path or `file://` remote needs no credentials; an SSH remote uses the SSH agent; an HTTPS
    /// remote gets `credentials` when it asks for a user name and password.
    public func push(branch: String, to remoteName: String, credentials: GitCredentials = GitCredentials()) throws {
        var remote: OpaquePointer?
        let lookup = git_remote_lookup(&remote, pointer, remoteName)
        if lookup == GIT_ENOTFOUND.rawValue {
            throw ModelGateError.badInput("no remote \(Quoted(remoteName)) in this repository")
        }
        try check(lookup, "cannot read remote \(remoteName)")
        defer { git_remote_free(remote) }
        var options = git_push_options()
        git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION))
        // The callbacks are C functions: what they read and write travels in the payload.
        final class PushState: GitCredentials.Payload {
            /// A rejected reference (not a fast-forward) is reported through a callback, not the return code.
            var rejection: String?
        }
        let state = PushState(credentials)
        options.callbacks.payload = Unmanaged.passUnretained(state).toOpaque()
        options.callbacks.credentials = GitCredentials.callback
        options.callbacks.push_update_reference = { reference, status, payload in
            if let status, let payload {
                let state = Unmanaged<PushState>.fromOpaque(payload).takeUnretainedValue()
                state.rejection = "\(reference.map { String(cString: $0) } ?? "?"): \(String(cString: status))"
            }
            return 0
        }
        let refspec = "refs/heads/\(branch):refs/heads/\(branch)"
        try refspec.withCString { pointer in
            var strings: [UnsafeMutablePointer<CChar>?] = [UnsafeMutablePointer(mutating: pointer)]
            try strings.withUnsafeMutableBufferPointer { buffer in
                var array = git_strarray(strings: buffer.baseAddress, count: 1)
                try check(git_remote_push(remote, &array, &options), "cannot push \(branch) to \(remoteName)")
            }
        }
        if let message = state.rejection { throw ModelGateError.environment("the remote refused \(message)") }
    }
}

/// The user name and token an HTTPS remote gets when it asks for them during a push or a clone (none: the
/// request goes without, and a remote that needs them refuses it).
public struct GitCredentials: Sendable {
    public var user: String
    public var token: String?

    public init(user: String = "", token: String? = nil) {
        self.user = user
        self.token = token
    }
}

extension GitCredentials {
    /// What a libgit2 callback's payload points at where `callback` answers: the credentials, and what
    /// else the operation's other callbacks need (a subclass).
    class Payload {
        let credentials: GitCredentials
        init(_ credentials: GitCredentials) { self.credentials = credentials }
    }

    /// libgit2's credentials callback for a push or a clone whose payload is a `Payload`: an SSH remote
    /// gets the agent's key, an HTTPS remote the user name and token, when there is a token.
    static let callback: git_credential_acquire_cb = { credential, _, username, allowed, payload in
        guard let credential, let payload else { return -1 }
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
            if let username { return git_credential_ssh_key_from_agent(credential, username) }
            return "git".withCString { git_credential_ssh_key_from_agent(credential, $0) }
        }
        let credentials = Unmanaged<Payload>.fromOpaque(payload).takeUnretainedValue().credentials
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0, let token = credentials.token, !token.isEmpty {
            return credentials.user.withCString { user in
                token.withCString { git_credential_userpass_plaintext_new(credential, user, $0) }
            }
        }
        return GIT_PASSTHROUGH.rawValue
    }
}

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

    /// Where a pull request from `branch` is opened, for a GitHub remote `url`.
    public static func pullRequestLink(remoteURL url: String, branch: String) -> String? {
        var path: Substring
        if url.hasPrefix("https://github.com/") {
            path = url.dropFirst("https://github.com/".count)
        } else if url.hasPrefix("git@github.com:") {
            path = url.dropFirst("git@github.com:".count)
        } else {
            return nil
        }
        if path.hasSuffix(".git") { path = path.dropLast(4) }
        return "https://github.com/\(path)/pull/new/\(branch)"
    }

    /// Pushes `branch` (a short name) to the same name on `remote`, as `git push REMOTE BRANCH` does. A
    /// local path or `file://` remote needs no credentials; an SSH remote uses the SSH agent; an HTTPS
    /// remote uses the token in `MODELGATE_GIT_TOKEN` (as `x-access-token`, GitHub's convention).
    public func push(branch: String, to remoteName: String) throws {
        var remote: OpaquePointer?
        let lookup = git_remote_lookup(&remote, pointer, remoteName)
        if lookup == GIT_ENOTFOUND.rawValue {
            throw ModelGateError.badInput("no remote \(Quoted(remoteName)) in this repository")
        }
        try check(lookup, "cannot read remote \(remoteName)")
        defer { git_remote_free(remote) }
        var options = git_push_options()
        git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION))
        options.callbacks.credentials = { credential, _, username, allowed, _ in
            guard let credential else { return -1 }
            if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
                if let username { return git_credential_ssh_key_from_agent(credential, username) }
                return "git".withCString { git_credential_ssh_key_from_agent(credential, $0) }
            }
            if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0,
                let token = ProcessInfo.processInfo.environment["MODELGATE_GIT_TOKEN"], !token.isEmpty
            {
                return "x-access-token".withCString { user in
                    token.withCString { git_credential_userpass_plaintext_new(credential, user, $0) }
                }
            }
            return GIT_PASSTHROUGH.rawValue
        }
        // A rejected reference (not a fast-forward) is reported through this callback, not the return code.
        final class Rejection { var message: String? }
        let rejection = Rejection()
        options.callbacks.payload = Unmanaged.passUnretained(rejection).toOpaque()
        options.callbacks.push_update_reference = { reference, status, payload in
            if let status, let payload {
                let box = Unmanaged<Rejection>.fromOpaque(payload).takeUnretainedValue()
                box.message = "\(reference.map { String(cString: $0) } ?? "?"): \(String(cString: status))"
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
        if let message = rejection.message { throw ModelGateError.environment("the remote refused \(message)") }
    }
}

import Foundation
import ModelGateGit

/// Where a promotion branch goes once committed: the credentials `promote --push` offers an HTTPS remote,
/// and the page that opens its pull request on GitHub.
public enum PromotionRemote {
    /// The variable holding the token for an HTTPS remote, offered as user `x-access-token` (GitHub's
    /// convention for app and workflow tokens).
    public static let tokenVariable = "MODELGATE_GIT_TOKEN"

    /// The credentials `--push` offers, from `environment`.
    public static func credentials(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> GitCredentials
    {
        GitCredentials(user: "x-access-token", token: environment[tokenVariable])
    }

    /// Where a pull request from `branch` is opened, for a GitHub remote `url`; nil for any other host.
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
}

import Testing

@testable import ModelGatePromotion

/// Where `promote --push` sends a branch: the token it offers, and the pull request page it names.
@Suite("Promotion remote")
struct PromotionRemoteTests {
    @Test func gitHubRemotesGetAPullRequestLinkOthersNone() {
        #expect(
            PromotionRemote.pullRequestLink(remoteURL: "https://github.com/acme/models.git", branch: "promote-x")
                == "https://github.com/acme/models/pull/new/promote-x")
        #expect(
            PromotionRemote.pullRequestLink(remoteURL: "git@github.com:acme/models", branch: "b")
                == "https://github.com/acme/models/pull/new/b")
        #expect(PromotionRemote.pullRequestLink(remoteURL: "https://gitlab.com/acme/models.git", branch: "b") == nil)
        #expect(PromotionRemote.pullRequestLink(remoteURL: "/srv/git/models.git", branch: "b") == nil)
    }

    @Test func theTokenComesFromItsVariableOnly() {
        let credentials = PromotionRemote.credentials(environment: ["MODELGATE_GIT_TOKEN": "t0k", "GITHUB_TOKEN": "x"])
        #expect(credentials.user == "x-access-token" && credentials.token == "t0k")
        #expect(PromotionRemote.credentials(environment: ["GITHUB_TOKEN": "x"]).token == nil)
    }
}

/// What to tell a user whose clone lacks history a command needs: the one wording `check` and `history`
/// share.
public enum FetchAdvice {
    /// How to get the base or the older commits into a CI checkout.
    public static let shallow =
        "A CI checkout is often shallow or has only the pull request's branch: fetch the base (`git fetch origin main`), more history (`git fetch --deepen=100`) or all of it (`git fetch --unshallow`), or in GitHub Actions give actions/checkout `fetch-depth: 0`"
}

import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// `modelgate site`: a static, self-contained website of the registry at a commit: an index of the models,
/// a page per model, per version and per policy. Every page opens from `file://` and requests nothing;
/// the same commit gives the same bytes (the only dates are the commits').
public struct Site: Sendable {
    /// The file `site` writes beside the pages, naming the commit: how it knows a folder is a site it may
    /// replace.
    public static let marker = ".modelgate-site"

    public let registry: Registry
    let facts: SiteFacts

    /// Reads what the site shows from `repository` (the registry must be valid); `histories`, every model's
    /// stage changes from the registry's commit, where they were read already.
    public init(registry: Registry, repository: Repository, histories: [String: [StageChange]]? = nil) throws {
        self.registry = registry
        facts = try SiteFacts(registry: registry, repository: repository, histories: histories)
    }

    /// Every model's stage changes from `commit` (what the site's timelines show), read on another thread
    /// with a repository handle of its own: they need only the commit, so a caller reads them while it loads
    /// the registry.
    public static func histories(in repository: Repository, from commit: ObjectID) throws -> Pending<
        Result<[String: [StageChange]], any Error>
    > {
        nonisolated(unsafe) let handle = try repository.reopened()
        return Pending { Result { try StageHistory.changesOfEveryModel(in: handle, from: commit) } }
    }

    /// Writes the site as folder `target`, atomically (see `AtomicFolder`), replacing the folder there when
    /// `replacing`: each page made and rendered on some core just before it is written. Returns the number
    /// of pages.
    @discardableResult
    public func write(to target: URL, replacing: Bool) throws -> Int {
        let context = SiteContext(
            commit: registry.commit, commitDate: facts.commitDate.map(Dates.format) ?? "no commit")
        let pages = self.pages()
        var others = SiteAssets.files
        others[Self.marker] = Data("\(registry.commit.hex)\n".utf8)
        // GitHub Pages serves the folder as it is (no Jekyll).
        others[".nojekyll"] = Data()
        let otherPaths = others.keys.sorted()
        try AtomicFolder.install(paths: pages.map(\.path) + otherPaths, at: target, replacing: replacing) { index in
            // Force unwrap: the paths past the pages are the keys of `others`.
            index < pages.count
                ? pages[index].page(facts).document(context) : others[otherPaths[index - pages.count]]!
        }
        return pages.count
    }

    /// Every page: the index, each model's page and its versions', each policy's.
    private func pages() -> [PageSource] {
        var pages = [PageSource.index]
        for model in registry.modelNames.compactMap({ facts.models[$0] }) {
            pages.append(.model(model))
            for version in model.versions { pages.append(.version(version, of: model)) }
        }
        for policy in registry.policies { pages.append(.policy(policy)) }
        return pages
    }
}

/// A page named by what it shows: its path is known at once, its `Page` is made only when it is written, on
/// the core that writes it (made all at once, 11,000 pages took a core for 50 ms while the other waited).
private enum PageSource {
    case index
    case model(ModelFacts)
    case version(VersionFacts, of: ModelFacts)
    case policy(Policy)

    var path: String {
        switch self {
        case .index: IndexPage.path
        case .model(let model): model.path
        case .version(let version, _): version.path
        case .policy(let policy): SitePaths.policyPath(policy.name)
        }
    }

    func page(_ facts: SiteFacts) -> Page {
        switch self {
        case .index: IndexPage.page(facts)
        case .model(let model): ModelPage.page(model, facts)
        case .version(let version, let model): VersionPage.page(version, of: model, facts)
        case .policy(let policy): PolicyPage.page(policy, facts)
        }
    }
}

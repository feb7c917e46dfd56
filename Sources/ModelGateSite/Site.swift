import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// `modelgate site`: a static, self-contained website of the registry at a commit: an index of the models,
/// a page per model, per version and per policy. Every page opens from `file://` and requests nothing;
/// the same commit gives the same bytes (the only dates are the commits').
public struct Site {
    /// The file `site` writes beside the pages, naming the commit: how it knows a folder is a site it may
    /// replace.
    public static let marker = ".modelgate-site"

    public let registry: Registry
    let facts: SiteFacts

    /// Reads what the site shows from `repository` (the registry must be valid).
    public init(registry: Registry, repository: Repository) throws {
        self.registry = registry
        facts = try SiteFacts(registry: registry, repository: repository)
    }

    /// Every file of the site, by path: the pages rendered on every core.
    public func files() -> [String: Data] {
        let context = SiteContext(
            commit: registry.commit, commitDate: facts.commitDate.map(Dates.format) ?? "no commit")
        var builders: [@Sendable () -> Page] = []
        let facts = self.facts
        builders.append { IndexPage.page(facts) }
        for model in registry.modelNames.compactMap({ registry.models[$0] }) {
            builders.append { ModelPage.page(model, facts) }
            for manifest in model.versions.values {
                builders.append { VersionPage.page(model, manifest, facts) }
            }
        }
        for policy in registry.policies { builders.append { PolicyPage.page(policy, facts) } }
        let pages = Concurrently.map(
            builders.count, workers: ProcessInfo.processInfo.activeProcessorCount, state: { _ in () }
        ) {
            _, index in
            let page = builders[index]()
            return (page.path, Data(page.document(context)))
        }
        var files = Dictionary(pages, uniquingKeysWith: { first, _ in first })
        files.merge(SiteAssets.files) { page, _ in page }
        files[Self.marker] = Data("\(registry.commit.hex)\n".utf8)
        // GitHub Pages serves the folder as it is (no Jekyll).
        files[".nojekyll"] = Data()
        return files
    }
}

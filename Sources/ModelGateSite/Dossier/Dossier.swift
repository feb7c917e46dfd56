import Foundation
import ModelGateGate
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// `modelgate dossier`: the registry's state at one commit as a self-contained, byte-reproducible record
/// for an auditor: each stage's holder with the rules and waivers in force, its evidence and verdicts, its
/// approvals, its model card, and the stage history with who authored and committed each change, under
/// headings that follow the EU AI Act's Annex IV where they apply. Written as `dossier.json` and
/// `index.html` (with the site's style sheet, nothing requested from elsewhere), `SHA256SUMS` over those
/// files, and with a key, `SHA256SUMS.dsse.json`, a DSSE envelope over that list.
public struct Dossier: Sendable {
    /// The list of the dossier's files and their sha256, in `sha256sum`'s format.
    public static let sumsFile = "SHA256SUMS"
    /// The DSSE envelope over `SHA256SUMS`, when the dossier is signed.
    public static let signatureFile = "SHA256SUMS.dsse.json"
    /// The DSSE payload type of that envelope.
    public static let payloadType = "application/vnd.modelgate.dossier-sums+text"

    public let registry: Registry
    let facts: SiteFacts
    /// The committer of each stage change's commit, by commit.
    let committers: [ObjectID: Signature]
    /// What `--at` named, as given.
    let requested: String

    /// Reads the registry's state at its commit; `requested` is what the user named (a day or a ref).
    public init(registry: Registry, repository: Repository, requested: String) throws {
        self.registry = registry
        self.requested = requested
        facts = try SiteFacts(registry: registry, repository: repository)
        var committers: [ObjectID: Signature] = [:]
        for change in facts.models.values.flatMap(\.history) where committers[change.commit] == nil {
            committers[change.commit] = try repository.commit(change.commit).committer
        }
        self.committers = committers
    }

    /// Every file of the dossier by path: the record, its page, the style sheet and `SHA256SUMS`, and with
    /// `key`, the signature over the sums.
    public func files(signingWith key: SigningKey? = nil) throws -> [String: Data] {
        var files: [String: Data] = [
            "dossier.json": Data(record.rendered().utf8),
            "index.html": DossierPage.page(self).document(
                SiteContext(commit: registry.commit, commitDate: facts.commitDate.map(Dates.format) ?? "no commit")),
        ]
        for (path, data) in SiteAssets.files { files[path] = data }
        let sums = DossierSums.list(files)
        files[Self.sumsFile] = sums
        if let key {
            var envelope = DSSEEnvelope(payloadType: Self.payloadType, payload: sums)
            try key.sign(&envelope)
            files[Self.signatureFile] = Data(envelope.json.rendered().utf8)
        }
        return files
    }

    /// Writes the dossier as folder `target`, atomically, replacing it when `replacing`.
    public func write(to target: URL, replacing: Bool, signingWith key: SigningKey? = nil) throws {
        try AtomicFolder.install(try files(signingWith: key), at: target, replacing: replacing)
    }

    /// The models in name order, with their facts.
    var models: [ModelFacts] { registry.modelNames.compactMap { facts.models[$0] } }
}

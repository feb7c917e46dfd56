import ModelGateGate
import ModelGateRegistry
import ModelGateSupport

/// What the site shows of one model, read once and shared by its pages and the index: its versions in
/// SemVer order with what each page needs of them, and its stage history. A class, read-only once made, as
/// `VersionFacts` is: the model's pages share one.
final class ModelFacts: Sendable {
    let model: Registry.Model
    /// Oldest first.
    let versions: [VersionFacts]
    /// Stage changes, newest first.
    let history: [StageChange]
    /// Its page's site path, `models/churn/index.html`.
    let path: String
    private let positions: [String: Int]

    init(model: Registry.Model, versions: [VersionFacts], history: [StageChange]) {
        self.model = model
        self.versions = versions
        self.history = history
        path = SitePaths.modelPath(model.name)
        positions = Dictionary(
            versions.enumerated().map { ($0.element.version, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    var name: String { model.name }

    subscript(version: String) -> VersionFacts? { positions[version].map { versions[$0] } }

    /// Where `version` stands in `versions`, if the model has it.
    func position(of version: String) -> Int? { positions[version] }

    /// The version holding `stage`, if any.
    func holder(of stage: String) -> VersionFacts? { model.stages?.holder(of: stage).flatMap { self[$0] } }
}

/// One version as the site shows it: its manifest, its verdict for every stage, its attestation, its data
/// profiles, and its recorded fields and metrics, sorted and formatted once for every page that shows them.
/// A class, read-only once made: every page of the model shares one, where copies of a value this size
/// cost more than writing the pages.
final class VersionFacts: Sendable {
    /// A version judged for one stage: as the holder (an audit) or as a promotion from the holder. Shared
    /// by the pages that show it, as its version is.
    final class Verdict: Sendable {
        let stage: String
        let held: Bool
        let evaluation: Evaluation
        let verdict: GateReport.Verdict

        init(stage: String, held: Bool, evaluation: Evaluation, verdict: GateReport.Verdict) {
            self.stage = stage
            self.held = held
            self.evaluation = evaluation
            self.verdict = verdict
        }
    }

    /// A version's attestation as the gate checks it, and what it must be bound to.
    struct Attestation: Sendable {
        var path: String
        var check: AttestationCheck
        var binding: AttestationCheck.Binding
        /// Whether a file is there at all (no file: the version was never attested).
        var present: Bool
    }

    /// A metric's value, and its table cell: right-aligned, sorting by the exact value. The cell is written
    /// once, for the tables of every page that shows it (a version's metrics are shown on its model's page,
    /// on its own, and beside every version compared with it while it holds a stage).
    struct Metric: Sendable {
        var value: Double
        var cell: HTMLWriter.Fragment

        init(_ value: Double) {
            self.value = value
            cell = HTMLWriter.Fragment { html in
                html.tag(
                    "td", [("class", "num"), ("data-sort", JSONValue.format(value))], text: NumberFormat.metric(value))
            }
        }
    }

    let manifest: ModelVersion
    /// The version as text, `1.3.0`.
    let version: String
    /// Its page's site path, `models/churn/1.3.0.html`.
    let path: String
    /// The link to its page from a page of its model (the model's and its versions' pages are all two
    /// folders down): made once, for the 120,000 links to versions that 11,000 pages hold.
    let href: String
    /// The stage it holds, if any.
    let stage: String?
    /// Per judged stage.
    let verdicts: [String: Verdict]
    let attestation: Attestation
    /// Its approvals, stage by stage, each counted or not as the gate would.
    let approvals: [Approval.Check]
    /// The training data profiles by data path, where the version records a profile.
    let profiles: [String: DataProfile]?
    /// `ManifestFields`, sorted by path.
    let fields: [(key: String, value: String)]
    /// The metrics, sorted by name.
    let metrics: [(key: String, value: Metric)]

    init(
        _ manifest: ModelVersion, of model: String, stage: String?, verdicts: [String: Verdict],
        attestation: Attestation, profiles: [String: DataProfile]?, approvals: [Approval.Check] = []
    ) {
        self.approvals = approvals
        self.manifest = manifest
        version = manifest.version.description
        path = SitePaths.versionPath(model, version)
        href = "../../" + path
        self.stage = stage
        self.verdicts = verdicts
        self.attestation = attestation
        self.profiles = profiles
        fields = ManifestFields.of(manifest)
        metrics = manifest.metrics.map { ($0.key, Metric($0.value.value)) }.sorted { $0.key < $1.key }
    }

    /// The metric named `name`, if the version records it.
    func metric(_ name: String) -> Metric? { metrics.first { $0.key == name }?.value }
}

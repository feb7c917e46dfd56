import Foundation
import ModelGateGate
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// `modelgate render`: the deploy folder Argo CD or Flux applies — for every deployed stage and every
/// model holding it, the manifests of its bundle, with kustomizations per model and per stage, and the
/// images the holders run. Depends only on the holders' manifests, the settings, the templates and
/// `images.yaml`: never on a commit id, so committing the render leaves it up to date.
public struct DeployRenderer {
    /// One holder that does not pass its stage's gate: nothing is written while there is one.
    public struct Refusal: Sendable {
        public var model: String
        public var version: String
        public var stage: String
        public var report: GateReport
    }

    /// One model holding one deployed stage, and the image it runs (nil: `images.yaml` names none, and the
    /// manifests deploy the default `<image.registry>/<model>:<version>`).
    public struct Holder: Sendable {
        public var stage: String
        public var model: String
        public var version: String
        public var image: String?
    }

    /// What a render produces: the files of the folder (relative paths), the stages it owns, the holders,
    /// refusals, and the holders of `image.requireDigest` stages that `images.yaml` has no image for (the
    /// images to build before the folder can be written).
    public struct Result: Sendable {
        public var files: [String: Data]
        public var stages: [String]
        public var holders: [Holder]
        public var images: ImageMap
        public var refusals: [Refusal]
        public var missingDigests: [Holder] = []

        /// Why the folder cannot be written for lack of digests, or nil.
        public var missingDigestsProblem: String? {
            guard !missingDigests.isEmpty else { return nil }
            let keys = missingDigests.map { "\($0.model)@\($0.version) (\($0.stage))" }
            return
                "\(keys.joined(separator: ", ")) \(keys.count == 1 ? "holds a stage that deploys" : "hold stages that deploy") images by digest (image.requireDigest), and \(ImageMap.fileName) has no image for \(keys.count == 1 ? "it" : "them"): build them, then render with every --image MODEL@VERSION=REF@sha256:<digest> at once"
        }
    }

    public let repository: Repository
    public var now = Date()
    public var namespace = "models"

    public init(repository: Repository) { self.repository = repository }

    /// Renders the registry at `ref` with `images` (the folder's `images.yaml` after `--image` updates).
    ///
    /// Long on purpose: every stage's folder rendered in order, into one list of refusals and results.
    public func render(ref: String, images: ImageMap) throws -> Result {
        let commit = try repository.resolveCommit(ref)
        let loader = RegistryLoader(repository: repository)
        let registry = try loader.load(at: commit)
        if registry.hasErrors { throw InvalidRegistryError(registry.diagnostics) }
        let settings = registry.settings
        var bundler = Bundler(repository: repository)
        bundler.now = now
        let target = settings.deploy.target
        var files: [String: Data] = [:]
        var refusals: [Refusal] = []
        var kept = ImageMap()
        var holders: [Holder] = []
        var missingDigests: [Holder] = []
        let stages = settings.deploy.deployedStages(on: settings.stages)
        // Every holder judged at once, as it stands (an audit at REF), with the rules and templates read once.
        var candidates: [Gate.Candidate] = []
        for stage in stages {
            for name in registry.models.keys.sorted() {
                guard let version = registry.models[name]?.stages?.holder(of: stage) else { continue }
                candidates.append(
                    Gate.Candidate(model: name, version: version, stage: stage, fromVersion: nil, fromStage: stage))
            }
        }
        var gate = try Gate.judging(registry, base: nil, rulesAt: registry.commit, in: repository)
        gate.now = now
        let report = gate.evaluate(candidates)
        // Rules that do not read cleanly judge nothing: no render from them.
        let errors = report.errors.filter { $0.severity == .error }
        if !errors.isEmpty { throw InvalidRegistryError(errors) }
        let templates = try TemplateSet(overrides: bundler.overrides(at: commit, loader: loader))
        var modelsByStage: [String: [String]] = [:]
        for (candidate, evaluation) in zip(candidates, report.evaluations) {
            let (name, version, stage) = (candidate.model, candidate.version, candidate.stage)
            guard !evaluation.results.contains(where: { $0.status == .fail }) else {
                var single = report
                single.evaluations = [evaluation]
                refusals.append(Refusal(model: name, version: version, stage: stage, report: single))
                continue
            }
            let manifest = try registry.version(name, version)
            let key = "\(name)@\(version)"
            let image = images.images[key]
            let holder = Holder(stage: stage, model: name, version: version, image: image)
            holders.append(holder)
            if let image { kept.images[key] = image }
            if image == nil && settings.requireDigest.contains(stage) {
                missingDigests.append(holder)
                continue
            }
            let rendered = try bundler.files(
                manifest, model: try registry.model(name), stage: stage, in: registry, loader: loader,
                options: Bundler.Options(
                    target: target, image: image, namespace: namespace, forced: false, registryCommit: nil,
                    buildContext: false, templates: templates))
            for (path, data) in rendered.files { files["\(stage)/\(name)/\(path)"] = data }
            files["\(stage)/\(name)/kustomization.yaml"] = Self.kustomization(rendered.files.keys.sorted())
            modelsByStage[stage, default: []].append(name)
        }
        for stage in stages { files["\(stage)/kustomization.yaml"] = Self.kustomization(modelsByStage[stage] ?? []) }
        files[ImageMap.fileName] = Data(kept.text.utf8)
        return Result(
            files: refusals.isEmpty && missingDigests.isEmpty ? files : [:], stages: stages, holders: holders,
            images: kept, refusals: refusals, missingDigests: missingDigests)
    }

    /// A kustomization listing `resources`.
    static func kustomization(_ resources: [String]) -> Data {
        var text = """
            # Generated by modelgate render; do not edit.
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization

            """
        text += resources.isEmpty ? "resources: []\n" : "resources:\n" + resources.map { "  - \($0)\n" }.joined()
        return Data(text.utf8)
    }
}

import Crypto
import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// `repro --emit job` and `record --emit job`: a training of one version as a Kubernetes Job, and the
/// training image it runs.
///
/// One pod, three steps, each holding only what it needs (four when Git does not hold some data: a
/// `download` step first fetches it from its `uri` with curl into a volume the training never mounts):
/// 1. `fetch` (init container, modelgate's image): clones the repository and writes the scratch tree the
///    training runs in (the training folder, data, lockfile and `training.inputs` at the commit) into the
///    `scratch` volume, and the clone into `handoff`, checking the downloaded data against its hashes on
///    the way. It holds the Git token, when there is one.
/// 2. `train` (init container, the training image): runs `training.command` in the scratch tree with the
///    sandbox's cleared environment and seed variables. It mounts `scratch` and its own `/tmp`, nothing else:
///    no clone, no key, no token, no service account token.
/// 3. The last step (the container, modelgate's image) reads the scratch tree read-only:
///    - `attest` (`repro`): the only step that mounts the signing key. It verifies and compares, and prints
///      the signed attestation as one JSON line (`JobLog`), which `repro --collect` turns into
///      `attestations/…json`.
///    - `record` (`record`): writes the new version's manifest, artifact and data profile as a commit on a
///      new branch of the clone, and pushes the branch (with the Git token): the pull request's branch. A
///      recording is evidence of nothing until it is reproduced, so no key is mounted anywhere.
///
/// Every value is written through `JSONValue` (the manifests are JSON, which is YAML), names and references
/// are validated before, and the same version, commits and settings give the same bytes.
public struct TrainingJob {
    /// What the Job's last step does with the training.
    public enum Purpose: Sendable {
        /// `repro --emit job`: compare with the recorded version and sign the attestation.
        case reproduce
        /// `record --emit job`: record the new version on `branch` and push it; `arguments` are the
        /// recording's own (`--like`, `--param`, `--seed`, …), which the fetch and record steps read again.
        case record(arguments: [String], branch: String)
    }

    /// Where the steps see the scratch tree: the sandbox's root, so a training writes the same bytes.
    static let scratchPath = Sandbox.root
    static let handoffPath = "/modelgate/handoff"
    static let keyPath = "/modelgate/key"
    static let downloadPath = "/modelgate/download"
    /// The clone inside `handoff`.
    static let cloneName = "repository.git"
    /// The user every step runs as (the training image's `USER`).
    static let user = 10001

    public var purpose: Purpose
    public var model: String
    public var version: String
    /// The commit trained from and the trusted commit whose settings the run uses.
    public var commit: ObjectID
    public var base: ObjectID
    public var training: Training
    public var created: Date?
    /// The trusted ref's settings: `job`, `sandbox`, `reproducibility`, `image.base`.
    public var settings: RegistrySettings
    /// The training image's reference (by digest in a Job that is applied); nil: a local tag to build.
    public var trainingImage: String?
    public var timeout: Int
    /// The lockfile's lines, hash-locked.
    public var requirements: [String]
    /// The data files Git does not hold at the commit: the download step fetches each from its `uri`.
    public var downloads: [DataFile]

    /// The Job that reproduces `model@version` at `ref`, with the settings of the trusted ref `base`: the
    /// training image installs the version's lockfile, which must be in the repository, match its recorded
    /// hash, and pin a hash for every requirement.
    public static func reproduce(
        model: String, version: String, in repository: Repository, ref: String, base: String, trainingImage: String?,
        timeout: Int
    ) throws -> TrainingJob {
        var reproducer = Reproducer(repository: repository)
        reproducer.ref = ref
        reproducer.trustedRef = base
        let plan = try reproducer.plan(model: model, version: version)
        return TrainingJob(
            purpose: .reproduce, model: model, version: version, commit: plan.commit,
            base: try repository.resolveCommit(base), training: plan.training, created: plan.manifest.created,
            settings: plan.settings, trainingImage: trainingImage, timeout: timeout,
            requirements: try requirements(
                of: plan.training, at: plan.commit, in: repository, settings: plan.settings,
                what: plan.manifest.path),
            downloads: try DownloadedData.files(of: plan.training, at: plan.commit, in: repository))
    }

    /// The Job that records `request` from the commit at HEAD (which must be on the Git host), with the
    /// settings of the trusted ref `base`, pushing the new version on `branch`.
    public static func record(
        _ request: Recorder.Request, in repository: Repository, base: String, branch: String?, trainingImage: String?,
        timeout: Int
    ) throws -> TrainingJob {
        var recorder = Recorder(repository: repository)
        recorder.trustedRef = base
        let plan = try recorder.plan(request, at: "HEAD")
        let branch = branch ?? "record-\(request.model)-\(request.version)"
        guard ReferenceName.isValidBranch("refs/heads/\(branch)") else {
            throw ModelGateError.badInput("invalid branch name \(Quoted(branch))")
        }
        return TrainingJob(
            purpose: .record(arguments: request.arguments, branch: branch), model: request.model,
            version: request.version, commit: plan.commit, base: try repository.resolveCommit(base),
            training: plan.training, created: plan.created, settings: plan.settings, trainingImage: trainingImage,
            timeout: timeout,
            requirements: try requirements(
                of: plan.training, at: plan.commit, in: repository, settings: plan.settings,
                what: plan.manifestPath),
            downloads: try DownloadedData.files(of: plan.training, at: plan.commit, in: repository))
    }

    /// The lockfile's requirements, which the training image installs: it must be in the repository at
    /// `commit`, match the hash `training` records, and pin a hash for every requirement.
    static func requirements(
        of training: Training, at commit: ObjectID, in repository: Repository, settings: RegistrySettings,
        what: String
    ) throws -> [String] {
        guard let lockfile = training.lockfile,
            let data = try RegistryLoader(repository: repository).file(lockfile.path, at: commit)
        else {
            throw ModelGateError.badInput(
                "\(what): the training records no lockfile in the repository, and the training image installs it",
                at: training.location)
        }
        let actual = Hex.encode(SHA256.hash(data: data))
        if let recorded = lockfile.sha256, recorded != actual {
            throw ModelGateError.badInput(
                "lockfile \(lockfile.path) has sha256 \(actual), not the \(recorded) this version was trained with",
                at: lockfile.location)
        }
        let locked = try Lockfile.read(
            String(decoding: data, as: UTF8.self), path: lockfile.path, baseImage: settings.imageBase)
        guard locked.isHashed else {
            throw ModelGateError.badInput(
                "lockfile \(lockfile.path) pins no hash for some requirement: the training image installs it with --require-hashes",
                at: lockfile.location)
        }
        return locked.requirements.map(\.line)
    }

    /// `repro` or `record`: the command, the Job's prefix, and what its last step is called.
    var command: String {
        switch purpose {
        case .reproduce: "repro"
        case .record: "record"
        }
    }

    /// The Job's name: `repro-<model>-<version>-<commit>` (or `record-…`), a DNS label of at most 63
    /// characters.
    public var name: String {
        let version = Self.labelValue(self.version).lowercased().replacingOccurrences(of: "_", with: "-")
            .replacingOccurrences(of: ".", with: "-")
        let suffix = "-\(version)-\(commit.short)"
        let room = 63 - "\(command)-".count - suffix.count
        let model =
            self.model.count <= room
            ? self.model
            : String(self.model.prefix(max(0, room - 9)))
                + "-\(Hex.encode(SHA256.hash(data: Data(self.model.utf8))).prefix(8))"
        return "\(command)-\(model)\(suffix)"
    }

    /// The training image's reference in the Job.
    var image: String { trainingImage ?? "modelgate-train/\(model):\(Self.labelValue(version))" }

    /// Every file `--emit job` writes, by name.
    public func files() throws -> [String: Data] {
        guard let modelgateImage = settings.job.image else {
            throw ModelGateError.badInput(
                "modelgate.yaml at the trusted ref sets no job.image (modelgate's image, by digest): the Job's first and last steps run it"
            )
        }
        guard let repository = settings.job.repository else {
            throw ModelGateError.badInput(
                "modelgate.yaml at the trusted ref sets no job.repository: the URL the fetch step clones")
        }
        if let trainingImage, let problem = ImageReference.problem(trainingImage) {
            throw ModelGateError.badInput("--image \(Quoted(trainingImage)) \(problem)")
        }
        if let asked = training.resources, let cap = settings.job.maxResources {
            let excess = asked.excess(over: cap)
            if !excess.isEmpty {
                throw ModelGateError.badInput(
                    "training.resources asks for more than job.maxResources at the trusted ref allows (\(excess.joined(separator: ", ")))",
                    at: training.location)
            }
        }
        if let first = downloads.first, settings.job.downloadImage == nil {
            throw ModelGateError.badInput(
                "data \(first.path) is downloaded from its uri, and modelgate.yaml at the trusted ref sets no job.downloadImage (an image with curl, by digest) to do it"
            )
        }
        return [
            "job.json": Data(job(modelgateImage: modelgateImage, repository: repository).rendered().utf8),
            "networkpolicy.json": Data(networkPolicy().rendered().utf8),
            "train.Dockerfile": Data(dockerfile().utf8),
            "requirements.txt": Data((requirements.sorted().joined(separator: "\n") + "\n").utf8),
        ]
    }

    var labels: JSONValue {
        .object([
            ("app.kubernetes.io/name", .string("modelgate-\(command)")),
            ("app.kubernetes.io/managed-by", .string("modelgate")),
            ("modelgate.dev/job", .string(name)),
            ("modelgate.dev/model", .string(model)),
            ("modelgate.dev/version", .string(Self.labelValue(version))),
        ])
    }

    var metadata: JSONValue {
        .object([
            ("name", .string(name)), ("namespace", .string(settings.job.namespace)), ("labels", labels),
            (
                "annotations",
                .object([
                    ("modelgate.dev/reference", .string("\(model)@\(version)")),
                    ("modelgate.dev/commit", .string(commit.hex)), ("modelgate.dev/base", .string(base.hex)),
                ])
            ),
        ])
    }

    // Long on purpose: the Job field by field, the pod's steps in the order they run.
    func job(modelgateImage: String, repository: String) -> JSONValue {
        let reference = "\(model)@\(version)"
        // The data Git does not hold: downloaded first, into a volume the training never mounts; the fetch
        // step checks it and copies it into the scratch tree, the last step checks it again.
        let fetched: (arguments: [String], mounts: [(volume: String, path: String, readOnly: Bool)]) =
            downloads.isEmpty
            ? ([], []) : (["--downloads", Self.downloadPath], [("download", Self.downloadPath, true)])
        let tokenEnvironment: JSONValue =
            settings.job.gitTokenSecret.map { secret in
                .array([
                    .object([
                        ("name", .string(JobFetch.tokenVariable)),
                        (
                            "valueFrom",
                            .object([
                                ("secretKeyRef", .object([("name", .string(secret)), ("key", .string("token"))]))
                            ])
                        ),
                    ])
                ])
            } ?? .array([])
        let fetch = container(
            "fetch", image: modelgateImage,
            command: [
                "modelgate", command, reference, "--step", "fetch", "--repository", repository, "--ref", commit.hex,
                "--base", base.hex, "--scratch", Self.scratchPath, "--handoff", Self.handoffPath,
            ] + fetched.arguments + recordingArguments,
            environment: tokenEnvironment,
            mounts: [
                ("scratch", Self.scratchPath, false), ("handoff", Self.handoffPath, false), ("tmp", "/tmp", false),
            ] + fetched.mounts,
            resources: Self.resources(cpu: "1", memory: "512Mi", gpu: 0))
        let workdir = training.workdir.isEmpty ? Self.scratchPath : "\(Self.scratchPath)/\(training.workdir)"
        let train = container(
            "train", image: image, command: training.command, workingDirectory: workdir,
            environment: .array(
                trainingEnvironment().map { .object([("name", .string($0.key)), ("value", .string($0.value))]) }),
            mounts: [
                ("scratch", Self.scratchPath, false), ("train-tmp", "/tmp", false), ("train-home", Sandbox.home, false),
            ],
            resources: Self.resources(
                cpu: training.resources?.cpu ?? "1",
                memory: training.resources?.memory ?? settings.sandboxLimits.memorySetting ?? "8Gi",
                gpu: training.resources?.gpu ?? 0))
        let clone = "\(Self.handoffPath)/\(Self.cloneName)"
        let last: JSONValue
        switch purpose {
        case .reproduce:
            last = container(
                "attest", image: modelgateImage,
                command: [
                    "modelgate", "repro", reference, "--step", "attest", "--repo", clone, "--ref", commit.hex, "--base",
                    base.hex, "--scratch", Self.scratchPath, "--sign", "\(Self.keyPath)/signing.pem",
                ] + fetched.arguments,
                environment: .array([]),
                mounts: [
                    ("scratch", Self.scratchPath, true), ("handoff", Self.handoffPath, true),
                    ("key", Self.keyPath, true), ("tmp", "/tmp", false),
                ] + fetched.mounts,
                resources: Self.resources(cpu: "1", memory: "512Mi", gpu: 0))
        case .record(_, let branch):
            last = container(
                "record", image: modelgateImage,
                command: [
                    "modelgate", "record", reference, "--step", "record", "--repo", clone, "--ref", commit.hex,
                    "--base", base.hex, "--scratch", Self.scratchPath, "--branch", branch,
                ] + fetched.arguments + recordingArguments,
                environment: tokenEnvironment,
                mounts: [
                    ("scratch", Self.scratchPath, true), ("handoff", Self.handoffPath, false), ("tmp", "/tmp", false),
                ] + fetched.mounts,
                resources: Self.resources(cpu: "1", memory: "512Mi", gpu: 0))
        }
        // The signing key, for the attest step alone: a recording Job mounts no key.
        let keyVolume: [JSONValue]
        switch purpose {
        case .reproduce:
            keyVolume = [
                .object([
                    ("name", .string("key")),
                    (
                        "secret",
                        .object([
                            ("secretName", .string(settings.job.signingSecret)),
                            (
                                "items",
                                .array([.object([("key", .string("signing.pem")), ("path", .string("signing.pem"))])])
                            ),
                            ("defaultMode", .number(0o400)),
                        ])
                    ),
                ])
            ]
        case .record: keyVolume = []
        }
        func emptyDirectory(_ name: String, limit: String?) -> JSONValue {
            .object([
                ("name", .string(name)),
                ("emptyDir", .object(limit.map { [("sizeLimit", .string($0))] } ?? [])),
            ])
        }
        let pod: JSONValue = .object([
            ("restartPolicy", .string("Never")),
            ("automountServiceAccountToken", .bool(false)),
            ("enableServiceLinks", .bool(false)),
            (
                "securityContext",
                .object([
                    ("runAsNonRoot", .bool(true)), ("runAsUser", .number(Double(Self.user))),
                    ("runAsGroup", .number(Double(Self.user))), ("fsGroup", .number(Double(Self.user))),
                    ("seccompProfile", .object([("type", .string("RuntimeDefault"))])),
                ])
            ),
            ("initContainers", .array((downloadStep().map { [$0] } ?? []) + [fetch, train])),
            ("containers", .array([last])),
            (
                "volumes",
                .array(
                    [
                        emptyDirectory("scratch", limit: settings.sandboxLimits.diskText),
                        emptyDirectory("handoff", limit: nil), emptyDirectory("tmp", limit: "1Gi"),
                        emptyDirectory("train-tmp", limit: settings.sandboxLimits.diskText),
                        emptyDirectory("train-home", limit: "1Gi"),
                    ] + (downloads.isEmpty ? [] : [emptyDirectory("download", limit: settings.sandboxLimits.diskText)])
                        + keyVolume)
            ),
        ])
        return .object([
            ("apiVersion", .string("batch/v1")), ("kind", .string("Job")), ("metadata", metadata),
            (
                "spec",
                .object([
                    ("backoffLimit", .number(0)), ("activeDeadlineSeconds", .number(Double(timeout))),
                    ("ttlSecondsAfterFinished", .number(7 * 24 * 3600)),
                    ("template", .object([("metadata", .object([("labels", labels)])), ("spec", pod)])),
                ])
            ),
        ])
    }

    /// The first step when some data is not in Git: `curl` (of `job.downloadImage`) fetches each such file
    /// from its `uri` (HTTPS only, redirects too) into the `download` volume, at its path; it holds nothing.
    func downloadStep() -> JSONValue? {
        guard let image = settings.job.downloadImage, !downloads.isEmpty else { return nil }
        let transfers = downloads.flatMap { file in
            // Force unwrap: `downloads` holds only files with a uri (`DownloadedData.required`).
            ["--output", "\(Self.downloadPath)/\(file.path)", file.uri!]
        }
        return container(
            "download", image: image,
            command: [
                "curl", "--globoff", "--fail", "--location", "--proto", "=https", "--proto-redir", "=https", "--silent",
                "--show-error", "--retry", "3", "--create-dirs",
            ] + transfers,
            environment: .array([]),
            mounts: [("download", Self.downloadPath, false), ("tmp", "/tmp", false)],
            resources: Self.resources(cpu: "1", memory: "512Mi", gpu: 0))
    }

    /// The recording's own arguments, which the fetch and record steps read again (none for `repro`).
    var recordingArguments: [String] {
        switch purpose {
        case .reproduce: []
        case .record(let arguments, _): arguments
        }
    }

    /// A container that runs as the unprivileged user with a read-only root, no capabilities, no privilege
    /// escalation and the runtime's seccomp profile.
    func container(
        _ name: String, image: String, command: [String], workingDirectory: String? = nil, environment: JSONValue,
        mounts: [(volume: String, path: String, readOnly: Bool)], resources: JSONValue
    ) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("name", .string(name)), ("image", .string(image)), ("imagePullPolicy", .string("Always")),
            ("command", .array(command.map(JSONValue.string))),
        ]
        if let workingDirectory { fields.append(("workingDir", .string(workingDirectory))) }
        fields += [
            ("env", environment),
            (
                "volumeMounts",
                .array(
                    mounts.map {
                        .object([
                            ("name", .string($0.volume)), ("mountPath", .string($0.path)),
                            ("readOnly", .bool($0.readOnly)),
                        ])
                    })
            ),
            ("resources", resources),
            (
                "securityContext",
                .object([
                    ("allowPrivilegeEscalation", .bool(false)), ("readOnlyRootFilesystem", .bool(true)),
                    ("runAsNonRoot", .bool(true)), ("runAsUser", .number(Double(Self.user))),
                    ("runAsGroup", .number(Double(Self.user))),
                    ("capabilities", .object([("drop", .array([.string("ALL")]))])),
                    ("seccompProfile", .object([("type", .string("RuntimeDefault"))])),
                ])
            ),
        ]
        return .object(fields)
    }

    /// Requests equal to limits (the pod's quality of service is Guaranteed); GPUs in limits, as the
    /// device plugin takes them.
    static func resources(cpu: String, memory: String, gpu: Int) -> JSONValue {
        let amounts: [(String, JSONValue)] = [("cpu", .string(cpu)), ("memory", .string(memory))]
        let devices: [(String, JSONValue)] = gpu > 0 ? [("nvidia.com/gpu", .string(String(gpu)))] : []
        return .object([("requests", .object(amounts + devices)), ("limits", .object(amounts + devices))])
    }

    /// What the training sees: the sandbox's environment (nothing of the machine that wrote the Job), with
    /// modelgate's seed and clock variables and the CPU pin's switches.
    func trainingEnvironment() -> [(key: String, value: String)] {
        var sandbox = Sandbox(settings: settings)
        sandbox.callerEnvironment = [:]
        sandbox.passedEnvironment = []
        return sandbox.environment(
            TrainingRunner.variables(seed: training.seed, created: created, root: Self.scratchPath)
        ).sorted { $0.key < $1.key }
    }

    /// The pod's network: no ingress, and egress only to the Git host's addresses on 443 (for the fetch step;
    /// Kubernetes draws network policy around a pod, not a container) and to the cluster's DNS.
    func networkPolicy() -> JSONValue {
        let gitHost: JSONValue = .object([
            ("to", .array(settings.job.egress.map { .object([("ipBlock", .object([("cidr", .string($0))]))]) })),
            ("ports", .array([.object([("port", .number(443)), ("protocol", .string("TCP"))])])),
        ])
        let dns: JSONValue = .object([
            (
                "to",
                .array([
                    .object([
                        (
                            "namespaceSelector",
                            .object([
                                ("matchLabels", .object([("kubernetes.io/metadata.name", .string("kube-system"))]))
                            ])
                        ),
                        ("podSelector", .object([("matchLabels", .object([("k8s-app", .string("kube-dns"))]))])),
                    ])
                ])
            ),
            (
                "ports",
                .array([
                    .object([("port", .number(53)), ("protocol", .string("UDP"))]),
                    .object([("port", .number(53)), ("protocol", .string("TCP"))]),
                ])
            ),
        ])
        return .object([
            ("apiVersion", .string("networking.k8s.io/v1")), ("kind", .string("NetworkPolicy")),
            ("metadata", metadata),
            (
                "spec",
                .object([
                    ("podSelector", .object([("matchLabels", .object([("modelgate.dev/job", .string(name))]))])),
                    ("policyTypes", .array([.string("Ingress"), .string("Egress")])),
                    ("ingress", .array([])),
                    ("egress", .array(settings.job.egress.isEmpty ? [dns] : [gitHost, dns])),
                ])
            ),
        ])
    }

    /// The training image: the trusted base image and the version's lockfile, installed with its hashes.
    func dockerfile() -> String {
        """
        # Generated by modelgate \(ModelGateVersion.current) for \(model) \(version) at commit \(commit.hex): the image
        # the train step of `modelgate \(command) --emit job` runs. Rebuild it with modelgate; do not edit.
        FROM \(settings.imageBase)
        ENV PYTHONDONTWRITEBYTECODE=1 \\
            PYTHONUNBUFFERED=1
        COPY requirements.txt /opt/modelgate/requirements.txt
        RUN pip install --no-cache-dir --no-compile --require-hashes -r /opt/modelgate/requirements.txt
        USER \(Self.user):\(Self.user)
        WORKDIR \(Self.scratchPath)

        """
    }

    /// A version as a label value (at most 63 of `[A-Za-z0-9._-]`): SemVer's `+` becomes `_`.
    static func labelValue(_ version: String) -> String {
        String(version.replacingOccurrences(of: "+", with: "_").prefix(63))
    }
}

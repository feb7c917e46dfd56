import Crypto
import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// `modelgate repro MODEL@VERSION`: verifies the training data, compares the environment, retrains from
/// the manifest with the `TrainingRunner` (the sandbox `record` trains in too), and compares metrics and
/// artifact.
public struct Reproducer {
    /// What a run reports while it goes: the CLI prints these as they come.
    public enum Event: Sendable {
        case environmentDiffers(key: String, recorded: String?, now: String?)
        case dataChecked(ReproReport.DataCheck)
        case started(command: [String], directory: String, sandboxed: Bool)
        case line(elapsed: TimeInterval, stream: Subprocess.Stream, text: String)
    }

    public let repository: Repository
    public var ref = "HEAD"
    public var timeout: TimeInterval = 3600
    public var tolerances: [String: Tolerance] = [:]
    /// Run the training and the probes in the bubblewrap sandbox; without it, the attestation says so.
    public var sandbox = true
    public var shouldStop: () -> Bool = { false }
    /// `--base`: the ref whose `sandbox`, `reproducibility` and probe settings the run uses (a signing
    /// job's trusted base); nil reads them at `ref`.
    public var trustedRef: String?
    /// Host files the training must not see (the signing key's file).
    public var hiddenPaths: [String] = []
    /// Where the data Git does not hold is read (a training Job's download folder); nil, the working tree.
    public var downloads: URL?
    /// The largest artifact a training may write (hashing is bounded too).
    public var maximumArtifactBytes: Int64 = 64 << 30

    public init(repository: Repository) { self.repository = repository }

    /// What a retraining of one version starts from: the commit, the manifest and its training, and the
    /// settings the run uses (the trusted ref's, when there is one).
    struct Plan {
        /// The commit the registry (the manifest, the settings) is read at.
        var commit: ObjectID
        /// The commit the training is read at: the version's `training.source`, or `commit` for a version
        /// recorded without one.
        var source: ObjectID
        /// What the training reads there.
        var closure: VersionClosure
        var manifest: ModelVersion
        var training: Training
        var metricsOutput: String
        var modelOutput: String
        var settings: RegistrySettings
    }

    /// Resolves `model@version` at `ref` and reads what retraining it needs.
    func plan(model: String, version: String) throws -> Plan {
        let commit = try repository.resolveCommit(ref)
        let registry = try TrainingRunner.validRegistry(for: model, at: commit, in: repository)
        let manifest = try registry.version(model, version, in: repository)
        guard let training = manifest.training, !training.command.isEmpty else {
            throw ModelGateError.badInput(
                "\(manifest.path) records no training command to reproduce", at: manifest.location)
        }
        guard let metricsOutput = training.metricsOutput, let modelOutput = training.modelOutput else {
            throw ModelGateError.badInput(
                "\(manifest.path): training.outputs must name model and metrics", at: training.location)
        }
        let settings = try TrainingRunner.settings(
            trustedRef: trustedRef, own: registry.settings, repository: repository)
        let source = try TrainingRunner.source(of: training, at: commit, in: repository)
        return Plan(
            commit: commit, source: source,
            closure: try TrainingRunner.closure(of: training, at: source, settings: settings, in: repository),
            manifest: manifest, training: training, metricsOutput: metricsOutput, modelOutput: modelOutput,
            settings: settings)
    }

    // Long on purpose: one retraining's steps in the order they happen (resolve, verify the data, train in the
    // sandbox, compare the metrics, profile), each reported as it goes, with the report's partial states in one
    // place.
    public func run(model: String, version: String, onEvent: (Event) -> Void = { _ in }) throws -> ReproReport {
        let started = Date()
        let deadline = started.addingTimeInterval(timeout)
        let plan = try plan(model: model, version: version)
        let (commit, manifest, training) = (plan.commit, plan.manifest, plan.training)
        var runner = TrainingRunner(repository: repository, settings: plan.settings)
        runner.downloads = downloads
        runner.hiddenPaths = hiddenPaths
        runner.sandbox = sandbox
        runner.shouldStop = shouldStop

        // 1. The data against its recorded hashes: tracked files at the source, untracked ones in the working tree.
        let data = try runner.verifyData(training.data, at: plan.source)
        data.forEach { onEvent(.dataChecked($0)) }
        if let stop = runner.stopReason(deadline) { throw stop }

        // 2. The environment now against the recorded facts: the probes run in the sandbox beside the
        // training, and are compared once both are done.
        let lockfileSHA = try training.lockfile.flatMap { try runner.verifyData([$0], at: plan.source).first?.actual }
        let pendingFacts = try runner.startProbes(lockfileSHA256: lockfileSHA, deadline: deadline)
        var report = try self.report(plan, data: data)
        func compareFacts(into report: inout ReproReport) {
            report.currentFacts = pendingFacts.wait()
            for difference in report.currentFacts.differences(from: report.recordedFacts) {
                onEvent(.environmentDiffers(key: difference.key, recorded: difference.recorded, now: difference.now))
            }
        }
        guard data.allSatisfy(\.ok) else {
            compareFacts(into: &report)
            report.reasons.append("the training command was not run on unverified data")
            report.duration = Date().timeIntervalSince(started)
            return report
        }

        // 3-4. The scratch tree and the run; 5. the environment, metrics and artifact.
        let untracked = data.filter { $0.source != .git }.map(\.path)
        try runner.run(
            training, at: plan.source, untracked: untracked, created: manifest.created, deadline: deadline,
            onStart: {
                onEvent(
                    .started(
                        command: training.command, directory: training.workdir.isEmpty ? "." : training.workdir,
                        sandboxed: sandbox))
            },
            onLine: { elapsed, stream, text in onEvent(.line(elapsed: elapsed, stream: stream, text: text)) }
        ) { outcome, workdir, scratch in
            report.outcome = outcome
            switch outcome {
            case .exited(0): break
            case .exited(let code): report.reasons.append("the training command exited with status \(code)")
            case .signalled(let signal): report.reasons.append("the training command was killed by signal \(signal)")
            case .overLimit(let why): report.reasons.append("the training command was killed: \(why)")
            case .timedOut:
                report.reasons.append(
                    "the training command ran past --timeout \(JSONValue.format(timeout))s and was killed")
            case .interrupted: report.reasons.append("interrupted")
            }
            compareFacts(into: &report)
            if outcome == .exited(0) { compareOutputs(plan, workdir: workdir, scratch: scratch, into: &report) }
        }
        report.duration = Date().timeIntervalSince(started)
        return report
    }

    /// The report of a retraining that ran elsewhere, whose outputs are in `scratch` (the scratch tree the
    /// training ran in, its `workdir` inside): the last step of `repro --emit job`. The data is verified again
    /// from this repository, the bindings and profile come from it, and the environment is what the training
    /// image was built from, the lockfile.
    public func report(model: String, version: String, trainedIn scratch: URL) throws -> ReproReport {
        let started = Date()
        let plan = try plan(model: model, version: version)
        var runner = TrainingRunner(repository: repository, settings: plan.settings)
        runner.downloads = downloads
        let data = try runner.verifyData(plan.training.data, at: plan.source)
        var report = try self.report(plan, data: data)
        report.currentFacts = EnvironmentFacts(
            facts: try plan.training.lockfile.flatMap { try runner.verifyData([$0], at: plan.source).first?.actual }
                .map { ["lockfile": $0] } ?? [:])
        if data.allSatisfy(\.ok) {
            report.outcome = .exited(0)
            let workdir =
                plan.training.workdir.isEmpty ? scratch : scratch.appendingPathComponent(plan.training.workdir)
            compareOutputs(plan, workdir: workdir, scratch: scratch, into: &report)
        } else {
            report.reasons.append("the training command was not run on unverified data")
        }
        report.duration = Date().timeIntervalSince(started)
        return report
    }

    /// The report before the training: what it binds (manifest, training tree, data, profile) and why it
    /// already fails (data that does not match, a profile of other data).
    func report(_ plan: Plan, data: [ReproReport.DataCheck]) throws -> ReproReport {
        let (commit, manifest, training) = (plan.commit, plan.manifest, plan.training)
        var recordedFacts = training.facts
        if let recorded = training.lockfile?.sha256 { recordedFacts["lockfile"] = recorded }
        var report = ReproReport(
            model: manifest.model, version: manifest.version.description, registryCommit: commit,
            manifestPath: manifest.path, manifestBlob: manifest.blob,
            artifactURI: manifest.artifact.uri, recordedFacts: recordedFacts, recordedSignature: training.signature,
            currentFacts: EnvironmentFacts(facts: [:]), data: data, metrics: [],
            recordedArtifact: manifest.artifact.sha256,
            reproducedArtifact: nil, outcome: nil, sandboxed: sandbox, duration: 0, reasons: [])
        report.workdir = training.workdir
        report.source = plan.source
        report.closure = plan.closure.digest
        report.trainingTree =
            try training.workdir.isEmpty
            ? repository.treeID(ofCommit: plan.source)
            : repository.entry(at: training.workdir, inTree: repository.treeID(ofCommit: plan.source)).flatMap {
                $0.kind == .tree ? $0.id : nil
            }
        for check in data where !check.ok {
            report.reasons.append(
                check.actual.map {
                    "data \(check.path) has sha256 \($0), not the recorded \(check.recorded ?? "(none)")"
                }
                    ?? "data \(check.path) could not be read")
        }
        guard data.allSatisfy(\.ok) else { return report }
        // The profile of the verified data, computed again: the statement binds it, and a manifest that
        // records another one recorded a profile of other data.
        let profile = try VersionProfile.compute(
            model: manifest.model, version: manifest.version.description,
            files: zip(training.data, data).map { ($0.path, $1.source == .git) }, at: plan.source, in: repository,
            untracked: downloads)
        report.profile = profile.map { ($0.path, $0.sha256) }
        report.recordedProfile = manifest.profile?.sha256
        if let recorded = manifest.profile?.sha256, recorded != profile?.sha256 {
            report.reasons.append(
                profile.map {
                    "the verified data profile to sha256 \($0.sha256), not the \(recorded) \(manifest.path) records for \($0.path)"
                } ?? "\(manifest.path) records a profile, and no data file is a CSV file to profile")
        }
        return report
    }

    func compareOutputs(_ plan: Plan, workdir: URL, scratch: URL, into report: inout ReproReport) {
        let (manifest, metricsOutput, modelOutput) = (plan.manifest, plan.metricsOutput, plan.modelOutput)
        let produced = readMetrics(
            workdir.appendingPathComponent(metricsOutput), name: metricsOutput, scratch: scratch, into: &report)
        for (name, metric) in manifest.metrics.sorted(by: { $0.key < $1.key }) {
            let check = ReproReport.MetricCheck(
                name: name, recorded: metric.value, actual: produced[name],
                tolerance: tolerances[name] ?? .standard)
            report.metrics.append(check)
            if let actual = check.actual, !check.ok {
                report.reasons.append(
                    "metric \(name) reproduced as \(JSONValue.format(actual)), recorded \(JSONValue.format(check.recorded)) (tolerance \(check.tolerance))"
                )
            } else if check.actual == nil {
                report.reasons.append("metric \(name) is missing from \(metricsOutput)")
            }
        }
        let artifact = workdir.appendingPathComponent(modelOutput)
        let hash: String
        do {
            hash = try OutputFile.hash(artifact, inside: scratch, maximumBytes: maximumArtifactBytes)
        } catch let error as OutputFile.Problem {
            report.reasons.append("\(modelOutput): \(error.message)")
            return
        } catch {
            report.reasons.append("the training command wrote no \(modelOutput)")
            return
        }
        report.reproducedArtifact = hash
        if hash != manifest.artifact.sha256 {
            report.reasons.append(
                "artifact sha256 \(hash) differs from the recorded \(manifest.artifact.sha256 ?? "(none)")\(report.likelyCause)"
            )
        }
    }

    /// `outputs.metrics`: a JSON object name -> number, from a regular file of at most 1 MiB inside the
    /// scratch tree.
    func readMetrics(_ url: URL, name: String, scratch: URL, into report: inout ReproReport) -> [String: Double] {
        let data: Data
        do {
            data = try TrainingRunner.metricsObject(url, scratch: scratch)
        } catch let error as OutputFile.Problem {
            report.reasons.append("\(name): \(error.message)")
            return [:]
        } catch {
            report.reasons.append("the training command wrote no \(name)")
            return [:]
        }
        guard let file = MetricsFile(data) else {
            report.reasons.append("\(name) is not a JSON object")
            return [:]
        }
        return file.metrics
    }
}

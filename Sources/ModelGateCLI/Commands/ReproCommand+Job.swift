import ArgumentParser
import Crypto
import Foundation
import ModelGateKit

/// The options of `repro` that run a retraining as a Kubernetes Job: `--emit job` writes it, `--step` is
/// what its containers run, `--collect` reads its attestation back.
struct ReproJobOptions: ParsableArguments {
    enum Emit: String, ExpressibleByArgument, CaseIterable { case job }
    enum Step: String, ExpressibleByArgument, CaseIterable { case fetch, attest }

    @Option(
        help:
            "Write the retraining as a Kubernetes Job (job.json, networkpolicy.json) and its training image (train.Dockerfile, requirements.txt) instead of running it (needs --base)."
    )
    var emit: Emit?

    @Option(help: "With --emit job: the folder to write (replaced as a whole).", completion: .directory)
    var out: String?

    @Option(help: "With --emit job: the training image built from train.Dockerfile, by digest.")
    var image: String?

    @Option(help: ArgumentHelp("A step of the Job, run by its containers.", visibility: .hidden))
    var step: Step?

    @Option(help: ArgumentHelp("With --step fetch: the Git URL to clone.", visibility: .hidden))
    var repository: String?

    @Option(help: ArgumentHelp("With --step: the scratch tree the training runs in.", visibility: .hidden))
    var scratch: String?

    @Option(help: ArgumentHelp("With --step fetch: where the clone goes for the attest step.", visibility: .hidden))
    var handoff: String?

    @Option(
        help:
            "Read a Job's attest log (a file, or - for standard input), check its attestation and write it into attestations/.",
        completion: .file())
    var collect: String?

    func validate() throws {
        if emit != nil, step != nil { throw ValidationError("--emit job writes the Job; --step runs one of its steps") }
        if step == .fetch, repository == nil || handoff == nil || scratch == nil {
            throw ValidationError("--step fetch needs --repository, --scratch and --handoff")
        }
        if step == .attest, scratch == nil { throw ValidationError("--step attest needs --scratch") }
    }
}

extension ReproCommand {
    /// `--emit job`: the Job and the training image of `target`, at `--ref`, with the settings of `--base`.
    func emitJob(_ target: (model: String, version: String)) throws {
        guard let base else {
            throw ModelGateError.badInput(
                "--emit job needs --base REF: the Job runs with the trusted ref's settings and signs with its key")
        }
        let job = try ReproJob.make(
            model: target.model, version: target.version, in: try options.openRepository(), ref: source.ref,
            base: base, trainingImage: self.job.image, timeout: Int(timeout.rounded(.up)))
        let files = try job.files()
        let folder = URL(fileURLWithPath: self.job.out ?? "repro-job")
        try AtomicFolder.install(files, at: folder, replacing: FileManager.default.fileExists(atPath: folder.path))
        if !options.quiet {
            options.console.output.write(
                "wrote Job \(job.name) for \(target.model)@\(target.version) to \(folder.path): build train.Dockerfile, then apply the folder\n"
            )
        }
    }

    /// `--step`: what one container of the Job runs.
    func run(_ step: ReproJobOptions.Step, _ target: (model: String, version: String)) throws {
        guard let base else { throw ModelGateError.badInput("--step needs --base, the trusted commit") }
        let scratch = URL(fileURLWithPath: job.scratch ?? "")
        switch step {
        case .fetch:
            let said = try JobFetch.run(
                repository: job.repository ?? "", model: target.model, version: target.version, commit: source.ref,
                base: base, scratch: scratch, handoff: URL(fileURLWithPath: job.handoff ?? ""),
                token: ProcessInfo.processInfo.environment[JobFetch.tokenVariable])
            if !options.quiet { options.console.error.write(said) }
        case .attest:
            guard let key = try signingKey() else { throw ModelGateError.badInput("--step attest needs --sign KEY") }
            let (report, line) = try JobAttest.run(
                repository: try options.openRepository(), model: target.model, version: target.version,
                commit: source.ref, base: base, scratch: scratch, key: key)
            options.console.error.write("\(target.model)@\(target.version): \(report.verdict.rawValue)\n")
            for reason in report.reasons { options.console.error.write("  \(reason)\n") }
            options.console.output.write(line)
        }
    }

    /// `--collect LOG`: the attestation of a Job's log, checked, into `attestations/`.
    func collect(_ log: String) throws {
        guard let base else {
            throw ModelGateError.badInput("--collect needs --base REF: the attestors it trusts are read there")
        }
        let data =
            log == "-"
            ? FileHandle.standardInput.readDataToEndOfFile()
            : try RegularFile.read(log)
        let repository = try options.openRepository()
        let collected = try JobLog.collect(
            String(decoding: data, as: UTF8.self), in: repository, ref: source.ref, base: base)
        if !options.quiet {
            options.console.output.write(
                "wrote \(collected.path): \(collected.verdict), signed by \(collected.signers.joined(separator: ", "))\n"
            )
        }
    }
}

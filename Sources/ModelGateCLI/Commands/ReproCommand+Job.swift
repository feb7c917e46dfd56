import ArgumentParser
import Foundation
import ModelGateKit

extension ReproCommand {
    /// `--emit job`: the Job and the training image of `target`, at `--ref`, with the settings of `--base`.
    func emitJob(_ target: (model: String, version: String)) throws {
        guard let base else {
            throw ModelGateError.badInput(
                "--emit job needs --base REF: the Job runs with the trusted ref's settings and signs with its key")
        }
        let job = try TrainingJob.reproduce(
            model: target.model, version: target.version, in: try options.openRepository(), ref: source.ref,
            base: base, trainingImage: self.job.image, timeout: Int(timeout.rounded(.up)))
        let folder = try self.job.write(try job.files(), fallback: "repro-job")
        if !options.quiet {
            options.console.output.write(
                "wrote Job \(job.name) for \(target.model)@\(target.version) to \(folder.path): build train.Dockerfile, then apply the folder\n"
            )
        }
    }

    /// `--step`: what one container of the Job runs.
    func run(_ step: JobOptions.Step, _ target: (model: String, version: String)) throws {
        guard let base else { throw ModelGateError.badInput("--step needs --base, the trusted commit") }
        let scratch = URL(fileURLWithPath: job.scratch ?? "")
        switch step {
        case .fetch:
            let said = try JobFetch.run(
                repository: job.repository ?? "", model: target.model, version: target.version, commit: source.ref,
                base: base, scratch: scratch, handoff: URL(fileURLWithPath: job.handoff ?? ""),
                downloads: job.downloadFolder,
                token: job.token)
            if !options.quiet { options.console.error.write(said) }
        case .attest, .record:
            guard let key = try signingKey() else { throw ModelGateError.badInput("--step attest needs --sign KEY") }
            let (report, line) = try JobAttest.run(
                repository: try options.openRepository(), model: target.model, version: target.version,
                commit: source.ref, base: base, scratch: scratch, downloads: job.downloadFolder, key: key)
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

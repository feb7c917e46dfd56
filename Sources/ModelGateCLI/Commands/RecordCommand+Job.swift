import ArgumentParser
import Foundation
import ModelGateKit

extension RecordCommand {
    /// `--emit job`: the Job that trains `request` from HEAD on the cluster, with the settings of `--base`,
    /// and pushes the new version on `--branch`.
    func emitJob(_ request: Recorder.Request) throws {
        guard let base else {
            throw ModelGateError.badInput(
                "--emit job needs --base REF: the Job trains with the trusted ref's sandbox and reproducibility settings"
            )
        }
        let job = try TrainingJob.record(
            request, in: try options.openRepository(), base: base, branch: branch, trainingImage: self.job.image,
            timeout: Int(timeout.rounded(.up)))
        let folder = try self.job.write(try job.files(), fallback: "record-job")
        if !options.quiet {
            options.console.output.write(
                "wrote Job \(job.name) for \(request.model)@\(request.version) from \(job.commit.short) to \(folder.path): push that commit, build train.Dockerfile, then apply the folder\n"
            )
        }
    }

    /// `--step`: what one container of the recording Job runs.
    func run(_ step: JobOptions.Step, _ request: Recorder.Request) throws {
        guard let base, let ref else {
            throw ModelGateError.badInput("--step needs --base and --ref, the Job's commits")
        }
        let scratch = URL(fileURLWithPath: job.scratch ?? "")
        switch step {
        case .fetch:
            let said = try JobFetch.run(
                repository: job.repository ?? "", recording: request, commit: ref, base: base, scratch: scratch,
                handoff: URL(fileURLWithPath: job.handoff ?? ""), downloads: job.downloadFolder, token: job.token)
            if !options.quiet { options.console.error.write(said) }
        case .record, .attest:
            let branch = branch ?? "record-\(request.model)-\(request.version)"
            let (line, metrics) = try JobRecord.run(
                repository: try options.openRepository(), request: request, commit: ref, base: base,
                scratch: scratch, downloads: job.downloadFolder, branch: branch, token: job.token)
            let shown = metrics.map { "\($0.name)=\(NumberFormat.metric($0.value))" }.joined(separator: " ")
            options.console.error.write("recorded \(request.model)@\(request.version) (\(shown)) on \(branch)\n")
            options.console.output.write(line)
        }
    }
}

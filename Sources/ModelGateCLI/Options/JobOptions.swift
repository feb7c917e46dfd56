import ArgumentParser
import Foundation
import ModelGateKit

/// The options of `repro` and `record` that run a training as a Kubernetes Job: `--emit job` writes it,
/// `--step` is what its containers run (hidden: the Job passes them).
struct JobOptions: ParsableArguments {
    enum Emit: String, ExpressibleByArgument, CaseIterable { case job }
    /// `fetch` and `train` come first in both Jobs; `attest` ends `repro`'s, `record` ends `record`'s.
    enum Step: String, ExpressibleByArgument, CaseIterable { case fetch, attest, record }

    @Option(
        help:
            "Write the training as a Kubernetes Job (job.json, networkpolicy.json) and its training image (train.Dockerfile, requirements.txt) instead of running it (needs --base)."
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

    @Option(help: ArgumentHelp("With --step fetch: where the clone goes for the last step.", visibility: .hidden))
    var handoff: String?

    @Option(
        help: ArgumentHelp("With --step: where the download step put the data Git does not hold.", visibility: .hidden))
    var downloads: String?

    /// `--downloads` as a folder.
    var downloadFolder: URL? { downloads.map { URL(fileURLWithPath: $0) } }

    /// Checks the options for a command whose last step is `last`.
    func validate(last: Step) throws {
        if emit != nil, step != nil { throw ValidationError("--emit job writes the Job; --step runs one of its steps") }
        if let step, step != .fetch, step != last {
            throw ValidationError("--step \(step.rawValue) is not a step of this command's Job")
        }
        if step == .fetch, repository == nil || handoff == nil || scratch == nil {
            throw ValidationError("--step fetch needs --repository, --scratch and --handoff")
        }
        if step == last, scratch == nil { throw ValidationError("--step \(last.rawValue) needs --scratch") }
        if emit == nil, step == nil, out != nil || image != nil {
            throw ValidationError("--out and --image go with --emit job")
        }
    }

    /// The Git token the fetch and record steps are given, from `job.gitTokenSecret`.
    var token: String? { ProcessInfo.processInfo.environment[JobFetch.tokenVariable] }

    /// Writes `files` as the folder `--out` (default `fallback`), atomically, and returns it. A folder
    /// already there is replaced only when it holds nothing but a Job's files: `--out` naming another
    /// folder by mistake must not remove what is in it.
    func write(_ files: [String: Data], fallback: String) throws -> URL {
        let folder = URL(fileURLWithPath: out ?? fallback)
        let entries = try AtomicFolder.entries(at: folder)
        if let entries {
            let others = entries.filter { files[$0] == nil }.sorted()
            if !others.isEmpty {
                throw ModelGateError.badInput(
                    "\(folder.path) holds files a Job's folder does not (\(others.prefix(3).map(Escape.control).joined(separator: ", "))): refusing to replace it"
                )
            }
        }
        try AtomicFolder.install(files, at: folder, replacing: entries != nil)
        return folder
    }
}

import ArgumentParser
import Foundation
import ModelGateKit

/// `modelgate record MODEL@VERSION`: train a new version in the sandbox and write its manifest and artifact.
struct RecordCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text, .json]
    static let examples = [
        "modelgate record churn@1.4.0 --like 1.3.0 --param C=0.5",
        "modelgate record churn@1.4.0 --like 1.3.0 --param C=0.5 --commit --branch record-churn-1.4.0",
        "modelgate record demand@2.1.0 -- python3 train.py --model gbr --depth 4",
        "modelgate record churn@2.0.0 --from-mlflow sqlite:///mlflow.db --model models:/churn@champion --data data/churn.csv",
        "modelgate record churn@2.0.0 --from-mlflow sqlite:///mlflow.db --run-id 7d4c0b2e9f…",
        "modelgate record churn@1.4.0 --like 1.3.0 --param C=0.5 --base origin/main --emit job --out record-job",
    ]
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract:
            "Train a new version in the sandbox, exactly as repro will retrain it, and write its manifest and artifact.",
        discussion: CommandHelp.discussion(
            formats: formats, examples: examples,
            """
            The training settings come from --like VERSION (that manifest's training block), else from the \
            training block of models/MODEL/model.yaml; `-- COMMAND...` replaces the command, --param K=V records \
            a parameter and fills {K} in the command or replaces the value after --K (a parameter the command has \
            no place for is refused), --seed sets the seed (default: \
            the one taken over, else 0). The training folder must have no uncommitted changes.
            """))

    @OptionGroup var options: GlobalOptions

    @Argument(help: "MODEL@VERSION: the new version.", completion: RegistryCompletion.references)
    var reference: String

    @Option(help: "Take the training settings of this version's manifest.")
    var like: String?

    @Option(help: "K=V (repeatable): a training parameter; fills {K} or replaces the value after --K in the command.")
    var param: [String] = []

    @Option(help: "The seed (default: the one taken over, else 0).")
    var seed: Int?

    @Option(
        name: .customLong("artifact-path"),
        help: "Where the artifact goes (default artifacts/MODEL/VERSION/<file name>).")
    var artifactPath: String?

    @Option(help: "The manifest's description.")
    var description: String?

    @Flag(help: "Commit the manifest and artifact (on the current branch, or on --branch).")
    var commit = false

    @Option(help: "With --commit: create this branch from HEAD, commit there and check it out (as git switch -c).")
    var branch: String?

    @Option(help: "The trusted ref whose sandbox, reproducibility and probe settings the training uses (default HEAD).")
    var base: String?

    @Option(help: "Seconds before the training's processes are killed.")
    var timeout: Double = 3600

    @Flag(name: .customLong("no-sandbox"), help: "Train without the bubblewrap sandbox.")
    var noSandbox = false

    @Option(
        name: .customLong("from-mlflow"),
        help: ArgumentHelp(
            "Record from MLflow instead of training: its store on disk (sqlite:///mlflow.db or a mlruns folder).",
            discussion: "As MLflow reads it, sqlite:///mlflow.db is relative to the working directory and "
                + "sqlite:////srv/mlflow.db (four slashes) absolute."))
    var fromMLflow: String?

    @Option(name: .customLong("run-id"), help: "With --from-mlflow: the run's id.")
    var runID: String?

    @Option(
        help: ArgumentHelp(
            "With --from-mlflow, in place of --run-id: a registered model, models:/NAME/VERSION or models:/NAME@ALIAS.",
            discussion: "Its folder (MLmodel included) is the artifact, hashed as a folder; the parameters and "
                + "metrics are those of the run that logged it."))
    var model: String?

    @Option(help: "With --from-mlflow: a training data file in the repository, recorded with its sha256 (repeatable).")
    var data: [String] = []

    @Option(help: "With --from-mlflow: the artifact's path below the run's artifact root, when it logged several.")
    var artifact: String?

    @OptionGroup(title: "Recording as a Kubernetes Job") var job: JobOptions

    @Option(help: ArgumentHelp("With --step: the commit the Job trains from.", visibility: .hidden))
    var ref: String?

    @Argument(parsing: .postTerminator, help: "-- COMMAND...: the training command, replacing the one taken over.")
    var command: [String] = []

    func validate() throws {
        try options.require(Self.self)
        if let seed, !(0...4_294_967_295).contains(seed) {
            throw ValidationError("--seed must be between 0 and 4294967295")
        }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        try job.validate(last: .record)
        if job.emit != nil || job.step != nil {
            if commit || noSandbox || fromMLflow != nil || runID != nil || model != nil || !data.isEmpty
                || artifact != nil
            {
                throw ValidationError(
                    "a recording Job trains on the cluster and pushes its own branch: --commit, --no-sandbox and the options of --from-mlflow do not apply"
                )
            }
            if job.step != nil && ref == nil { throw ValidationError("--step needs --ref, the commit the Job names") }
            return
        }
        if branch != nil && !commit { throw ValidationError("--branch names where --commit commits; pass both") }
        if fromMLflow != nil && (runID == nil) == (model == nil) {
            throw ValidationError("--from-mlflow takes --run-id ID or --model models:/NAME/VERSION (one of them)")
        }
        if fromMLflow == nil && (runID != nil || model != nil || !data.isEmpty) {
            throw ValidationError("--run-id, --model and --data record from MLflow: pass --from-mlflow URI too")
        }
        if artifact != nil && model != nil {
            throw ValidationError("--artifact picks a file of a run; with --model the model's folder is the artifact")
        }
        if fromMLflow != nil && (like != nil || !param.isEmpty || seed != nil || !command.isEmpty) {
            throw ValidationError(
                "--from-mlflow records the run's own parameters and metrics: --like, --param, --seed and a command do not apply"
            )
        }
        if artifact != nil && fromMLflow == nil {
            throw ValidationError("--artifact picks an MLflow run's artifact; use --artifact-path for where it goes")
        }
    }

    /// What the options ask to record.
    func request(_ target: (model: String, version: String)) throws -> Recorder.Request {
        var request = Recorder.Request(model: target.model, version: target.version)
        request.like = like
        request.parameters = try param.map { text in
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ModelGateError.badInput("--param \(Quoted(text)) must be K=V")
            }
            return (String(text[..<equals]), String(text[text.index(after: equals)...]))
        }
        request.seed = seed
        request.command = command.isEmpty ? nil : command
        request.artifactPath = artifactPath
        request.description = description
        return request
    }

    // Long on purpose: the recording, the commit and the report, in order.
    func run() throws {
        let target = try ModelReference.version(parsing: reference)
        let request = try self.request(target)
        if let step = job.step { return try run(step, request) }
        if job.emit != nil { return try emitJob(request) }
        let repository = try options.openRepository()
        var recorder = Recorder(repository: repository)
        recorder.sandbox = !noSandbox
        recorder.timeout = timeout
        recorder.trustedRef = base
        // With --format json, standard output holds the JSON alone: the training's lines go to standard error.
        let log = options.format == .json ? options.console.error : options.console.output
        // validate() lets --from-mlflow through with exactly one of --model and --run-id.
        let run = model.map { Recorder.MLflowSource.model($0) } ?? runID.map { .run(id: $0, artifact: artifact) }
        let outcome =
            try fromMLflow.flatMap { store in
                try run.map { try recorder.importRun(request, store: store, source: $0, data: data) }
            }
            ?? recorder.record(
                request,
                onStart: { command in
                    if !options.quiet {
                        log.write(
                            "training \(target.model)@\(target.version) with \(Escape.control(command.joined(separator: " ")))\(noSandbox ? " (no sandbox)" : " (sandbox: bubblewrap, no network)")\n"
                        )
                    }
                },
                onLine: { elapsed, _, text in
                    if !options.quiet {
                        log.write(ReproRenderer.event(.line(elapsed: elapsed, stream: .output, text: text)))
                    }
                })
        var committed: (id: ObjectID, branch: String, switchedHead: Bool)?
        if commit {
            let destination = try CommitTarget.resolve(branch: branch, switching: true, in: repository)
            let id = try destination.commit(
                outcome.paths, message: "Record \(target.model) \(target.version)", author: nil,
                in: repository)
            committed = (
                id, destination.reference.replacingOccurrences(of: "refs/heads/", with: ""), destination.switchesHead
            )
        }
        let rendered = RecordRenderer(
            model: target.model, version: target.version, outcome: outcome, commit: committed)
        try options.emit(rendered)
        if !options.quiet {
            for note in outcome.notes { options.console.error.write("note: \(Escape.control(note))\n") }
        }
        if !outcome.proposedInputs.isEmpty && !options.quiet {
            // A proposal only: whether the model takes these columns as they are is the user's to confirm.
            options.console.error.write(
                "note: \(RegistryLayout.spec(of: target.model)) has no serving.inputs, so the server cannot catch columns sent in another order; if the model takes the training data's columns as they are, add:\n"
                    + ServingConfig.inputsYAML(outcome.proposedInputs))
        }
    }
}

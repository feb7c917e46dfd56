import ArgumentParser
import Foundation
import ModelGateKit

/// Set by SIGINT while `repro` runs, so the training's process group is killed and the scratch tree removed.
nonisolated(unsafe) private var interruptRequested: sig_atomic_t = 0

/// `modelgate repro MODEL@VERSION`: retrain from the manifest in a sandbox and say whether the model comes back.
struct ReproCommand: DocumentedCommand {
    static let formats: [ReportFormat]? = [.text, .json]
    static let examples = [
        "modelgate repro churn@1.3.0", "modelgate repro churn@1.3.0 --record --sign ci-repro.key",
        "modelgate repro churn@1.3.0 --tolerance auc=0.001 --timeout 1800",
        "modelgate repro churn@1.3.0 --base origin/main --emit job --out repro-job",
        "modelgate repro --collect attest.log --base origin/main",
    ]
    static let configuration = CommandConfiguration(
        commandName: "repro", abstract: "Retrain a version from its manifest in the bubblewrap sandbox and compare.",
        discussion: CommandHelp.discussion(formats: formats, examples: examples))

    @OptionGroup var options: GlobalOptions

    @Argument(help: "MODEL@VERSION.", completion: RegistryCompletion.references)
    var reference: String?

    @OptionGroup var source: RefOptions

    @Option(
        help: ArgumentHelp(
            "The trusted ref whose sandbox, reproducibility and probe settings the run uses (required to sign).",
            discussion: "The commit being reproduced may come from a pull request: its own modelgate.yaml must not "
                + "widen the sandbox that runs next to the signing key."))
    var base: String?

    @Option(help: "Seconds before the training's whole process group is killed.")
    var timeout: Double = 3600

    @Option(help: "METRIC=ABS or METRIC=REL% (repeatable); the default is 1e-9 absolute.")
    var tolerance: [String] = []

    @Flag(help: "Write attestations/<model>/<version>.json (an in-toto statement) into the working tree.")
    var record = false

    @Option(
        help: ArgumentHelp(
            "With --record: sign the attestation (a DSSE envelope) with this ECDSA P-256 private key (PEM).",
            discussion: "Without it, the PEM text in MODELGATE_SIGNING_KEY signs, when that variable is set. "
                + "Only a signed attestation by a key under trust.attestors passes `require: reproducible`."),
        completion: .file())
    var sign: String?

    @Flag(
        name: .customLong("no-sandbox"),
        help: "Run without the bubblewrap sandbox (recorded in the attestation, which the gate then refuses).")
    var noSandbox = false

    @OptionGroup(title: "Retraining as a Kubernetes Job") var job: JobOptions

    @Option(
        help:
            "Read a Job's attest log (a file, or - for standard input), check its attestation and write it into attestations/.",
        completion: .file())
    var collect: String?

    func validate() throws {
        try options.require(Self.self)
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        if collect != nil {
            guard reference == nil else { throw ValidationError("--collect reads the model and version from the log") }
            return
        }
        guard reference != nil else { throw ValidationError("give MODEL@VERSION") }
        if job.step == .attest {
            guard sign != nil else { throw ValidationError("--step attest signs: pass --sign KEY") }
        } else if sign != nil && !record {
            throw ValidationError("--sign signs the attestation --record writes; pass both")
        }
        try job.validate(last: .attest)
    }

    /// The key that signs the attestation: `--sign FILE`, else `MODELGATE_SIGNING_KEY`, else none.
    func signingKey() throws -> SigningKey? {
        if let sign {
            guard let data = FileManager.default.contents(atPath: sign) else {
                throw ModelGateError.badInput("cannot read the signing key \(sign)")
            }
            return try SigningKey(pem: String(decoding: data, as: UTF8.self), source: sign)
        }
        guard record, let pem = ProcessInfo.processInfo.environment["MODELGATE_SIGNING_KEY"], !pem.isEmpty else {
            return nil
        }
        return try SigningKey(pem: pem, source: "MODELGATE_SIGNING_KEY")
    }

    /// Whether this run signs: `--sign`, or `--record` with `MODELGATE_SIGNING_KEY` set.
    var signs: Bool {
        sign != nil || (record && !(ProcessInfo.processInfo.environment["MODELGATE_SIGNING_KEY"] ?? "").isEmpty)
    }

    func run() throws {
        if let log = collect { return try self.collect(log) }
        let target = try ModelReference.version(parsing: reference ?? "")
        if let step = job.step { return try run(step, target) }
        if job.emit != nil { return try emitJob(target) }
        if signs && base == nil {
            throw ModelGateError.badInput(
                "signing needs --base REF, the trusted ref whose sandbox, reproducibility and probe settings the run uses (not those of the commit it reproduces); nothing was run"
            )
        }
        let repository = try options.openRepository()
        let key = try signingKey()
        var reproducer = Reproducer(repository: repository)
        reproducer.ref = source.ref
        reproducer.trustedRef = base
        reproducer.hiddenPaths = sign.map { [URL(fileURLWithPath: $0).path] } ?? []
        reproducer.timeout = timeout
        reproducer.sandbox = !noSandbox
        reproducer.tolerances = Dictionary(try tolerance.map(Tolerance.parse), uniquingKeysWith: { $1 })
        reproducer.shouldStop = { interruptRequested != 0 }
        Self.catchInterrupts()
        let log = options.format == .text ? options.console.output : options.console.error
        if !options.quiet { log.write("reproducing \(target.model)@\(target.version) from \(source.ref)\n") }
        let report = try reproducer.run(model: target.model, version: target.version) { event in
            guard !options.quiet else { return }
            log.write(ReproRenderer.event(event))
        }
        if interruptRequested != 0 {
            options.console.error.write("interrupted: the training was killed and its scratch tree removed\n")
            throw ExitCode(.verdictFailed)
        }
        var recorded: String?
        if record { recorded = try Attestation.record(report, in: repository, signedBy: key) }
        try options.emit(ReproOutcome(report: report, recorded: recorded, signedBy: key))
        if report.verdict == .failed { throw ExitCode(.verdictFailed) }
    }

    /// Ctrl-C and SIGTERM set a flag the run polls. A parent (a test runner, `Foundation.Process`) may hand
    /// down a mask that blocks them, so they are unblocked here.
    private static func catchInterrupts() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in [SIGINT, SIGTERM] {
            signal(number) { _ in interruptRequested = 1 }
            sigaddset(&signals, number)
        }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}

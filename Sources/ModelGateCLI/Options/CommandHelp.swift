import ModelGateKit

/// What each command's `--help` ends with: the report formats it supports (the one list `--format` is
/// checked against) and two or three real examples.
enum CommandHelp {
    struct Entry {
        var formats: [ReportFormat]
        var examples: [String]
    }

    static let entries: [String: Entry] = [
        "validate": Entry(
            formats: [.text, .json],
            examples: [
                "modelgate validate", "modelgate validate --ref origin/main --format json",
                "modelgate validate --worktree",
            ]),
        "check": Entry(
            formats: ReportFormat.gateFormats,
            examples: [
                "modelgate check --base origin/main",
                "modelgate check --base origin/main --format sarif --output modelgate.sarif",
                "modelgate check                          # audit every assignment at HEAD",
            ]),
        "status": Entry(
            formats: [.text, .json, .markdown], examples: ["modelgate status", "modelgate status --ref v2026.11"]),
        "show": Entry(
            formats: [.text, .json], examples: ["modelgate show churn", "modelgate show churn@1.3.0 --format json"]),
        "diff": Entry(formats: [.text, .json], examples: ["modelgate diff churn@1.1.0 churn@1.3.0"]),
        "history": Entry(
            formats: [.text, .json],
            examples: [
                "modelgate history churn", "modelgate history churn --stage production",
                "modelgate history churn --at 2026-10-01",
            ]),
        "promote": Entry(
            formats: [.text, .json, .markdown],
            examples: [
                "modelgate promote churn@1.3.0 --to production --branch promote-churn-1.3.0 --push",
                "modelgate promote churn@1.3.0 --to staging",
            ]),
        "rollback": Entry(
            formats: [.text, .json, .markdown],
            examples: ["modelgate rollback churn --stage production --branch rollback-churn"]),
        "bundle": Entry(
            formats: [.text, .json],
            examples: [
                "modelgate bundle churn --stage production --image ghcr.io/acme/churn@sha256:<digest> --out build/churn",
                "modelgate bundle churn@1.3.0 --target kserve --out build/churn-kserve",
                "modelgate bundle churn@1.3.0 --check build/churn",
            ]),
        "render": Entry(
            formats: [.text, .json],
            examples: [
                "modelgate render", "modelgate render --image churn@1.4.0=ghcr.io/acme/churn@sha256:<digest>",
                "modelgate render --check",
            ]),
        "env": Entry(
            formats: [.text, .json, .yaml],
            examples: ["modelgate env", "modelgate env --lockfile training/churn/requirements.lock --format yaml"]),
        "repro": Entry(
            formats: [.text, .json],
            examples: [
                "modelgate repro churn@1.3.0", "modelgate repro churn@1.3.0 --record --sign ci-repro.key",
                "modelgate repro churn@1.3.0 --tolerance auc=0.001 --timeout 1800",
            ]),
        "record": Entry(
            formats: [.text],
            examples: [
                "modelgate record churn@1.4.0 --like 1.3.0 --param C=0.5 --commit --branch record-churn-1.4.0",
                "modelgate record churn@1.4.0 --from-mlflow sqlite:///mlflow.db --run-id <run id>",
            ]),
        "hash": Entry(formats: [.text], examples: ["modelgate hash data/churn.csv", "modelgate hash data/images/"]),
        "keygen": Entry(formats: [.text], examples: ["modelgate keygen --out ci-repro.key   # and ci-repro.key.pub"]),
        "profile": Entry(formats: [.text], examples: ["modelgate profile data/churn.csv --out churn-profile.json"]),
        "drift": Entry(
            formats: [.text, .json, .markdown, .prometheus],
            examples: [
                "modelgate drift churn@1.3.0 --data last-week.csv",
                "modelgate drift churn@1.3.0 --data last-week.csv --format prometheus > /var/lib/node_exporter/churn.prom",
            ]),
        "init": Entry(formats: [.text], examples: ["modelgate init registry", "modelgate init demo --example"]),
    ]

    /// The formats `command` supports.
    static func formats(_ command: String) -> [ReportFormat] { entries[command]?.formats ?? [.text] }

    /// The help text's ending for `command`, after its own `discussion` when it has one.
    static func discussion(_ command: String, _ text: String = "") -> String {
        guard let entry = entries[command] else { return text }
        var out = text.isEmpty ? "" : text + "\n\n"
        out += "Formats (--format): \(entry.formats.map(\.rawValue).joined(separator: ", ")).\n\nExamples:\n"
        out += entry.examples.map { "  \($0)" }.joined(separator: "\n")
        return out
    }
}

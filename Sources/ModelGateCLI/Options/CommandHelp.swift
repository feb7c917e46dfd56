import ModelGateKit

/// What each command's `--help` ends with: the report formats it supports (the one list `--format` is
/// checked against) and two or three real examples.
enum CommandHelp {
    struct Entry {
        /// Nil for a command without `--format`.
        var formats: [ReportFormat]?
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
        "verify": Entry(
            formats: [.text, .json],
            examples: [
                "modelgate verify churn@1.3.0", "modelgate verify churn@1.3.0 --base origin/main --format json",
            ]),
        "import gto": Entry(
            formats: [.text],
            examples: ["modelgate import gto --stage-map prod=production --stage-map stage=staging"]),
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
                "modelgate bundle churn@1.3.0 --context-only --out build/churn-image   # to build, then pin",
            ]),
        "site": Entry(
            formats: [.text],
            examples: ["modelgate site --out public", "modelgate site --ref v2026.11 --out public"]),
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
            formats: [.text, .json],
            examples: [
                "modelgate record churn@1.4.0 --like 1.3.0 --param C=0.5",
                "modelgate record churn@1.4.0 --like 1.3.0 --param C=0.5 --commit --branch record-churn-1.4.0",
                "modelgate record demand@2.1.0 -- python3 train.py --model gbr --depth 4",
                "modelgate record churn@2.0.0 --from-mlflow sqlite:///mlflow.db --model models:/churn@champion --data data/churn.csv",
                "modelgate record churn@2.0.0 --from-mlflow sqlite:///mlflow.db --run-id 7d4c0b2e9f…",
            ]),
        "hash": Entry(formats: nil, examples: ["modelgate hash data/churn.csv", "modelgate hash data/images/"]),
        "keygen": Entry(formats: nil, examples: ["modelgate keygen --out ci-repro.key   # and ci-repro.key.pub"]),
        "profile": Entry(
            formats: nil,
            examples: [
                "modelgate profile data/churn.csv --out churn-profile.json",
                "modelgate profile traffic/2026-11-28.csv --out - | jq '.columns.tenure'",
            ]),
        "drift": Entry(
            formats: [.text, .json, .markdown, .prometheus],
            examples: [
                "modelgate drift churn@1.3.0 --data traffic/2026-11-28.csv",
                "modelgate drift churn@1.3.0 --data traffic.csv --metric ks --max 0.1 --format json",
                "modelgate drift churn@1.3.0 --data traffic.csv --format prometheus --output /var/lib/node_exporter/churn.prom",
            ]),
        "init": Entry(formats: nil, examples: ["modelgate init registry", "modelgate init demo --example"]),
    ]

    /// The formats `command` supports.
    static func formats(_ command: String) -> [ReportFormat] { entries[command]?.formats ?? [.text] }

    /// The help text's ending for `command`, after its own `discussion` when it has one: the formats (for a
    /// command with `--format`) and one Examples block.
    static func discussion(_ command: String, _ text: String = "") -> String {
        guard let entry = entries[command] else { return text }
        var out = text.isEmpty ? "" : text + "\n\n"
        if let formats = entry.formats {
            out += "Formats (--format): \(formats.map(\.rawValue).joined(separator: ", ")).\n\n"
        }
        out += "Examples:\n" + entry.examples.map(example).joined(separator: "\n")
        return out
    }

    /// The width an example line keeps within, so that the help (wrapped at 80 columns) never breaks a
    /// command in the middle: a longer one continues on the next line after a backslash, as a shell reads it.
    static let exampleWidth = 76

    /// One example, indented, split between words into lines of at most `exampleWidth`.
    static func example(_ command: String) -> String {
        var lines: [String] = []
        var line = "  "
        for word in command.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = line.hasSuffix(" ") || line.count == 2 ? line + word : line + " " + word
            if candidate.count > exampleWidth - 2, line.trimmingCharacters(in: .whitespaces).count > 0 {
                lines.append(line + " \\")
                line = "      " + word
            } else {
                line = candidate
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}

import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// The example registry's Git history: who added which versions and moved which stages, commit by commit.
///
/// The files come from `Sources/ExampleRegistry` (embedded); the first step holds the training code and
/// data alone (every example version names that commit as its `training.source`), each later step adds
/// some versions and rewrites `stages.yaml`. The last commit is a promotion pull request: churn 1.3.0 into production, with the
/// signed attestation that CI's repro job made for it (as 1.1.0's came with its promotion) and the approval
/// its reviewer signed. The demo's private signing key (`.modelgate/`) is
/// written to the working tree, never committed.
enum ExampleHistory {
    struct Step {
        var message: String
        var author: Signature
        var versions: [(model: String, version: String)]
        var stages: [String: [String: String]]
    }

    static let ada = ("Ada Okafor", "ada@acme.example")
    static let grace = ("Grace Lindqvist", "grace@acme.example")
    static let linus = ("Linus Haddad", "linus@acme.example")

    static func person(_ who: (String, String), _ date: String) -> Signature {
        // Force unwrap: the history's dates are literals of this file, each a valid timestamp.
        Signature(name: who.0, email: who.1, date: Dates.parseTimestamp(date)!, timeZoneOffset: 0)
    }

    static let steps: [Step] = [
        Step(
            message: "Add the training code and data of churn and demand",
            author: person(ada, "2026-08-25T09:00:00Z"),
            versions: [],
            stages: [:]),
        Step(
            message: "Create the model registry with churn 1.0.0 and demand 1.0.0 in production",
            author: person(ada, "2026-09-01T10:00:00Z"),
            versions: [("churn", "1.0.0"), ("demand", "1.0.0")],
            stages: ["churn": ["production": "1.0.0"], "demand": ["production": "1.0.0"]]),
        Step(
            message: "Add churn 1.1.0 and demand 1.1.0 to staging",
            author: person(grace, "2026-09-15T14:30:00Z"),
            versions: [("churn", "1.1.0"), ("demand", "1.1.0")],
            stages: [
                "churn": ["production": "1.0.0", "staging": "1.1.0"],
                "demand": ["production": "1.0.0", "staging": "1.1.0"],
            ]),
        Step(
            message: "Promote churn 1.1.0 and demand 1.1.0 to production",
            author: person(linus, "2026-10-01T09:15:00Z"),
            versions: [],
            stages: [
                "churn": ["production": "1.1.0", "archived": "1.0.0"],
                "demand": ["production": "1.1.0", "archived": "1.0.0"],
            ]),
        Step(
            message: "Add churn 1.2.0 (random forest) to staging",
            author: person(grace, "2026-10-20T11:00:00Z"),
            versions: [("churn", "1.2.0")],
            stages: ["churn": ["production": "1.1.0", "staging": "1.2.0", "archived": "1.0.0"]]),
        Step(
            message: "Add demand 2.0.0 (gradient boosting) to staging",
            author: person(ada, "2026-11-05T16:45:00Z"),
            versions: [("demand", "2.0.0")],
            stages: ["demand": ["production": "1.1.0", "staging": "2.0.0", "archived": "1.0.0"]]),
        Step(
            message: "Add churn 1.3.0 to staging, replacing 1.2.0",
            author: person(grace, "2026-11-18T10:20:00Z"),
            versions: [("churn", "1.3.0")],
            stages: ["churn": ["production": "1.1.0", "staging": "1.3.0", "archived": "1.0.0"]]),
        Step(
            message: "Promote churn 1.3.0 to production",
            author: person(linus, "2026-11-20T15:05:00Z"),
            versions: [],
            stages: ["churn": ["production": "1.3.0", "archived": "1.1.0"]]),
    ]

    /// The folder of the demo's private signing key: in the working tree, ignored by Git.
    static let secretFolder = ".modelgate/"

    /// Every file of the final state: the embedded example plus the starter policies it does not replace
    /// (its production gate also requires an approval).
    static var finalFiles: [EmbeddedFile] {
        let own = EmbeddedFiles.exampleRegistry.filter { !$0.path.hasPrefix(secretFolder) }
        let paths = Set(own.map(\.path))
        return own
            + EmbeddedFiles.starterPolicies.map {
                EmbeddedFile(path: RegistryLayout.policy(file: $0.path), base64: $0.base64)
            }.filter { !paths.contains($0.path) }
    }

    /// The demo's private signing key, written beside the repository's files.
    static var secretFiles: [EmbeddedFile] { EmbeddedFiles.exampleRegistry.filter { $0.path.hasPrefix(secretFolder) } }

    /// Whether `path` belongs to one version (its manifest, artifact folder or data profile).
    static func version(of path: String) -> (model: String, version: String)? {
        switch RegistryLayout.place(of: path) {
        case .manifest(let model, let file)?, .profile(let model, let file)?: return (model, String(file.dropLast(5)))
        default: break
        }
        // The example keeps each version's artifact in `artifacts/<model>/<version>/`.
        let parts = path.split(separator: "/").map(String.init)
        if parts.count >= 3, parts[0] == "artifacts" { return (parts[1], parts[2]) }
        return nil
    }

    /// Whether `path` is training code or data: what the first commit holds, the versions' source.
    static func isTrainingSource(_ path: String) -> Bool { path.hasPrefix("training/") || path.hasPrefix("data/") }

    /// Writes the history as commits on `main` and checks out the final state.
    static func write(into repository: Repository) throws -> [ObjectID] {
        let files = finalFiles
        let ladder = RegistrySettings.defaultStages
        var parent: ObjectID?
        var commits: [ObjectID] = []
        for (index, step) in steps.enumerated() {
            let last = index == steps.count - 1
            var changes: [FileChange] = files.filter { file in
                if file.path.hasPrefix(RegistryLayout.approvals + "/") {
                    // A reviewer's approval lands with the promotion it approves.
                    let parts = file.path.split(separator: "/").map(String.init)
                    guard parts.count == 5 else { return last }
                    let (model, version, stage) = (parts[1], parts[2], parts[3])
                    let before = steps[..<index].last { $0.stages[model] != nil }?.stages[model]?[stage]
                    return step.stages[model]?[stage] == version && before != version
                }
                if file.path.hasPrefix(RegistryLayout.attestations + "/") {
                    // CI's repro job signs a version on the way to production: its attestation lands with
                    // the promotion (a rollback to it later is then judged with it).
                    guard case .attestation(let model, let name)? = RegistryLayout.place(of: file.path) else {
                        return last
                    }
                    let entering = String(name.dropLast(5))
                    let before = steps[..<index].last { $0.stages[model] != nil }?.stages[model]?["production"]
                    return step.stages[model]?["production"] == entering && before != entering
                }
                if let owner = version(of: file.path) {
                    return step.versions.contains { $0 == owner }
                }
                return isTrainingSource(file.path) ? index == 0 : index == 1
            }.map { FileChange(path: $0.path, contents: $0.data) }
            for (model, stages) in step.stages.sorted(by: { $0.key < $1.key }) {
                let text = StageAssignments.render(model: model, stages: stages, ladder: ladder)
                changes.append(FileChange(path: StageAssignments.path(model), contents: Data(text.utf8)))
            }
            let commit = try repository.createCommit(
                changing: changes, parent: parent, message: step.message + "\n", author: step.author,
                committer: step.author)
            try repository.updateReference(
                "refs/heads/main", to: commit, expecting: parent, log: "modelgate init --example")
            parent = commit
            commits.append(commit)
        }
        let paths = files.map(\.path) + steps.flatMap { $0.stages.keys }.map(StageAssignments.path)
        // Force unwrap: the history has steps, so a commit was made.
        try repository.syncWorkingTree(paths: Array(Set(paths)).sorted(), toCommit: parent!)
        if let root = repository.workingDirectory {
            for file in secretFiles {
                try AtomicFile.write(
                    file.data, to: root.appendingPathComponent(file.path), under: root, permissions: 0o600)
            }
        }
        return commits
    }
}

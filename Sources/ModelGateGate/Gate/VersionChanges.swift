import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// What a change does to versions that already exist and to stages that lose their holder, judged beside
/// its promotions: a recorded version is immutable (its manifest, its tracked artifact and its profile are
/// evidence that gates and bundles trust), and a stage emptied by a change is named, never passed over as
/// "nothing to judge".
enum VersionChanges {
    /// The result name of an edited, renamed or deleted version.
    static let changedRule = "modelgate/version.changed"
    /// The result name of a stage that loses its holder.
    static let removedRule = "modelgate/stage.removed"

    /// Every version file of `fork` that `changed` (paths that differ between `fork` and `head`) edits,
    /// renames or deletes, as a failure; a manifest whose only edit is its `waivers` as a rule change
    /// (`assigns` and `allowed` as for any rule change); and every stage that holds a version at `fork` and
    /// none at `head`, as a warning.
    static func judge(
        changed: [String], touched: [String], forkCommit: ObjectID, headCommit: ObjectID, fork: Registry,
        head: Registry, repository: Repository, assigns: Bool, allowed: Bool
    ) throws -> [RuleChange] {
        var results: [RuleChange] = []
        // The files of each version that exists at the fork: manifest, profile, and the artifact when it
        // lives in the repository.
        var evidence: [String: (model: String, version: String)] = [:]
        for (name, model) in fork.models {
            for (version, manifest) in model.versions {
                evidence[manifest.path] = (name, version)
                evidence[VersionProfile.path(model: name, version: version)] = (name, version)
                if RepositoryPath.problem(manifest.artifact.uri) == nil {
                    evidence[manifest.artifact.uri] = (name, version)
                }
            }
        }
        for path in changed.sorted() {
            guard let owner = evidence[path] else { continue }
            let shown = Escape.control(path)
            let version = "\(owner.model) \(owner.version)"
            if path.hasSuffix(".yaml"), path.hasPrefix(RegistryLayout.models + "/"),
                let old = try text(path, at: forkCommit, repository),
                let new = try text(path, at: headCommit, repository),
                withoutWaivers(old) == withoutWaivers(new)
            {
                results += RuleChange.judge(paths: [path], assigns: assigns, allowed: allowed).map {
                    var change = $0
                    change.message = "\(shown) edits only the waivers of \(version): " + change.message
                    return change
                }
                continue
            }
            let what = try repository.blobID(at: path, inCommit: headCommit) == nil ? "deletes or renames" : "edits"
            results.append(
                RuleChange(
                    path: path, rule: changedRule, status: .fail,
                    message:
                        "the change \(what) \(shown), evidence of \(version), which exists at the base: a recorded version is immutable; record a new version instead"
                ))
        }
        // Only the models the change touches can have lost a holder (`head` holds only those).
        for name in touched {
            guard let stages = fork.models[name]?.stages else { continue }
            for (stage, entry) in stages.stages.sorted(by: { $0.key < $1.key })
            where head.models[name]?.stages?.holder(of: stage) == nil {
                results.append(
                    RuleChange(
                        path: StageAssignments.path(name), rule: removedRule, status: .warn,
                        message:
                            "\(Escape.control(name)) loses its \(Escape.control(stage)) holder (\(Escape.control(entry.version)) at the base): nothing serves that stage once this merges"
                    ))
            }
        }
        return results
    }

    static func text(_ path: String, at commit: ObjectID, _ repository: Repository) throws -> String? {
        try repository.blobID(at: path, inCommit: commit).map {
            String(decoding: try repository.blob($0), as: UTF8.self)
        }
    }

    /// A manifest's text without its top-level `waivers` block: what must not change once recorded.
    static func withoutWaivers(_ text: String) -> String {
        var kept: [Substring] = []
        var inWaivers = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let topLevel = line.first.map { !$0.isWhitespace && $0 != "-" && $0 != "#" } ?? false
            if topLevel { inWaivers = line.hasPrefix("waivers:") }
            if !inWaivers { kept.append(line) }
        }
        return kept.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

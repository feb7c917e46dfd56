import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport
import ModelGateYAML

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
    /// none at `head`, as a warning (a failure for the stages of `holderRequired`, read at the trusted ref).
    static func judge(
        changed: [String], touched: [String], forkCommit: ObjectID, headCommit: ObjectID, fork: Registry,
        head: Registry, repository: Repository, assigns: Bool, allowed: Bool, holderRequired: [String] = []
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
                try isWaiverEdit(path, from: forkCommit, to: headCommit, repository)
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
                let required = holderRequired.contains(stage)
                results.append(
                    RuleChange(
                        path: StageAssignments.path(name), rule: removedRule, status: required ? .fail : .warn,
                        message:
                            "\(Escape.control(name)) loses its \(Escape.control(stage)) holder (\(Escape.control(entry.version)) at the base): nothing serves that stage once this merges"
                            + (required ? "; modelgate.yaml lists \(Escape.control(stage)) under holderRequired" : "")
                    ))
            }
        }
        return results
    }

    /// Whether the manifest at `path` differs between the two commits in its `waivers` alone, compared as
    /// parsed values (`YAMLValue`): a manifest that cannot be read at either commit is no waiver edit.
    static func isWaiverEdit(_ path: String, from old: ObjectID, to new: ObjectID, _ repository: Repository) throws
        -> Bool
    {
        guard let before = try value(path, at: old, repository), let after = try value(path, at: new, repository) else {
            return false
        }
        return isWaiverEdit(before, after)
    }

    /// Whether two manifests' values are equal in every key but `waivers`.
    static func isWaiverEdit(_ before: YAMLValue, _ after: YAMLValue) -> Bool {
        before.removing(keys: ["waivers"]) == after.removing(keys: ["waivers"])
    }

    /// The manifest at `path` as a value, or nil where it is absent or cannot be read.
    static func value(_ path: String, at commit: ObjectID, _ repository: Repository) throws -> YAMLValue? {
        guard let blob = try repository.blobID(at: path, inCommit: commit),
            try repository.blobSize(blob) <= YAMLLoader.defaultMaximumBytes,
            let node = try? YAMLLoader().load(try repository.blob(blob), path: path)
        else { return nil }
        return YAMLValue(node)
    }
}

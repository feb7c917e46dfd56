/// The checks that span files: stage holders have manifests, no two versions of a model share a precedence.
enum RegistryValidator {
    static func crossCheck(_ registry: Registry, into bag: inout DiagnosticBag) {
        for model in registry.models.values {
            // `1.3.0` and `1.3.0+build.1` order the same: which one is "newer" would be a coin toss.
            // Sorts the versions and their places only: copying whole manifests dominated this check.
            let ordered = model.versions.values.map { ($0.version, $0.location) }.sorted { $0.0 < $1.0 }
            for (earlier, later) in zip(ordered, ordered.dropFirst()) where !(earlier.0 < later.0) {
                bag.error(
                    "version \(later.0) has the same SemVer precedence as \(earlier.0) (build metadata does not order versions)",
                    at: later.1)
            }
            guard let stages = model.stages else { continue }
            for (stage, entry) in stages.stages.sorted(by: { $0.key < $1.key })
            where !model.manifestFiles.contains(entry.version) {
                bag.error(
                    "stage '\(stage)' names version \(entry.version), which has no manifest at models/\(model.name)/versions/\(entry.version).yaml",
                    at: entry.location)
            }
        }
    }
}

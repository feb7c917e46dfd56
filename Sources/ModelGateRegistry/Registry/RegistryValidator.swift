import ModelGateSupport

/// The checks that span the files of one model folder: no two versions share a precedence, stage holders have
/// manifests. (A model is loaded as one unit, so these run beside the loading of other models.)
enum RegistryValidator {
    static func crossCheck(_ model: Registry.Model, into bag: inout DiagnosticBag) {
        // `1.3.0` and `1.3.0+build.1` order the same: which one is "newer" would be a coin toss.
        // Sorts the versions and their places only: copying whole manifests dominated this check.
        let ordered = model.versions.values.map { ($0.version, $0.location) }.sorted { $0.0 < $1.0 }
        for (earlier, later) in zip(ordered, ordered.dropFirst()) where !(earlier.0 < later.0) {
            bag.error(
                "version \(later.0) has the same SemVer precedence as \(earlier.0) (build metadata does not order versions)",
                at: later.1)
        }
        guard let stages = model.stages else { return }
        for (stage, entry) in stages.stages.sorted(by: { $0.key < $1.key })
        where !model.manifestFiles.contains(entry.version) {
            bag.error(
                "stage '\(stage)' names version \(entry.version), which has no manifest at \(RegistryLayout.manifest(model: model.name, version: entry.version))",
                at: entry.location)
        }
    }
}

/// The checks that span files: stage holders have manifests, lineage parents exist.
enum RegistryValidator {
    static func crossCheck(_ registry: Registry, into bag: inout DiagnosticBag) {
        for model in registry.models.values {
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

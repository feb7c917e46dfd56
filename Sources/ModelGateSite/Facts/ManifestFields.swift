import ModelGateRegistry

/// A manifest's recorded fields as flat `path: value` pairs (metrics aside): what the version page compares
/// with each stage holder's.
enum ManifestFields {
    static func of(_ manifest: ModelVersion) -> [String: String] {
        var fields: [String: String] = ["artifact.uri": manifest.artifact.uri]
        fields["description"] = manifest.description
        fields["artifact.sha256"] = manifest.artifact.sha256
        fields["artifact.size"] = manifest.artifact.size.map(String.init)
        fields["lineage.parent"] = manifest.lineageParent
        fields["lineage.run"] = manifest.lineageRun
        fields["profile.sha256"] = manifest.profile?.sha256
        if let training = manifest.training {
            fields["training.command"] = training.command.joined(separator: " ")
            fields["training.workdir"] = training.workdir
            fields["training.seed"] = training.seed.map(String.init)
            fields["training.signature"] = training.signature
            fields["training.lockfile"] = training.lockfile.map { "\($0.path) \($0.sha256 ?? "")" }
            for (name, value) in training.params { fields["training.params.\(name)"] = value }
            for file in training.data { fields["training.data[\(file.path)]"] = file.sha256 ?? "not recorded" }
            for (key, value) in training.facts { fields["training.environment.\(key)"] = value }
        }
        return fields
    }
}

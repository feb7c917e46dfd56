import ModelGateRegistry

/// A manifest's recorded fields as flat `path: value` pairs (metrics aside), sorted by path: what the
/// version page compares with each stage holder's.
enum ManifestFields {
    static func of(_ manifest: ModelVersion) -> [(key: String, value: String)] {
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
        return fields.sorted { $0.key < $1.key }
    }

    /// Two lists sorted by key, walked together: every key of either once, in order, with its value on each
    /// side (nil where that side lacks it).
    static func paired<Value>(
        _ theirs: [(key: String, value: Value)], _ ours: [(key: String, value: Value)]
    ) -> [(key: String, theirs: Value?, ours: Value?)] {
        var paired: [(key: String, theirs: Value?, ours: Value?)] = []
        paired.reserveCapacity(max(theirs.count, ours.count))
        var (left, right) = (0, 0)
        while left < theirs.count || right < ours.count {
            if right == ours.count || (left < theirs.count && theirs[left].key < ours[right].key) {
                paired.append((theirs[left].key, theirs[left].value, nil))
                left += 1
            } else if left == theirs.count || ours[right].key < theirs[left].key {
                paired.append((ours[right].key, nil, ours[right].value))
                right += 1
            } else {
                paired.append((ours[right].key, theirs[left].value, ours[right].value))
                left += 1
                right += 1
            }
        }
        return paired
    }
}

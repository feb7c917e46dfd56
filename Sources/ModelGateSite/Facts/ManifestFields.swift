import ModelGateRegistry

/// A manifest's recorded fields as flat `path: value` pairs (metrics aside), sorted by path: what the
/// version page compares with each stage holder's.
enum ManifestFields {
    static func of(_ manifest: ModelVersion) -> [(key: String, value: String)] {
        // Collected into an array and sorted once (a dictionary first cost as much again in hashing). Keys are
        // unique but for a data path listed twice, which shows its last entry.
        var fields: [(key: String, value: String)] = [("artifact.uri", manifest.artifact.uri)]
        func add(_ key: String, _ value: String?) {
            if let value { fields.append((key, value)) }
        }
        add("description", manifest.description)
        add("artifact.sha256", manifest.artifact.sha256)
        add("artifact.size", manifest.artifact.size.map(String.init))
        add("lineage.parent", manifest.lineageParent)
        add("lineage.run", manifest.lineageRun)
        add("profile.sha256", manifest.profile?.sha256)
        if let training = manifest.training {
            add("training.command", training.command.joined(separator: " "))
            add("training.workdir", training.workdir)
            add("training.seed", training.seed.map(String.init))
            add("training.signature", training.signature)
            add("training.lockfile", training.lockfile.map { "\($0.path) \($0.sha256 ?? "")" })
            for (name, value) in training.params { add("training.params.\(name)", value) }
            for file in training.data { add("training.data[\(file.path)]", file.sha256 ?? "not recorded") }
            for (key, value) in training.facts { add("training.environment.\(key)", value) }
        }
        // The sort is stable: of equal keys, the last added is the last of its run.
        fields.sort { $0.key < $1.key }
        var unique: [(key: String, value: String)] = []
        unique.reserveCapacity(fields.count)
        for field in fields {
            if unique.last?.key == field.key { unique[unique.count - 1] = field } else { unique.append(field) }
        }
        return unique
    }

    /// Two lists sorted by key, walked together: `body` is given every key of either once, in order, with
    /// its value on each side (nil where that side lacks it). Nothing is collected on the way: a large site
    /// pairs 18,000 manifests with their stage holders'.
    static func pair<Value>(
        _ theirs: [(key: String, value: Value)], _ ours: [(key: String, value: Value)],
        _ body: (_ key: String, _ theirs: Value?, _ ours: Value?) -> Void
    ) {
        var (left, right) = (0, 0)
        while left < theirs.count || right < ours.count {
            if right == ours.count || (left < theirs.count && theirs[left].key < ours[right].key) {
                body(theirs[left].key, theirs[left].value, nil)
                left += 1
            } else if left == theirs.count || ours[right].key < theirs[left].key {
                body(ours[right].key, nil, ours[right].value)
                right += 1
            } else {
                body(ours[right].key, theirs[left].value, ours[right].value)
                left += 1
                right += 1
            }
        }
    }
}

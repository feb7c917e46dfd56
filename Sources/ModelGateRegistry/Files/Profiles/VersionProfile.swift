import Crypto
import Foundation
import ModelGateGit
import ModelGateSupport

/// A version's training-data profile, `profiles/<model>/<version>.json`: the profile of every CSV file of
/// its training data, as `record` writes it and `repro` computes it again from the verified data. Its
/// bytes are evidence: the manifest records their sha256 (`profile: {path, sha256}`), and so does a
/// signed reproduction (`predicate.profile`).
public struct VersionProfile: Sendable {
    public var path: String
    public var bytes: Data
    /// The profiles it holds, by data path, columns in the order of each file's header.
    public var profiles: [(path: String, profile: DataProfile)] = []
    public var sha256: String { Hex.encode(SHA256.hash(data: bytes)) }

    package init(path: String, bytes: Data, profiles: [(path: String, profile: DataProfile)]) {
        self.path = path
        self.bytes = bytes
        self.profiles = profiles
    }

    /// `profiles/<model>/<version>.json`.
    public static func path(model: String, version: String) -> String {
        RegistryLayout.profile(model: model, version: version)
    }

    /// The profiles of a `profiles/<model>/<version>.json` file, by data path (`data` nil: the file is missing).
    public static func profiles(in data: Data?, path: String) throws -> [String: DataProfile] {
        guard let data else {
            throw ModelGateError.badInput("\(path) is missing: record writes it (or `modelgate profile`)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let files = object["data"] as? [String: Any], !files.isEmpty
        else { throw ModelGateError.badInput("\(path) is not a JSON object with \"data\" profiles") }
        var result: [String: DataProfile] = [:]
        for (key, value) in files { result[key] = try DataProfile.decode(value, name: "\(path) (\(key))") }
        return result
    }

    /// What `serving.inputs` would be if the model took the training data's columns as they are: the first
    /// profiled file's header, without the training target; numeric columns `double`, others `string`.
    public func proposedInputs(target: String?) -> [(name: String, type: String)] {
        guard let first = profiles.first?.profile else { return [] }
        return first.columns.filter { $0.name != target }.map { column in
            if case .numeric = column.column { return (column.name, "double") }
            return (column.name, "string")
        }
    }
}

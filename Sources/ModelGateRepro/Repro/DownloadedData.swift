import Foundation
import ModelGateGit
import ModelGateRegistry
import ModelGateSupport

/// The training data a Job downloads: the files Git does not hold at the commit, each fetched from the `uri`
/// its entry names and checked against the `sha256` it records.
public enum DownloadedData {
    /// The data files of `training` that Git does not hold at `commit`, each of which must name its `uri`
    /// and record its sha256.
    public static func files(of training: Training, at commit: ObjectID, in repository: Repository) throws
        -> [DataFile]
    {
        let tree = try repository.treeID(ofCommit: commit)
        return try training.data.filter { try repository.entry(at: $0.path, inTree: tree) == nil }.map {
            try required($0, at: commit)
        }
    }

    /// `file`, which Git does not hold at `commit`, as a Job downloads it: it must name its `uri` and the
    /// sha256 it is checked against.
    static func required(_ file: DataFile, at commit: ObjectID) throws -> DataFile {
        guard let uri = file.uri else {
            throw ModelGateError.badInput(
                "data \(file.path) is not in the repository at \(commit.short): a Job trains on data in Git only, or downloads it from the uri its entry names",
                at: file.location)
        }
        guard file.sha256 != nil else {
            throw ModelGateError.badInput(
                "data \(file.path) is downloaded from \(uri): its entry must record the sha256 it is checked against",
                at: file.location)
        }
        return file
    }
}

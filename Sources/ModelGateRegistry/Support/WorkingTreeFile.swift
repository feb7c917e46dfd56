import Foundation
import ModelGateGit
import ModelGateSupport

/// Reads a file of the working tree named by a repository path, refusing anything that leads outside the
/// repository (a symbolic link anywhere on the way, `..` already being refused by `RepositoryPath`).
public enum WorkingTreeFile {
    public static func url(_ path: String, in repository: Repository, what: String, location: SourceLocation? = nil)
        throws -> URL
    {
        guard let root = repository.workingDirectory else {
            throw ModelGateError.badInput(
                "\(what) \(path) is not in Git, and the repository has no working tree", at: location)
        }
        if let problem = RepositoryPath.problem(path) {
            throw ModelGateError.badInput("\(what) path \(Quoted(path)) \(problem)", at: location)
        }
        let rootReal = root.resolvingSymlinksInPath().path
        let url = root.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ModelGateError.badInput(
                "\(what) \(path) is neither in Git at this ref nor in the working tree", at: location)
        }
        var current = root
        for component in path.split(separator: "/") {
            current.appendPathComponent(String(component))
            let attributes = try? FileManager.default.attributesOfItem(atPath: current.path)
            if attributes?[.type] as? FileAttributeType == .typeSymbolicLink {
                let target = current.resolvingSymlinksInPath().path
                guard target == rootReal || target.hasPrefix(rootReal + "/") else {
                    throw ModelGateError.badInput(
                        "\(what) \(path) is a symbolic link out of the repository (to \(target))", at: location)
                }
            }
        }
        let resolved = url.resolvingSymlinksInPath().path
        guard resolved.hasPrefix(rootReal + "/") else {
            throw ModelGateError.badInput("\(what) \(path) resolves outside the repository", at: location)
        }
        return url
    }

    public static func read(_ path: String, in repository: Repository, what: String, location: SourceLocation? = nil)
        throws -> Data
    {
        let url = try url(path, in: repository, what: what, location: location)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ModelGateError.badInput("\(what) \(path) is not a file", at: location)
        }
        do {
            return try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw ModelGateError.environment("cannot read \(path): \(error.localizedDescription)")
        }
    }
}

import Foundation
import ModelGateKit

/// The one way modelgate writes (`ConfinedPath`), given names a pull request could commit: below a root
/// holding links to a folder and a file outside it, and a link inside pointing back up, any relative path
/// is refused or written to a regular file inside the root reached without a link — and nothing outside
/// the root changes.
enum PathOracle {
    /// The root, and the folder outside it that the planted links lead to.
    static let world: (root: URL, outside: URL) = fixture {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("modelgate-fuzz-paths-\(getpid())")
        let root = base.appendingPathComponent("root")
        let outside = base.appendingPathComponent("outside")
        for folder in [root.appendingPathComponent("real/deep"), outside] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try Data("victim".utf8).write(to: outside.appendingPathComponent("victim"))
        let links = [
            ("out", outside.path), ("victim", outside.appendingPathComponent("victim").path), ("real/up", ".."),
            ("real/deep/loop", "../deep/loop"), ("real/self", "."),
        ]
        for (name, target) in links {
            try FileManager.default.createSymbolicLink(
                atPath: root.appendingPathComponent(name).path, withDestinationPath: target)
        }
        return (root, outside)
    }

    /// The names the root starts with: everything else a run writes is removed after it.
    static let planted: Set<String> = ["out", "victim", "real", "real/deep", "real/up", "real/deep/loop", "real/self"]

    static func run(_ data: Data) throws(FuzzViolation) {
        let (root, outside) = world
        defer { clean(root) }
        let path = String(decoding: data.prefix(512), as: UTF8.self)
        guard let confined = try? ConfinedPath(path, under: root) else { return }
        let written = (try? confined.write(Data("written".utf8))) != nil
        let outsideNow = (try? FileManager.default.contentsOfDirectory(atPath: outside.path)) ?? []
        let victim = try? String(contentsOf: outside.appendingPathComponent("victim"), encoding: .utf8)
        guard outsideNow == ["victim"], victim == "victim" else {
            throw FuzzViolation("writing \(path.debugDescription) changed the folder outside the root")
        }
        guard written else { return }
        // Every component below the root a real folder, the file a regular file holding what was written.
        var url = root
        for (index, component) in confined.components.enumerated() {
            url.appendPathComponent(component)
            var status = stat()
            guard lstat(url.path, &status) == 0 else {
                throw FuzzViolation("\(path.debugDescription) was written, yet \(url.path) is missing")
            }
            let kind = status.st_mode & S_IFMT
            let expected = index == confined.components.count - 1 ? S_IFREG : S_IFDIR
            guard kind == expected else {
                throw FuzzViolation(
                    "\(path.debugDescription) was written through \(url.path), which is not a real folder or file")
            }
        }
        guard (try? String(contentsOf: url, encoding: .utf8)) == "written" else {
            throw FuzzViolation("\(path.debugDescription) was written, yet \(url.path) does not hold it")
        }
    }

    /// Removes what a run added below the root.
    static func clean(_ root: URL) {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return }
        var added: [String] = []
        while let name = walker.nextObject() as? String {
            if !planted.contains(name) {
                added.append(name)
                walker.skipDescendants()
            }
        }
        for name in added { try? FileManager.default.removeItem(at: root.appendingPathComponent(name)) }
    }
}

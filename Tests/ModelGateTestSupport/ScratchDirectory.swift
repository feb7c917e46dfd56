import Foundation

/// A fresh temporary folder for one test, removed when the value is released.
public final class ScratchDirectory: @unchecked Sendable {
    public let url: URL

    public init(_ name: String = "modelgate-test") {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    public var path: String { url.path }
}

/// Every regular file below `directory`, by its path relative to it, with its bytes: what a command wrote.
public func files(in directory: URL) throws -> [String: Data] {
    var result: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
    while let url = enumerator?.nextObject() as? URL {
        guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
        result[String(url.path.dropFirst(directory.path.count + 1))] = try Data(contentsOf: url)
    }
    return result
}

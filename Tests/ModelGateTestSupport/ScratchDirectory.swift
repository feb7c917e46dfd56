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

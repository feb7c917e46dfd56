import Foundation
import Testing

@testable import ModelGateBundle

/// How a bundle folder differs from what would be written there, as `--check` and writing report it.
@Suite("Folder differences")
struct FolderDifferenceTests {
    @Test func eachKindIsFoundOnceAndSortedByPath() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in [("same", "a"), ("changed", "old"), ("extra", "x"), ("loose", "m"), ("images", "i")] {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        let expected = ["same": "a", "changed": "new", "absent": "z", "loose": "m", "images": "i"].mapValues {
            Data($0.utf8)
        }
        let present: [String: mode_t] = [
            "same": 0o644, "changed": 0o644, "extra": 0o644, "loose": 0o755, "images": 0o600,
        ]
        let found = FolderDifference.compare(
            expected: expected, present: present, in: folder, mode: 0o644, anyMode: ["images"])
        #expect(
            found.map(\.checkLine) == [
                "missing: absent", "changed: changed", "unexpected: extra", "mode: loose (755, not 644)",
            ])
        #expect(
            found.map(\.writtenLine) == [
                "added: absent", "changed: changed", "removed: extra", "mode: loose (755, not 644)",
            ])
    }
}

internal import CGit2
import Foundation
import ModelGateSupport

/// A tree object read as its raw records (`<mode> <name>\0<20-byte id>`, sorted the way Git sorts them),
/// without libgit2 building a tree object: a walk that only compares ids reads each tree once and makes
/// no string for an entry it skips.
struct RawTree {
    /// One record; its views are valid only inside the `RawTree.read` call that produced them.
    struct Entry {
        let mode: UnsafeRawBufferPointer
        let name: UnsafeRawBufferPointer
        let id: UnsafeRawBufferPointer

        /// A subtree (mode 40000); files, symbolic links and submodules are not.
        var isTree: Bool { mode.first == UInt8(ascii: "4") }
        /// A regular file, plain or executable.
        var isFile: Bool { mode.elementsEqual("100644".utf8) || mode.elementsEqual("100755".utf8) }
        var objectID: ObjectID {
            var oid = git_oid()
            withUnsafeMutableBytes(of: &oid.id) { $0.copyMemory(from: id) }
            return ObjectID(oid)
        }
        var nameString: String { String(decoding: name, as: UTF8.self) }

        /// Git's order of tree entries: by name bytes, a subtree's name read as if it ended in '/'.
        static func gitOrder(_ left: Entry, _ right: Entry) -> Int32 {
            let common = min(left.name.count, right.name.count)
            // Force unwrap: names are compared only when both are non-empty (`common > 0`).
            let order = common == 0 ? 0 : memcmp(left.name.baseAddress!, right.name.baseAddress!, common)
            if order != 0 { return order }
            let next = { (entry: Entry) -> Int32 in
                entry.name.count > common ? Int32(entry.name[common]) : entry.isTree ? 0x2F : 0
            }
            return next(left) - next(right)
        }
    }

    /// Calls `body` with the records of tree `id` (none for a nil id); a malformed record ends the list.
    static func read<Result>(
        _ id: ObjectID?, odb: OpaquePointer, _ body: ([Entry]) throws -> Result
    ) throws -> Result {
        guard let id else { return try body([]) }
        return try rawObject(id, GIT_OBJECT_TREE, named: "tree", odb: odb) { bytes in
            try body(entries(in: bytes))
        }
    }

    /// Calls `body` with the record named `name` in tree `id` (nil when there is none), scanning the records
    /// in order and stopping at the match: no list of records is built.
    static func entry<Result>(
        named name: UnsafeRawBufferPointer, in id: ObjectID, odb: OpaquePointer, _ body: (Entry?) throws -> Result
    ) throws -> Result {
        try rawObject(id, GIT_OBJECT_TREE, named: "tree", odb: odb) { bytes in
            var offset = 0
            while let (entry, next) = record(at: offset, in: bytes) {
                if entry.name.elementsEqual(name) { return try body(entry) }
                offset = next
            }
            return try body(nil)
        }
    }

    /// The records of a tree object's bytes; a malformed record ends the list.
    private static func entries(in bytes: UnsafeRawBufferPointer) -> [Entry] {
        var entries: [Entry] = []
        var offset = 0
        while let (entry, next) = record(at: offset, in: bytes) {
            entries.append(entry)
            offset = next
        }
        return entries
    }

    /// The record at `offset` and where the next one starts; nil at the end or at a malformed record.
    private static func record(at offset: Int, in bytes: UnsafeRawBufferPointer) -> (Entry, next: Int)? {
        guard offset < bytes.count, let space = bytes[offset...].firstIndex(of: 0x20),
            let nul = bytes[space...].firstIndex(of: 0), nul + 21 <= bytes.count
        else { return nil }
        let entry = Entry(
            mode: UnsafeRawBufferPointer(rebasing: bytes[offset..<space]),
            name: UnsafeRawBufferPointer(rebasing: bytes[(space + 1)..<nul]),
            id: UnsafeRawBufferPointer(rebasing: bytes[(nul + 1)..<(nul + 21)]))
        return (entry, nul + 21)
    }
}

/// Calls `body` with the bytes of object `id` as the object database holds them (no libgit2 object is
/// built), after checking that it is of `type` (`named` in the message when it is not).
func rawObject<Result>(
    _ id: ObjectID, _ type: git_object_t, named: String, odb: OpaquePointer,
    _ body: (UnsafeRawBufferPointer) throws -> Result
) throws -> Result {
    var oid = id.raw
    var object: OpaquePointer?
    try check(git_odb_read(&object, odb, &oid), "cannot read \(named) \(id)")
    defer { git_odb_object_free(object) }
    guard git_odb_object_type(object) == type, let data = git_odb_object_data(object) else {
        throw GitError(code: GIT_EINVALID.rawValue, errorClass: 0, message: "\(id) is not a \(named)")
    }
    return try body(UnsafeRawBufferPointer(start: data, count: git_odb_object_size(object)))
}

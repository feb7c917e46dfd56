internal import CGit2
import Crypto
import Foundation
import ModelGateSupport

/// Git's commit-graph file (`objects/info/commit-graph`, written by `git commit-graph write` and by
/// `git gc`): every commit's root tree and parents in fixed-size records, so a history walk reads neither
/// nor inflates a commit object. libgit2 1.5 reads the file for its own walks but offers no lookup, so this
/// reads the documented format (version 1, SHA-1) directly.
///
/// Used only when it holds: the signature, version, chunk table and the trailing SHA-1 of the whole file
/// are checked once, and anything else (a split graph's chain, a shallow clone, another hash) means no
/// graph; a commit the file does not list (newer than the graph) is read from the object database.
struct CommitGraph {
    private let bytes: Data
    private let count: Int
    private let fanout: Int
    private let lookup: Int
    private let records: Int

    /// The sentinel parent position of a commit without one.
    private static let noParent: UInt32 = 0x7000_0000

    /// The graph of the repository whose object folder is `objects`, or nil when there is none to trust.
    init?(objects: URL, shallow: Bool) {
        guard !shallow,
            let bytes = try? Data(
                contentsOf: objects.appendingPathComponent("info/commit-graph"), options: .alwaysMapped),
            bytes.count >= 8 + 12 + 20, bytes.prefix(4).elementsEqual("CGPH".utf8),
            bytes[bytes.startIndex + 4] == 1, bytes[bytes.startIndex + 5] == 1, bytes[bytes.startIndex + 7] == 0
        else { return nil }
        let body = bytes.prefix(bytes.count - 20)
        guard Data(Insecure.SHA1.hash(data: body)) == bytes.suffix(20) else { return nil }
        self.bytes = bytes
        let chunks = Int(bytes[bytes.startIndex + 6])
        var offsets: [String: Int] = [:]
        for index in 0..<chunks {
            let entry = 8 + index * 12
            guard entry + 12 <= bytes.count else { return nil }
            let id = String(decoding: bytes[(bytes.startIndex + entry)..<(bytes.startIndex + entry + 4)], as: UTF8.self)
            offsets[id] = Int(Self.uint64(bytes, at: entry + 4))
        }
        guard let fanout = offsets["OIDF"], let lookup = offsets["OIDL"], let records = offsets["CDAT"],
            fanout + 1024 <= bytes.count
        else { return nil }
        let count = Int(Self.uint32(bytes, at: fanout + 255 * 4))
        guard lookup + count * 20 <= bytes.count, records + count * 36 <= bytes.count else { return nil }
        (self.count, self.fanout, self.lookup, self.records) = (count, fanout, lookup, records)
    }

    /// The root tree and first parent of `commit`, or nil when the graph does not list it.
    func treeAndFirstParent(of commit: ObjectID) -> (tree: ObjectID, parent: ObjectID?)? {
        guard let position = position(of: commit) else { return nil }
        let record = records + position * 36
        let tree = id(at: record)
        let parent = Self.uint32(bytes, at: record + 20)
        guard parent != Self.noParent else { return (tree, nil) }
        guard Int(parent) < count else { return nil }
        return (tree, id(at: lookup + Int(parent) * 20))
    }

    /// The position of `commit` in the sorted id list: a binary search within its first byte's range.
    private func position(of commit: ObjectID) -> Int? {
        let raw = commit.raw
        return withUnsafeBytes(of: raw.id) { wanted -> Int? in
            let first = Int(wanted[0])
            var low = first == 0 ? 0 : Int(Self.uint32(bytes, at: fanout + (first - 1) * 4))
            var high = Int(Self.uint32(bytes, at: fanout + first * 4))
            guard high <= count else { return nil }
            return bytes.withUnsafeBytes { file -> Int? in
                while low < high {
                    let middle = (low + high) / 2
                    // Force unwrap: the mapped file and the wanted id are non-empty buffers.
                    let order = memcmp(file.baseAddress! + lookup + middle * 20, wanted.baseAddress!, 20)
                    if order == 0 { return middle }
                    if order < 0 { low = middle + 1 } else { high = middle }
                }
                return nil
            }
        }
    }

    private func id(at offset: Int) -> ObjectID {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { target in
            bytes.withUnsafeBytes { file in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: file[offset..<(offset + 20)]))
            }
        }
        return ObjectID(oid)
    }

    private static func uint32(_ bytes: Data, at offset: Int) -> UInt32 {
        bytes.withUnsafeBytes { UInt32(bigEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }

    private static func uint64(_ bytes: Data, at offset: Int) -> UInt64 {
        bytes.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
    }
}

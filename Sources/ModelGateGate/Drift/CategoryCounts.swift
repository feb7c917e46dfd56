import Foundation

/// How often each value of a categorical column occurs, keyed by the value's bytes: a cell repeating a value
/// already seen costs a hash and one comparison, and no `String` is made until the profile is finished (one
/// per distinct value). An open-addressing table over an arena of the distinct values' bytes, hashed with a
/// seed drawn per process so that a crafted column cannot pile its values into one chain.
struct CategoryCounts {
    /// One distinct value: where its bytes lie in the arena, its hash and how often it occurred.
    private struct Entry {
        var start: Int
        var length: Int
        var hash: UInt64
        var count: Int
    }

    /// This process's hash seed (the counts never depend on it: values are ordered by count and text).
    private static let seed = UInt64.random(in: .min ... .max)

    private let seed = CategoryCounts.seed
    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// Indices into `entries`, -1 where free; the count is a power of two, at most half used.
    private var slots = [Int32](repeating: -1, count: 16)

    /// The number of non-empty cells counted.
    private(set) var total = 0

    var isEmpty: Bool { entries.isEmpty }

    /// Counts one cell's value `times` times.
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, times: Int = 1) {
        let hash = Self.hash(bytes, seed: seed)
        total &+= times
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { break }
            let entry = entries[index]
            if entry.hash == hash && entry.length == bytes.count
                && (bytes.isEmpty
                    || arena.withUnsafeBufferPointer({
                        // Force unwrap: both ranges are non-empty (equal lengths, the empty value handled apart).
                        memcmp($0.baseAddress! + entry.start, bytes.baseAddress!, bytes.count) == 0
                    }))
            {
                entries[index].count &+= times
                return
            }
            slot = (slot &+ 1) & mask
        }
        slots[slot] = Int32(entries.count)
        entries.append(Entry(start: arena.count, length: bytes.count, hash: hash, count: times))
        arena.append(contentsOf: bytes)
        if entries.count * 2 > slots.count { grow() }
    }

    /// Counts a value given as text.
    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add($0) }
    }

    /// Adds another column part's counts to these.
    mutating func merge(_ other: CategoryCounts) {
        other.arena.withUnsafeBufferPointer { bytes in
            for entry in other.entries {
                add(
                    UnsafeBufferPointer(rebasing: bytes[entry.start..<(entry.start + entry.length)]), times: entry.count
                )
            }
        }
    }

    /// Every distinct value with its count.
    var counts: [(value: String, count: Int)] {
        entries.map { (String(decoding: arena[$0.start..<($0.start + $0.length)], as: UTF8.self), $0.count) }
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot] >= 0 { slot = (slot &+ 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    /// A 64-bit hash of `bytes`: eight bytes at a time, each word mixed in by multiplication.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        var hash = mix(seed ^ UInt64(bytes.count))
        guard let base = bytes.baseAddress else { return hash }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset &+ 8 <= bytes.count {
            hash = mix(hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset &+= 8
        }
        if offset < bytes.count {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count {
                word |= UInt64(base[offset]) << shift
                shift &+= 8
                offset &+= 1
            }
            hash = mix(hash ^ word)
        }
        return hash
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var value = value &* 0xBF58_476D_1CE4_E5B9
        value ^= value >> 31
        value = value &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 29)
    }
}

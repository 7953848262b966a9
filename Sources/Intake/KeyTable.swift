#if canImport(Glibc)
import Glibc
#endif
import Metrics

/// An open-addressing table from the 64-bit keys of a column's ids to their rows.
///
/// One probe is one cache line: each slot holds the key beside the row. The table is two
/// independent halves chosen by the top bit of the slot hash, so two cores fill it at once
/// without sharing a slot. In `.hashed` mode equal keys are confirmed by comparing the ids'
/// bytes, so two ids whose hashes collide are still told apart. Immutable once built.
final class KeyTable: @unchecked Sendable {
    struct Slot {
        var key: UInt64
        /// The row + 1; 0 marks an empty slot.
        var row: UInt32
    }

    let mode: KeyMode
    private let slots: UnsafeMutablePointer<Slot>
    private let mask: Int
    private let half: Int
    private let size: Int

    /// An empty table for `count` keys (at most two thirds full), zeroed by the kernel.
    private init(count: Int, mode: KeyMode) {
        self.mode = mode
        var total = 64
        while total < count + count / 2 { total <<= 1 }
        half = total / 2
        mask = half - 1
        size = total * MemoryLayout<Slot>.stride
        // Anonymous pages arrive zeroed (all slots empty) and untouched ones cost nothing; huge
        // pages spare a TLB miss per random probe.
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        precondition(p != MAP_FAILED, "cannot allocate \(size) bytes for an id table")
        _ = madvise(p, size, 14)  // MADV_HUGEPAGE
        slots = p!.bindMemory(to: Slot.self, capacity: total)
    }

    deinit { munmap(slots, size) }

    /// The slot hash of a key: integers are spread by a bijective mix, hashes already are.
    @inline(__always)
    private func spread(_ key: UInt64) -> UInt64 {
        mode == .integer ? mix(key ^ 0x243F_6A88_85A3_08D3) : key
    }

    /// Builds the table of `keys` (rows `0..<keys.count` of `ids`) on both cores.
    ///
    /// - Returns: the table, and the first repeated id in row order if any: the row of its
    ///   first appearance and the row that repeats it.
    static func build(_ keys: [UInt64], mode: KeyMode, ids: IdColumn) -> (KeyTable, duplicate: (first: Int, second: Int)?) {
        let table = KeyTable(count: keys.count, mode: mode)
        let duplicates = ids.view { view in
            keys.withUnsafeBufferPointer { keys in
                nonisolated(unsafe) let keys = keys
                let parts = keys.count >= 1 << 16 ? 2 : 1
                return concurrentMap(parts) { part -> (first: Int, second: Int)? in
                    for i in 0..<keys.count {
                        let h = table.spread(keys[i])
                        if parts == 2 && Int(h >> 63) != part { continue }
                        if let earlier = table.insert(keys[i], h, row: i, view) { return (earlier, i) }
                    }
                    return nil
                }
            }
        }
        let first = duplicates.compactMap { $0 }.min { $0.second < $1.second }
        return (table, first)
    }

    /// Inserts `row`; returns the row of an equal id already present instead.
    @inline(__always)
    private func insert(_ key: UInt64, _ h: UInt64, row: Int, _ view: IdView) -> Int? {
        let base = Int(h >> 63) &* half
        var pos = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots + (base &+ pos)
            let stored = slot.pointee.row
            if stored == 0 {
                slot.pointee = Slot(key: key, row: UInt32(row &+ 1))
                return nil
            }
            if slot.pointee.key == key && (mode == .integer || equalBytes(view.bytes(Int(stored) &- 1), view.bytes(row))) {
                return Int(stored) &- 1
            }
            pos = (pos &+ 1) & mask
        }
    }

    /// The row of the id `bytes`, if the column has it.
    @inline(__always)
    func find(_ bytes: UnsafeBufferPointer<UInt8>, _ view: IdView) -> Int? {
        guard let key = IdKey.of(bytes, mode) else { return nil }
        let h = spread(key)
        let base = Int(h >> 63) &* half
        return probe(key, bytes, base: base, from: Int(truncatingIfNeeded: h) & mask, view)
    }

    /// Probes from slot `pos` of the half at `base` for `key`, confirming a match by bytes in
    /// `.hashed` mode.
    @inline(__always)
    private func probe(_ key: UInt64, _ bytes: UnsafeBufferPointer<UInt8>, base: Int, from start: Int, _ view: IdView) -> Int? {
        var pos = start
        while true {
            let slot = slots + (base &+ pos)
            let stored = slot.pointee.row
            if stored == 0 { return nil }
            if slot.pointee.key == key && (mode == .integer || equalBytes(view.bytes(Int(stored) &- 1), bytes)) {
                return Int(stored) &- 1
            }
            pos = (pos &+ 1) & mask
        }
    }

    /// Finds the rows of a batch of ids (`batch.rows[i]`, -1 when absent).
    ///
    /// Each step runs over the whole batch before the next, so that the cache misses of
    /// different ids (the slot, then in `.hashed` mode the solution id's span and bytes)
    /// overlap instead of following one another.
    func find(_ batch: KeyBatch, _ view: IdView) {
        let n = batch.count
        for i in 0..<n {
            let key = batch.keys[i]
            let h = spread(key)
            let base = Int(h >> 63) &* half
            var pos = Int(truncatingIfNeeded: h) & mask
            while true {
                let slot = slots + (base &+ pos)
                let stored = slot.pointee.row
                if stored == 0 {
                    batch.rows[i] = -1
                    break
                }
                if slot.pointee.key == key {
                    batch.rows[i] = Int(stored) &- 1
                    batch.slots[i] = base &+ pos
                    break
                }
                pos = (pos &+ 1) & mask
            }
        }
        guard mode == .hashed else { return }
        for i in 0..<n where batch.rows[i] >= 0 { batch.spans[i] = view.spans[batch.rows[i]] }
        for i in 0..<n where batch.rows[i] >= 0 {
            let id = UnsafeBufferPointer(start: batch.starts[i], count: batch.lengths[i])
            if !equalBytes(view.bytes(span: batch.spans[i]), id) {
                // Another id with the same 64-bit hash: probe on, verifying every match.
                let at = batch.slots[i]
                let base = at & ~mask
                batch.rows[i] = probe(batch.keys[i], id, base: base, from: ((at & mask) &+ 1) & mask, view) ?? -1
            }
        }
    }
}

/// Ids waiting to be looked up together in a `KeyTable`, with a value each.
struct KeyBatch {
    static let capacity = 256
    let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
    let starts = UnsafeMutablePointer<UnsafePointer<UInt8>>.allocate(capacity: capacity)
    let lengths = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
    let values = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
    let rows = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
    let spans = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
    let slots = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
    var count = 0

    var isFull: Bool { count == KeyBatch.capacity }

    @inline(__always)
    mutating func append(key: UInt64, id: UnsafeBufferPointer<UInt8>, value: Double) {
        keys[count] = key
        starts[count] = id.baseAddress!
        lengths[count] = id.count
        values[count] = value
        count &+= 1
    }

    func deallocate() {
        keys.deallocate()
        starts.deallocate()
        lengths.deallocate()
        values.deallocate()
        rows.deallocate()
        spans.deallocate()
        slots.deallocate()
    }
}

import PodiumParallel

#if canImport(Glibc)
import Glibc
#endif

/// An open-addressing table from the 64-bit keys of a column's ids to their rows.
///
/// One probe is one cache line: each slot holds the key beside the row. The table is cut into
/// regions of 16K slots (256 KB, within a core's L2 cache) chosen by the top bits of the slot
/// hash, linear probing wrapping inside a region. It is built region by region after the keys
/// are grouped by region (a counting sort), so that the inserts stay in cache and the two
/// cores fill disjoint regions. In `.hashed` mode equal keys are confirmed by comparing the
/// ids' bytes, so two ids whose hashes collide are still told apart. Immutable once built.
final class KeyTable: @unchecked Sendable {
    struct Slot {
        var key: UInt64
        /// The row + 1; 0 marks an empty slot.
        var row: UInt32
    }

    let mode: KeyMode
    private let slots: UnsafeMutablePointer<Slot>
    /// Slots per region, minus one.
    private let mask: Int
    /// How many top bits of the slot hash pick the region (0: one region).
    let regionBits: Int
    private let regionShift: UInt64
    private let regionMask: Int
    private let size: Int

    /// An empty table for `count` keys (at most two thirds full), zeroed by the kernel.
    private init(count: Int, mode: KeyMode, regions wanted: Int? = nil) {
        self.mode = mode
        var total = 64
        while total < count + count / 2 { total <<= 1 }
        regionBits = wanted ?? max(0, total.trailingZeroBitCount - 14)
        regionShift = UInt64(64 - regionBits)
        regionMask = (1 << regionBits) - 1
        mask = (total >> regionBits) - 1
        size = total * MemoryLayout<Slot>.stride
        // Anonymous pages arrive zeroed (all slots empty), and untouched ones cost nothing.
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        precondition(p != MAP_FAILED, "cannot allocate \(size) bytes for an id table")
        slots = p!.bindMemory(to: Slot.self, capacity: total)
    }

    deinit { munmap(slots, size) }

    /// Maps all the table's pages at once (zeroed by the kernel in one call) instead of one
    /// page fault per 4 KB page during the inserts: a third of the build's time at 10M rows.
    /// Harmless where the kernel lacks `MADV_POPULATE_WRITE` (Linux < 5.14): pages then fault in.
    private func populate() {
        _ = madvise(slots, size, 23)  // MADV_POPULATE_WRITE
    }

    /// The slot hash of a key: integers are spread by a bijective mix, hashes already are.
    @inline(__always)
    private func spread(_ key: UInt64) -> UInt64 {
        mode == .integer ? mix(key ^ 0x243F_6A88_85A3_08D3) : key
    }

    /// The region of a slot hash.
    @inline(__always)
    private func region(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h &>> regionShift) & regionMask }

    /// The home slot of a slot hash.
    @inline(__always)
    private func home(_ h: UInt64) -> Int {
        (region(h) &* (mask &+ 1)) &+ (Int(truncatingIfNeeded: h) & mask)
    }

    /// Builds the table of `keys` (rows `0..<keys.count` of `ids`) on both cores.
    ///
    /// - Returns: the table, and the first repeated id in row order if any: the row of its
    ///   first appearance and the row that repeats it.
    static func build(_ keys: [UInt64], mode: KeyMode, ids: IdColumn, parallelism: Parallelism)
        -> (KeyTable, duplicate: (first: Int, second: Int)?)
    {
        var keys = keys
        return build(&keys, mode: mode, ids: ids, parallelism: parallelism)
    }

    /// `build`, emptying `keys` as soon as they are grouped by region (before the table's pages
    /// are touched), so that the two are never in memory at once.
    static func build(_ keys: inout [UInt64], mode: KeyMode, ids: IdColumn, parallelism: Parallelism)
        -> (KeyTable, duplicate: (first: Int, second: Int)?)
    {
        let n = keys.count
        let table = KeyTable(count: n, mode: mode)
        if table.regionBits > 0, let built = ids.view({ view in table.fillByRegion(&keys, view, parallelism) }) {
            return (table, built)
        }
        // One region (small columns), or so many rows in one region that it could overflow
        // (repeated ids): the whole table as one region, filled in row order.
        let whole = KeyTable(count: n, mode: mode, regions: 0)
        let duplicate = ids.view { view in
            keys.withUnsafeBufferPointer { keys -> (first: Int, second: Int)? in
                for i in 0..<n {
                    if let earlier = whole.insert(keys[i], whole.spread(keys[i]), row: i, view) { return (earlier, i) }
                }
                return nil
            }
        }
        return (whole, duplicate)
    }

    /// Groups the rows by region (a counting sort that keeps row order within a region), then
    /// fills the regions, half of them on each core. Returns `.some(nil)` when every id is
    /// unique, `.some(duplicate)` for the first repeated id in row order, or `nil` when a
    /// region would be more than 7/8 full.
    private func fillByRegion(_ allKeys: inout [UInt64], _ view: IdView, _ parallelism: Parallelism)
        -> (first: Int, second: Int)??
    {
        let n = allKeys.count
        var sortedKeys = [UInt64](unsafeUninitializedCapacity: n) { _, c in c = n }
        var sortedRows = [Int32](unsafeUninitializedCapacity: n) { _, c in c = n }
        let grouped = allKeys.withUnsafeBufferPointer { keys in
            group(keys, into: &sortedKeys, &sortedRows, parallelism)
        }
        guard let bounds = grouped else { return nil }
        allKeys = []
        populate()
        let regions = 1 << regionBits
        let parts = n >= 1 << 16 ? 2 : 1
        let found = sortedKeys.withUnsafeBufferPointer { sk in
            sortedRows.withUnsafeBufferPointer { sr in
                nonisolated(unsafe) let (sk, sr) = (sk, sr)
                return concurrentMap(parts, parallelism) { k -> (first: Int, second: Int)? in
                    var first: (first: Int, second: Int)? = nil
                    for b in (regions * k / parts)..<(regions * (k + 1) / parts) {
                        for j in bounds[b]..<bounds[b + 1] {
                            let row = Int(sr[j])
                            if let earlier = insert(sk[j], spread(sk[j]), row: row, view) {
                                if first == nil || row < first!.second { first = (earlier, row) }
                                break  // the region's later rows come later in the file
                            }
                        }
                    }
                    return first
                }
            }
        }
        return .some(found.compactMap { $0 }.min { $0.second < $1.second })
    }

    /// Groups keys and rows by region, keeping row order within a region; returns where each
    /// region starts, or `nil` when a region would be more than 7/8 full.
    private func group(
        _ keys: UnsafeBufferPointer<UInt64>, into sortedKeys: inout [UInt64], _ sortedRows: inout [Int32],
        _ parallelism: Parallelism
    ) -> [Int]? {
        nonisolated(unsafe) let keys = keys
        let n = keys.count
        let regions = 1 << regionBits
        let halves = IdKey.halves(n)
        let counts = concurrentMap(halves.count, parallelism) { k -> [Int] in
            var c = [Int](repeating: 0, count: regions)
            for i in halves[k] { c[region(spread(keys[i]))] &+= 1 }
            return c
        }
        // Where each half's rows of region b go: the first half's, then the second's.
        var start = [Int](repeating: 0, count: regions + 1)
        var offsets = [[Int]](repeating: [Int](repeating: 0, count: regions), count: halves.count)
        var total = 0
        for b in 0..<regions {
            start[b] = total
            for k in 0..<halves.count {
                offsets[k][b] = total
                total += counts[k][b]
            }
            if total - start[b] > (mask + 1) / 8 * 7 { return nil }
        }
        start[regions] = total
        let firstOffsets = offsets
        sortedKeys.withUnsafeMutableBufferPointer { sk in
            sortedRows.withUnsafeMutableBufferPointer { sr in
                nonisolated(unsafe) let (sk, sr) = (sk, sr)
                forEachConcurrently(halves.count, parallelism) { k in
                    var next = firstOffsets[k]
                    for i in halves[k] {
                        let b = region(spread(keys[i]))
                        sk[next[b]] = keys[i]
                        sr[next[b]] = Int32(truncatingIfNeeded: i)
                        next[b] &+= 1
                    }
                }
            }
        }
        return start
    }

    /// Inserts `row`; returns the row of an equal id already present instead.
    @inline(__always)
    private func insert(_ key: UInt64, _ h: UInt64, row: Int, _ view: IdView) -> Int? {
        let start = home(h)
        let base = start & ~mask
        var pos = start & mask
        while true {
            let slot = slots + (base &+ pos)
            let stored = slot.pointee.row
            if stored == 0 {
                slot.pointee = Slot(key: key, row: UInt32(row &+ 1))
                return nil
            }
            if slot.pointee.key == key
                && (mode == .integer || equalBytes(view.bytes(Int(stored) &- 1), view.bytes(row)))
            {
                return Int(stored) &- 1
            }
            pos = (pos &+ 1) & mask
        }
    }

    /// The row of the id `bytes`, if the column has it.
    @inline(__always)
    func find(_ bytes: UnsafeBufferPointer<UInt8>, _ view: IdView) -> Int? {
        guard let key = IdKey.of(bytes, mode) else { return nil }
        let start = home(spread(key))
        return probe(key, bytes, base: start & ~mask, from: start & mask, view)
    }

    /// Probes from slot `start` of the region at `base` for `key`, confirming a match by bytes in
    /// `.hashed` mode.
    @inline(__always)
    private func probe(_ key: UInt64, _ bytes: UnsafeBufferPointer<UInt8>, base: Int, from start: Int, _ view: IdView)
        -> Int?
    {
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
    ///
    /// A large batch is visited in the order of its home slots (a counting sort by table block),
    /// so that consecutive probes land in nearby pages: the page-table walks of the random
    /// accesses hit the cache instead of missing like the slots themselves.
    func find(_ batch: KeyBatch, _ view: IdView) {
        let n = batch.count
        let homes = batch.slots
        for i in 0..<n { homes[i] = home(spread(batch.keys[i])) }
        placeOrder(batch)
        let order = batch.order
        var touched: UInt64 = 0
        for j in 0..<n { touched ^= slots[homes[Int(order[j])]].key }
        sink(touched)
        for j in 0..<n {
            let i = Int(order[j])
            let key = batch.keys[i]
            let start = homes[i]
            let base = start & ~mask
            var pos = start & mask
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
        for i in 0..<n where batch.rows[i] >= 0 { touched ^= UInt64(view.bytes(span: batch.spans[i]).first ?? 0) }
        sink(touched)
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

extension KeyTable {
    /// Fills `batch.order` with the batch's indices sorted by block of home slot
    /// (`batch.slots`), at most `KeyBatch.blocks` blocks; small batches keep their order.
    @inline(__always)
    fileprivate func placeOrder(_ batch: KeyBatch) {
        batch.sortOrder(by: batch.slots, below: (mask &+ 1) &<< regionBits)
    }
}

/// Keeps the loads that only bring memory into the cache from being optimised away.
@inline(never) @_optimize(none)
func sink(_ value: UInt64) {}

/// Ids waiting to be looked up together in a `KeyTable`, with a value each.
struct KeyBatch {
    /// The most ids in one batch, and the batch size after a return to the solution's order.
    static let capacity = 16384
    static let initialLimit = 256
    /// The table blocks (log2) a large batch is sorted into before its lookups.
    static let blockBits = 12
    let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
    let starts = UnsafeMutablePointer<UnsafePointer<UInt8>>.allocate(capacity: capacity)
    let lengths = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
    let values = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
    let rows = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
    let spans = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
    let slots = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
    let order = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    let counts = UnsafeMutablePointer<Int>.allocate(capacity: (1 << blockBits) + 1)
    var count = 0
    /// The batch is looked up when it has this many ids: small while rows may be back in order,
    /// doubled by `grow` while they are not, so that the lookups of a shuffled file are grouped.
    var limit = initialLimit

    var isFull: Bool { count >= limit }

    /// After a lookup: start small again if the rows are back in order, else double the batch.
    mutating func grow(inOrder: Bool) {
        limit = inOrder ? KeyBatch.initialLimit : min(limit &* 2, KeyBatch.capacity)
    }

    @inline(__always)
    mutating func append(key: UInt64, id: UnsafeBufferPointer<UInt8>, value: Double) {
        keys[count] = key
        starts[count] = id.baseAddress!
        lengths[count] = id.count
        values[count] = value
        count &+= 1
    }

    /// Fills `order` with the indices `0..<count` sorted (stably) by block of `place[i]`, a
    /// position below `size`, in at most `2^blockBits` blocks, so that visiting the batch in
    /// that order touches memory in ascending pages. A small batch keeps its order.
    @inline(__always)
    func sortOrder(by place: UnsafeMutablePointer<Int>, below size: Int) {
        let n = count
        guard n >= 1024 else {
            for i in 0..<n { order[i] = Int32(truncatingIfNeeded: i) }
            return
        }
        let bits = Int.bitWidth &- max(size &- 1, 1).leadingZeroBitCount
        let shift = max(0, bits &- KeyBatch.blockBits)
        let blocks = ((max(size, 1) &- 1) &>> shift) &+ 1
        for b in 0...blocks { counts[b] = 0 }
        for i in 0..<n { counts[(place[i] &>> shift) &+ 1] &+= 1 }
        for b in 0..<blocks { counts[b &+ 1] &+= counts[b] }
        for i in 0..<n {
            let b = place[i] &>> shift
            order[counts[b]] = Int32(truncatingIfNeeded: i)
            counts[b] &+= 1
        }
    }

    func deallocate() {
        keys.deallocate()
        starts.deallocate()
        lengths.deallocate()
        values.deallocate()
        rows.deallocate()
        spans.deallocate()
        slots.deallocate()
        order.deallocate()
        counts.deallocate()
    }
}

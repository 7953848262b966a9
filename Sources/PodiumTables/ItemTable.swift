/// A small, reusable hash table of the items of one query: judged items with their
/// relevance, and which items were already ranked. Cleared in O(1) by a generation stamp.
final class ItemTable {
    private var keys: UnsafeMutablePointer<UnsafeBufferPointer<UInt8>>
    private var relevance: UnsafeMutablePointer<Int32>
    private var ranked: UnsafeMutablePointer<Bool>
    private var stamp: UnsafeMutablePointer<UInt32>
    private var size = 0
    private var generation: UInt32 = 0
    private var mask = 0

    init() {
        keys = .allocate(capacity: 1)
        relevance = .allocate(capacity: 1)
        ranked = .allocate(capacity: 1)
        stamp = .allocate(capacity: 1)
    }

    deinit { free() }

    private func free() {
        keys.deallocate()
        relevance.deallocate()
        ranked.deallocate()
        stamp.deallocate()
    }

    /// Empties the table and makes room for `count` items.
    func reset(for count: Int) {
        var needed = 16
        while needed < count * 2 { needed <<= 1 }
        if needed > size {
            free()
            size = needed
            keys = .allocate(capacity: size)
            keys.initialize(repeating: UnsafeBufferPointer(start: nil, count: 0), count: size)
            relevance = .allocate(capacity: size)
            relevance.initialize(repeating: 0, count: size)
            ranked = .allocate(capacity: size)
            ranked.initialize(repeating: false, count: size)
            stamp = .allocate(capacity: size)
            stamp.initialize(repeating: 0, count: size)
            generation = 0
        }
        mask = needed - 1
        generation &+= 1
        if generation == 0 {
            stamp.update(repeating: 0, count: size)
            generation = 1
        }
    }

    @inline(__always)
    private func slot(_ key: UnsafeBufferPointer<UInt8>) -> (Int, found: Bool) {
        var s = Int(truncatingIfNeeded: stableHash(key)) & mask
        while stamp[s] == generation {
            if equalBytes(keys[s], key) { return (s, true) }
            s = (s &+ 1) & mask
        }
        return (s, false)
    }

    /// Adds a judged item; false if it is already present.
    func addJudged(_ key: UnsafeBufferPointer<UInt8>, relevance r: Int32) -> Bool {
        let (s, found) = slot(key)
        if found { return false }
        stamp[s] = generation
        keys[s] = key
        relevance[s] = r
        ranked[s] = false
        return true
    }

    /// Ranks an item: its relevance the first time (0 when unjudged), `nil` when it was
    /// already ranked.
    @inline(__always)
    func rank(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        let (s, found) = slot(key)
        if found {
            if ranked[s] { return nil }
            ranked[s] = true
            return relevance[s]
        }
        stamp[s] = generation
        keys[s] = key
        relevance[s] = 0
        ranked[s] = true
        return 0
    }
}

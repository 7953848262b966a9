/// A small, reusable hash table of the items of one query: judged items with their
/// relevance, and which items were already ranked. Cleared in O(1) by a generation stamp.
struct ItemTable {
    private var keys: [UnsafeBufferPointer<UInt8>] = []
    private var relevance: [Int32] = []
    private var ranked: [Bool] = []
    private var stamp: [UInt32] = []
    private var generation: UInt32 = 0
    private var mask = 0

    /// Empties the table and makes room for `count` items.
    mutating func reset(for count: Int) {
        var size = 16
        while size < count * 2 { size <<= 1 }
        if size > keys.count {
            keys = Array(repeating: UnsafeBufferPointer(start: nil, count: 0), count: size)
            relevance = Array(repeating: 0, count: size)
            ranked = Array(repeating: false, count: size)
            stamp = Array(repeating: 0, count: size)
            generation = 0
        }
        mask = min(size, keys.count) - 1
        generation &+= 1
        if generation == 0 {
            for i in stamp.indices { stamp[i] = 0 }
            generation = 1
        }
    }

    @inline(__always)
    private func slot(_ key: UnsafeBufferPointer<UInt8>) -> (Int, found: Bool) {
        var s = Int(truncatingIfNeeded: stableHash(key)) & mask
        while stamp[s] == generation {
            if equalBytes(keys[s], key) { return (s, true) }
            s = (s + 1) & mask
        }
        return (s, false)
    }

    /// Adds a judged item; false if it is already present.
    mutating func addJudged(_ key: UnsafeBufferPointer<UInt8>, relevance r: Int32) -> Bool {
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
    mutating func rank(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
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

/// Maps a `Double` to a `UInt64` whose unsigned order is the numeric order.
///
/// `-0.0` and `0.0` map to the same key, so equal scores always tie.
@inlinable @inline(__always)
public func sortableKey(_ value: Double) -> UInt64 {
    let v = value == 0 ? 0.0 : value
    let bits = v.bitPattern
    return (bits & (1 << 63)) != 0 ? ~bits : bits | (1 << 63)
}

/// The inverse of `sortableKey`.
@inlinable @inline(__always)
public func doubleFromKey(_ key: UInt64) -> Double {
    let bits = (key & (1 << 63)) != 0 ? key & ~(1 << 63) : ~key
    return Double(bitPattern: bits)
}

/// Sorts 64-bit keys ascending in O(n): a least-significant-digit radix sort with 8-bit
/// digits (each pass's 256 counters stay in L1), one histogram pass for all eight digits,
/// and digits that every key shares skipped.
///
/// - Parameters:
///   - keys: the keys, sorted in place.
///   - scratch: a buffer at least as long as `keys`, overwritten.
public func radixSort(_ keys: UnsafeMutableBufferPointer<UInt64>, scratch: UnsafeMutableBufferPointer<UInt64>) {
    let n = keys.count
    if n < 64 {
        insertionSort(keys)
        return
    }
    precondition(scratch.count >= n)
    let h = UnsafeMutablePointer<Int>.allocate(capacity: 8 * 256)
    defer { h.deallocate() }
    h.initialize(repeating: 0, count: 8 * 256)
    let src = keys.baseAddress!
    for i in 0..<n {
        let k = src[i]
        h[Int(k & 0xFF)] &+= 1
        h[256 &+ Int((k >> 8) & 0xFF)] &+= 1
        h[512 &+ Int((k >> 16) & 0xFF)] &+= 1
        h[768 &+ Int((k >> 24) & 0xFF)] &+= 1
        h[1024 &+ Int((k >> 32) & 0xFF)] &+= 1
        h[1280 &+ Int((k >> 40) & 0xFF)] &+= 1
        h[1536 &+ Int((k >> 48) & 0xFF)] &+= 1
        h[1792 &+ Int(k >> 56)] &+= 1
    }
    var source = src
    var target = scratch.baseAddress!
    var swapped = false
    for pass in 0..<8 {
        let counts = h + pass * 256
        let shift = UInt64(pass * 8)
        // A digit every key shares moves nothing: skip the pass.
        if counts[Int((source[0] >> shift) & 0xFF)] == n { continue }
        var sum = 0
        for b in 0..<256 {
            let c = counts[b]
            counts[b] = sum
            sum &+= c
        }
        for i in 0..<n {
            let k = source[i]
            let b = Int((k >> shift) & 0xFF)
            target[counts[b]] = k
            counts[b] &+= 1
        }
        swap(&source, &target)
        swapped.toggle()
    }
    if swapped {
        src.update(from: scratch.baseAddress!, count: n)
    }
}

@inline(__always)
func insertionSort(_ keys: UnsafeMutableBufferPointer<UInt64>) {
    guard keys.count > 1 else { return }
    for i in 1..<keys.count {
        let k = keys[i]
        var j = i
        while j > 0 && keys[j - 1] > k {
            keys[j] = keys[j - 1]
            j -= 1
        }
        keys[j] = k
    }
}

/// Sorts an array of keys ascending with `radixSort`.
public func radixSorted(_ keys: [UInt64]) -> [UInt64] {
    var out = keys
    var scratch = [UInt64](repeating: 0, count: keys.count)
    out.withUnsafeMutableBufferPointer { o in
        scratch.withUnsafeMutableBufferPointer { s in radixSort(o, scratch: s) }
    }
    return out
}

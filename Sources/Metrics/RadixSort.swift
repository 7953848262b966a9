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

/// Sorts 64-bit keys ascending in O(n): a least-significant-digit radix sort with 11-bit
/// digits, one histogram pass for all digits, and digits that every key shares skipped.
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
    let digitBits = 11
    let passes = 6
    let buckets = 1 << digitBits
    let mask = UInt64(buckets - 1)
    var histogram = [Int](repeating: 0, count: buckets * passes)
    histogram.withUnsafeMutableBufferPointer { h in
        for key in keys {
            var k = key
            for p in 0..<passes {
                h[p &* buckets &+ Int(k & mask)] &+= 1
                k >>= UInt64(digitBits)
            }
        }
        var source = keys.baseAddress!
        var target = scratch.baseAddress!
        var swapped = false
        for p in 0..<passes {
            let base = p * buckets
            let shift = UInt64(p * digitBits)
            // A digit every key shares moves nothing: skip the pass.
            if h[base + Int((source[0] >> shift) & mask)] == n { continue }
            var sum = 0
            for b in 0..<buckets {
                let c = h[base + b]
                h[base + b] = sum
                sum += c
            }
            for i in 0..<n {
                let k = source[i]
                let b = base &+ Int((k >> shift) & mask)
                target[h[b]] = k
                h[b] &+= 1
            }
            swap(&source, &target)
            swapped.toggle()
        }
        if swapped {
            keys.baseAddress!.update(from: scratch.baseAddress!, count: n)
        }
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

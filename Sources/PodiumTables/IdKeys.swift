import PodiumParallel

/// How a column's ids become 64-bit keys.
enum KeyMode: Sendable {
    /// Every id is a canonical decimal integer: the key is the number itself, exactly.
    case integer
    /// Any other ids: the key is a 64-bit hash of the bytes, and a match is verified byte by byte.
    case hashed
}

/// The 64-bit key of an id's bytes.
enum IdKey {
    /// The key of a canonical decimal integer — `0`, or an optional `-` then 1 to 18 digits of
    /// which the first is not `0` — else `nil`.
    ///
    /// Ids are byte strings: `007`, `+7`, `-0` and `7.0` are not `7`, so only the one spelling of
    /// each number takes this path and distinct ids never share a key (the sign is the top bit,
    /// the magnitude below 10^18 < 2^60).
    @inline(__always)
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        let n = bytes.count
        guard n > 0, let p = bytes.baseAddress else { return nil }
        let negative = p[0] == UInt8(ascii: "-")
        var i = negative ? 1 : 0
        guard n - i >= 1, n - i <= 18 else { return nil }
        let first = p[i] &- 48
        guard first < 10, first != 0 || (n == 1) else { return nil }
        var value = UInt64(first)
        i &+= 1
        while i < n {
            let d = p[i] &- 48
            guard d < 10 else { return nil }
            value = value &* 10 &+ UInt64(d)
            i &+= 1
        }
        return negative ? value | (1 << 63) : value
    }

    /// The key of `bytes` in `mode`; `nil` when no id of an integer-keyed column can be `bytes`.
    @inline(__always)
    static func of(_ bytes: UnsafeBufferPointer<UInt8>, _ mode: KeyMode) -> UInt64? {
        switch mode {
        case .integer: return integer(bytes)
        case .hashed: return stableHash(bytes)
        }
    }

    /// The keys of every id of a column, on both cores: integers when every id is a canonical
    /// integer, hashes otherwise.
    static func keys(_ ids: IdColumn, _ parallelism: Parallelism) -> (KeyMode, [UInt64]) {
        let n = ids.count
        var keys = [UInt64](repeating: 0, count: n)
        let ranges = halves(n)
        var mode = KeyMode.integer
        ids.view { view in
            keys.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let out = out
                let integral = concurrentMap(ranges.count, parallelism) { k -> Bool in
                    for i in ranges[k] {
                        guard let key = integer(view.bytes(i)) else { return false }
                        out[i] = key
                    }
                    return true
                }
                guard !integral.allSatisfy({ $0 }) else { return }
                mode = .hashed
                forEachConcurrently(ranges.count, parallelism) { k in
                    for i in ranges[k] { out[i] = stableHash(view.bytes(i)) }
                }
            }
        }
        return (mode, keys)
    }

    /// `0..<n` in two halves when large enough to be worth two cores.
    static func halves(_ n: Int) -> [Range<Int>] {
        n >= 1 << 16 ? [0..<n / 2, n / 2..<n] : [0..<n]
    }
}

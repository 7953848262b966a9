/// A stable 64-bit hash of bytes with a fixed seed (never Swift's per-process `Hasher`),
/// eight bytes at a time.
@inline(__always)
public func stableHash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> UInt64 {
    var h = seed ^ (UInt64(bytes.count) &* 0xFF51_AFD7_ED55_8CCD)
    let n = bytes.count
    guard let p = bytes.baseAddress else { return mix(h) }
    let raw = UnsafeRawPointer(p)
    var i = 0
    while i + 8 <= n {
        h = mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        i += 8
    }
    if i < n {
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        h = mix(h ^ tail)
    }
    return mix(h)
}

@inline(__always)
func mix(_ x: UInt64) -> UInt64 {
    var z = x &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 31)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 29)
}

@inline(__always)
public func equalBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    let n = a.count
    guard n > 0 else { return true }
    if n <= 16 {
        // Short ids: compare in place rather than calling memcmp.
        let p = a.baseAddress!
        let q = b.baseAddress!
        var i = 0
        while i < n {
            if p[i] != q[i] { return false }
            i &+= 1
        }
        return true
    }
    return memcmp(a.baseAddress!, b.baseAddress!, n) == 0
}

#if canImport(Glibc)
import Glibc
#endif

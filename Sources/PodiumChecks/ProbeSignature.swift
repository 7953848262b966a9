#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A compact fingerprint of a submission's predictions (aligned to the solution rows), for
/// the `probing` check: rows are spread over B buckets (B ≤ 4,096) and each bucket keeps a
/// 32-bit sum of its rows' (row, value) hashes. Two submissions that differ in d rows differ in
/// about B(1 − e^(−d/B)) buckets, which gives d back without re-reading either file; at most
/// 16 KB a submission, built in one pass over values already in memory.
public struct ProbeSignature: Sendable, Equatable {
    public var rows: Int
    public var buckets: [UInt32]
    /// At least 95% of the values are one value.
    public var constant: Bool

    public init(values: [Double]) {
        rows = values.count
        var b = 64
        while b < values.count && b < 4_096 { b *= 2 }
        var buckets = [UInt32](repeating: 0, count: b)
        let mask = b - 1
        for (i, v) in values.enumerated() {
            var z = UInt64(i) &* 0x9E37_79B9_7F4A_7C15 ^ (v == 0 ? 0 : v.bitPattern)
            z = (z ^ (z >> 31)) &* 0xBF58_476D_1CE4_E5B9
            z ^= z >> 29
            buckets[i & mask] &+= UInt32(truncatingIfNeeded: z)
        }
        self.buckets = buckets
        // The mode, if it holds 95%, is almost surely among a few evenly spread samples.
        var constant = false
        if !values.isEmpty {
            let candidates = Set((0..<5).map { values[$0 * (values.count - 1) / 4].bitPattern })
            // Each pass stops as soon as more than 5% of the values differ from its candidate.
            let allowed = values.count / 20
            for c in candidates where !constant {
                var misses = 0
                for v in values where v.bitPattern != c {
                    misses += 1
                    if misses > allowed { break }
                }
                if misses <= allowed { constant = true }
            }
        }
        self.constant = constant
    }

    /// About how many rows differ from `other` (nil when the two are not comparable).
    public func differingRows(from other: ProbeSignature) -> Double? {
        guard rows == other.rows, buckets.count == other.buckets.count else { return nil }
        let b = Double(buckets.count)
        let d = Double(zip(buckets, other.buckets).filter { $0 != $1 }.count)
        if buckets.count >= rows { return d }  // one row per bucket: exact
        if d >= b { return .infinity }
        return log(1 - d / b) / log(1 - 1 / b)
    }

    /// Serialised: rows (8 bytes), constant (1 byte), buckets (4 bytes each), little-endian.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        withUnsafeBytes(of: UInt64(rows).littleEndian) { out.append(contentsOf: $0) }
        out.append(constant ? 1 : 0)
        for v in buckets { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }

    public init?(bytes data: [UInt8]) {
        guard data.count >= 9, (data.count - 9) % 4 == 0 else { return nil }
        let count = (data.count - 9) / 4
        (rows, constant, buckets) = data.withUnsafeBytes { raw in
            (
                Int(UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))), raw[8] == 1,
                (0..<count).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 9 + 4 * $0, as: UInt32.self)) }
            )
        }
    }
}

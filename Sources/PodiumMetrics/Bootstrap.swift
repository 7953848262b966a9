import PodiumParallel

/// A percentile bootstrap confidence interval.
public struct Interval: Sendable, Equatable {
    /// The lower and upper bounds.
    public var low: Double
    public var high: Double
    /// The confidence level, e.g. 0.95.
    public var level: Double
    /// How many resamples gave a defined value (a resample with one class has no AUC).
    public var resamples: Int
}

/// SplitMix64: a small, fast, reproducible generator (Steele, Lea & Flood 2014).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A uniform integer in `0..<bound`, by Lemire's multiply-shift.
    @inline(__always)
    public mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}

/// The percentile bootstrap (Efron): resample `count` units with replacement, recompute the
/// statistic, take the central `level` share of the values.
///
/// Resample `b` draws from its own generator seeded by `seed` and `b`, so the interval does
/// not depend on how many cores computed it.
public enum Bootstrap {
    public static func interval(
        count: Int, resamples: Int = 1000, level: Double = 0.95, seed: UInt64 = 20_261_125,
        parallelism: Parallelism = .allCores, statistic: @Sendable (UnsafeBufferPointer<Int32>) -> Double?
    ) -> Interval? {
        guard count > 0, resamples > 0 else { return nil }
        let workers = 2
        nonisolated(unsafe) var values = [Double?](repeating: nil, count: resamples)
        values.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            forEachConcurrently(workers, parallelism) { w in
                var indices = [Int32](repeating: 0, count: count)
                indices.withUnsafeMutableBufferPointer { idx in
                    var b = w
                    while b < resamples {
                        var rng = SplitMix64(seed: seed ^ (UInt64(b) &* 0xD1B5_4A32_D192_ED03))
                        for i in 0..<count { idx[i] = Int32(truncatingIfNeeded: rng.below(count)) }
                        out[b] = statistic(UnsafeBufferPointer(idx))
                        b += workers
                    }
                }
            }
        }
        let defined = values.compactMap { $0 }.sorted()
        guard !defined.isEmpty else { return nil }
        let alpha = (1 - level) / 2
        return Interval(
            low: percentile(defined, alpha), high: percentile(defined, 1 - alpha), level: level,
            resamples: defined.count)
    }

    /// numpy's default (linear) percentile of sorted values.
    public static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}

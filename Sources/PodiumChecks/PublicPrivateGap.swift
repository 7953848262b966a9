#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The public–private gap part of `probing`: a team that tunes against the public board
/// scores better there than on the private rows by more than chance and the number of its
/// tries explain. Gaps are oriented so that positive means "better on Public"; the spread of
/// chance gaps is estimated robustly (1.4826 × MAD) from every scored submission, and the best
/// of K honest tries is expected near √(2 ln K) spreads, hence the flag at z ≥ 3 + √(2 ln K).
public enum PublicPrivateGap {
    public struct Entry: Sendable {
        public var id: Int64
        public var team: String
        public var gap: Double
        public init(id: Int64, team: String, gap: Double) {
            self.id = id
            self.team = team
            self.gap = gap
        }
    }

    /// The flagged submissions and their z; nothing with fewer than 10 scored submissions or
    /// no spread.
    public static func flag(_ entries: [Entry]) -> [(id: Int64, z: Double, threshold: Double)] {
        guard entries.count >= 10 else { return [] }
        let gaps = entries.map(\.gap).sorted()
        let median = gaps[gaps.count / 2]
        let deviations = gaps.map { abs($0 - median) }.sorted()
        let spread = 1.4826 * deviations[deviations.count / 2]
        guard spread > 0 else { return [] }
        var tries: [String: Int] = [:]
        for e in entries { tries[e.team, default: 0] += 1 }
        return entries.compactMap { e in
            let z = (e.gap - median) / spread
            let threshold = 3 + (2 * log(Double(max(tries[e.team]!, 1)))).squareRoot()
            return z >= threshold ? (e.id, z, threshold) : nil
        }
    }
}

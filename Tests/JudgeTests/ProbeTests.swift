import Foundation
import PodiumChecks
import Testing

/// The fingerprints behind `probing` and the public–private gap statistic.
@Suite("Probing fingerprints and the public-private gap")
struct ProbeTests {
    static func values(_ n: Int, seed: UInt64) -> [Double] {
        var rng = SystemRNG(seed: seed)
        return (0..<n).map { _ in rng.uniform() }
    }

    @Test func smallFilesCountChangedRowsExactly() {
        var a = Self.values(600, seed: 1)
        let before = ProbeSignature(values: a)
        #expect(before.differingRows(from: ProbeSignature(values: a)) == 0)
        for i in [3, 77, 150, 299, 598] { a[i] = 1 - a[i] }
        #expect(ProbeSignature(values: a).differingRows(from: before) == 5)
        // The same values on other rows differ.
        #expect(ProbeSignature(values: Array(a.reversed())).differingRows(from: ProbeSignature(values: a))! > 500)
    }

    @Test func largeFilesEstimateChangedRows() throws {
        var a = Self.values(2_000_000, seed: 2)
        let before = ProbeSignature(values: a)
        #expect(before.buckets.count == 4_096 && before.bytes.count <= 16_393)
        var rng = SystemRNG(seed: 9)
        for _ in 0..<1_500 { a[Int(rng.uniform() * 2_000_000)] += 1 }  // ≈1,500 rows (a few repeats)
        let estimate = try #require(ProbeSignature(values: a).differingRows(from: before))
        #expect(estimate > 1_350 && estimate < 1_650, "\(estimate)")
        // An honest retrain changes every row: far beyond 0.1%.
        let retrain = ProbeSignature(values: Self.values(2_000_000, seed: 3))
        #expect(try #require(retrain.differingRows(from: before)) > 100_000)
        // Stored and read back.
        #expect(ProbeSignature(bytes: before.bytes) == before)
        #expect(ProbeSignature(bytes: [1, 2, 3]) == nil)
    }

    @Test func constantFiles() {
        var a = [Double](repeating: 0.5, count: 1000)
        for i in 0..<40 { a[i * 25] = Double(i) / 100 }  // 96% one value
        #expect(ProbeSignature(values: a).constant)
        for i in 0..<100 { a[i * 10 + 1] = 0.9 + Double(i) / 1000 }  // 86%
        #expect(!ProbeSignature(values: a).constant)
    }

    @Test func publicPrivateGapFlagsOnlyTheOutlier() {
        var rng = SystemRNG(seed: 4)
        var entries = (0..<40).map { k in
            PublicPrivateGap.Entry(id: Int64(k), team: "t\(k % 10)", gap: rng.normal() * 0.01)
        }
        #expect(PublicPrivateGap.flag(entries).isEmpty)
        // Team t3's newest submission is 0.08 better on Public than on Private: z about 8 > 3 + √(2 ln 5).
        entries.append(.init(id: 99, team: "t3", gap: 0.08))
        #expect(PublicPrivateGap.flag(entries).map(\.id) == [99])
        // Too few submissions to judge.
        #expect(PublicPrivateGap.flag(Array(entries.suffix(5))).isEmpty)
    }
}

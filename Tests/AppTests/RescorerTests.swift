import Foundation
import PodiumApp
import PodiumDomain
import Testing

@Suite("Rescorer.rescore and Intervals in-process")
struct RescorerTests {
    /// (participant, public error, private error) of six submissions on version 1.
    static let submitted: [(String, Double, Double)] = [
        ("p0", 0.3, 1.0), ("p1", 1.2, 0.2), ("p2", 2.0, 0.6), ("p0", 1.9, 0.4), ("p1", 0.9, 1.6), ("p3", 1.7, 0.1),
    ]

    @Test func aForcedRepublishRescoresEverySubmissionOnce() async throws {
        let a = try Arena(yaml: "submissions:\n  per_day: 100\n")
        defer { a.remove() }
        try a.publish()
        for (k, (who, e, f)) in Self.submitted.enumerated() {
            _ = try await a.submit(who, e, f, at: Arena.day.addingTimeInterval(Double(k)))
        }
        let before = try a.board()
        // Version 2: the Public labels move by +1.5, so a public error e becomes |e − 1.5|.
        try a.writeSolution(publicShift: 1.5)
        #expect(try a.publish(force: true).rescoreDue)
        #expect(try a.board().pending == 6)

        let services = a.services()
        let dry = try Rescorer.rescore("arena", services: services, jobs: 2, dryRun: true) { _, _, _ in }
        #expect(dry.pending == 6 && dry.rescored == 6 && dry.dryRun)
        #expect(try a.records().scores(withReports: false).count == 6)

        let progress = Locked((calls: 0, largest: 0))
        let summary = try Rescorer.rescore("arena", services: services, jobs: 2, dryRun: false) { done, _, _ in
            progress.withLock { $0 = (calls: $0.calls + 1, largest: max($0.largest, done)) }
        }
        #expect(summary.version == 2 && summary.pending == 6 && summary.rescored == 6)
        #expect(summary.rejected == 0 && summary.failed == 0 && !summary.moves.isEmpty)
        // One call per evaluation here; on a shared queue, one per change the store reports.
        let calls = progress.withLock { $0 }
        #expect(calls.largest == 6)
        #expect(StoreKind.current == .sqlite ? calls.calls == 6 : (1...6).contains(calls.calls), "\(calls)")
        let scores = try a.records().scores(withReports: false)
        #expect(scores.count == 12)
        let v2 = scores.filter { $0.version == 2 }.sorted { $0.submissionId < $1.submissionId }
        #expect(v2.map(\.submissionId) == Array(1...6))
        for (score, (_, e, f)) in zip(v2, Self.submitted) {
            #expect(close(score.publicPrimary, abs(e - 1.5)), "\(score)")
            #expect(close(score.privatePrimary, f), "\(score)")
        }
        // Version 1's board is unchanged; version 2's is the new order.
        let old = try a.board(version: 1)
        #expect(old.entries.map(\.team) == before.entries.map(\.team))
        #expect(old.entries.map(\.score) == before.entries.map(\.score))
        #expect(old.entries.map(\.team) == ["p0", "p1", "p3", "p2"])
        let now = try a.board()
        #expect(now.pending == 0 && now.entries.map(\.team) == ["p3", "p1", "p0", "p2"], "\(now.entries.map(\.team))")

        let second = try Rescorer.rescore("arena", services: services, jobs: 2, dryRun: false) { _, _, _ in }
        #expect(second.pending == 0 && second.rescored == 0)
        #expect(try a.records().scores(withReports: false).count == 12)
    }

    @Test func intervalsComputedOnceMarkTheStatisticalTies() async throws {
        let a = try Arena()
        defer { a.remove() }
        try a.publish()
        // Private absolute errors vary by row (scale × 1…5, alternating sign), so the intervals
        // have width: alice and bob close (a tie), carol far worse. Private MAE = 3 × scale.
        for (k, (who, scale)) in [("alice", 1.0), ("bob", 1.05), ("carol", 6.0)].enumerated() {
            var text = "id,prediction\n"
            for i in 1...20 { text += "\(i),\(Double(i) + scale * Double((i * 7) % 5 + 1) * (i % 2 == 0 ? 1 : -1))\n" }
            let file = try a.home.write("\(who).csv", text)
            let services = a.services(at: Arena.day.addingTimeInterval(Double(k)))
            _ = try await Submitter.submit("arena", file: file, as: who, message: nil, services: services)
        }
        let services = a.services()
        let plain = try a.board(.private, reveal: true)
        #expect(plain.entries.map(\.team) == ["alice", "bob", "carol"])
        #expect(close(plain.entries[0].score, 3) && close(plain.entries[1].score, 3.15))
        #expect(close(plain.entries[2].score, 18))
        #expect(plain.entries.allSatisfy { $0.interval == nil && !$0.tiedWithAbove })

        #expect(try Intervals(services).compute("arena", board: plain) == 3)
        let marked = try a.board(.private, reveal: true)
        #expect(marked.entries.map(\.tiedWithAbove) == [false, true, false])
        let alice = try #require(marked.entries[0].interval)
        #expect(alice.low < 3 && 3 < alice.high)
        // Cached: a second run computes nothing, and the board reads the same.
        #expect(try Intervals(services).compute("arena", board: marked) == 0)
        let again = try a.board(.private, reveal: true)
        #expect(again.entries.map { $0.interval?.low } == marked.entries.map { $0.interval?.low })
        // The public board carries no tie marks.
        #expect(try a.board().entries.allSatisfy { !$0.tiedWithAbove })
    }
}

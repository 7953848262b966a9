import Foundation
import PodiumApp
import PodiumDomain
import PodiumMetrics
import Testing

@Suite("Submitter.submit in-process")
struct SubmitterTests {
    /// Three files of the binary challenge, their AUC and accuracy computed by `Reference`.
    static let alice1: [Double] = [
        0.2, 0.7, 0.4, 0.6, 0.9, 0.1, 0.3, 0.55, 0.45, 0.8,
        0.6, 0.3, 0.2, 0.9, 0.7, 0.4, 0.8, 0.1, 0.5, 0.65,
    ]
    static let bob: [Double] = [
        0.1, 0.8, 0.7, 0.3, 0.9, 0.2, 0.72, 0.75, 0.65, 0.4,
        0.9, 0.2, 0.1, 0.7, 0.3, 0.8, 0.6, 0.4, 0.2, 0.95,
    ]
    static let alice2: [Double] = [
        0.1, 0.9, 0.8, 0.2, 0.7, 0.3, 0.25, 0.6, 0.95, 0.65,
        0.3, 0.6, 0.2, 0.9, 0.1, 0.7, 0.8, 0.4, 0.35, 0.85,
    ]

    static func expected(_ values: [Double], _ rows: Range<Int>) -> (auc: Double, accuracy: Double) {
        let scores = Reference.split(values, rows)
        let labels = Reference.split(BinaryChallenge.labels, rows)
        return (Reference.auc(scores, labels), Reference.accuracy(scores, labels))
    }

    @Test func aScoredReceiptWithTheRanksBeforeAndAfter() async throws {
        let c = try BinaryChallenge()
        defer { c.remove() }
        try c.publish()
        // The files rank as the test says: bob above alice's first, alice's second above bob.
        let (a1, b, a2) = (
            Self.expected(Self.alice1, BinaryChallenge.publicRows), Self.expected(Self.bob, BinaryChallenge.publicRows),
            Self.expected(Self.alice2, BinaryChallenge.publicRows)
        )
        #expect(a1.auc < b.auc && b.auc < a2.auc, "\(a1) \(b) \(a2)")

        let first = try await c.submit("Alice", Self.alice1)
        #expect(first.submission.status == .scored && first.submission.participant == "alice")
        #expect(first.error == nil)
        #expect(close(first.report?.outcome("auc", .public)?.value, a1.auc))
        #expect(close(first.report?.outcome("accuracy", .public)?.value, a1.accuracy))
        #expect(first.rankBefore == nil && first.rankAfter == 1 && first.teamCount == 1)
        #expect(!first.revealPrivate && first.visibility.ladderStep == nil && first.pending == 0)
        // The stored score is the same, on both splits.
        let row = try #require(try c.home.records("coin").scores(withReports: false).first)
        #expect(close(row.publicPrimary, a1.auc))
        #expect(close(row.privatePrimary, Self.expected(Self.alice1, BinaryChallenge.privateRows).auc))

        let second = try await c.submit("bob", Self.bob)
        #expect(second.rankBefore == nil && second.rankAfter == 1 && second.teamCount == 2)
        let third = try await c.submit("alice", Self.alice2)
        #expect(third.rankBefore == 2 && third.rankAfter == 1 && third.teamCount == 2)
        #expect(close(third.report?.outcome("auc", .public)?.value, a2.auc))
    }

    @Test func theDailyLimitIsTheDomainRuleUnderAFixedClock() async throws {
        let a = try Arena(yaml: "submissions:\n  per_day: 2\n  total: 3\n")
        defer { a.remove() }
        try a.publish()
        let day1 = instant("2026-11-10T10:00:00Z")
        let day1Late = instant("2026-11-10T23:59:59Z")
        let day2 = instant("2026-11-11T00:00:01Z")
        // A rejected file does not count.
        let bad = try a.home.write("bad.csv", "id,prediction\n1,oops\n")
        let rejected = try await Submitter.submit(
            "arena", file: bad, as: "alice", message: nil, services: a.services(at: day1))
        #expect(rejected.submission.status == .rejected)
        #expect(try await a.submit("alice", 1, 1, at: day1).submission.status == .scored)
        #expect(try await a.submit("alice", 0.5, 1, at: day1Late).submission.status == .scored)
        let third = try await a.submit("alice", 0.1, 1, at: day1Late)
        #expect(third.submission.status == .rejected && third.submission.errorCode == .limitReached)
        #expect(third.error?.code == .limitReached && third.report == nil)
        // The next UTC day allows more, up to the total.
        #expect(try await a.submit("alice", 0.2, 1, at: day2).submission.status == .scored)
        let overTotal = try await a.submit("alice", 0.1, 1, at: day2)
        #expect(overTotal.error?.code == .limitReached && overTotal.error?.message.contains("all 3") == true)
        // Another participant is not affected; a refusal is recorded but never evaluated.
        #expect(try await a.submit("bob", 2, 2, at: day2).submission.status == .scored)
        let rows = try a.records().submissions(team: nil)
        #expect(rows.map(\.status) == [.rejected, .scored, .scored, .rejected, .scored, .rejected, .scored])
        #expect(
            rows.map(\.day) == [
                "2026-11-10", "2026-11-10", "2026-11-10", "2026-11-10", "2026-11-11", "2026-11-11",
                "2026-11-11",
            ])
        let scored = Set(try a.records().scores(withReports: false).map(\.submissionId))
        #expect(scored == Set(rows.filter { $0.errorCode != .limitReached }.map(\.id)))
    }

    @Test func notOpenBeforeTheOpeningAndNeverCounted() async throws {
        let a = try Arena(yaml: "opens: 2026-11-01T00:00:00Z\nsubmissions:\n  per_day: 1\n")
        defer { a.remove() }
        try a.publish()
        let early = try await a.submit("alice", 1, 1, at: instant("2026-10-31T23:00:00Z"))
        #expect(early.submission.status == .rejected && early.submission.errorCode == .notOpen)
        #expect(early.error?.code == .notOpen && early.report == nil)
        // Opened (the same UTC day as far as the limit goes is irrelevant: the refusal never counts).
        let onTime = try await a.submit("alice", 1, 1, at: instant("2026-11-01T00:00:00Z"))
        #expect(onTime.submission.status == .scored)
        #expect(try a.records().scores(withReports: false).map(\.submissionId) == [onTime.submission.id])
    }

    @Test func teamsShareTheirLimitAndTheirBoardRow() async throws {
        let a = try Arena(yaml: "submissions:\n  per_day: 1\n", teams: "member,team\nalice,owls\nbob,owls\n")
        defer { a.remove() }
        try a.publish()
        let alice = try await a.submit("alice", 1, 1)
        #expect(alice.submission.team == "owls" && alice.submission.status == .scored)
        let bob = try await a.submit("bob", 0.5, 0.5)
        #expect(bob.submission.team == "owls" && bob.error?.code == .limitReached)
        #expect(try await a.submit("carol", 2, 2).submission.team == "carol")
        #expect(try a.board().entries.map(\.team) == ["owls", "carol"])
    }

    @Test func afterTheCloseASubmissionIsLateShownItsPrivateScoreAndNeverRanked() async throws {
        let a = try Arena(yaml: "closes: 2026-12-01T00:00:00Z\n")
        defer { a.remove() }
        try a.publish()
        let onTime = try await a.submit("alice", 1, 3, at: instant("2026-11-15T00:00:00Z"))
        #expect(!onTime.submission.late && !onTime.revealPrivate)
        let late = try await a.submit("bob", 0.5, 0.5, at: instant("2026-12-02T00:00:00Z"))
        #expect(late.submission.status == .scored && late.submission.late && late.revealPrivate)
        #expect(close(late.report?.outcome("mae", .private)?.value, 0.5))
        let after = instant("2026-12-02T00:00:00Z")
        #expect(try a.board(at: after).entries.map(\.team) == ["alice"])
        #expect(try a.board(.private, at: after).entries.map(\.score) == [3])
    }

    @Test func aRejectedFileWithItsCodeAndRow() async throws {
        let a = try Arena()
        defer { a.remove() }
        try a.publish()
        let file = try a.home.write("bad.csv", "id,prediction\n1,1.5\n2,oops\n")
        let r = try await Submitter.submit(
            "arena", file: file, as: "alice", message: "first try", services: a.services())
        #expect(r.submission.status == .rejected)
        #expect(r.error?.code == ErrorCode(rawValue: "non_numeric") && r.error?.row == 3)
        #expect(r.error?.column == "prediction")
        let stored = try #require(try a.records().submission(r.submission.id))
        #expect(stored.status == .rejected && stored.errorCode?.rawValue == "non_numeric" && stored.errorRow == 3)
        #expect(stored.message == "first try")
        #expect(try a.records().scores(withReports: false).map(\.status) == [.rejected])
        #expect(try a.board().entries.isEmpty)
    }
}

import Foundation
import PodiumApp
import PodiumDomain
import Testing

@Suite("Views: boards, lists, selection and clearing in-process")
struct ViewsTests {
    /// One second after `Arena.day` per step: submissions in a known order.
    static func second(_ k: Int) -> Date { Arena.day.addingTimeInterval(Double(k)) }

    @Test func thePublicBoardIsBestPerTeamInTheMetricsDirectionTiesToTheEarliest() async throws {
        let a = try Arena()
        defer { a.remove() }
        try a.publish()
        _ = try await a.submit("alice", 2, 2, at: Self.second(1))
        _ = try await a.submit("bob", 1, 5, at: Self.second(2))
        _ = try await a.submit("alice", 0.5, 4, at: Self.second(3))  // alice's best (lower MAE is better)
        _ = try await a.submit("carol", 1, 1, at: Self.second(4))  // ties bob's 1.0: bob was earlier
        _ = try await a.submit("alice", 3, 0, at: Self.second(5))
        let board = try a.board(at: Self.second(6))
        #expect(board.entries.map(\.team) == ["alice", "bob", "carol"])
        #expect(board.entries.map(\.score) == [0.5, 1, 1])
        #expect(board.entries.map(\.rank) == [1, 2, 3])
        #expect(board.entries.map(\.entries) == [3, 1, 1])
        #expect(board.entries.map(\.submissionId) == [3, 2, 4])
        #expect(board.version == 1 && board.pending == 0 && !board.higherIsBetter)
    }

    @Test func thePrivateBoardIsHiddenBeforeTheCloseUnlessRevealed() async throws {
        let a = try Arena(yaml: "closes: 2026-12-01T00:00:00Z\n")
        defer { a.remove() }
        try a.publish()
        _ = try await a.submit("alice", 1, 3, at: Self.second(1))
        _ = try await a.submit("bob", 2, 0.5, at: Self.second(2))
        let hidden = failure { () throws(JudgeError) in try a.board(.private, at: instant("2026-11-20T00:00:00Z")) }
        #expect(hidden?.code == .privateHidden, "\(String(describing: hidden))")
        let revealed = try a.board(.private, reveal: true, at: instant("2026-11-20T00:00:00Z"))
        #expect(revealed.entries.map(\.team) == ["bob", "alice"] && revealed.entries.map(\.score) == [0.5, 3])
        let closed = try a.board(.private, at: instant("2026-12-02T00:00:00Z"))
        #expect(closed.entries.map(\.team) == ["bob", "alice"] && closed.kind == .private)
        // The public board is another order.
        #expect(try a.board().entries.map(\.team) == ["alice", "bob"])
    }

    @Test func theLadderBoardMovesOnlyByMoreThanTheStep() async throws {
        let a = try Arena(yaml: "leaderboard:\n  display: ladder\n  step: 0.5\n")
        defer { a.remove() }
        try a.publish()
        _ = try await a.submit("alice", 3.1, 1, at: Self.second(1))
        #expect(try a.board().entries.map(\.score) == [3.0])
        _ = try await a.submit("alice", 2.7, 1, at: Self.second(2))  // better by 0.3 < step: the shown score stays
        #expect(try a.board().entries.map(\.score) == [3.0])
        _ = try await a.submit("alice", 2.2, 1, at: Self.second(3))  // better by 0.8: shown, rounded to the step
        let board = try a.board()
        #expect(board.entries.map(\.score) == [2.0] && board.ladderStep == 0.5)
    }

    @Test func aStudentSeesTheLadderAndOnlyTheirOwnRowsTheInstructorEverything() async throws {
        let a = try Arena(yaml: "leaderboard:\n  display: ladder\n  step: 0.5\ncloses: 2030-01-01T00:00:00Z\n")
        defer { a.remove() }
        try a.publish()
        _ = try await a.submit("alice", 3.1234, 7.5, at: Self.second(1))
        _ = try await a.submit("bob", 4.4444, 1, at: Self.second(2))
        _ = try await a.submit("alice", 2.2222, 7.5, at: Self.second(3))
        let services = a.services(at: Self.second(4))
        func publicValues(_ listing: SubmissionListing) -> [Double?] {
            listing.rows.map { row, score in
                listing.visibility.publicValue(exact: score?.publicPrimary, shown: listing.shown[row.id], primary: true)
            }
        }
        // The student (named as typed): her rows, the Ladder's scores (3.1234 → 3.0, 2.2222 → 2.0).
        let student = try Views.submissions("arena", services: services, participant: " ALICE")
        #expect(student.rows.map(\.0.id) == [1, 3])
        #expect(student.visibility.ladderStep == 0.5 && !student.showPrivate)
        #expect(publicValues(student) == [3.0, 2.0])
        // The instructor: every row, the exact scores.
        let instructor = try Views.submissions("arena", services: services, participant: nil)
        #expect(instructor.rows.map(\.0.id) == [1, 2, 3] && instructor.visibility.ladderStep == nil)
        let exact = publicValues(instructor)
        #expect(close(exact[0], 3.1234) && close(exact[1], 4.4444) && close(exact[2], 2.2222), "\(exact)")
        // After the close the student sees exact and private scores too.
        let closed = a.services(at: instant("2030-02-01T00:00:00Z"))
        let late = try Views.submissions("arena", services: closed, participant: "alice")
        #expect(late.visibility.ladderStep == nil && late.showPrivate && close(publicValues(late)[0], 3.1234))
    }

    @Test func selectionDecidesThePrivateBoard() async throws {
        let a = try Arena(yaml: "submissions:\n  final: 1\n")
        defer { a.remove() }
        try a.publish()
        _ = try await a.submit("alice", 1, 9, at: Self.second(1))
        _ = try await a.submit("alice", 2, 0.5, at: Self.second(2))
        _ = try await a.submit("bob", 1.5, 1.5, at: Self.second(3))
        // No selection: alice's best public submission (1) counts, with private 9.
        var board = try a.board(.private, reveal: true)
        #expect(board.entries.map(\.team) == ["bob", "alice"] && board.entries.last?.score == 9)
        let services = a.services()
        let chosen = try Views.select("arena", services: services, ids: [2])
        #expect(chosen.team == "alice" && chosen.ids == [2])
        #expect(try a.records().submission(2)?.selected == true)
        board = try a.board(.private, reveal: true)
        #expect(board.entries.map(\.team) == ["alice", "bob"] && board.entries.first?.score == 0.5)
        // More than `final`, or an unknown id: refused, the selection unchanged.
        func refusal(_ ids: [Int64]) -> ErrorCode? {
            failure { () throws(JudgeError) in try Views.select("arena", services: services, ids: ids) }?.code
        }
        #expect(refusal([1, 2]) == .tooManySelected && refusal([99]) == .unknownSubmission && refusal([]) == .usage)
        #expect(try a.board(.private, reveal: true).entries.first?.submissionId == 2)
    }

    @Test func aHeldPerfectScoreReturnsToTheBoardWhenCleared() async throws {
        let a = try Arena()
        defer { a.remove() }
        try a.publish()
        let honest = try await a.submit("honest", 1, 1, at: Self.second(1))
        let perfect = try await a.submit("too-good", 0, 0, at: Self.second(2))  // MAE 0 on both splits
        #expect(perfect.submission.held && perfect.report?.checks.contains { $0.name == .perfectScore } == true)
        #expect(try a.board().entries.map(\.team) == ["honest"])
        let services = a.services()
        let flagged = try Views.flaggedSubmissions("arena", services: services)
        #expect(flagged.map(\.participant) == ["too-good"])
        #expect(flagged.first?.checks.first?.hasPrefix("perfect_score") == true, "\(flagged)")
        let notHeld = failure { () throws(JudgeError) in
            try Views.clear("arena", services: services, id: honest.submission.id, reason: "x")
        }
        #expect(notHeld?.code == .notHeld)
        let noReason = failure { () throws(JudgeError) in
            try Views.clear("arena", services: services, id: perfect.submission.id, reason: "")
        }
        #expect(noReason?.code == .usage)
        let reason = "checked by hand: a strong model"
        try Views.clear("arena", services: services, id: perfect.submission.id, reason: reason)
        #expect(try a.records().submission(perfect.submission.id)?.held == false)
        #expect(try a.board().entries.map(\.team) == ["too-good", "honest"])
        // A re-score on a new version finds the perfect score again, but never holds it again.
        let yaml = try String(contentsOfFile: a.folder + "/challenge.yaml", encoding: .utf8)
        try yaml.replacingOccurrences(of: "title: Arena", with: "title: Arena, version 2")
            .write(toFile: a.folder + "/challenge.yaml", atomically: true, encoding: .utf8)
        #expect(try a.publish(force: true).version == 2)
        let summary = try Rescorer.rescore("arena", services: services, jobs: 1, dryRun: false) { _, _, _ in }
        #expect(summary.rescored == 2)
        #expect(try a.records().submission(perfect.submission.id)?.held == false)
        #expect(try a.board().entries.map(\.team) == ["too-good", "honest"])
    }
}

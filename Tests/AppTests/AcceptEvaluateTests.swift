import Foundation
import PodiumApp
import PodiumDomain
import Testing

/// Accepting and evaluating as two steps, as a server and its worker do.
@Suite("Submitter.accept, then Submitter.evaluate")
struct AcceptEvaluateTests {
    @Test func acceptQueuesEvaluateScoresAndASecondEvaluationDoesNothing() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.publish()
        let services = a.services()
        let accepted = try Submitter.accept(
            "arena", file: try a.predictions(0.75, 1.25), as: "alice", message: nil, services: services)
        #expect(accepted.submission.status == .queued && accepted.rankBefore == nil)
        let records = try a.records()
        #expect(try records.submission(accepted.submission.id)?.status == .queued)
        #expect(try records.unfinished().map(\.id) == [accepted.submission.id])
        #expect(try records.scores(withReports: false).isEmpty)

        let job = EvaluationJob(challenge: "arena", submission: accepted.submission.id)
        let (scored, result) = try Submitter.evaluate(job, services: services)
        #expect(scored.status == .scored && result?.error == nil)
        let score = try #require(try records.scores(withReports: false).first)
        #expect(close(score.publicPrimary, 0.75) && close(score.privatePrimary, 1.25))
        #expect(try records.unfinished().isEmpty)
        #expect(try a.board().entries.map(\.team) == ["alice"])

        // A second evaluation of the same job: the row as it is, no new score.
        let (again, none) = try Submitter.evaluate(job, services: services)
        #expect(again == scored && none == nil)
        #expect(try records.scores(withReports: false).count == 1)
    }

    @Test func aRowAnotherWorkerClaimedIsLeftToIt() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.publish()
        let accepted = try Submitter.accept(
            "arena", file: try a.predictions(1, 1), as: "alice", message: nil, services: a.services())
        let id = accepted.submission.id
        // Another process claims it first (queued → running).
        let other = Lease(owner: "worker-b", seconds: 60)
        let now = Date().timeIntervalSince1970
        #expect(try a.records().claim(id, lease: other, now: now))
        let job = EvaluationJob(challenge: "arena", submission: id)
        let (row, result) = try Submitter.evaluate(job, services: a.services())
        #expect(row.status == .running && result == nil)
        #expect(try a.records().submission(id)?.status == .running)
        #expect(try a.records().scores(withReports: false).isEmpty)
        // It stays that worker's: claiming it again takes nothing.
        #expect(try !a.records().claim(id, lease: Lease(owner: "worker-c", seconds: 60), now: now))
    }

    @Test func evaluatingAnUnknownSubmissionIsRefused() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.publish()
        let services = a.services()
        let error = failure { () throws(JudgeError) in
            try Submitter.evaluate(EvaluationJob(challenge: "arena", submission: 42), services: services)
        }
        #expect(error?.code == .unknownSubmission)
    }
}

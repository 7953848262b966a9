import Foundation
import PodiumApp
import PodiumDomain
import Testing

/// Leases in the store, and the dispatcher's order: what makes a server's queue durable and fair.
@Suite("Leases and the dispatcher")
struct QueueLeaseTests {
    func accepted(_ a: Arena, _ who: String) throws -> Int64 {
        try Submitter.accept("arena", file: try a.predictions(1, 1), as: who, message: nil, services: a.services())
            .submission.id
    }

    @Test func aWorkerThatLostItsLeaseCommitsNothing() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.publish()
        let id = try accepted(a, "alice")
        let now = Date().timeIntervalSince1970
        let dead = Lease(owner: "server-1-w1", seconds: 1)
        #expect(try a.records().claim(id, lease: dead, now: now))
        // Its lease expires; the sweep queues the submission again and another worker takes it.
        #expect(try a.records().requeueExpired(now: now + 2) == [id])
        let live = Lease(owner: "server-2-w1", seconds: 60)
        let job = EvaluationJob(challenge: "arena", submission: id)
        let (row, result) = try Submitter.evaluate(job, services: a.services(), lease: live)
        #expect(row.status == .scored && result != nil)
        // The first worker wakes up and tries to commit its (older) evaluation: nothing is written.
        var stale = result!.record
        stale.leaseOwner = dead.owner
        stale.score.publicPrimary = 999
        #expect(try !a.records().record(stale))
        #expect(try a.records().scores(withReports: false).map(\.publicPrimary) == [1])
        // A renewal by the dead owner fails too.
        #expect(try !a.records().renew(id, lease: dead, now: now))
    }

    @Test func aLiveLeaseIsNeitherTakenNorRequeued() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.publish()
        let id = try accepted(a, "alice")
        let now = Date().timeIntervalSince1970
        let lease = Lease(owner: "server-1-w1", seconds: 60)
        #expect(try a.records().claim(id, lease: lease, now: now))
        #expect(try !a.records().claim(id, lease: Lease(owner: "server-2-w1", seconds: 60), now: now + 30))
        #expect(try a.records().requeueExpired(now: now + 30).isEmpty)
        // Renewed at +50 s, it survives past the first minute.
        #expect(try a.records().renew(id, lease: lease, now: now + 50))
        #expect(try a.records().requeueExpired(now: now + 90).isEmpty)
        #expect(try a.records().requeueExpired(now: now + 111) == [id])
    }

    @Test func threeLostClaimsEndInJudgeError() throws {
        let a = try Arena()
        defer { a.remove() }
        try a.publish()
        let id = try accepted(a, "alice")
        var now = Date().timeIntervalSince1970
        for k in 1...3 {
            #expect(try a.records().claim(id, lease: Lease(owner: "server-\(k)-w1", seconds: 1), now: now))
            now += 2
            #expect(try a.records().requeueExpired(now: now) == [id])
        }
        #expect(try !a.records().claim(id, lease: Lease(owner: "server-4-w1", seconds: 1), now: now))
        let row = try a.records().submission(id)
        #expect(row?.status == .failed && row?.errorCode == .judgeError, "\(String(describing: row))")
        // A stop on purpose refunds the claim: it never counts against the submission.
        let other = try accepted(a, "bob")
        #expect(try a.records().claim(other, lease: Lease(owner: "server-9-w1", seconds: 60), now: now))
        #expect(try a.records().releaseLeases(ownerPrefix: "server-9-", refund: true) == [other])
        #expect(try a.records().running().isEmpty)
        #expect(try a.records().claim(other, lease: Lease(owner: "server-10-w1", seconds: 60), now: now))
        #expect(try a.records().running().first?.attempts == 1)
    }

    func job(_ n: Int64) -> EvaluationJob { EvaluationJob(challenge: "c", submission: n) }

    @Test func teamsAreServedInTurnAndPositionsPredictTheOrder() async {
        let d = Dispatcher()
        // alice queues five, then bob one, then carol one.
        for n in 1...5 { await d.add(job(Int64(n)), team: "alice", submittedAt: "2026-01-01T00:00:0\(n)Z") }
        await d.add(job(6), team: "bob", submittedAt: "2026-01-01T00:00:06Z")
        await d.add(job(7), team: "carol", submittedAt: "2026-01-01T00:00:07Z")
        var predicted: [Int64: Int] = [:]
        for n in 1...7 { predicted[Int64(n)] = await d.position(of: job(Int64(n))) }
        var order: [Int64] = []
        for _ in 1...7 {
            let next = await d.next()!
            order.append(next.submission)
            await d.done(next)
        }
        // Round robin: alice, bob, carol, then alice's others.
        #expect(order == [1, 6, 7, 2, 3, 4, 5])
        for (k, id) in order.enumerated() { #expect(predicted[id] == k + 1, "\(id)") }
    }

    @Test func aTeamBeingEvaluatedWaitsWhileAnotherHasWork() async {
        let d = Dispatcher()
        await d.add(job(1), team: "alice", submittedAt: "a")
        await d.add(job(2), team: "alice", submittedAt: "b")
        let first = await d.next()
        #expect(first == job(1))
        await d.add(job(3), team: "bob", submittedAt: "c")
        // Two workers: the second takes bob's, not alice's second, while alice's first runs.
        let second = await d.next()
        #expect(second == job(3))
        #expect(await d.position(of: job(2)) == 1)
        await d.stop()
        #expect(await d.next() == nil)
    }
}

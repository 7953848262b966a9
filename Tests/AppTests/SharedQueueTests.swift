import Dispatch
import Foundation
import PodiumApp
import PodiumDomain
import PodiumPostgres
import Testing

/// The queue several machines share, on a real PostgreSQL (whatever store the other use-case
/// tests run on): exclusive claims under concurrency, team turns, backoff for faults of the
/// judge, the sweep of expired leases, LISTEN/NOTIFY wake-ups, workers and a shared re-score.
@Suite("The shared queue on PostgreSQL")
struct SharedQueueTests {
    func arena(perDay: Int = 100) throws -> Arena {
        let a = try Arena(yaml: "submissions:\n  per_day: \(perDay)\n", store: .postgres)
        try a.publish()
        return a
    }

    func accept(_ a: Arena, _ who: String, error: Double = 1) throws -> Int64 {
        try Submitter.accept(
            "arena", file: try a.predictions(error, error), as: who, message: nil, services: a.services()
        )
        .submission.id
    }

    func queue(_ a: Arena) throws -> any SharedQueue {
        try #require(a.services().queue)
    }

    @Test func concurrentClaimersTakeEachSubmissionExactlyOnce() throws {
        let a = try arena()
        defer { a.remove() }
        var ids: [Int64] = []
        for k in 0..<40 { ids.append(try accept(a, "p\(k % 5)")) }
        let queue = try queue(a)
        let taken = Locked<[Int64]>([])
        let now = Date().timeIntervalSince1970
        DispatchQueue.concurrentPerform(iterations: 6) { k in
            let lease = Lease(owner: "worker-t-\(k)", seconds: 600)
            while let job = try? queue.claimNext(lease: lease, now: now) {
                taken.withLock { $0.append(job.job.submission) }
            }
        }
        let all = taken.withLock { $0 }
        #expect(all.count == 40)
        #expect(Set(all) == Set(ids))
        #expect(try a.records().running().count == 40)
    }

    @Test func teamsAreServedInTurnAndABusyTeamWaits() throws {
        let a = try arena()
        defer { a.remove() }
        let a1 = try accept(a, "alice")
        let a2 = try accept(a, "alice")
        let a3 = try accept(a, "alice")
        let b1 = try accept(a, "bob")
        let queue = try queue(a)
        let now = Date().timeIntervalSince1970
        var order: [Int64] = []
        for k in 0..<4 {
            let job = try #require(
                try queue.claimNext(lease: Lease(owner: "w-\(k)", seconds: 600), now: now + Double(k)))
            order.append(job.job.submission)
        }
        // Alice's first, then Bob's while Alice is busy, then Alice's others.
        #expect(order == [a1, b1, a2, a3])
    }

    @Test func aFaultOfTheJudgeIsRetriedWithBackoffThenEndsInJudgeError() throws {
        let a = try arena()
        defer { a.remove() }
        let id = try accept(a, "alice")
        let queue = try queue(a)
        var now = Date().timeIntervalSince1970
        for attempt in 1...3 {
            let lease = Lease(owner: "w-\(attempt)", seconds: 60)
            let job = try #require(try queue.claimNext(lease: lease, now: now))
            #expect(job.job.submission == id && job.attempts == attempt)
            #expect(try queue.retryLater(job, lease: lease, delay: 30, now: now))
            if attempt < 3 {
                // Not due before its delay.
                #expect(try queue.claimNext(lease: Lease(owner: "early", seconds: 60), now: now + 29) == nil)
                #expect(try a.records().submission(id)?.status == .queued)
            }
            now += 31
        }
        let row = try a.records().submission(id)
        #expect(row?.status == .failed && row?.errorCode == .judgeError, "\(String(describing: row))")
        #expect(try queue.claimNext(lease: Lease(owner: "late", seconds: 60), now: now + 1000) == nil)
        // A student's bad file is an outcome, never retried: the backoff is only for the judge.
        #expect(Backoff.delay(attempt: 1, random: 0) == 1 && Backoff.delay(attempt: 3, random: 1) == 12)
        #expect(Backoff.delay(attempt: 30, random: 0.5) == 300)
    }

    @Test func theSweepQueuesExpiredLeasesWithBackoffAndFailsThoseOutOfAttempts() throws {
        let a = try arena()
        defer { a.remove() }
        let id = try accept(a, "alice")
        let queue = try queue(a)
        var now = Date().timeIntervalSince1970
        for attempt in 1...3 {
            let job = try #require(try queue.claimNext(lease: Lease(owner: "dead-\(attempt)", seconds: 1), now: now))
            #expect(job.attempts == attempt)
            // A live lease is not swept.
            #expect(try queue.sweep(now: now + 0.5) == 0)
            #expect(try queue.sweep(now: now + 2) == 1)
            now += 400  // past any backoff
        }
        let row = try a.records().submission(id)
        #expect(row?.status == .failed && row?.errorCode == .judgeError)
        // A worker that lost its lease commits nothing.
        let other = try accept(a, "bob")
        let lease = Lease(owner: "slow", seconds: 1)
        let job = try #require(try queue.claimNext(lease: lease, now: now))
        #expect(job.job.submission == other)
        #expect(try queue.sweep(now: now + 2) == 1)
        #expect(try !queue.retryLater(job, lease: lease, delay: 1, now: now + 2))
    }

    @Test func aNotificationWakesAnIdleWorkerAtOnce() throws {
        let a = try arena()
        defer { a.remove() }
        let queue = try queue(a)
        queue.waitForWork(timeout: 0.01)  // listening from now on
        let woke = Locked<Double?>(nil)
        let done = DispatchSemaphore(value: 0)
        let start = Date()
        Thread.detachNewThread {
            queue.waitForWork(timeout: 10)
            woke.withLock { $0 = Date().timeIntervalSince(start) }
            done.signal()
        }
        usleep(300_000)
        _ = try accept(a, "alice")
        done.wait()
        let seconds = try #require(woke.withLock { $0 })
        // Woken by the NOTIFY of the accepting transaction, not by the 10 s timeout.
        #expect(seconds < 2, "woke after \(seconds) s")
    }

    @Test func workersScoreEverySubmissionOnceAndShareARescore() async throws {
        let a = try arena()
        defer { a.remove() }
        var ids: [Int64] = []
        for k in 0..<8 { ids.append(try accept(a, "p\(k % 3)", error: Double(k + 1))) }
        let services = a.services()
        let queue = try queue(a)
        let stop = SharedWorkers.Stop()
        let finished = Locked<[Int64]>([])
        let workers = SharedWorkers(services: services, queue: queue, owner: "worker-test", leaseSeconds: 30) { event in
            if case .finished(_, let job, _, _) = event { finished.withLock { $0.append(job.submission) } }
        }
        let run = Task { await workers.run(slots: 2, stop: stop, sweepEvery: 1) }
        for _ in 0..<200 where finished.withLock({ $0.count }) < 8 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(finished.withLock { $0.sorted() } == ids)
        #expect(try a.records().submissions(team: nil).allSatisfy { $0.status == .scored })

        // A new version: the re-score is split into items the running workers take.
        try a.writeSolution(publicShift: 0.5)
        #expect(try a.publish(force: true).rescoreDue)
        let summary = try await UseCases(services).rescore("arena", jobs: 0, dryRun: false) { _, _, _ in }
        #expect(summary.rescored == 8 && summary.failed == 0)
        let scores = try a.records().scores(withReports: false)
        #expect(scores.filter { $0.version == 2 }.count == 8)
        #expect(scores.count == 16)  // one row per (submission, version)
        stop.set()
        queue.wake()
        await run.value
    }
}

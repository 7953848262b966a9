import Foundation
import PodiumApp
import PodiumDomain
import Testing

/// "Safe to call concurrently": submissions of one team at once are counted one after another
/// by the store's transaction, so exactly the limit is scored.
@Suite("Submitter.submit called concurrently")
struct ConcurrencyTests {
    @available(macOS 15.0, *)
    @Test func eightSubmitsAtOnceGetExactlyTheDailyLimit() async throws {
        let a = try Arena(yaml: "submissions:\n  per_day: 5\n")
        defer { a.remove() }
        try a.publish()
        let file = try a.predictions(1, 1)
        let receipts = try await withThrowingTaskGroup(of: Submitter.Receipt.self) { group in
            for k in 0..<8 {
                // Each call builds its own services (its own database connection), as a process would.
                let services = a.services(at: Arena.day.addingTimeInterval(Double(k) / 1000))
                group.addTask(executorPreference: ThreadPerJob()) {
                    try await Submitter.submit("arena", file: file, as: "alice", message: nil, services: services)
                }
            }
            var all: [Submitter.Receipt] = []
            for try await receipt in group { all.append(receipt) }
            return all
        }
        #expect(receipts.count == 8)
        #expect(receipts.filter { $0.submission.status == .scored }.count == 5)
        #expect(receipts.filter { $0.error?.code == .limitReached }.count == 3)
        let rows = try a.records().submissions(team: nil)
        #expect(rows.count == 8)
        #expect(rows.filter { $0.status == .scored }.count == 5)
        #expect(rows.filter { $0.errorCode == .limitReached }.count == 3)
        #expect(try a.records().scores(withReports: false).count == 5)
        #expect(try a.board().entries.map(\.entries) == [5])
    }
}

/// Runs every job on a thread of its own, so that the calls overlap as processes do: on the
/// cooperative pool (one thread per core) the eight calls would mostly take turns, and a store
/// that counted outside its inserting transaction went unnoticed (it is caught this way).
@available(macOS 15.0, *)
final class ThreadPerJob: TaskExecutor {
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        Thread { job.runSynchronously(on: executor) }.start()
    }
}

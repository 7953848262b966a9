import Foundation
import PodiumDomain

/// The server's evaluation workers: each takes the next job from the dispatcher, claims the
/// submission in the store under a lease it renews while it works, evaluates it and commits the
/// score only while it still holds the lease. A worker that dies (the process killed) leaves
/// a lease that expires: the sweep queues the submission again; after three claims it ends
/// `failed` with `judge_error`.
public struct Workers: Sendable {
    public let services: Services
    public let dispatcher: Dispatcher
    /// This process's name for its leases (`server-<pid>-<random>`); worker k adds `-wk`.
    public let owner: String
    public let leaseSeconds: Double
    /// Called after each evaluation with the submission's row (nil: the job was lost).
    public let finished: @Sendable (EvaluationJob, SubmissionRecord?, Double) -> Void

    public init(
        services: Services, dispatcher: Dispatcher, owner: String, leaseSeconds: Double = 60,
        finished: @escaping @Sendable (EvaluationJob, SubmissionRecord?, Double) -> Void = { _, _, _ in }
    ) {
        self.services = services
        self.dispatcher = dispatcher
        self.owner = owner
        self.leaseSeconds = leaseSeconds
        self.finished = finished
    }

    /// The prefix of every lease a server process takes (a restarted server frees them).
    public static let ownerPrefix = "server-"

    /// A fresh owner name for this process.
    public static func newOwner() -> String {
        "\(ownerPrefix)\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Runs `count` workers until the dispatcher stops and each has finished its job.
    public func run(count: Int) async {
        await withTaskGroup(of: Void.self) { group in
            for k in 1...max(1, count) {
                group.addTask { await self.work(Lease(owner: "\(owner)-w\(k)", seconds: leaseSeconds)) }
            }
        }
    }

    func work(_ lease: Lease) async {
        while let job = await dispatcher.next() {
            let start = Date()
            let row = await evaluate(job, lease: lease)
            await dispatcher.done(job)
            finished(job, row, Date().timeIntervalSince(start))
        }
    }

    /// Evaluates one job, renewing its lease every third of its length meanwhile.
    func evaluate(_ job: EvaluationJob, lease: Lease) async -> SubmissionRecord? {
        let services = services
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(lease.seconds / 3))
                if Task.isCancelled { break }
                _ = await offloadResult { () throws(JudgeError) in
                    try services.open(job.challenge).records.renew(
                        job.submission, lease: lease, now: Date().timeIntervalSince1970)
                }
            }
        }
        defer { heartbeat.cancel() }
        let result = await offloadResult { () throws(JudgeError) in
            try Submitter.evaluate(job, services: services, lease: lease).0
        }
        switch result {
        case .success(let row): return row
        // A fault of the judge (the store, the disk): the lease runs out and the sweep queues the
        // submission again, up to `Lease.maximumAttempts` claims.
        case .failure: return nil
        }
    }
}

/// What the server does now and then: queue again the submissions whose lease expired, and
/// hand the dispatcher everything queued in the store.
public enum Sweep {
    /// At start: the leases of a server process that died are free at once (one server per home
    /// holds `server.lock`, so no live server owns them).
    public static func releaseDeadServers(_ services: Services) throws(JudgeError) -> Int {
        var count = 0
        for id in try services.challenges.challengeIds() {
            guard let records = try services.challenges.records(id) else { continue }
            count += try records.releaseLeases(ownerPrefix: Workers.ownerPrefix, refund: false).count
        }
        return count
    }

    /// At a stop on purpose (the grace period ran out): this process's evaluations go back to
    /// the queue without counting as a failed attempt.
    public static func releaseOwn(_ services: Services, owner: String) throws(JudgeError) -> Int {
        var count = 0
        for id in try services.challenges.challengeIds() {
            guard let records = try services.challenges.records(id) else { continue }
            count += try records.releaseLeases(ownerPrefix: owner + "-", refund: true).count
        }
        return count
    }

    /// Queues again what expired, then returns what is queued, in every challenge.
    /// With a shared queue, its own sweep requeues (with backoff); this only reads.
    public static func queued(_ services: Services) throws(JudgeError) -> [(
        challenge: String, submission: QueuedSubmission
    )] {
        var out: [(challenge: String, submission: QueuedSubmission)] = []
        let now = Date().timeIntervalSince1970
        for id in try services.challenges.challengeIds() {
            guard let records = try services.challenges.records(id) else { continue }
            if services.queue == nil { _ = try records.requeueExpired(now: now) }
            out += try records.queued().map { (id, $0) }
        }
        return out
    }

    /// One sweep into the dispatcher, off the caller's thread.
    public static func run(_ services: Services, into dispatcher: Dispatcher) async throws(JudgeError) {
        let items = try await offload { () throws(JudgeError) in try queued(services) }
        await dispatcher.reload(items)
    }
}

import Foundation
import PodiumDomain

/// Workers on the shared queue (`podium worker`, and `podium serve --store`): each slot
/// claims the next submission of any challenge (else the next re-score item), evaluates it
/// while a heartbeat renews its lease, and commits only while it holds the lease; a fault of
/// the judge goes back to the queue with backoff; a store that cannot be reached is waited
/// out (backoff up to 10 s), never a crash. One sweep per process queues expired leases again.
public struct SharedWorkers: Sendable {
    public let services: Services
    public let queue: any SharedQueue
    /// This process's name for its leases; slot k adds `-sk`.
    public let owner: String
    public let leaseSeconds: Double
    public let events: @Sendable (WorkerEvent) -> Void

    public init(
        services: Services, queue: any SharedQueue, owner: String, leaseSeconds: Double = 60,
        events: @escaping @Sendable (WorkerEvent) -> Void = { _ in }
    ) {
        self.services = services
        self.queue = queue
        self.owner = owner
        self.leaseSeconds = leaseSeconds
        self.events = events
    }

    /// What a worker did, for its status line and metrics.
    public enum WorkerEvent: Sendable {
        /// `claimSeconds`: the queue's own cost of the claim (one round trip, SKIP LOCKED).
        case claimed(slot: Int, job: EvaluationJob, attempt: Int, claimSeconds: Double)
        case finished(slot: Int, job: EvaluationJob, status: SubmissionStatus, seconds: Double)
        case lost(slot: Int, job: EvaluationJob)
        case retry(slot: Int, job: EvaluationJob, delay: Double, error: JudgeError)
        /// `queueSeconds`: the queue's own cost of the item (its claim and its finish).
        case rescored(slot: Int, item: RescoreItem, status: SubmissionStatus?, seconds: Double, queueSeconds: Double)
        case storeDown(JudgeError)
        case swept(Int)
    }

    /// A stop both the slots and the sweep watch.
    public final class Stop: @unchecked Sendable {
        private let lock = NSLock()
        private var stopped = false
        public init() {}
        public var isSet: Bool { lock.withLock { stopped } }
        public func set() { lock.withLock { stopped = true } }
    }

    /// Runs `slots` workers and the sweep until `stop` is set; each slot finishes its job first.
    public func run(slots: Int, stop: Stop, sweepEvery: Double = 5) async {
        await withTaskGroup(of: Void.self) { group in
            for k in 1...max(1, slots) {
                group.addTask { await self.slot(k, stop: stop) }
            }
            group.addTask { await self.sweeping(every: sweepEvery, stop: stop) }
        }
    }

    func slot(_ k: Int, stop: Stop) async {
        let lease = Lease(owner: "\(owner)-s\(k)", seconds: leaseSeconds)
        let queue = queue
        var failures = 0
        while !stop.isSet {
            let now = Date().timeIntervalSince1970
            let next = await offloadResult { () throws(JudgeError) -> Work? in
                let start = Date()
                if let job = try queue.claimNext(lease: lease, now: now) {
                    return .submission(job, Date().timeIntervalSince(start))
                }
                let itemStart = Date()
                if let item = try queue.claimRescoreItem(lease: lease, now: now) {
                    return .rescore(item, Date().timeIntervalSince(itemStart))
                }
                return nil
            }
            switch next {
            case .failure(let error):
                failures += 1
                events(.storeDown(error))
                try? await Task.sleep(for: .seconds(min(10, 0.25 * pow(2, Double(failures)))))
            case .success(.some(.submission(let job, let seconds))):
                failures = 0
                await evaluate(job, lease: lease, slot: k, claimSeconds: seconds)
            case .success(.some(.rescore(let item, let seconds))):
                failures = 0
                await rescore(item, lease: lease, slot: k, claimSeconds: seconds)
            case .success(.none):
                failures = 0
                if stop.isSet { break }
                _ = await offloadResult { () throws(JudgeError) in queue.waitForWork(timeout: 5) }
            }
        }
    }

    enum Work: Sendable {
        case submission(ClaimedJob, Double)
        case rescore(RescoreItem, Double)
    }

    func evaluate(_ claimed: ClaimedJob, lease: Lease, slot: Int, claimSeconds: Double) async {
        let job = claimed.job
        events(.claimed(slot: slot, job: job, attempt: claimed.attempts, claimSeconds: claimSeconds))
        let start = Date()
        let services = services
        let heartbeat = Heartbeat.start(every: lease.seconds / 3) { () throws(JudgeError) in
            _ = try services.open(job.challenge).records.renew(
                job.submission, lease: lease, now: Date().timeIntervalSince1970)
        }
        let outcome = await offloadResult { () throws(JudgeError) in
            try ClaimedEvaluation.run(claimed, services: services, lease: lease)
        }
        heartbeat.cancel()
        switch outcome {
        case .success(.recorded(let row)):
            events(.finished(slot: slot, job: job, status: row.status, seconds: Date().timeIntervalSince(start)))
        case .success(.lost):
            events(.lost(slot: slot, job: job))
        case .success(.judgeFault(let error)), .failure(let error):
            let delay = Backoff.delay(attempt: claimed.attempts)
            events(.retry(slot: slot, job: job, delay: delay, error: error))
            let queue = queue
            // If even this fails (the store is down), the lease expires and a sweep requeues it.
            _ = await offloadResult { () throws(JudgeError) in
                try queue.retryLater(claimed, lease: lease, delay: delay, now: Date().timeIntervalSince1970)
            }
        }
    }

    func rescore(_ item: RescoreItem, lease: Lease, slot: Int, claimSeconds: Double) async {
        let start = Date()
        let services = services
        let queue = queue
        let heartbeat = Heartbeat.start(every: lease.seconds / 3) { () throws(JudgeError) in
            _ = try queue.renewRescoreItem(item, lease: lease, now: Date().timeIntervalSince1970)
        }
        let outcome = await offloadResult { () throws(JudgeError) in
            try ClaimedEvaluation.rescore(item, services: services)
        }
        heartbeat.cancel()
        let status = try? outcome.get()
        let retry = status == nil ? Backoff.delay(attempt: item.attempts) : nil
        let finishing = Date()
        _ = await offloadResult { () throws(JudgeError) in
            try queue.finishRescoreItem(
                item, lease: lease, outcome: status, retryAfter: retry, now: Date().timeIntervalSince1970)
        }
        let queueSeconds = claimSeconds + Date().timeIntervalSince(finishing)
        events(
            .rescored(
                slot: slot, item: item, status: status, seconds: Date().timeIntervalSince(start),
                queueSeconds: queueSeconds))
    }

    func sweeping(every seconds: Double, stop: Stop) async {
        let queue = queue
        while !stop.isSet {
            let swept = await offloadResult { () throws(JudgeError) in
                try queue.sweep(now: Date().timeIntervalSince1970)
            }
            if case .success(let n) = swept, n > 0 { events(.swept(n)) }
            var waited = 0.0
            while waited < seconds, !stop.isSet {
                try? await Task.sleep(for: .milliseconds(250))
                waited += 0.25
            }
        }
    }
}

/// A task that runs `beat` every `seconds` until cancelled (a lease's renewal).
enum Heartbeat {
    static func start(every seconds: Double, _ beat: @escaping @Sendable () throws(JudgeError) -> Void) -> Task<
        Void, Never
    > {
        Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(seconds))
                if Task.isCancelled { break }
                _ = await offloadResult { () throws(JudgeError) in try beat() }
            }
        }
    }
}

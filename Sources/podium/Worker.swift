import ArgumentParser
import Foundation
import PodiumApp
import PodiumDomain

/// `podium worker`: a scoring machine of a course on PostgreSQL (DESIGN §8).
struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score submissions from a PostgreSQL store, on this machine.",
        discussion: """
            Claims queued submissions and re-score items of every challenge, evaluates them (bundles in \
            the sandbox), commits the scores. Stored files and challenge versions are fetched from the store \
            by hash and cached in --home. SIGTERM or Ctrl-C: no new claims, running evaluations finish; a \
            second one puts them back in the queue and stops at once.

            Example:
              podium worker --store postgres://podium@db.example.edu/course --slots 2 --name scorer-1
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Evaluations at once (default: one per core).")
    var slots: Int?

    @Option(help: "This worker's name in leases and logs (default: the host name).")
    var name: String?

    @Option(help: "Seconds a claim lasts without a heartbeat (renewed every third).")
    var lease: Double = 60

    func validate() throws {
        if let slots, !(1...64).contains(slots) { throw ValidationError("--slots is 1 to 64") }
        if !(3...3600).contains(lease) { throw ValidationError("--lease is 3 to 3600 seconds") }
        if Root.store(global.store) == nil {
            throw ValidationError("a worker needs --store postgres://… (or $PODIUM_STORE)")
        }
    }

    func run() async throws {
        var options = global
        if options.home == nil, Root.environment["PODIUM_HOME"] == nil {
            options.home = (Root.environment["XDG_CACHE_HOME"] ?? NSHomeDirectory() + "/.cache") + "/podium"
        }
        let cache = Root.home(options.home)
        let count = slots ?? ProcessInfo.processInfo.activeProcessorCount
        do {
            var services = try Root.postgresServices(
                url: Root.store(options.store) ?? "", home: cache, connections: count + 3)
            // Each evaluation on one core when several run at once.
            if count > 1 { services.parallelism = .serial }
            guard let queue = services.queue else { return }
            let challenges = services.challenges
            let label = name ?? ProcessInfo.processInfo.hostName
            let owner = "worker-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let status = WorkerStatus(name: label, slots: count, json: global.json)
            let workers = SharedWorkers(
                services: services, queue: queue, owner: owner, leaseSeconds: lease, events: status.record)
            let stop = SharedWorkers.Stop()
            let signals = WorkerSignals { second in
                if second {
                    // Put this worker's claims back without counting them, and go.
                    for id in (try? challenges.challengeIds()) ?? [] {
                        _ = try? challenges.records(id)?.releaseLeases(ownerPrefix: owner + "-", refund: true)
                    }
                    status.line("stopped at once; its evaluations are queued again")
                    Foundation.exit(0)
                }
                status.line("stopping: no new claims, running evaluations finish (again to stop at once)")
                stop.set()
                queue.wake()
            }
            status.line(
                "worker \(label): \(count) slots on \(Root.redacted(Root.store(options.store))), cache \(cache)")
            await workers.run(slots: count, stop: stop)
            signals.cancel()
            status.line("stopped: \(status.summary)")
        } catch {
            throw rejection(error, json: global.json, home: cache)
        }
    }
}

/// SIGTERM and SIGINT: the first asks for a stop, the second for an immediate one.
final class WorkerSignals: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private var count = 0
    private let lock = NSLock()

    init(_ handler: @escaping @Sendable (_ second: Bool) -> Void) {
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                let n = lock.withLock { () -> Int in
                    count += 1
                    return count
                }
                handler(n > 1)
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() { for s in sources { s.cancel() } }
}

/// What the worker does, one line per event (time, slot, submission, outcome), and totals.
final class WorkerStatus: @unchecked Sendable {
    let name: String
    let slots: Int
    let json: Bool
    private let lock = NSLock()
    private var done = 0
    private var retried = 0
    private var lost = 0
    private var rescored = 0
    private var storeDown = false
    private var claimSeconds: [Double] = []
    private var itemSeconds: [Double] = []

    init(name: String, slots: Int, json: Bool) {
        self.name = name
        self.slots = slots
        self.json = json
    }

    var summary: String {
        lock.withLock {
            let sorted = claimSeconds.sorted()
            let claims =
                sorted.isEmpty
                ? ""
                : String(
                    format: "; claim %.2f ms median, %.2f ms p95 over %d claims",
                    sorted[sorted.count / 2] * 1000, sorted[min(sorted.count - 1, sorted.count * 95 / 100)] * 1000,
                    sorted.count)
            let items = itemSeconds.sorted()
            let queue =
                items.isEmpty
                ? ""
                : String(
                    format: "; re-score items: claim + finish %.2f ms median, %.2f ms p95",
                    items[items.count / 2] * 1000, items[min(items.count - 1, items.count * 95 / 100)] * 1000)
            return "\(done) evaluated, \(rescored) re-scored, \(retried) retried, \(lost) lost leases" + claims + queue
        }
    }

    func line(_ text: String) {
        let stamp = Instants.timestamp(Date())
        FileHandle.standardError.write(Data("\(stamp) \(text)\n".utf8))
    }

    @Sendable func record(_ event: SharedWorkers.WorkerEvent) {
        switch event {
        case .claimed(let slot, let job, let attempt, let seconds):
            lock.withLock { claimSeconds.append(seconds) }
            line(
                "slot \(slot): evaluating \(job.challenge)-\(job.submission)"
                    + (attempt > 1 ? " (attempt \(attempt))" : ""))
            recovered()
        case .finished(let slot, let job, let status, let seconds):
            lock.withLock { done += 1 }
            line(
                "slot \(slot): \(job.challenge)-\(job.submission) \(status.rawValue) in \(String(format: "%.2f", seconds)) s"
            )
        case .lost(let slot, let job):
            lock.withLock { lost += 1 }
            line("slot \(slot): lost the lease of \(job.challenge)-\(job.submission); another worker has it")
        case .retry(let slot, let job, let delay, let error):
            lock.withLock { retried += 1 }
            line(
                "slot \(slot): \(job.challenge)-\(job.submission) met a fault of the judge (\(error.code.rawValue)); "
                    + "queued again in \(Int(delay.rounded())) s")
        case .rescored(let slot, let item, let status, let seconds, let queueSeconds):
            lock.withLock {
                rescored += 1
                itemSeconds.append(queueSeconds)
            }
            line(
                "slot \(slot): re-scored \(item.challenge)-\(item.submission) on version \(item.version): "
                    + "\(status?.rawValue ?? "fault, queued again") in \(String(format: "%.2f", seconds)) s")
            recovered()
        case .storeDown(let error):
            let first = lock.withLock { () -> Bool in
                defer { storeDown = true }
                return !storeDown
            }
            if first { line("the store cannot be reached (\(error.message)); trying again") }
        case .swept(let n):
            line("queued again \(n) jobs whose worker stopped answering")
        }
    }

    func recovered() {
        let was = lock.withLock { () -> Bool in
            defer { storeDown = false }
            return storeDown
        }
        if was { line("the store is back") }
    }
}

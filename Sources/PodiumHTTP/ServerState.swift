import Foundation
import PodiumApp
import PodiumDomain

/// How `podium serve` was asked to run.
public struct ServerOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// The address students use (invite links, the `Secure` cookie flag when https).
    public var publicURL: String?
    public var maxUploadBytes = 200 * 1024 * 1024
    /// Requests per token (or per address without one) per minute before `429`.
    public var requestsPerMinute = 600
    /// A whole upload must arrive within this many seconds.
    public var uploadSeconds = 600.0
    /// Where uploads are written while they arrive (inside the home: same file system as the store).
    public var uploads: String
    /// TLS certificate and key (PEM), when the server speaks HTTPS itself.
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// How long running evaluations may finish after `SIGTERM`.
    public var graceSeconds = 30.0
    /// A worker's lease; renewed every third of it.
    public var leaseSeconds = 60.0

    public init(uploads: String) { self.uploads = uploads }

    /// Whether the pages are served over HTTPS (cookies get `Secure`).
    public var secure: Bool { tlsCertificate != nil || (publicURL?.lowercased().hasPrefix("https://") ?? false) }
}

/// What every request handler shares: the use cases, the queue, the jobs, the counters.
public struct PodiumServer: Sendable {
    public let useCases: UseCases
    public let dispatcher: Dispatcher
    public let jobs: JobRegistry
    public let metrics: ServerMetrics
    public let options: ServerOptions
    let limiter: RateLimiter
    let stopping = Locked(false)
    /// The private boards' intervals being computed, by challenge.
    let intervals = SingleFlight()

    public init(useCases: UseCases, options: ServerOptions) {
        self.useCases = useCases
        self.options = options
        dispatcher = Dispatcher()
        jobs = JobRegistry()
        metrics = ServerMetrics()
        limiter = RateLimiter(perMinute: options.requestsPerMinute)
    }

    public var services: Services { useCases.services }

    /// `SIGTERM`: refuse new submissions, hand out no more jobs.
    public func beginStopping() async {
        stopping.withLock { $0 = true }
        await dispatcher.stop()
    }

    var isStopping: Bool { stopping.withLock { $0 } }

    /// The use cases acting for the request's account (the audit trail's "who").
    func useCases(for context: PodiumContext) -> UseCases {
        context.actor.map { useCases.acting(as: $0) } ?? useCases
    }

    /// The intervals a private board lacks (API and pages), computed once however many requests
    /// ask at a time; returns how many were computed.
    func computeIntervals(_ id: String, board: Board) async throws(JudgeError) -> Int {
        let (app, metrics) = (useCases, metrics)
        return try await intervals.run(id) { () async throws(JudgeError) -> Int in
            let computed = try await app.computeIntervals(id, board: board)
            metrics.intervalsComputed(computed)
            return computed
        }
    }

    /// Starts a re-score of `challenge` as a background job (or finds the one running); returns
    /// its id. What the API's `POST …/rescore` and the admin page's button both call.
    func startRescore(_ challenge: String, by who: Actor) async throws(JudgeError) -> Int {
        _ = try await useCases.run { services throws(JudgeError) in try services.open(challenge).id }
        let (job, started) = await jobs.start(challenge: challenge, by: who.name)
        guard started else { return job }
        let jobs = jobs
        let app = useCases.acting(as: who)
        // With a shared queue the workers of every machine (this server's among them) take the
        // items; this task only watches.
        let workers = services.queue == nil ? options.workers : 0
        Task {
            do throws(JudgeError) {
                let summary = try await app.rescore(challenge, jobs: workers, dryRun: false) { done, total, _ in
                    Task { await jobs.progress(job, done: done, total: total) }
                }
                await jobs.finish(job, summary: RescoreSummaryBody(summary), error: nil)
            } catch {
                await jobs.finish(job, summary: nil, error: error)
            }
        }
        return job
    }

    /// The hex SHA-256 of a text (token digests, CSRF tokens).
    func digest(_ text: String) -> String {
        Array(text.utf8).withUnsafeBytes { services.blobs.hash(bytes: $0) }
    }
}

/// One computation per key at a time: a caller that arrives while it runs waits for its outcome
/// instead of starting the same work again. The private board's bootstrap intervals take
/// seconds; at `closes` a whole class opens the board at once, and each request computing them
/// anew starved every other request of the machine's cores (found by scripts/api-fuzz.sh).
actor SingleFlight {
    private var running: [String: Task<Result<Int, JudgeError>, Never>] = [:]

    func run(_ key: String, _ work: @escaping @Sendable () async throws(JudgeError) -> Int) async throws(JudgeError)
        -> Int
    {
        if let task = running[key] { return try await task.value.get() }
        let task = Task { () async -> Result<Int, JudgeError> in
            do throws(JudgeError) { return .success(try await work()) } catch { return .failure(error) }
        }
        running[key] = task
        defer { running[key] = nil }
        return try await task.value.get()
    }
}

/// Background jobs an instructor started (re-scores), with their progress; kept while the
/// server runs (a re-score interrupted by a restart is simply started again: it resumes).
public actor JobRegistry {
    public struct Job: Sendable, Encodable {
        public var id: Int
        public var kind = "rescore"
        public var challenge: String
        public var state = "running"
        public var done = 0
        public var total = 0
        public var summary: RescoreSummaryBody?
        public var error: ErrorDetail?
        public var startedBy: String

        enum CodingKeys: String, CodingKey {
            case id, kind, challenge, state, done, total, summary, error
            case startedBy = "started_by"
        }
    }

    private var jobs: [Int: Job] = [:]
    private var nextId = 1

    public init() {}

    /// A new job for the challenge, or the one still running (one re-score per challenge at a
    /// time): checked and registered in one step, so two requests at once start one job.
    public func start(challenge: String, by who: String) -> (id: Int, started: Bool) {
        if let running = running(challenge) { return (running, false) }
        let id = nextId
        nextId += 1
        jobs[id] = Job(id: id, challenge: challenge, startedBy: who)
        return (id, true)
    }

    public func progress(_ id: Int, done: Int, total: Int) {
        jobs[id]?.done = done
        jobs[id]?.total = total
    }

    public func finish(_ id: Int, summary: RescoreSummaryBody?, error: JudgeError?) {
        jobs[id]?.state = error == nil ? "done" : "failed"
        jobs[id]?.summary = summary
        jobs[id]?.error = error.map(ErrorDetail.init)
    }

    public func job(_ id: Int) -> Job? { jobs[id] }

    public func all() -> [Job] { jobs.values.sorted { $0.id > $1.id } }

    /// A re-score of the challenge still running, if any (one at a time per challenge).
    public func running(_ challenge: String) -> Int? {
        jobs.values.first { $0.challenge == challenge && $0.state == "running" }?.id
    }
}

/// Requests per key in the current minute (a fixed window), for `429` with `Retry-After`.
final class RateLimiter: Sendable {
    let perMinute: Int
    let windows = Locked<(minute: Int, counts: [String: Int])>((0, [:]))

    init(perMinute: Int) { self.perMinute = perMinute }

    /// `nil` when allowed, else the seconds until the window ends.
    func check(_ key: String, now: Date = Date()) -> Int? {
        let seconds = Int(now.timeIntervalSince1970)
        let minute = seconds / 60
        return windows.withLock { state in
            if state.minute != minute { state = (minute, [:]) }
            let count = (state.counts[key] ?? 0) + 1
            state.counts[key] = count
            return count > perMinute ? 60 - seconds % 60 : nil
        }
    }
}

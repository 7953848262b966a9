/// The job queue of one process: the command line accepts a submission and evaluates it at
/// once through it, in order. A server's queue (issue 9) is durable and leased; this one
/// holds jobs only while the process runs (an accepted submission stays `queued` in the store
/// if the process dies, and a later evaluation finds it).
public actor InProcessQueue: JobQueue {
    private var jobs: [EvaluationJob] = []
    private var closed = false
    private var waiting: [CheckedContinuation<EvaluationJob?, Never>] = []

    public init() {}

    public func enqueue(_ job: EvaluationJob) {
        if let first = waiting.first {
            waiting.removeFirst()
            first.resume(returning: job)
        } else {
            jobs.append(job)
        }
    }

    /// No more jobs will come: `next()` returns `nil` once the queue is empty.
    public func close() {
        closed = true
        for continuation in waiting { continuation.resume(returning: nil) }
        waiting.removeAll()
    }

    public func next() async -> EvaluationJob? {
        if !jobs.isEmpty { return jobs.removeFirst() }
        if closed { return nil }
        return await withCheckedContinuation { continuation in waiting.append(continuation) }
    }
}
